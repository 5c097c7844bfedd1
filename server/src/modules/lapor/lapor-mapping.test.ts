import { describe, expect, it } from "vitest";
import { TicketEventType } from "../../generated/prisma/enums.js";
import { LAPOR_STATUS_OF_EVENT, LAPOR_TEXT_OF_EVENT, ticketKindOf } from "./lapor-mapping.js";

describe("what SP4N-LAPOR! is told of Pantau's events", () => {
  it.each([
    ["TRIAGED", "VERIFIED"],
    ["TRANSFERRED", "DISPOSED"],
    ["REPLIED", "IN_FOLLOW_UP"],
    ["WAITING_ON_CITIZEN", "IN_FOLLOW_UP"],
    ["FILE_INCOMPLETE", "IN_FOLLOW_UP"],
    ["REOPENED", "IN_FOLLOW_UP"],
    ["RESOLVED", "DONE"],
    ["COMPLAINT_LAPSED", "DONE"],
    ["REJECTED", "NOT_AUTHORITY"],
    ["CREATED", null],
    ["ASSIGNED", null],
    ["NOTE_ADDED", null],
    ["CLOSED", null],
    ["SLA_BREACHED", null],
    ["CITIZEN_MESSAGE", null],
    ["RATED", null],
  ] as const)("%s → %s", (type, status) => {
    expect(LAPOR_STATUS_OF_EVENT[type]).toBe(status);
  });

  it("decides every event type, and sends text only with a status", () => {
    expect(Object.keys(LAPOR_STATUS_OF_EVENT).sort()).toEqual(Object.values(TicketEventType).sort());
    for (const type of Object.keys(LAPOR_TEXT_OF_EVENT) as TicketEventType[]) {
      expect(LAPOR_STATUS_OF_EVENT[type], type).not.toBeNull();
    }
    // Internal notes never leave.
    expect(LAPOR_TEXT_OF_EVENT.NOTE_ADDED).toBeUndefined();
  });
});

describe("LAPOR!'s classification as a ticket kind", () => {
  it.each([
    ["PENGADUAN", "COMPLAINT"],
    ["aspirasi", "ASPIRATION"],
    [" PERMINTAAN_INFORMASI ", "INFORMATION_REQUEST"],
    ["LAINNYA", "COMPLAINT"],
    [null, "COMPLAINT"],
  ])("%j → %s", (classification, kind) => {
    expect(ticketKindOf(classification)).toBe(kind);
  });
});
