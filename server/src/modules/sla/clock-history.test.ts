import { describe, expect, it } from "vitest";
import type { BusinessCalendar } from "./clock/calendar.js";
import { clockHistories, type TimelineEvent } from "./clock-history.js";

const calendar = (timeZone: string): BusinessCalendar => ({ timeZone, week: [], holidays: new Set() });
const jakarta = calendar("Asia/Jakarta");
const jayapura = calendar("Asia/Jayapura");
const calendarFor = (unitId: number) => (unitId === 2 ? jayapura : jakarta);
const at = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00+07:00`);
const event = (
  type: TimelineEvent["type"],
  time: string,
  data: TimelineEvent["data"] = null,
  unitId = 1,
): TimelineEvent => ({
  type,
  at: at(time),
  unitId,
  data,
});

describe("clock histories from the event log", () => {
  const log: TimelineEvent[] = [
    event("CREATED", "08:00", { to: undefined }),
    event("TRIAGED", "08:10", { from: "NEW", to: "TRIAGED" }),
    event("NOTE_ADDED", "08:15"),
    event("TRANSFERRED", "09:00", { from: "TRIAGED", to: "TRIAGED" }, 2),
    event("ASSIGNED", "09:30", { from: "TRIAGED", to: "ASSIGNED" }, 2),
    event("REPLIED", "10:00", { from: "ASSIGNED", to: "IN_PROGRESS" }, 2),
    event("WAITING_ON_CITIZEN", "10:30", { from: "IN_PROGRESS", to: "WAITING_ON_CITIZEN" }, 2),
    event("RESUMED", "11:30", { from: "WAITING_ON_CITIZEN", to: "IN_PROGRESS" }, 2),
    event("RESOLVED", "12:00", { from: "IN_PROGRESS", to: "RESOLVED" }, 2),
    event("REOPENED", "13:00", { from: "RESOLVED", to: "IN_PROGRESS" }, 2),
    event("SLA_EXTENDED", "13:05", null, 2),
    event("RESOLVED", "14:00", { from: "IN_PROGRESS", to: "RESOLVED" }, 2),
    event("CLOSED", "15:00", { from: "RESOLVED", to: "CLOSED" }, 2),
  ];
  const histories = clockHistories(log, ["WAITING_ON_CITIZEN"], calendarFor);

  it("starts both clocks at receipt and switches calendar at the transfer", () => {
    for (const history of [histories.FIRST_RESPONSE, histories.RESOLUTION, histories.FILE_ANSWER]) {
      if (!history) throw new Error("no clock");
      expect(history.startedAt).toEqual(at("08:00"));
      expect(history.calendars).toEqual([
        { from: at("08:00"), calendar: jakarta },
        { from: at("09:00"), calendar: jayapura },
      ]);
    }
  });

  it("stops the first response clock at the first public reply", () => {
    expect(histories.FIRST_RESPONSE.stoppedAt).toEqual(at("10:00"));
    expect(histories.FIRST_RESPONSE.pauses).toEqual([{ from: at("10:30"), to: at("11:30") }]);
  });

  it("does not count the time a ticket spent resolved before it was reopened", () => {
    expect(histories.RESOLUTION.pauses).toEqual([
      { from: at("10:30"), to: at("11:30") },
      { from: at("12:00"), to: at("13:00") },
    ]);
    expect(histories.RESOLUTION.stoppedAt).toEqual(at("14:00"));
    expect(histories.RESOLUTION.extendedAt).toEqual(at("13:05"));
  });

  it.each([
    [
      "still waiting on the citizen",
      [event("CREATED", "08:00"), event("WAITING_ON_CITIZEN", "09:00", { to: "WAITING_ON_CITIZEN" })],
      [{ from: at("09:00"), to: null }],
      null,
      false,
    ],
    [
      "reopened and still open",
      [
        event("CREATED", "08:00"),
        event("RESOLVED", "09:00", { to: "RESOLVED" }),
        event("REOPENED", "10:00", { to: "IN_PROGRESS" }),
      ],
      [{ from: at("09:00"), to: at("10:00") }],
      null,
      false,
    ],
    ["resolved", [event("CREATED", "08:00"), event("RESOLVED", "09:00", { to: "RESOLVED" })], [], at("09:00"), false],
    ["rejected", [event("CREATED", "08:00"), event("REJECTED", "08:30", { to: "REJECTED" })], [], at("08:30"), true],
  ] as const)("resolution clock when %s", (_label, events, pauses, stoppedAt, byRejection) => {
    const history = clockHistories(
      events as unknown as TimelineEvent[],
      ["WAITING_ON_CITIZEN"],
      calendarFor,
    ).RESOLUTION;
    expect(history.pauses).toEqual(pauses);
    expect(history.stoppedAt).toEqual(stoppedAt);
    expect(history.stoppedByRejection ?? false).toBe(byRejection);
  });

  it("refuses a ticket without events", () => {
    expect(() => clockHistories([], ["WAITING_ON_CITIZEN"], calendarFor)).toThrow();
  });
});
