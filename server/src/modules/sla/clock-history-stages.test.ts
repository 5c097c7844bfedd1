import { describe, expect, it } from "vitest";
import type { BusinessCalendar } from "./clock/calendar.js";
import { clockHistories, type TimelineEvent } from "./clock-history.js";

const calendar = (timeZone: string): BusinessCalendar => ({ timeZone, week: [], holidays: new Set() });
const jakarta = calendar("Asia/Jakarta");
const jayapura = calendar("Asia/Jayapura");
const calendarFor = (unitId: number) => (unitId === 2 ? jayapura : jakarta);
const at = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00+07:00`);
const event = (type: TimelineEvent["type"], time: string, from?: string, to?: string, unitId = 1): TimelineEvent => ({
  type,
  at: at(time),
  unitId,
  data: from || to ? { from, to } : null,
});
const histories = (log: TimelineEvent[]) => clockHistories(log, ["WAITING_ON_CITIZEN"], calendarFor);

const CREATED = event("CREATED", "08:00");
const ASSIGNED = event("ASSIGNED", "08:30", "NEW", "ASSIGNED");
const INCOMPLETE = event("FILE_INCOMPLETE", "09:00", "ASSIGNED", "WAITING_ON_CITIZEN");
const COMPLETE = event("FILE_COMPLETE", "11:00", "WAITING_ON_CITIZEN", "IN_PROGRESS");

describe("the stage clocks of a complaint from its event log", () => {
  it.each([
    {
      name: "before any answer on the file",
      log: [CREATED, ASSIGNED],
      answer: { startedAt: "08:00", stoppedAt: null },
      lapse: null,
      examination: null,
    },
    {
      name: "answered incomplete: the citizen's time runs, unpaused",
      log: [CREATED, ASSIGNED, INCOMPLETE],
      answer: { startedAt: "08:00", stoppedAt: "09:00" },
      lapse: { startedAt: "09:00", stoppedAt: null, pauses: 0 },
      examination: null,
    },
    {
      name: "completed by the citizen: the examination starts",
      log: [CREATED, ASSIGNED, INCOMPLETE, COMPLETE],
      answer: { startedAt: "08:00", stoppedAt: "09:00" },
      lapse: { startedAt: "09:00", stoppedAt: "11:00", pauses: 0 },
      examination: { startedAt: "11:00", stoppedAt: null },
    },
    {
      name: "declared complete at once: no lapse clock",
      log: [CREATED, ASSIGNED, event("FILE_COMPLETE", "10:00", "ASSIGNED", "IN_PROGRESS")],
      answer: { startedAt: "08:00", stoppedAt: "10:00" },
      lapse: null,
      examination: { startedAt: "10:00", stoppedAt: null },
    },
    {
      name: "resolved without a declaration: the resolution answers the file",
      log: [CREATED, ASSIGNED, event("RESOLVED", "12:00", "ASSIGNED", "RESOLVED")],
      answer: { startedAt: "08:00", stoppedAt: "12:00" },
      lapse: null,
      examination: null,
    },
    {
      name: "examined and resolved",
      log: [CREATED, ASSIGNED, INCOMPLETE, COMPLETE, event("RESOLVED", "15:00", "IN_PROGRESS", "RESOLVED")],
      answer: { startedAt: "08:00", stoppedAt: "09:00" },
      lapse: { startedAt: "09:00", stoppedAt: "11:00", pauses: 0 },
      examination: { startedAt: "11:00", stoppedAt: "15:00" },
    },
  ])("$name", ({ log, answer, lapse, examination }) => {
    const h = histories(log);
    expect(h.FILE_ANSWER).toMatchObject({
      startedAt: at(answer.startedAt),
      stoppedAt: answer.stoppedAt ? at(answer.stoppedAt) : null,
      pauses: [],
    });
    if (lapse === null) expect(h.FILE_LAPSE).toBeNull();
    else {
      expect(h.FILE_LAPSE).toMatchObject({
        startedAt: at(lapse.startedAt),
        stoppedAt: lapse.stoppedAt ? at(lapse.stoppedAt) : null,
      });
      expect(h.FILE_LAPSE?.pauses).toHaveLength(lapse.pauses);
      expect(h.FILE_LAPSE?.stoppedByRejection).toBeUndefined();
    }
    if (examination === null) expect(h.EXAMINATION).toBeNull();
    else {
      expect(h.EXAMINATION).toMatchObject({
        startedAt: at(examination.startedAt),
        stoppedAt: examination.stoppedAt ? at(examination.stoppedAt) : null,
      });
    }
  });

  it("stops the resolution and the lapse clock as outcomes of their own when the complaint lapses", () => {
    const h = histories([
      CREATED,
      ASSIGNED,
      INCOMPLETE,
      event("COMPLAINT_LAPSED", "16:00", "WAITING_ON_CITIZEN", "CLOSED"),
    ]);
    expect(h.RESOLUTION).toMatchObject({ stoppedAt: at("16:00"), stoppedByRejection: true });
    expect(h.FILE_LAPSE).toMatchObject({ stoppedAt: at("16:00"), stoppedByRejection: true });
    expect(h.EXAMINATION).toBeNull();
    // The resolution clock was paused while the ticket waited on the citizen.
    expect(h.RESOLUTION.pauses[0]).toEqual({ from: at("09:00"), to: at("16:00") });
  });

  it("counts the stage in the calendar governing when it started, after a transfer", () => {
    const h = histories([CREATED, event("TRANSFERRED", "08:20", "NEW", "NEW", 2), ASSIGNED, INCOMPLETE]);
    expect(h.FILE_LAPSE?.calendars).toEqual([{ from: at("09:00"), calendar: jayapura }]);
    expect(h.FILE_ANSWER?.calendars).toEqual([
      { from: at("08:00"), calendar: jakarta },
      { from: at("08:20"), calendar: jayapura },
    ]);
  });

  it("counts a first response at the answer on the file", () => {
    expect(histories([CREATED, ASSIGNED, INCOMPLETE]).FIRST_RESPONSE.stoppedAt).toEqual(at("09:00"));
  });
});
