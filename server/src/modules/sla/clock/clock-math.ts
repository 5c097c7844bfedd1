/**
 * Arithmetic on business time. Pure: "now" is never read here.
 *
 * Conventions:
 * - An instant argument is a Date or epoch milliseconds; every instant returned is epoch milliseconds (a
 *   number, fractional allowed, so that fractional business minutes add and measure back exactly; a Date
 *   would truncate to whole ms). Durations in the public functions are minutes, fractional allowed.
 * - Business hours are half-open [open, close) in local time. A result of adding business time is the
 *   earliest instant at which that much business time has elapsed, so it may be a closing time (adding a
 *   whole working day from the opening lands on that day's close, not on the next opening).
 * - A local date is the date on the wall clock of the calendar's zone; the zone's fixed offset is applied
 *   once, so days are plain 24 h blocks and can be skipped whole.
 */
import {
  type BusinessCalendar,
  type CompiledCalendar,
  compileCalendar,
  DAY_MS,
  dateOfDayNumber,
  dayNumberOf,
  MINUTE_MS,
  zoneOffsetMinutes,
} from "./calendar.js";

function weekdayOf(day: number): number {
  // 1970-01-01 was a Thursday.
  return (((day + 4) % 7) + 7) % 7;
}

function localDay(c: CompiledCalendar, instant: number): number {
  return Math.floor((instant + c.offsetMs) / DAY_MS);
}

function midnightOf(c: CompiledCalendar, day: number): number {
  return day * DAY_MS - c.offsetMs;
}

function isWorkingDayNumber(c: CompiledCalendar, day: number): boolean {
  return (c.totals[weekdayOf(day)] as number) > 0 && !c.holidays.has(day);
}

/** A Date or epoch milliseconds. */
export type Instant = Date | number;

function toMs(value: Instant, name: string): number {
  const ms = typeof value === "number" ? value : value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${name} must be a valid Date or epoch milliseconds`);
  return ms;
}

function checkAmount(value: number, name: string): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${String(value)}`);
  }
}

