/**
 * Local-time arithmetic for the history simulation. Indonesian zones have no daylight saving, so a
 * unit's local time is its UTC instant shifted by one fixed offset.
 */
import { zoneOffsetMinutes } from "../sla/clock/calendar.js";

const MINUTE = 60_000;
const DAY = 86_400_000;
// Government office hours (07:30–16:00 local); agents act only within them.
export const OFFICE_OPENS_MINUTE = 7 * 60 + 30;
export const OFFICE_CLOSES_MINUTE = 16 * 60;
const WORKING_MINUTES_PER_DAY = OFFICE_CLOSES_MINUTE - OFFICE_OPENS_MINUTE;

/** Minutes east of UTC for an IANA zone without daylight saving. */
export const offsetMinutes = zoneOffsetMinutes;

/** A calendar: the zone offset and the non-working days (see `dayNumber`) besides weekends. */
export interface LocalCalendar {
  offset: number;
  holidays: ReadonlySet<number>;
}

/** Days since 1970-01-01 of the local date of an instant. */
export function dayNumber(ms: number, offset: number): number {
  return Math.floor((ms + offset * MINUTE) / DAY);
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export function dayNumberOf(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY);
}

export function localDate(ms: number, offset: number): string {
  return new Date(ms + offset * MINUTE).toISOString().slice(0, 10);
}

/** Day of week (0 = Sunday) of a day number; 1970-01-01 was a Thursday. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function localHour(ms: number, offset: number): number {
  return new Date(ms + offset * MINUTE).getUTCHours();
}

/** The UTC instant of local midnight of a day number. */
export function localMidnight(day: number, offset: number): number {
  return day * DAY - offset * MINUTE;
}

export function isWorkingDay(day: number, calendar: LocalCalendar): boolean {
  const weekday = weekdayOf(day);
  return weekday !== 0 && weekday !== 6 && !calendar.holidays.has(day);
}

/** The instant itself if it falls in office hours, else the next opening. */
export function nextWorkingInstant(ms: number, calendar: LocalCalendar): number {
  let day = dayNumber(ms, calendar.offset);
  let at = ms;
  for (let guard = 0; guard < 60; guard++, day++) {
    const midnight = localMidnight(day, calendar.offset);
    if (isWorkingDay(day, calendar) && at < midnight + OFFICE_CLOSES_MINUTE * MINUTE) {
      return Math.max(at, midnight + OFFICE_OPENS_MINUTE * MINUTE);
    }
    at = midnight + DAY;
  }
  throw new Error("No working day within 60 days");
}

/** Adds minutes of office time, skipping nights, weekends and holidays. */
export function addWorkingMinutes(ms: number, minutes: number, calendar: LocalCalendar): number {
  let at = nextWorkingInstant(ms, calendar);
  let remaining = Math.max(0, minutes);
  for (let guard = 0; guard < 400; guard++) {
    const closes = localMidnight(dayNumber(at, calendar.offset), calendar.offset) + OFFICE_CLOSES_MINUTE * MINUTE;
    const available = (closes - at) / MINUTE;
    if (remaining <= available) return at + Math.round(remaining * MINUTE);
    remaining -= available;
    at = nextWorkingInstant(closes, calendar);
  }
  throw new Error("Working-time addition did not converge");
}

export function addWorkingDays(ms: number, days: number, calendar: LocalCalendar): number {
  return addWorkingMinutes(ms, days * WORKING_MINUTES_PER_DAY, calendar);
}
