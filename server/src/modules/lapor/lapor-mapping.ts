import type { TicketEventType, TicketKind } from "../../generated/prisma/enums.js";

/**
 * SP4N-LAPOR!'s follow-up states as Pantau reports them. Its integration interface is not public: these
 * are the stages LAPOR! shows a reporter (verification, disposition, follow-up, done, and "bukan
 * wewenang" for a report outside the institution's authority), under names a later integration maps to
 * LAPOR!'s own codes by changing this module alone.
 */
export const LaporStatus = {
  /** Terverifikasi: the institution checked the report and took it up. */
  VERIFIED: "VERIFIED",
  /** Didisposisikan: passed to the unit that handles it. */
  DISPOSED: "DISPOSED",
  /** Ditindaklanjuti: being worked on; the institution answered or asked the reporter. */
  IN_FOLLOW_UP: "IN_FOLLOW_UP",
  /** Selesai: answered and finished. */
  DONE: "DONE",
  /** Bukan wewenang: not immigration's authority. */
  NOT_AUTHORITY: "NOT_AUTHORITY",
} as const;
export type LaporStatus = (typeof LaporStatus)[keyof typeof LaporStatus];

/**
 * Which of Pantau's ticket events LAPOR! is told of, and as what. Null: LAPOR! is not told (internal
 * work, clock states, the ticket's own creation, which came from LAPOR!). A Record over every event
 * type, so a new type cannot be added without deciding here.
 */
export const LAPOR_STATUS_OF_EVENT: Readonly<Record<TicketEventType, LaporStatus | null>> = {
  CREATED: null,
  TRIAGED: LaporStatus.VERIFIED,
  ASSIGNED: null,
  TRANSFERRED: LaporStatus.DISPOSED,
  REPLIED: LaporStatus.IN_FOLLOW_UP,
  NOTE_ADDED: null,
  WAITING_ON_CITIZEN: LaporStatus.IN_FOLLOW_UP,
  RESUMED: null,
  RESOLVED: LaporStatus.DONE,
  // Closing follows RESOLVED (already DONE) or a rejection (already NOT_AUTHORITY).
  CLOSED: null,
  REOPENED: LaporStatus.IN_FOLLOW_UP,
  REJECTED: LaporStatus.NOT_AUTHORITY,
  SLA_AT_RISK: null,
  SLA_BREACHED: null,
  SLA_MET: null,
  SLA_PAUSED: null,
  SLA_RESUMED: null,
  SLA_EXTENDED: null,
  RATED: null,
  SLA_REJECTED: null,
  EXTENSION_REQUESTED: null,
  EXTENSION_REFUSED: null,
  CITIZEN_MESSAGE: null,
  FILE_INCOMPLETE: LaporStatus.IN_FOLLOW_UP,
  FILE_COMPLETE: null,
  COMPLAINT_LAPSED: LaporStatus.DONE,
};

/** The events whose public text (a reply, a resolution, what a file lacks, a rejection's reason) goes along. */
export const LAPOR_TEXT_OF_EVENT: Readonly<Partial<Record<TicketEventType, "message" | "reason">>> = {
  REPLIED: "message",
  RESOLVED: "message",
  FILE_INCOMPLETE: "message",
  REJECTED: "reason",
};

/**
 * LAPOR!'s classification of a report as Pantau's ticket kind. LAPOR! sorts reports into complaints
 * (pengaduan), aspirations and information requests; anything else it sends is treated as a complaint.
 */
export const TICKET_KIND_OF_CLASSIFICATION: Readonly<Record<string, TicketKind>> = {
  PENGADUAN: "COMPLAINT",
  ASPIRASI: "ASPIRATION",
  PERMINTAAN_INFORMASI: "INFORMATION_REQUEST",
};

export function ticketKindOf(classification: string | null | undefined): TicketKind {
  return TICKET_KIND_OF_CLASSIFICATION[(classification ?? "").trim().toUpperCase()] ?? "COMPLAINT";
}
