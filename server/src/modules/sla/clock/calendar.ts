/**
 * Business calendars: a unit's office hours per weekday, in its own time zone, and its non-working dates.
 *
 * Only zones with one fixed UTC offset are supported (all Indonesian zones since 1988: WIB, WITA, WIT have
 * no daylight saving). The offset is read from Intl once per zone rather than written down here, so a
 * zone's definition stays with the platform's time-zone database.
 *
 * Calendars are treated as immutable values: the arithmetic keeps a compiled form of each calendar object
 * (a WeakMap entry), so mutating a calendar after first use would not be seen.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
const MINUTES_PER_DAY = 1440;

export type WeekdayKey = "SUN" | "MON" | "TUE" | "WED" | "THU" | "FRI" | "SAT";
/** Index = JavaScript weekday number (0 = Sunday), the same indexing as `BusinessCalendar.week`. */
export const WEEKDAY_KEYS: readonly WeekdayKey[] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** Local office hours "HH:MM"–"HH:MM"; the end is exclusive and may be "24:00". */
export interface OfficeHoursInput {
  start: string;
  end: string;
}

export type WeekInput = Readonly<Record<WeekdayKey, readonly OfficeHoursInput[]>>;

export interface CalendarInput {
  /** IANA zone of the unit, e.g. "Asia/Jakarta" (WIB), "Asia/Makassar" (WITA), "Asia/Jayapura" (WIT). */
  timeZone: string;
  week: WeekInput;
  /** Local dates "YYYY-MM-DD" that are not working days (national holidays, cuti bersama, local closures). */
  holidays?: Iterable<string>;
}

export interface BusinessCalendar {
  readonly timeZone: string;
  /** Index 0 = Sunday … 6 = Saturday; sorted, non-overlapping [startMinute, endMinute) of local time. */
  readonly week: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  /** Local dates "YYYY-MM-DD" that are not working days. */
  readonly holidays: ReadonlySet<string>;
}

export type CalendarErrorCode =
  | "UNKNOWN_TIME_ZONE"
  /** A zone whose offset changes during the year (daylight saving); the arithmetic assumes one offset. */
  | "UNSUPPORTED_TIME_ZONE"
  | "OVERLAPPING_HOURS"
  | "EMPTY_HOURS"
  | "INVALID_TIME"
  | "INVALID_HOLIDAY";

export class CalendarError extends Error {
  readonly code: CalendarErrorCode;
  /** Path of the offending input, e.g. "timeZone", "week.MON[1]", "holidays[3]". */
  readonly field: string;

  constructor(code: CalendarErrorCode, field: string, message: string) {
    super(message);
    this.name = "CalendarError";
    this.code = code;
    this.field = field;
  }
}

/** Mon–Fri 08:00–16:00: the default working hours of Indonesian government offices. */
export const DEFAULT_WEEK: WeekInput = Object.freeze({
  SUN: [],
  MON: [{ start: "08:00", end: "16:00" }],
  TUE: [{ start: "08:00", end: "16:00" }],
  WED: [{ start: "08:00", end: "16:00" }],
  THU: [{ start: "08:00", end: "16:00" }],
  FRI: [{ start: "08:00", end: "16:00" }],
  SAT: [],
});

const TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

/** Minutes since local midnight of "HH:MM" (00:00–24:00). */
export function parseTime(value: string, field: string): number {
  const match = typeof value === "string" ? TIME.exec(value) : null;
  if (!match) throw new CalendarError("INVALID_TIME", field, `${field}: "${String(value)}" is not a time HH:MM`);
  return match[3] ? MINUTES_PER_DAY : Number(match[1]) * 60 + Number(match[2]);
}

function formatTime(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a real calendar date "YYYY-MM-DD"; null for anything else (2026-02-30, 2026-2-3). */
export function dayNumberOf(date: string): number | null {
  const match = typeof date === "string" ? DATE.exec(date) : null;
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 30 February over into March; a real date survives the round trip.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return ms / DAY_MS;
}

/** "YYYY-MM-DD" of a day number. */
export function dateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

const offsetCache = new Map<string, number>();

function offsetAt(format: Intl.DateTimeFormat, instant: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of format.formatToParts(instant)) {
    if (part.type === "year") year = Number(part.value);
    else if (part.type === "month") month = Number(part.value);
    else if (part.type === "day") day = Number(part.value);
    else if (part.type === "hour") hour = Number(part.value);
    else if (part.type === "minute") minute = Number(part.value);
  }
  return Math.round((Date.UTC(year, month - 1, day, hour, minute) - instant) / MINUTE_MS);
}

