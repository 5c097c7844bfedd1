import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BusinessCalendar } from "./calendar.js";
import { CalendarError } from "./calendar.js";
import {
  addBusinessMinutes,
  addCalendarDays,
  addWorkingDays,
  businessMinutesBetween,
  isBusinessInstant,
  localDateOf,
  nextBusinessInstant,
} from "./clock-math.js";
import {
  at,
  calendarArbitrary,
  instantArbitrary,
  JAKARTA,
  JAKARTA_LUNCH,
  JAYAPURA,
  MAKASSAR,
  PONTIANAK,
  shiftDate,
  WIB,
  WIT,
  WITA,
  wallClock,
  workingDate,
} from "./clock-test-support.js";

const iso = (ms: number) => new Date(ms).toISOString();

describe("addBusinessMinutes", () => {
  // Each row: what happens, calendar, start, business minutes, expected instant.
  const rows: [string, BusinessCalendar, string, number, string][] = [
    ["Friday 15:00 WIB + 120 → Monday 09:00 WIB", JAKARTA, "2026-03-13T15:00+07:00", 120, "2026-03-16T09:00+07:00"],
    [
      "a whole day from the opening ends at that day's close, not at the next opening",
      JAKARTA,
      "2026-03-16T08:00+07:00",
      480,
      "2026-03-16T16:00+07:00",
    ],
    [
      "starting exactly at the close counts from the next opening",
      JAKARTA,
      "2026-03-16T16:00+07:00",
      1,
      "2026-03-17T08:01+07:00",
    ],
    ["Tuesday 20:00 (night) + 30 → Wednesday 08:30", JAKARTA, "2026-03-10T20:00+07:00", 30, "2026-03-11T08:30+07:00"],
    ["Saturday 10:00 + 60 → Monday 09:00", JAKARTA, "2026-03-14T10:00+07:00", 60, "2026-03-16T09:00+07:00"],
    [
      "start on Nyepi (Thu 19 Mar 2026) + 60 → Wed 25 Mar 09:00, after Idulfitri 1447H and its cuti bersama",
      JAKARTA,
      "2026-03-19T10:00+07:00",
      60,
      "2026-03-25T09:00+07:00",
    ],
    [
      "Tue 17 Mar 2026 15:00 + 120: one hour left that day, then 18–24 Mar are all off",
      JAKARTA,
      "2026-03-17T15:00+07:00",
      120,
      "2026-03-25T09:00+07:00",
    ],
    [
      "Thu 27 Mar 2025 15:00 + 120: cuti Nyepi, Nyepi, weekend, Idulfitri 1446H, cuti 2–4 Apr, weekend, cuti 7 Apr",
      JAKARTA,
      "2025-03-27T15:00+07:00",
      120,
      "2025-04-08T09:00+07:00",
    ],
    [
      "year end: Wed 31 Dec 2025 15:00 + 120 → Fri 2 Jan 2026 09:00",
      JAKARTA,
      "2025-12-31T15:00+07:00",
      120,
      "2026-01-02T09:00+07:00",
    ],
    [
      "year end: Wed 23 Dec 2026 15:00 + 120 → Mon 28 Dec 09:00 (cuti 24, Christmas 25, weekend)",
      JAKARTA,
      "2026-12-23T15:00+07:00",
      120,
      "2026-12-28T09:00+07:00",
    ],
    ["lunch break: 11:30 + 60 → 13:30", JAKARTA_LUNCH, "2026-03-10T11:30+07:00", 60, "2026-03-10T13:30+07:00"],
    [
      "lunch break: start during lunch 12:15 + 30 → 13:30",
      JAKARTA_LUNCH,
      "2026-03-10T12:15+07:00",
      30,
      "2026-03-10T13:30+07:00",
    ],
    [
      "lunch break: 11:00 + 420 (a 7-hour working day) → next day 11:00",
      JAKARTA_LUNCH,
      "2026-03-10T11:00+07:00",
      420,
      "2026-03-11T11:00+07:00",
    ],
    [
      "Mon 22:30 WIB = Tue 00:30 WIT (15:30 UTC): in Jayapura + 60 → Tue 09:00 WIT",
      JAYAPURA,
      "2026-03-02T15:30Z",
      60,
      "2026-03-03T09:00+09:00",
    ],
    [
      "the same UTC instant in Jakarta + 60 → Tue 09:00 WIB",
      JAKARTA,
      "2026-03-02T15:30Z",
      60,
      "2026-03-03T09:00+07:00",
    ],
    [
      "Fri 23:30 WIT = 14:30 UTC Friday + 30 → Mon 08:30 WIT",
      JAYAPURA,
      "2026-03-13T23:30+09:00",
      30,
      "2026-03-16T08:30+09:00",
    ],
    [
      "00:30 UTC = 07:30 WIB, before opening: + 60 → 09:00 WIB",
      JAKARTA,
      "2026-03-03T00:30Z",
      60,
      "2026-03-03T09:00+07:00",
    ],
    ["00:30 UTC = 08:30 WITA, open: + 60 → 09:30 WITA", MAKASSAR, "2026-03-03T00:30Z", 60, "2026-03-03T09:30+08:00"],
    ["00:30 UTC = 09:30 WIT, open: + 60 → 10:30 WIT", JAYAPURA, "2026-03-03T00:30Z", 60, "2026-03-03T10:30+09:00"],
    [
      "Pontianak keeps WIB hours: Friday 15:00 + 120 → Monday 09:00",
      PONTIANAK,
      "2026-03-13T15:00+07:00",
      120,
      "2026-03-16T09:00+07:00",
    ],
    ["fractional: + 0.5 min → 30 s after opening", JAKARTA, "2026-03-16T08:00+07:00", 0.5, "2026-03-16T08:00:30+07:00"],
    ["fractional: + 1.25 min", JAKARTA, "2026-03-16T08:00+07:00", 1.25, "2026-03-16T08:01:15+07:00"],
    [
      "0 minutes returns the start unchanged, even on a Saturday",
      JAKARTA,
      "2026-03-14T10:00+07:00",
      0,
      "2026-03-14T10:00+07:00",
    ],
    [
      "60 working days of minutes from Mon 5 Jan 2026 08:00 → close of the 60th working day, Thu 9 Apr 2026",
      JAKARTA,
      "2026-01-05T08:00+07:00",
      60 * 480,
      "2026-04-09T16:00+07:00",
    ],
  ];
  it.each(rows)("%s", (_why, calendar, start, minutes, expected) => {
    expect(iso(addBusinessMinutes(calendar, at(start), minutes))).toBe(iso(at(expected)));
    expect(iso(addBusinessMinutes(calendar, new Date(at(start)), minutes))).toBe(iso(at(expected)));
  });

  it("rejects negative, NaN and infinite amounts and invalid instants", () => {
    expect(() => addBusinessMinutes(JAKARTA, at("2026-03-16T08:00+07:00"), -1)).toThrow(RangeError);
    expect(() => addBusinessMinutes(JAKARTA, at("2026-03-16T08:00+07:00"), Number.NaN)).toThrow(RangeError);
    expect(() => addBusinessMinutes(JAKARTA, at("2026-03-16T08:00+07:00"), Number.POSITIVE_INFINITY)).toThrow(
      RangeError,
    );
    expect(() => addBusinessMinutes(JAKARTA, new Date("nonsense"), 1)).toThrow(RangeError);
  });
});

