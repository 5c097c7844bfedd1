/**
 * Shared by the clock tests: the real holiday decrees, a few calendars, and a reading of local wall time that
 * goes through Intl directly, so that expectations do not reuse the arithmetic under test.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { type BusinessCalendar, createCalendar, DEFAULT_WEEK, type WeekInput, withLunchBreak } from "./calendar.js";

interface HolidayFile {
  holidays: { date: string; kind: "NATIONAL" | "CUTI_BERSAMA" }[];
}

/** National holidays and cuti bersama 2025–2026 (SKB 3 Menteri), as shipped in prisma/data/holidays.json. */
export const HOLIDAYS: readonly string[] = (
  JSON.parse(readFileSync(new URL("../../../../../prisma/data/holidays.json", import.meta.url), "utf8")) as HolidayFile
).holidays.map((holiday) => holiday.date);

export const WIB = "Asia/Jakarta";
export const WIB_PONTIANAK = "Asia/Pontianak";
export const WITA = "Asia/Makassar";
export const WIT = "Asia/Jayapura";

export const officeCalendar = (timeZone: string, week: WeekInput = DEFAULT_WEEK): BusinessCalendar =>
  createCalendar({ timeZone, week, holidays: HOLIDAYS });

export const JAKARTA = officeCalendar(WIB);
export const PONTIANAK = officeCalendar(WIB_PONTIANAK);
export const MAKASSAR = officeCalendar(WITA);
export const JAYAPURA = officeCalendar(WIT);
/** 08:00–12:00 and 13:00–16:00. */
export const JAKARTA_LUNCH = officeCalendar(WIB, withLunchBreak(DEFAULT_WEEK, "12:00", "13:00"));

/** Epoch ms of an ISO local time with its offset, e.g. at("2026-03-13T15:00+07:00"). */
export const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test instant ${iso}`);
  return ms;
};

const formats = new Map<string, Intl.DateTimeFormat>();

/** Local date and minute of the day (fractional) of an instant, read through Intl. */
export function wallClock(timeZone: string, instant: number): { date: string; minute: number } {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formats.set(timeZone, format);
  }
  const whole = Math.floor(instant / 1000) * 1000;
  const parts = Object.fromEntries(format.formatToParts(whole).map((part) => [part.type, part.value]));
  const seconds = Number(parts.second) + (instant - whole) / 1000;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minute: Number(parts.hour) * 60 + Number(parts.minute) + seconds / 60,
  };
}

/** "YYYY-MM-DD" `days` after a date. */
export function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function weekdayOfDate(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function workingDate(calendar: BusinessCalendar, date: string): boolean {
  return (calendar.week[weekdayOfDate(date)]?.length ?? 0) > 0 && !calendar.holidays.has(date);
}

export const YEARS_2025_2026 = { min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 11, 31, 23, 59) };

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

/** One day's hours: up to three intervals from sorted distinct boundaries, any minute, 24:00 possible. */
const dayHours = fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 6 }).map((bounds) => {
  const sorted = [...bounds].sort((a, b) => a - b);
  const hours: { start: string; end: string }[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) {
    hours.push({ start: hhmm(sorted[i] as number), end: hhmm(sorted[i + 1] as number) });
  }
  return hours;
});

const dateIn2025To2027 = fc
  .integer({ min: 0, max: 800 })
  .map((offset) => new Date(Date.UTC(2025, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10));

/** Random calendars: an Indonesian zone, a week with at least some hours, random and/or real holidays. */
export const calendarArbitrary: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    timeZone: fc.constantFrom(WIB, WIB_PONTIANAK, WITA, WIT),
    days: fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 3, arbitrary: dayHours }), {
      minLength: 7,
      maxLength: 7,
    }),
    randomHolidays: fc.uniqueArray(dateIn2025To2027, { maxLength: 40 }),
    realHolidays: fc.boolean(),
    office: fc.boolean(),
  })
  .filter(({ days, office }) => office || days.some((day) => day.length > 0))
  .map(({ timeZone, days, randomHolidays, realHolidays, office }) => {
    const [SUN, MON, TUE, WED, THU, FRI, SAT] = days as { start: string; end: string }[][];
    const week = office
      ? withLunchBreak(DEFAULT_WEEK, "12:00", "13:00")
      : {
          SUN: SUN ?? [],
          MON: MON ?? [],
          TUE: TUE ?? [],
          WED: WED ?? [],
          THU: THU ?? [],
          FRI: FRI ?? [],
          SAT: SAT ?? [],
        };
    return createCalendar({
      timeZone,
      week,
      holidays: [...randomHolidays, ...(realHolidays ? HOLIDAYS : [])],
    });
  });

/** Instants across 2025–2026: whole ms mostly, sometimes fractional ms. */
export const instantArbitrary: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.integer(YEARS_2025_2026) },
  {
    weight: 1,
    arbitrary: fc.double({ min: YEARS_2025_2026.min, max: YEARS_2025_2026.max, noNaN: true, noDefaultInfinity: true }),
  },
);
