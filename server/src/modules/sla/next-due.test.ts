import { describe, expect, it } from "vitest";
import type { ClockState, TicketStatus } from "../../generated/prisma/enums.js";
import { type DueClock, dueOnHold, nextDueAt } from "./next-due.js";

const at = (hour: number) => new Date(Date.UTC(2026, 11, 7, hour));
const clock = (state: ClockState, hour: number, metHour: number | null = null): DueClock => ({
  state,
  dueAt: at(hour),
  metAt: metHour === null ? null : at(metHour),
});

describe("a ticket's next deadline", () => {
  it.each<[string, DueClock[], boolean, Date | null]>([
    ["no clock", [], false, null],
    ["the earlier of two running clocks", [clock("RUNNING", 9), clock("RUNNING", 5)], false, at(5)],
    ["an at-risk clock counts", [clock("AT_RISK", 7), clock("RUNNING", 9)], false, at(7)],
    ["a met clock does not count", [clock("MET", 3, 2), clock("RUNNING", 9)], false, at(9)],
    ["an overdue clock gives its past due instant", [clock("BREACHED", 1), clock("RUNNING", 9)], false, at(1)],
    ["a clock breached and stopped late does not count", [clock("BREACHED", 1, 4), clock("RUNNING", 9)], false, at(9)],
    ["a paused clock does not count", [clock("PAUSED", 2), clock("RUNNING", 9)], false, at(9)],
    ["a rejected clock does not count", [clock("REJECTED", 2)], false, null],
    ["only stopped clocks", [clock("MET", 3, 2), clock("MET", 9, 8)], false, null],
    ["a ticket on hold has none, even overdue", [clock("BREACHED", 1), clock("RUNNING", 9)], true, null],
  ])("%s", (_label, clocks, onHold, expected) => {
    expect(nextDueAt(clocks, onHold)).toEqual(expected);
  });
});

describe("a deadline on hold", () => {
  it.each<[TicketStatus, TicketStatus[], boolean]>([
    ["IN_PROGRESS", ["WAITING_ON_CITIZEN"], false],
    ["WAITING_ON_CITIZEN", ["WAITING_ON_CITIZEN"], true],
    ["WAITING_ON_CITIZEN", [], false],
    ["RESOLVED", [], true],
    ["CLOSED", [], true],
    ["REJECTED", [], true],
    ["NEW", ["WAITING_ON_CITIZEN"], false],
  ])("%s with pauses on %j: %s", (status, pauses, expected) => {
    expect(dueOnHold(status, pauses)).toBe(expected);
  });
});