describe("businessMinutesBetween", () => {
  // Each row: what is measured, calendar, from, to, business minutes in [from, to).
  const rows: [string, BusinessCalendar, string, string, number][] = [
    ["Friday 15:00 → Monday 09:00", JAKARTA, "2026-03-13T15:00+07:00", "2026-03-16T09:00+07:00", 120],
    ["backwards is 0", JAKARTA, "2026-03-16T09:00+07:00", "2026-03-13T15:00+07:00", 0],
    ["an empty interval is 0", JAKARTA, "2026-03-16T09:00+07:00", "2026-03-16T09:00+07:00", 0],
    ["a weekend is 0", JAKARTA, "2026-03-14T00:00+07:00", "2026-03-16T00:00+07:00", 0],
    [
      "Tue 17 → Wed 25 Mar 2026: only the two days around Nyepi and Idulfitri count",
      JAKARTA,
      "2026-03-17T08:00+07:00",
      "2026-03-25T16:00+07:00",
      960,
    ],
    ["lunch break: 11:00 → 14:00 is two hours", JAKARTA_LUNCH, "2026-03-10T11:00+07:00", "2026-03-10T14:00+07:00", 120],
    [
      "year end: 31 Dec 2025 15:00 → 2 Jan 2026 09:00",
      JAKARTA,
      "2025-12-31T15:00+07:00",
      "2026-01-02T09:00+07:00",
      120,
    ],
    ["00:00–10:00 UTC is 07:00–17:00 WIB: 8 h", JAKARTA, "2026-03-03T00:00Z", "2026-03-03T10:00Z", 480],
    ["… 08:00–18:00 WITA: 8 h", MAKASSAR, "2026-03-03T00:00Z", "2026-03-03T10:00Z", 480],
    ["… 09:00–19:00 WIT: 7 h", JAYAPURA, "2026-03-03T00:00Z", "2026-03-03T10:00Z", 420],
    ["fractional: 30 s", JAKARTA, "2026-03-16T08:00+07:00", "2026-03-16T08:00:30+07:00", 0.5],
    [
      "60 working days, Sun 4 Jan → Thu 9 Apr 2026 16:00",
      JAKARTA,
      "2026-01-04T00:00+07:00",
      "2026-04-09T16:00+07:00",
      28_800,
    ],
  ];
  it.each(rows)("%s", (_why, calendar, from, to, minutes) => {
    expect(businessMinutesBetween(calendar, at(from), at(to))).toBe(minutes);
    expect(businessMinutesBetween(calendar, new Date(at(from)), new Date(at(to)))).toBe(minutes);
  });
});

