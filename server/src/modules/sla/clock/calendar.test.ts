import { describe, expect, it } from "vitest";
import {
  type BusinessCalendar,
  CalendarError,
  type CalendarErrorCode,
  compileCalendar,
  createCalendar,
  DEFAULT_WEEK,
  type WeekInput,
  withLunchBreak,
  zoneOffsetMinutes,
} from "./calendar.js";
import { isWorkingDay } from "./clock-math.js";
import { HOLIDAYS, JAKARTA, WIB } from "./clock-test-support.js";

const EMPTY_WEEK: WeekInput = { SUN: [], MON: [], TUE: [], WED: [], THU: [], FRI: [], SAT: [] };

function calendarError(run: () => unknown): CalendarError {
  try {
    run();
  } catch (error) {
    if (error instanceof CalendarError) return error;
    throw error;
  }
  throw new Error("expected a CalendarError");
}

describe("createCalendar", () => {
  it("keeps the default government week: Mon–Fri 08:00–16:00, no weekend hours", () => {
    const calendar = createCalendar({ timeZone: WIB, week: DEFAULT_WEEK });
    expect(calendar.week).toEqual([[], [[480, 960]], [[480, 960]], [[480, 960]], [[480, 960]], [[480, 960]], []]);
    expect(calendar.holidays.size).toBe(0);
  });

  it("cuts a lunch break out of every day", () => {
    const calendar = createCalendar({ timeZone: WIB, week: withLunchBreak(DEFAULT_WEEK, "12:00", "13:00") });
    expect(calendar.week[1]).toEqual([
      [480, 720],
      [780, 960],
    ]);
    expect(calendar.week[0]).toEqual([]);
  });

  it("leaves a day untouched when the break lies outside its hours, and trims one that overlaps it", () => {
    const week = withLunchBreak(
      { ...EMPTY_WEEK, MON: [{ start: "07:00", end: "11:00" }], TUE: [{ start: "12:30", end: "17:00" }] },
      "12:00",
      "13:00",
    );
    expect(week.MON).toEqual([{ start: "07:00", end: "11:00" }]);
    expect(week.TUE).toEqual([{ start: "13:00", end: "17:00" }]);
  });

  it("sorts a day's hours and joins hours that touch", () => {
    const calendar = createCalendar({
      timeZone: WIB,
      week: {
        ...EMPTY_WEEK,
        FRI: [
          { start: "13:30", end: "16:30" },
          { start: "07:30", end: "11:30" },
        ],
        SAT: [
          { start: "08:00", end: "10:00" },
          { start: "10:00", end: "12:00" },
        ],
      },
    });
    expect(calendar.week[5]).toEqual([
      [450, 690],
      [810, 990],
    ]);
    expect(calendar.week[6]).toEqual([[480, 720]]);
  });

  it("accepts 24:00 as the end of a day that runs until midnight", () => {
    const calendar = createCalendar({
      timeZone: WIB,
      week: { ...EMPTY_WEEK, SUN: [{ start: "00:00", end: "24:00" }] },
    });
    expect(calendar.week[0]).toEqual([[0, 1440]]);
  });

  it("keeps the holidays as given (2025: 17 national + 11 cuti bersama, 2026: 17 + 8)", () => {
    expect(JAKARTA.holidays.size).toBe(53);
    expect(JAKARTA.holidays.has("2026-03-20")).toBe(true);
  });

  it("derives fixed zone offsets from Intl: WIB +7, WITA +8, WIT +9, Pontianak +7", () => {
    expect(zoneOffsetMinutes("Asia/Jakarta")).toBe(420);
    expect(zoneOffsetMinutes("Asia/Pontianak")).toBe(420);
    expect(zoneOffsetMinutes("Asia/Makassar")).toBe(480);
    expect(zoneOffsetMinutes("Asia/Jayapura")).toBe(540);
    expect(zoneOffsetMinutes("UTC")).toBe(0);
  });

  it("returns a frozen value", () => {
    expect(Object.isFrozen(JAKARTA)).toBe(true);
    expect(Object.isFrozen(JAKARTA.week)).toBe(true);
    expect(Object.isFrozen(JAKARTA.week[1])).toBe(true);
  });
});

describe("working days", () => {
  // Each row: date, working?, why.
  const rows: [string, boolean, string][] = [
    ["2026-03-17", true, "Tuesday before Nyepi"],
    ["2026-03-18", false, "cuti bersama Nyepi (Wednesday)"],
    ["2026-03-19", false, "Nyepi 1948 (Thursday)"],
    ["2026-03-20", false, "cuti bersama Idulfitri (Friday)"],
    ["2026-03-21", false, "Idulfitri and a Saturday"],
    ["2026-03-23", false, "cuti bersama Idulfitri (Monday)"],
    ["2026-03-24", false, "cuti bersama Idulfitri (Tuesday)"],
    ["2026-03-25", true, "first working day after Idulfitri 1447H"],
    ["2025-12-26", false, "cuti bersama Christmas 2025 (Friday)"],
    ["2025-12-29", true, "Monday between Christmas and New Year"],
    ["2026-01-01", false, "New Year's Day"],
    ["2026-01-02", true, "Friday after New Year"],
    ["2026-01-03", false, "Saturday"],
    ["2026-08-17", false, "Independence Day on a Monday"],
  ];
  it.each(rows)("%s working = %s (%s)", (date, working) => {
    expect(isWorkingDay(JAKARTA, date)).toBe(working);
  });
});

