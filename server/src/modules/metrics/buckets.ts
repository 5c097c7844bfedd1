import { zoneOffsetMinutes } from "../sla/clock/calendar.js";

export type Granularity = "HOUR" | "DAY" | "WEEK" | "MONTH";

export interface Bucket {
  /** Inclusive, as an instant; the local boundary at or before `from` for the first bucket. */
  readonly start: Date;
  /** Exclusive. */
  readonly end: Date;
}

/** A query may ask for at most this many buckets (e.g. 90 days hourly is 2,160). */
export const MAX_BUCKETS = 2_200;

export class BucketRangeError extends Error {
  override name = "BucketRangeError";
}

const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Buckets covering [from, to) on the unit's local calendar: hours, days, ISO weeks (from Monday) or
 * months. Indonesian zones (WIB/WITA/WIT) have fixed offsets, so a local boundary is a fixed shift of a
 * UTC one. The first bucket starts at the local boundary at or before `from`, the last ends at or
 * after `to`, so every bucket is whole and figures of neighbouring periods line up.
 */
export function bucketsFor(from: Date, to: Date, granularity: Granularity, timeZone: string): Bucket[] {
  if (!(from.getTime() < to.getTime())) throw new BucketRangeError("`from` must be before `to`.");
  const offsetMs = zoneOffsetMinutes(timeZone) * 60_000;
  // Work in "local milliseconds": the instant shifted so that UTC calendar maths gives local fields.
  const localFrom = from.getTime() + offsetMs;
  const localTo = to.getTime() + offsetMs;
  const buckets: Bucket[] = [];
  let cursor = floorLocal(localFrom, granularity);
  while (cursor < localTo) {
    const next = stepLocal(cursor, granularity);
    buckets.push({ start: new Date(cursor - offsetMs), end: new Date(next - offsetMs) });
    if (buckets.length > MAX_BUCKETS) {
      throw new BucketRangeError(`More than ${MAX_BUCKETS} buckets; choose a coarser granularity or a shorter range.`);
    }
    cursor = next;
  }
  return buckets;
}

function floorLocal(localMs: number, granularity: Granularity): number {
  const date = new Date(localMs);
  switch (granularity) {
    case "HOUR":
      return Math.floor(localMs / HOUR_MS) * HOUR_MS;
    case "DAY":
      return Math.floor(localMs / DAY_MS) * DAY_MS;
    case "WEEK": {
      const day = Math.floor(localMs / DAY_MS) * DAY_MS;
      const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
      return day - weekday * DAY_MS;
    }
    case "MONTH":
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  }
}

function stepLocal(localMs: number, granularity: Granularity): number {
  switch (granularity) {
    case "HOUR":
      return localMs + HOUR_MS;
    case "DAY":
      return localMs + DAY_MS;
    case "WEEK":
      return localMs + 7 * DAY_MS;
    case "MONTH": {
      const date = new Date(localMs);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    }
  }
}

/** The zone of the daily rollups (`metric_daily`): WIB, UTC+7, the zone of the national view. */
export const ROLLUP_DAY_OFFSET_MS = 7 * HOUR_MS;

/**
 * The run of whole rollup days [from, to) that can be read from the daily rollups instead of the
 * hourly ones for a query with these bucket boundaries (ascending; null as the last for no end): each day in
 * the run lies inside a single bucket and the run is contiguous. The hours outside it are read from
 * the hourly rollups. Null when no day fits, e.g. hourly buckets, or days in WITA/WIT (their
 * boundaries cut through WIB days). Days after `now` hold nothing yet, so an unbounded end is capped
 * at the end of the current day. Days are WIB days unless another zone's offset is given.
 */
export function wholeRollupDays(
  boundaries: readonly (Date | null)[],
  now: Date,
  dayOffsetMs = ROLLUP_DAY_OFFSET_MS,
): { from: Date; to: Date } | null {
  const first = boundaries[0]?.getTime();
  const lastBoundary = boundaries[boundaries.length - 1];
  const last = lastBoundary === null ? Number.POSITIVE_INFINITY : lastBoundary?.getTime();
  if (first === undefined || last === undefined || !(first < last)) return null;
  const dayStart = (ms: number) => Math.floor((ms + dayOffsetMs) / DAY_MS) * DAY_MS - dayOffsetMs;
  const end = Math.min(last, dayStart(now.getTime()) + DAY_MS);
  let day = dayStart(first) === first ? first : dayStart(first) + DAY_MS;
  let next = 1; // boundaries[next] is the first boundary after `day`
  let from: number | null = null;
  let to: number | null = null;
  for (; day + DAY_MS <= end; day += DAY_MS) {
    while (next < boundaries.length && (boundaries[next]?.getTime() ?? last) <= day) next++;
    const cut = next < boundaries.length && (boundaries[next]?.getTime() ?? last) < day + DAY_MS;
    if (cut) {
      if (from !== null) break;
      continue;
    }
    if (from === null) from = day;
    to = day + DAY_MS;
  }
  return from === null || to === null ? null : { from: new Date(from), to: new Date(to) };
}

/** The local weeks (Monday to Monday, as date_trunc('week') counts them) wholly inside [from, to), if any. */
export function wholeWeeks(from: number, to: number, offsetMs: number): { from: number; to: number } | null {
  const monday = (ms: number) => floorLocal(ms + offsetMs, "WEEK") - offsetMs;
  const first = monday(from) === from ? from : monday(from) + 7 * DAY_MS;
  const end = monday(to);
  return first < end ? { from: first, to: end } : null;
}
