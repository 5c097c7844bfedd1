import type { Channel, Priority, TicketEventType, TicketKind, TicketStatus } from "../../generated/prisma/enums.js";
import { addWorkingDays, addWorkingMinutes, type LocalCalendar, nextWorkingInstant } from "./clock.js";
import type { EventRow, MessageRow, TicketRow } from "./history.js";
import { type Random, WeightedTable } from "./random.js";
import {
  DOCUMENT_REQUESTS,
  INTERNAL_NOTES,
  PUBLIC_REPLIES,
  REFERRAL_REPLY,
  REOPEN_REASONS,
  RESOLUTION_REPLIES,
} from "./templates.js";

/** A unit as the simulation needs it: who works there and when its office is open. */
export interface Desk {
  id: number;
  code: string;
  name: string;
  agentIds: readonly string[];
  calendar: LocalCalendar;
}

/**
 * The point of the lifecycle at which a transfer happens: still new, right after triage, after an
 * agent took the ticket, or after the first reply.
 */
export type TransferStage = "NEW" | "TRIAGED" | "ASSIGNED" | "IN_PROGRESS";
export const TRANSFER_STAGES: readonly TransferStage[] = ["NEW", "TRIAGED", "ASSIGNED", "IN_PROGRESS"];

export interface PlannedTransfer {
  stage: TransferStage;
  to: Desk;
  reason: string;
}

export interface LifecycleInput {
  random: Random;
  ticketId: string;
  nowMs: number;
  createdMs: number;
  channel: Channel;
  kind: TicketKind;
  categoryCode: string;
  /** The unit that receives the ticket first. */
  desk: Desk;
  /** In lifecycle order; stages never decrease. */
  transfers?: readonly PlannedTransfer[];
  /** Set when the ticket is outside immigration's authority and gets rejected instead of triaged. */
  rejectReason?: string | undefined;
  /** Fills a text's placeholders; `office` is the name of the unit that writes it. */
  fill: (text: string, office: string) => string;
}

export interface Lifecycle {
  events: EventRow[];
  messages: MessageRow[];
  status: TicketStatus;
  priority: Priority;
  triaged: boolean;
  assigneeId: string | null;
  /** The unit that holds the ticket in the end. */
  unitId: number;
  reopenCount: number;
  transferCount: number;
  times: Pick<TicketRow, "updatedAt" | "triagedAt" | "firstRespondedAt" | "resolvedAt" | "closedAt">;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Mean working minutes to triage, to take the ticket and to first reply. They are set so that most
 * first responses land within the default policies' targets (15 minutes for calls and counters, an hour
 * for chat, a working day for written channels, three working days for SP4N-LAPOR!) and the late ones
 * below make up most breaches. A call is answered live by whoever picks it up; written channels take hours.
 */
const SPEED: Record<Channel, { triage: number; assign: number; reply: number }> = {
  PHONE: { triage: 2, assign: 2, reply: 3 },
  WALK_IN: { triage: 2, assign: 2, reply: 3 },
  WHATSAPP: { triage: 10, assign: 5, reply: 12 },
  LIVE_CHAT: { triage: 6, assign: 4, reply: 8 },
  INSTAGRAM: { triage: 12, assign: 6, reply: 15 },
  X: { triage: 12, assign: 6, reply: 15 },
  FACEBOOK: { triage: 12, assign: 6, reply: 18 },
  TIKTOK: { triage: 12, assign: 6, reply: 18 },
  EMAIL: { triage: 60, assign: 20, reply: 150 },
  WEB_FORM: { triage: 60, assign: 20, reply: 150 },
  SP4N_LAPOR: { triage: 240, assign: 30, reply: 480 },
  LETTER: { triage: 120, assign: 20, reply: 300 },
  PRESS: { triage: 60, assign: 15, reply: 180 },
};

/** Mean working minutes from the last activity to resolution. */
const RESOLVE_MEAN: Record<TicketKind, number> = {
  INFORMATION_REQUEST: 480,
  COMPLAINT: 1440,
  ASPIRATION: 960,
  APPRECIATION: 120,
  VIOLATION_REPORT: 2400,
  WHISTLEBLOWING: 3840,
};