describe("addWorkingDays", () => {
  // Each row: what happens, calendar, receipt, working days, due instant.
  const rows: [string, BusinessCalendar, string, number, string][] = [
    [
      "received on Nyepi, Thu 19 Mar 2026 + 3 → Fri 27 Mar close (Idulfitri 1447H and cuti bersama until 24 Mar)",
      JAKARTA,
      "2026-03-19T10:00+07:00",
      3,
      "2026-03-27T16:00+07:00",
    ],
    [
      "received Tue 17 Mar 2026 + 1 → Wed 25 Mar close (18–24 Mar off)",
      JAKARTA,
      "2026-03-17T10:00+07:00",
      1,
      "2026-03-25T16:00+07:00",
    ],
    [
      "received Thu 27 Mar 2025 + 1 → Tue 8 Apr 2025 close (Nyepi and Idulfitri 1446H off)",
      JAKARTA,
      "2025-03-27T14:00+07:00",
      1,
      "2025-04-08T16:00+07:00",
    ],
    ["received Wed 24 Dec 2025 + 2 → Tue 30 Dec close", JAKARTA, "2025-12-24T09:00+07:00", 2, "2025-12-30T16:00+07:00"],
    [
      "received New Year's Eve 20:00 + 1 → Fri 2 Jan 2026 close",
      JAKARTA,
      "2025-12-31T20:00+07:00",
      1,
      "2026-01-02T16:00+07:00",
    ],
    ["received Wed 23 Dec 2026 + 1 → Mon 28 Dec close", JAKARTA, "2026-12-23T11:00+07:00", 1, "2026-12-28T16:00+07:00"],
    ["received Saturday + 1 → Monday close", JAKARTA, "2026-03-14T10:00+07:00", 1, "2026-03-16T16:00+07:00"],
    [
      "received Friday after hours: Friday is still day 0, + 1 → Monday close",
      JAKARTA,
      "2026-03-13T20:00+07:00",
      1,
      "2026-03-16T16:00+07:00",
    ],
    [
      "Mon 22:30 WIB = Tue 00:30 WIT: in Jayapura day 0 is Tuesday, + 1 → Wed close WIT",
      JAYAPURA,
      "2026-03-02T15:30Z",
      1,
      "2026-03-04T16:00+09:00",
    ],
    ["… in Jakarta day 0 is Monday, + 1 → Tue close WIB", JAKARTA, "2026-03-02T15:30Z", 1, "2026-03-03T16:00+07:00"],
    [
      "KIP 10 working days from Mon 5 Jan 2026 → Tue 20 Jan (Isra Mikraj 16 Jan off)",
      JAKARTA,
      "2026-01-05T09:00+07:00",
      10,
      "2026-01-20T16:00+07:00",
    ],
    ["KIP 10 + 7 working days → Thu 29 Jan", JAKARTA, "2026-01-05T09:00+07:00", 17, "2026-01-29T16:00+07:00"],
    [
      "with a lunch break the day still closes at 16:00",
      JAKARTA_LUNCH,
      "2026-03-10T09:00+07:00",
      1,
      "2026-03-11T16:00+07:00",
    ],
    [
      "60 working days from Sun 4 Jan 2026 → Thu 9 Apr 2026",
      JAKARTA,
      "2026-01-04T10:00+07:00",
      60,
      "2026-04-09T16:00+07:00",
    ],
    ["0 days, received in hours → that day's close", JAKARTA, "2026-03-16T10:00+07:00", 0, "2026-03-16T16:00+07:00"],
    [
      "0 days, received after the close → next working day's close",
      JAKARTA,
      "2026-03-16T17:00+07:00",
      0,
      "2026-03-17T16:00+07:00",
    ],
    ["0 days, received on Saturday → Monday's close", JAKARTA, "2026-03-14T10:00+07:00", 0, "2026-03-16T16:00+07:00"],
  ];
  it.each(rows)("%s", (_why, calendar, start, days, expected) => {
    expect(iso(addWorkingDays(calendar, at(start), days))).toBe(iso(at(expected)));
  });

  it("rejects fractional and negative days", () => {
    expect(() => addWorkingDays(JAKARTA, at("2026-03-16T10:00+07:00"), 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays(JAKARTA, at("2026-03-16T10:00+07:00"), -1)).toThrow(RangeError);
  });
});

describe("addCalendarDays", () => {
  // Each row: what happens, zone, receipt, days, due instant (the end of the local day).
  const rows: [string, string, string, number, string][] = [
    [
      "UU 25/2009: 14 days from Mon 2 Mar 2026 10:00 WIB → end of 16 Mar",
      WIB,
      "2026-03-02T10:00+07:00",
      14,
      "2026-03-17T00:00+07:00",
    ],
    ["the hour of receipt does not matter: 23:59", WIB, "2026-03-02T23:59+07:00", 14, "2026-03-17T00:00+07:00"],
    [
      "23:30 WIT on 31 Dec 2025 + 14 → end of 14 Jan 2026 WIT",
      WIT,
      "2025-12-31T23:30+09:00",
      14,
      "2026-01-15T00:00+09:00",
    ],
    [
      "00:30 WIT on 1 Jan 2026 (15:30 UTC on 31 Dec) is already the new year in Jayapura",
      WIT,
      "2025-12-31T15:30Z",
      14,
      "2026-01-16T00:00+09:00",
    ],
    ["… while in Jakarta it is still 31 Dec (22:30 WIB)", WIB, "2025-12-31T15:30Z", 14, "2026-01-15T00:00+07:00"],
    [
      "Perpres 76/2013: 60 days from 10 Nov 2025 WITA → end of 9 Jan 2026",
      WITA,
      "2025-11-10T10:00+08:00",
      60,
      "2026-01-10T00:00+08:00",
    ],
    ["0 days → end of the day of receipt", WIB, "2026-03-02T10:00+07:00", 0, "2026-03-03T00:00+07:00"],
  ];
  it.each(rows)("%s", (_why, zone, start, days, expected) => {
    expect(iso(addCalendarDays(zone, at(start), days))).toBe(iso(at(expected)));
  });

  it("rejects unknown zones", () => {
    expect(() => addCalendarDays("Asia/Atlantis", 0, 1)).toThrow(CalendarError);
  });
});

describe("helpers", () => {
  it("finds the next opening and the local date", () => {
    expect(iso(nextBusinessInstant(JAKARTA, at("2026-03-13T16:00+07:00")))).toBe(iso(at("2026-03-16T08:00+07:00")));
    expect(isBusinessInstant(JAKARTA, at("2026-03-16T15:59+07:00"))).toBe(true);
    expect(isBusinessInstant(JAKARTA, at("2026-03-16T16:00+07:00"))).toBe(false);
    expect(isBusinessInstant(JAKARTA_LUNCH, at("2026-03-16T12:30+07:00"))).toBe(false);
    expect(localDateOf(WIT, at("2025-12-31T15:30Z"))).toBe("2026-01-01");
    expect(localDateOf(WIB, at("2025-12-31T15:30Z"))).toBe("2025-12-31");
  });
});

/** Whether `instant` lies in business hours or exactly at a closing time, read through Intl. */
function inHoursOrAtClose(calendar: BusinessCalendar, instant: number): boolean {
  const { date, minute } = wallClock(calendar.timeZone, instant);
  const epsilon = 1e-6;
  const within = (day: string, m: number) =>
    workingDate(calendar, day) &&
    (calendar.week[new Date(`${day}T00:00Z`).getUTCDay()] ?? []).some(
      ([start, end]) => m >= start - epsilon && m <= end + epsilon,
    );
  // A close at 24:00 reads as 00:00 of the next date.
  return within(date, minute) || (minute < epsilon && within(shiftDate(date, -1), 1440));
}

const minutesArbitrary = fc.oneof(
  fc.integer({ min: 0, max: 60 * 480 }),
  fc.double({ min: 0, max: 60 * 480, noNaN: true, noDefaultInfinity: true }),
);

describe("properties", () => {
  it("measuring what was added gives back the same amount", () => {
    fc.assert(
      fc.property(calendarArbitrary, instantArbitrary, minutesArbitrary, (calendar, start, minutes) => {
        const due = addBusinessMinutes(calendar, start, minutes);
        expect(Math.abs(businessMinutesBetween(calendar, start, due) - minutes)).toBeLessThanOrEqual(1e-6);
      }),
      { numRuns: 400 },
    );
  });

  it("a due instant lies in business hours or exactly at a close", () => {
    fc.assert(
      fc.property(
        calendarArbitrary,
        instantArbitrary,
        minutesArbitrary.filter((m) => m > 0),
        (calendar, start, minutes) => {
          const due = addBusinessMinutes(calendar, start, minutes);
          expect(due).toBeGreaterThanOrEqual(start);
          expect(inHoursOrAtClose(calendar, due)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("is monotonic in the amount and in the start", () => {
    fc.assert(
      fc.property(
        calendarArbitrary,
        instantArbitrary,
        instantArbitrary,
        minutesArbitrary,
        minutesArbitrary,
        (calendar, s1, s2, m1, m2) => {
          const [early, late] = s1 <= s2 ? [s1, s2] : [s2, s1];
          const [small, large] = m1 <= m2 ? [m1, m2] : [m2, m1];
          expect(addBusinessMinutes(calendar, early, small)).toBeLessThanOrEqual(
            addBusinessMinutes(calendar, early, large),
          );
          expect(addBusinessMinutes(calendar, early, small)).toBeLessThanOrEqual(
            addBusinessMinutes(calendar, late, small),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("business time is additive over adjacent intervals", () => {
    fc.assert(
      fc.property(calendarArbitrary, instantArbitrary, instantArbitrary, instantArbitrary, (calendar, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p - q) as [number, number, number];
        const whole = businessMinutesBetween(calendar, a, c);
        const parts = businessMinutesBetween(calendar, a, b) + businessMinutesBetween(calendar, b, c);
        expect(Math.abs(whole - parts)).toBeLessThanOrEqual(1e-6);
      }),
      { numRuns: 300 },
    );
  });

  it("addWorkingDays lands on the close of the N-th working day after the date of receipt", () => {
    fc.assert(
      fc.property(calendarArbitrary, instantArbitrary, fc.integer({ min: 1, max: 60 }), (calendar, start, days) => {
        const due = addWorkingDays(calendar, start, days);
        const received = wallClock(calendar.timeZone, start).date;
        const local = wallClock(calendar.timeZone, due);
        const closeOf = (date: string) => {
          const hours = calendar.week[new Date(`${date}T00:00Z`).getUTCDay()] ?? [];
          return hours[hours.length - 1]?.[1];
        };
        // A close at 24:00 reads as 00:00 of the following date.
        const dueDate =
          local.minute === 0 && closeOf(shiftDate(local.date, -1)) === 1440 ? shiftDate(local.date, -1) : local.date;
        const minute = dueDate === local.date ? local.minute : 1440;
        expect(workingDate(calendar, dueDate)).toBe(true);
        expect(minute).toBe(closeOf(dueDate));
        let counted = 0;
        for (let date = shiftDate(received, 1); date <= dueDate; date = shiftDate(date, 1)) {
          if (workingDate(calendar, date)) counted++;
        }
        expect(counted).toBe(days);
      }),
      { numRuns: 300 },
    );
  });
});