function checkDays(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number of days >= 0, got ${String(value)}`);
  }
}

/** The instant at which `amount` ms of business time have elapsed from `start` (0 → `start` itself). */
export function addBusinessMs(calendar: BusinessCalendar, startAt: Instant, amount: number): number {
  const start = toMs(startAt, "start");
  checkAmount(amount, "amount");
  if (amount === 0) return start;
  const c = compileCalendar(calendar);
  let remaining = amount;
  for (let day = localDay(c, start); ; day++) {
    const weekday = weekdayOf(day);
    const total = c.totals[weekday] as number;
    if (total === 0 || c.holidays.has(day)) continue;
    const midnight = midnightOf(c, day);
    // A whole working day that does not finish the amount is skipped without looking at its intervals.
    if (midnight >= start && remaining > total) {
      remaining -= total;
      continue;
    }
    const starts = c.starts[weekday] as readonly number[];
    const ends = c.ends[weekday] as readonly number[];
    for (let i = 0; i < ends.length; i++) {
      const close = midnight + (ends[i] as number);
      if (close <= start) continue;
      const from = Math.max(start, midnight + (starts[i] as number));
      const available = close - from;
      if (remaining <= available) return from + remaining;
      remaining -= available;
    }
  }
}

/** Business ms in [from, to); 0 when `to` <= `from`. */
export function businessMsBetween(calendar: BusinessCalendar, fromAt: Instant, toAt: Instant): number {
  const from = toMs(fromAt, "from");
  const to = toMs(toAt, "to");
  if (!(to > from)) return 0;
  const c = compileCalendar(calendar);
  const lastDay = localDay(c, to);
  let sum = 0;
  for (let day = localDay(c, from); day <= lastDay; day++) {
    const weekday = weekdayOf(day);
    const total = c.totals[weekday] as number;
    if (total === 0 || c.holidays.has(day)) continue;
    const midnight = midnightOf(c, day);
    if (midnight >= from && midnight + DAY_MS <= to) {
      sum += total;
      continue;
    }
    const starts = c.starts[weekday] as readonly number[];
    const ends = c.ends[weekday] as readonly number[];
    for (let i = 0; i < ends.length; i++) {
      const lo = Math.max(from, midnight + (starts[i] as number));
      const hi = Math.min(to, midnight + (ends[i] as number));
      if (hi > lo) sum += hi - lo;
    }
  }
  return sum;
}

/**
 * The instant at which `minutes` of business time have elapsed from `start`. Outside business hours the
 * counting begins at the next opening. `minutes` = 0 returns `start` unchanged, even outside hours: nothing
 * has to elapse, so nothing moves.
 */
export function addBusinessMinutes(calendar: BusinessCalendar, start: Instant, minutes: number): number {
  checkAmount(minutes, "minutes");
  return addBusinessMs(calendar, start, minutes * MINUTE_MS);
}

/** Business minutes in [from, to); 0 when `to` <= `from`. */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Instant, to: Instant): number {
  return businessMsBetween(calendar, from, to) / MINUTE_MS;
}

function closeOf(c: CompiledCalendar, day: number): number {
  return midnightOf(c, day) + (c.closes[weekdayOf(day)] as number);
}

/**
 * Due instant of an "N working days" rule. The local date of receipt is day 0, whatever the hour or whether
 * it is itself a working day (received Friday 20:00 or Saturday: Monday is working day 1). The due instant is
 * the close of business of the N-th working day after that date.
 *
 * `days` = 0 means "by close of business the day counting starts": the receipt date's close if it is a
 * working day and `start` is before that close, otherwise the close of the next working day.
 */
export function addWorkingDays(calendar: BusinessCalendar, startAt: Instant, days: number): number {
  const start = toMs(startAt, "start");
  checkDays(days, "days");
  const c = compileCalendar(calendar);
  let day = localDay(c, start);
  if (days === 0) {
    if (isWorkingDayNumber(c, day) && start < closeOf(c, day)) return closeOf(c, day);
    days = 1;
  }
  for (let counted = 0; counted < days; ) {
    day++;
    if (isWorkingDayNumber(c, day)) counted++;
  }
  return closeOf(c, day);
}

/**
 * Due instant of an "N days" rule (UU 25/2009 "14 days", Perpres 76/2013 "60 days"): the end of the local
 * date N days after the date of receipt, i.e. the following local midnight, exclusive. Received 2 March at
 * any hour + 14 days → due at 17 March 00:00 local: the whole of 16 March is still in time.
 */
export function addCalendarDays(timeZone: string, startAt: Instant, days: number): number {
  const start = toMs(startAt, "start");
  checkDays(days, "days");
  const offsetMs = zoneOffsetMinutes(timeZone) * MINUTE_MS;
  const day = Math.floor((start + offsetMs) / DAY_MS) + days;
  return (day + 1) * DAY_MS - offsetMs;
}

/** `instant` itself when it lies in business hours, else the next opening. */
export function nextBusinessInstant(calendar: BusinessCalendar, at: Instant): number {
  const instant = toMs(at, "instant");
  const c = compileCalendar(calendar);
  for (let day = localDay(c, instant); ; day++) {
    if (!isWorkingDayNumber(c, day)) continue;
    const weekday = weekdayOf(day);
    const midnight = midnightOf(c, day);
    const starts = c.starts[weekday] as readonly number[];
    const ends = c.ends[weekday] as readonly number[];
    for (let i = 0; i < ends.length; i++) {
      if (midnight + (ends[i] as number) > instant) return Math.max(instant, midnight + (starts[i] as number));
    }
  }
}

/** Whether `instant` lies in [open, close) of some business interval. */
export function isBusinessInstant(calendar: BusinessCalendar, at: Instant): boolean {
  const instant = toMs(at, "instant");
  return nextBusinessInstant(calendar, instant) === instant;
}

/** Whether a local date "YYYY-MM-DD" is a working day: its weekday has hours and it is not a holiday. */
export function isWorkingDay(calendar: BusinessCalendar, date: string): boolean {
  const day = dayNumberOf(date);
  if (day === null) throw new RangeError(`"${date}" is not a date YYYY-MM-DD`);
  return isWorkingDayNumber(compileCalendar(calendar), day);
}

/** The local date "YYYY-MM-DD" of an instant in a zone. */
export function localDateOf(timeZone: string, at: Instant): string {
  const instant = toMs(at, "instant");
  const offsetMs = zoneOffsetMinutes(timeZone) * MINUTE_MS;
  return dateOfDayNumber(Math.floor((instant + offsetMs) / DAY_MS));
}

/**
 * Business ms in the `days` working days that follow the working date on which `deadline` falls, whole days
 * only. This is how an extension of a working-day deadline becomes business time: the deadline moves by
 * that many full working days, whatever the hour at which it stood. A deadline at a midnight close (hours
 * until 24:00) belongs to the day that just ended.
 */
export function businessMsOfWorkingDaysAfter(calendar: BusinessCalendar, deadlineAt: Instant, days: number): number {
  const deadline = toMs(deadlineAt, "deadline");
  checkDays(days, "days");
  const c = compileCalendar(calendar);
  let day = localDay(c, deadline);
  if (midnightOf(c, day) === deadline) day--;
  let sum = 0;
  for (let counted = 0; counted < days; ) {
    day++;
    if (isWorkingDayNumber(c, day)) {
      counted++;
      sum += c.totals[weekdayOf(day)] as number;
    }
  }
  return sum;
}