const priorities = (low: number, normal: number, high: number, urgent: number) =>
  new WeightedTable<Priority>([
    ["LOW", low],
    ["NORMAL", normal],
    ["HIGH", high],
    ["URGENT", urgent],
  ]);

const PRIORITY: Record<TicketKind, WeightedTable<Priority>> = {
  INFORMATION_REQUEST: priorities(35, 60, 5, 0),
  COMPLAINT: priorities(5, 60, 30, 5),
  ASPIRATION: priorities(50, 50, 0, 0),
  APPRECIATION: priorities(90, 10, 0, 0),
  VIOLATION_REPORT: priorities(0, 35, 50, 15),
  WHISTLEBLOWING: priorities(0, 35, 50, 15),
};
const INTEGRITY_PRIORITY = priorities(0, 40, 45, 15);

const WAITING_REASON = "Menunggu kelengkapan data dari pelapor.";
const STAFFED_CHANNELS: ReadonlySet<Channel> = new Set(["PHONE", "WALK_IN", "LETTER"]);

/** Collects one ticket's events, dropping everything that would happen after `now`. */
class Recorder {
  readonly events: EventRow[] = [];
  readonly messages: MessageRow[] = [];
  status: TicketStatus = "NEW";
  assigneeId: string | null = null;
  reopenCount = 0;
  transferCount = 0;
  desk: Desk;
  times: Lifecycle["times"];
  private last = 0;
  private stopped = false;

  constructor(
    private readonly input: LifecycleInput,
    createdMs: number,
  ) {
    this.desk = input.desk;
    this.times = {
      updatedAt: new Date(createdMs),
      triagedAt: null,
      firstRespondedAt: null,
      resolvedAt: null,
      closedAt: null,
    };
  }

  /**
   * Records an event and returns its time, kept monotonic. Once an event falls after `now` it and
   * everything later is dropped, so the ticket stays in the state it has reached by now.
   */
  emit(
    type: TicketEventType,
    ms: number,
    actorId: string | null,
    data: Record<string, string>,
    unitId = this.desk.id,
  ): number {
    const at = Math.max(Math.round(ms), this.last + 1000);
    if (this.stopped || at > this.input.nowMs) {
      this.stopped = true;
      return at;
    }
    this.last = at;
    const date = new Date(at);
    const { ticketId } = this.input;
    this.events.push({ ticketId, unitId, type, actorId, actorLabel: actorId ? null : "system", at: date, data });
    this.times.updatedAt = date;
    if (data.to) this.status = data.to as TicketStatus;
    if (type === "TRIAGED") this.times.triagedAt = date;
    if (type === "ASSIGNED") this.assigneeId = data.assigneeId ?? null;
    if (type === "REPLIED" || type === "RESOLVED") this.times.firstRespondedAt ??= date;
    if (type === "RESOLVED") this.times.resolvedAt = date;
    // A rejection ends the ticket, so it counts as closed.
    if (type === "CLOSED" || type === "REJECTED") this.times.closedAt = date;
    if (type === "REOPENED") {
      this.reopenCount++;
      this.times.resolvedAt = null;
      this.times.closedAt = null;
    }
    return at;
  }

  /**
   * Hands the ticket to another unit as the live service does: the event belongs to the receiving
   * unit, nobody is assigned any more, and a ticket being worked goes back to triage there.
   */
  transfer(ms: number, actorId: string, plan: PlannedTransfer): number {
    const working = this.status !== "NEW" && this.status !== "TRIAGED";
    const at = this.emit(
      "TRANSFERRED",
      ms,
      actorId,
      {
        ...(working ? { from: this.status, to: "TRIAGED" } : {}),
        fromUnitCode: this.desk.code,
        toUnitCode: plan.to.code,
        reason: plan.reason,
      },
      plan.to.id,
    );
    if (this.stopped) return at;
    this.desk = plan.to;
    this.assigneeId = null;
    this.transferCount++;
    return at;
  }

  get done(): boolean {
    return this.stopped;
  }