/**
 * Minutes east of UTC of a fixed-offset IANA zone (Asia/Jakarta → 420). Throws CalendarError for an unknown
 * zone, or for a zone with daylight saving (its offset differs between January and July).
 */
export function zoneOffsetMinutes(timeZone: string): number {
  const known = offsetCache.get(timeZone);
  if (known !== undefined) return known;
  // Intl would fall back to the host's zone for a missing name, which must not pass as valid.
  if (typeof timeZone !== "string" || timeZone === "") {
    throw new CalendarError("UNKNOWN_TIME_ZONE", "timeZone", `unknown time zone "${String(timeZone)}"`);
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
  } catch {
    throw new CalendarError("UNKNOWN_TIME_ZONE", "timeZone", `unknown time zone "${String(timeZone)}"`);
  }
  const january = offsetAt(format, Date.UTC(2025, 0, 15));
  const july = offsetAt(format, Date.UTC(2025, 6, 15));
  if (january !== july) {
    throw new CalendarError(
      "UNSUPPORTED_TIME_ZONE",
      "timeZone",
      `time zone "${timeZone}" has daylight saving time; only fixed-offset zones are supported`,
    );
  }
  offsetCache.set(timeZone, january);
  return january;
}

type Interval = readonly [number, number];

/** Sorts, rejects overlaps, and joins touching intervals so that every interval end is a real closing time. */
function normaliseDay(intervals: Interval[], field: string): Interval[] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const joined: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = joined[joined.length - 1];
    if (last && start < last[1]) {
      throw new CalendarError(
        "OVERLAPPING_HOURS",
        field,
        `${field}: ${formatTime(start)}–${formatTime(end)} overlaps ${formatTime(last[0])}–${formatTime(last[1])}`,
      );
    }
    if (last && start === last[1]) last[1] = end;
    else joined.push([start, end]);
  }
  return joined;
}

function checkInterval(start: number, end: number, field: string): void {
  if (!(Number.isFinite(start) && Number.isFinite(end) && start >= 0 && end <= MINUTES_PER_DAY)) {
    throw new CalendarError("INVALID_TIME", field, `${field}: hours must lie within 00:00–24:00`);
  }
  if (end <= start) {
    throw new CalendarError("EMPTY_HOURS", field, `${field}: ${formatTime(end)} is not after ${formatTime(start)}`);
  }
}

function parseHolidays(holidays: Iterable<string>): Set<string> {
  const result = new Set<string>();
  let index = 0;
  for (const date of holidays) {
    if (dayNumberOf(date) === null) {
      throw new CalendarError(
        "INVALID_HOLIDAY",
        `holidays[${index}]`,
        `holidays[${index}]: "${String(date)}" is not a date YYYY-MM-DD`,
      );
    }
    result.add(date);
    index++;
  }
  return result;
}

/** Validates and normalises a calendar definition (hours sorted, touching intervals joined). */
export function createCalendar(input: CalendarInput): BusinessCalendar {
  zoneOffsetMinutes(input.timeZone);
  const week: Interval[][] = WEEKDAY_KEYS.map((key) => {
    const hours = input.week[key] ?? [];
    const intervals = hours.map((hoursOfDay, index): Interval => {
      const field = `week.${key}[${index}]`;
      const start = parseTime(hoursOfDay.start, `${field}.start`);
      const end = parseTime(hoursOfDay.end, `${field}.end`);
      checkInterval(start, end, field);
      return [start, end];
    });
    return normaliseDay(intervals, `week.${key}`);
  });
  if (week.every((day) => day.length === 0)) {
    throw new CalendarError("EMPTY_HOURS", "week", "the week has no working hours");
  }
  const calendar: BusinessCalendar = {
    timeZone: input.timeZone,
    week: Object.freeze(week.map((day) => Object.freeze(day.map((interval) => Object.freeze(interval))))),
    holidays: parseHolidays(input.holidays ?? []),
  };
  return Object.freeze(calendar);
}