describe("validation", () => {
  // Each row: why, input, expected code, expected field.
  const rows: [string, () => unknown, CalendarErrorCode, string][] = [
    [
      "unknown time zone",
      () => createCalendar({ timeZone: "Asia/Atlantis", week: DEFAULT_WEEK }),
      "UNKNOWN_TIME_ZONE",
      "timeZone",
    ],
    ["empty time zone", () => createCalendar({ timeZone: "", week: DEFAULT_WEEK }), "UNKNOWN_TIME_ZONE", "timeZone"],
    [
      "a zone with daylight saving",
      () => createCalendar({ timeZone: "Europe/Amsterdam", week: DEFAULT_WEEK }),
      "UNSUPPORTED_TIME_ZONE",
      "timeZone",
    ],
    [
      "overlapping hours 08:00–12:00 and 11:00–16:00",
      () =>
        createCalendar({
          timeZone: WIB,
          week: {
            ...DEFAULT_WEEK,
            TUE: [
              { start: "08:00", end: "12:00" },
              { start: "11:00", end: "16:00" },
            ],
          },
        }),
      "OVERLAPPING_HOURS",
      "week.TUE",
    ],
    ["a week without any hours", () => createCalendar({ timeZone: WIB, week: EMPTY_WEEK }), "EMPTY_HOURS", "week"],
    [
      "end before start",
      () => createCalendar({ timeZone: WIB, week: { ...DEFAULT_WEEK, WED: [{ start: "16:00", end: "08:00" }] } }),
      "EMPTY_HOURS",
      "week.WED[0]",
    ],
    [
      "end equal to start",
      () => createCalendar({ timeZone: WIB, week: { ...DEFAULT_WEEK, WED: [{ start: "08:00", end: "08:00" }] } }),
      "EMPTY_HOURS",
      "week.WED[0]",
    ],
    [
      "hour without leading zero",
      () => createCalendar({ timeZone: WIB, week: { ...DEFAULT_WEEK, MON: [{ start: "8:00", end: "16:00" }] } }),
      "INVALID_TIME",
      "week.MON[0].start",
    ],
    [
      "25:00",
      () => createCalendar({ timeZone: WIB, week: { ...DEFAULT_WEEK, MON: [{ start: "08:00", end: "25:00" }] } }),
      "INVALID_TIME",
      "week.MON[0].end",
    ],
    [
      "24:30",
      () => createCalendar({ timeZone: WIB, week: { ...DEFAULT_WEEK, MON: [{ start: "08:00", end: "24:30" }] } }),
      "INVALID_TIME",
      "week.MON[0].end",
    ],
    [
      "08:60",
      () => createCalendar({ timeZone: WIB, week: { ...DEFAULT_WEEK, FRI: [{ start: "08:60", end: "16:00" }] } }),
      "INVALID_TIME",
      "week.FRI[0].start",
    ],
    [
      "30 February",
      () => createCalendar({ timeZone: WIB, week: DEFAULT_WEEK, holidays: ["2026-01-01", "2026-02-30"] }),
      "INVALID_HOLIDAY",
      "holidays[1]",
    ],
    [
      "a date without zero padding",
      () => createCalendar({ timeZone: WIB, week: DEFAULT_WEEK, holidays: ["2026-3-20"] }),
      "INVALID_HOLIDAY",
      "holidays[0]",
    ],
    [
      "29 February of a common year",
      () => createCalendar({ timeZone: WIB, week: DEFAULT_WEEK, holidays: ["2025-02-29"] }),
      "INVALID_HOLIDAY",
      "holidays[0]",
    ],
    [
      "a lunch break that ends before it starts",
      () => withLunchBreak(DEFAULT_WEEK, "13:00", "12:00"),
      "EMPTY_HOURS",
      "lunchBreak",
    ],
    [
      "a lunch break at 12.00",
      () => withLunchBreak(DEFAULT_WEEK, "12.00", "13:00"),
      "INVALID_TIME",
      "lunchBreak.start",
    ],
  ];
  it.each(rows)("rejects %s", (_why, run, code, field) => {
    const error = calendarError(run);
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
    expect(error.message).toBeTruthy();
  });

  it("accepts 29 February of a leap year", () => {
    expect(() => createCalendar({ timeZone: WIB, week: DEFAULT_WEEK, holidays: ["2028-02-29"] })).not.toThrow();
  });

  it("also checks a calendar built by hand before computing with it", () => {
    const handMade = (week: BusinessCalendar["week"], holidays: string[] = []): BusinessCalendar => ({
      timeZone: WIB,
      week,
      holidays: new Set(holidays),
    });
    const none: [number, number][] = [];
    expect(calendarError(() => compileCalendar(handMade([none, none, none, none, none, none, none]))).code).toBe(
      "EMPTY_HOURS",
    );
    expect(
      calendarError(() =>
        compileCalendar(
          handMade([
            none,
            [
              [600, 700],
              [480, 960],
            ],
            none,
            none,
            none,
            none,
            none,
          ]),
        ),
      ).code,
    ).toBe("OVERLAPPING_HOURS");
    expect(
      calendarError(() => compileCalendar(handMade([none, [[480, 960]], none, none, none, none, none], ["2026-13-01"])))
        .code,
    ).toBe("INVALID_HOLIDAY");
    expect(calendarError(() => compileCalendar({ ...handMade([none]), timeZone: "Asia/Atlantis" })).code).toBe(
      "UNKNOWN_TIME_ZONE",
    );
  });

  it("keeps the holiday list complete enough for the tests: 53 dates 2025–2026", () => {
    expect(HOLIDAYS.length).toBe(53);
  });
});