  /** Records an event that carries a message: a reply, a note, or a resolution sent to the citizen. */
  message(
    type: "REPLIED" | "NOTE_ADDED" | "RESOLVED",
    ms: number,
    authorId: string,
    body: string,
    data: Record<string, string> = {},
  ): number {
    const messageId = this.input.random.uuid();
    const at = this.emit(type, ms, authorId, { ...data, messageId });
    if (this.stopped) return at;
    const visibility = type === "NOTE_ADDED" ? "INTERNAL_NOTE" : "PUBLIC_REPLY";
    this.messages.push({
      id: messageId,
      ticketId: this.input.ticketId,
      authorId,
      visibility,
      body: this.input.fill(body, this.desk.name),
      createdAt: this.events[this.events.length - 1]?.at ?? new Date(at),
    });
    return at;
  }
}

/**
 * Walks one ticket through the status machine: new → triaged (or rejected) → assigned → in progress
 * → perhaps waiting on the citizen → resolved → closed, with a few reopened and a few transferred.
 * Agents act in office hours of the unit that holds the ticket, so an evening WhatsApp message waits
 * for the next working morning, and after a transfer the receiving unit's agents and hours apply.
 */
export function simulateLifecycle(input: LifecycleInput): Lifecycle {
  const { random: r, kind, channel } = input;
  const rec = new Recorder(input, input.createdMs);
  const agent = () => r.pick(rec.desk.agentIds);
  const calendar = () => rec.desk.calendar;
  const transfers = input.transfers ?? [];
  let next = 0;
  const transferDue = (stage: TransferStage) => transfers[next]?.stage === stage;
  /** Performs the next planned transfer after a delay in working minutes of the sending unit. */
  const transfer = (from: number, meanDelay: number): number => {
    const plan = transfers[next++] as PlannedTransfer;
    const at = addWorkingMinutes(from, r.exponential(meanDelay), calendar());
    return rec.transfer(at, rec.assigneeId ?? agent(), plan);
  };
  const result = (priority: Priority): Lifecycle => ({
    events: rec.events,
    messages: rec.messages,
    status: rec.status,
    priority: rec.times.triagedAt ? priority : "NORMAL",
    triaged: rec.times.triagedAt !== null,
    assigneeId: rec.assigneeId,
    unitId: rec.desk.id,
    reopenCount: rec.reopenCount,
    transferCount: rec.transferCount,
    times: rec.times,
  });

  let t = rec.emit("CREATED", input.createdMs, STAFFED_CHANNELS.has(channel) ? agent() : null, {
    status: "NEW",
    channel,
  });
  // Forwarded unread: whoever opens it first sees at once that it belongs elsewhere.
  while (transferDue("NEW")) t = transfer(t, SPEED[channel].triage);
  const triager = agent();
  const triageAt = addWorkingMinutes(t, r.exponential(SPEED[channel].triage), calendar());

  if (input.rejectReason) {
    const repliedAt = rec.message("REPLIED", triageAt, triager, REFERRAL_REPLY);
    rec.emit("REJECTED", repliedAt + r.int(1, 5) * MINUTE, triager, {
      from: "NEW",
      to: "REJECTED",
      reason: input.rejectReason,
    });
    return result("NORMAL");
  }

  const priority = (
    kind === "COMPLAINT" && (input.categoryCode === "OFFICER_CONDUCT" || input.categoryCode === "BROKERS")
      ? INTEGRITY_PRIORITY
      : PRIORITY[kind]
  ).draw(r);
  t = rec.emit("TRIAGED", triageAt, triager, {
    from: "NEW",
    to: "TRIAGED",
    categoryCode: input.categoryCode,
    priority,
  });
  while (transferDue("TRIAGED")) t = transfer(t, 30);

  // Agents take tickets for themselves; only supervisors assign to others. A unit that has just
  // received a ticket takes longer to pick it up than one that triaged it itself.
  let assignee = "";
  const assign = (from: number): number => {
    assignee = agent();
    const at = addWorkingMinutes(from, r.exponential(rec.transferCount > 0 ? 60 : SPEED[channel].assign), calendar());
    return rec.emit("ASSIGNED", at, assignee, { from: "TRIAGED", to: "ASSIGNED", assigneeId: assignee });
  };
  t = assign(t);
  while (transferDue("ASSIGNED")) t = assign(transfer(t, 90));

  // A few tickets sit unanswered for more than a working day: the breaches supervisors must see.
  const late = r.chance(0.06) ? r.int(500, 1500) : 0;
  const waits = kind !== "APPRECIATION" && r.chance(0.15);
  const quick = !waits && (kind === "INFORMATION_REQUEST" || kind === "APPRECIATION") && r.chance(0.55);
  // As in the live service, the first reply on an assigned ticket is what puts it in progress. A
  // ticket about to move on gets only an acknowledgement; the receiving unit asks for documents.
  const reply = (from: number, extra: number): number => {
    const asks = waits && !transferDue("IN_PROGRESS");
    const at = addWorkingMinutes(from, r.exponential(SPEED[channel].reply) + extra, calendar());
    let done = rec.message("REPLIED", at, assignee, r.pick(asks ? DOCUMENT_REQUESTS : PUBLIC_REPLIES[kind]), {
      from: "ASSIGNED",
      to: "IN_PROGRESS",
    });
    if (r.chance(0.25))
      done = rec.message(
        "NOTE_ADDED",
        addWorkingMinutes(done, r.exponential(60), calendar()),
        assignee,
        r.pick(INTERNAL_NOTES),
      );
    return done;
  };
  t = reply(t, late);
  while (transferDue("IN_PROGRESS")) t = reply(assign(transfer(t, 240)), 0);

  if (waits) {
    t = rec.emit("WAITING_ON_CITIZEN", t + r.int(1, 10) * MINUTE, assignee, {
      from: "IN_PROGRESS",
      to: "WAITING_ON_CITIZEN",
      reason: WAITING_REASON,
    });
    const answeredAt = t + 30 * MINUTE + r.exponential(1.5 * DAY);
    t = rec.emit("RESUMED", nextWorkingInstant(answeredAt, calendar()), assignee, {
      from: "WAITING_ON_CITIZEN",
      to: "IN_PROGRESS",
    });
  }
  // A small stale backlog is never resolved.
  if (rec.done || r.chance(0.015)) return result(priority);

  // Resolving sends the resolution to the citizen; about 7% take more than two weeks.
  const resolve = (from: number, immediate: boolean): number => {
    let at = immediate
      ? from + r.int(2, 30) * MINUTE
      : addWorkingMinutes(from, r.exponential(RESOLVE_MEAN[kind]), calendar());
    if (!immediate && r.chance(0.07)) at = nextWorkingInstant(at + r.int(12, 35) * DAY, calendar());
    return rec.message("RESOLVED", at, assignee, r.pick(RESOLUTION_REPLIES), { from: "IN_PROGRESS", to: "RESOLVED" });
  };
  // Closed when the citizen confirms, else by the system after five working days without answer.
  const closing = (resolvedAt: number): { at: number; actor: string | null } =>
    r.chance(0.55)
      ? { at: nextWorkingInstant(resolvedAt + r.int(60, 2880) * MINUTE, calendar()), actor: assignee }
      : { at: addWorkingDays(resolvedAt, 5, calendar()), actor: null };

  let resolvedAt = resolve(t, quick);
  let close = closing(resolvedAt);
  if (r.chance(0.02)) {
    const reopenAt = resolvedAt + r.int(120, 5760) * MINUTE;
    const from = reopenAt > close.at ? "CLOSED" : "RESOLVED";
    if (from === "CLOSED") rec.emit("CLOSED", close.at, close.actor, { from: "RESOLVED", to: "CLOSED" });
    const reason = r.pick(REOPEN_REASONS);
    const reopenedAt = rec.emit("REOPENED", reopenAt, null, { from, to: "IN_PROGRESS", reason });
    resolvedAt = resolve(reopenedAt, false);
    close = closing(resolvedAt);
  }
  rec.emit("CLOSED", close.at, close.actor, { from: "RESOLVED", to: "CLOSED" });
  return result(priority);
}