/** The same week with a break (e.g. "12:00"–"13:00" for lunch) cut out of every day's hours. */
export function withLunchBreak(week: WeekInput, start: string, end: string): WeekInput {
  const from = parseTime(start, "lunchBreak.start");
  const to = parseTime(end, "lunchBreak.end");
  if (to <= from) throw new CalendarError("EMPTY_HOURS", "lunchBreak", `lunch break ${end} is not after ${start}`);
  const result = {} as Record<WeekdayKey, OfficeHoursInput[]>;
  for (const key of WEEKDAY_KEYS) {
    const hours: OfficeHoursInput[] = [];
    (week[key] ?? []).forEach((interval, index) => {
      const field = `week.${key}[${index}]`;
      const open = parseTime(interval.start, `${field}.start`);
      const close = parseTime(interval.end, `${field}.end`);
      checkInterval(open, close, field);
      if (open < from) hours.push({ start: formatTime(open), end: formatTime(Math.min(close, from)) });
      if (close > to) hours.push({ start: formatTime(Math.max(open, to)), end: formatTime(close) });
    });
    result[key] = hours;
  }
  return result;
}

/** The form the arithmetic works on: everything in milliseconds, holidays as day numbers. */
export interface CompiledCalendar {
  readonly offsetMs: number;
  /** Per weekday: interval starts and ends in ms after local midnight. */
  readonly starts: readonly (readonly number[])[];
  readonly ends: readonly (readonly number[])[];
  /** Per weekday: business ms of a working day (0 = never a working day). */
  readonly totals: readonly number[];
  /** Per weekday: ms after local midnight at which the day's last interval closes (-1 without hours). */
  readonly closes: readonly number[];
  /** Non-working dates as days since 1970-01-01. */
  readonly holidays: ReadonlySet<number>;
}

const compiled = new WeakMap<BusinessCalendar, CompiledCalendar>();

/** Compiles (and checks, for calendars not built by createCalendar) a calendar once per calendar object. */
export function compileCalendar(calendar: BusinessCalendar): CompiledCalendar {
  const known = compiled.get(calendar);
  if (known) return known;
  const offsetMs = zoneOffsetMinutes(calendar.timeZone) * MINUTE_MS;
  if (calendar.week?.length !== 7) {
    throw new CalendarError("EMPTY_HOURS", "week", "the week must list 7 days, Sunday first");
  }
  const starts: number[][] = [];
  const ends: number[][] = [];
  const totals: number[] = [];
  const closes: number[] = [];
  calendar.week.forEach((day, weekday) => {
    const field = `week.${WEEKDAY_KEYS[weekday]}`;
    let previousEnd = Number.NEGATIVE_INFINITY;
    let total = 0;
    const dayStarts: number[] = [];
    const dayEnds: number[] = [];
    day.forEach(([start, end], index) => {
      checkInterval(start, end, `${field}[${index}]`);
      if (start < previousEnd) {
        throw new CalendarError("OVERLAPPING_HOURS", `${field}[${index}]`, `${field}: hours overlap or are unsorted`);
      }
      previousEnd = end;
      dayStarts.push(start * MINUTE_MS);
      dayEnds.push(end * MINUTE_MS);
      total += (end - start) * MINUTE_MS;
    });
    starts.push(dayStarts);
    ends.push(dayEnds);
    totals.push(total);
    closes.push(dayEnds.length ? (dayEnds[dayEnds.length - 1] as number) : -1);
  });
  if (totals.every((total) => total === 0)) {
    throw new CalendarError("EMPTY_HOURS", "week", "the week has no working hours");
  }
  const holidays = new Set<number>();
  let index = 0;
  for (const date of calendar.holidays) {
    const day = dayNumberOf(date);
    if (day === null) {
      throw new CalendarError("INVALID_HOLIDAY", `holidays[${index}]`, `"${String(date)}" is not a date YYYY-MM-DD`);
    }
    holidays.add(day);
    index++;
  }
  const result: CompiledCalendar = { offsetMs, starts, ends, totals, closes, holidays };
  compiled.set(calendar, result);
  return result;
}
