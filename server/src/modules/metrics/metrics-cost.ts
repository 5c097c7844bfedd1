import { type Granularity, MAX_BUCKETS } from "./buckets.js";

/**
 * The one pricing rule of every metrics read, the GraphQL fields and the CSV exports alike (an export runs
 * the same GraphQL operation): points in proportion to the rollup rows the read may touch, before it runs.
 *
 * rows = units × periods × series, where
 * - units: the units whose rollups are summed (a unit's whole subtree; every unit for the national overview);
 * - periods: the days of the range, or its hours for hourly buckets (hourly rollups are read then); a range
 *   the field refuses before reading anything (longer than MAX_RANGE_DAYS, more than MAX_BUCKETS hours,
 *   or not a range) counts one, so that it is answered with its own error rather than as too costly;
 * - series: the rollup families read: the counts always, the duration sketches when a duration is selected,
 *   the backlog by age when an age band is, the breakdown when it is.
 *
 * One point per ROWS_PER_POINT rows, rounded up, on top of the field's own base: the national overview over
 * 30 days (193 units) is 6 points more, over three years 212, so a STANDARD key (20 points a second) can
 * ask for a three-year overview about every 11 s rather than many times a second (bench:flood).
 */
export const ROWS_PER_POINT = 1_000;
export const MAX_RANGE_DAYS = 3 * 366;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const DURATION_FIELDS: ReadonlySet<string> = new Set(["firstResponse", "resolution"]);
export const AGE_BAND_FIELDS: ReadonlySet<string> = new Set([
  "age0to1d",
  "age1to3d",
  "age3to7d",
  "age7to30d",
  "ageOver30d",
]);

export interface MetricsRead {
  units: number;
  from: Date;
  to: Date;
  granularity: Granularity;
  /** Every field name selected anywhere below the metrics field. */
  selected: ReadonlySet<string>;
}

const anyOf = (selected: ReadonlySet<string>, names: ReadonlySet<string>) => [...names].some((n) => selected.has(n));

export function seriesRead(selected: ReadonlySet<string>): number {
  return (
    1 +
    (anyOf(selected, DURATION_FIELDS) ? 1 : 0) +
    (anyOf(selected, AGE_BAND_FIELDS) ? 1 : 0) +
    (selected.has("breakdown") ? 1 : 0)
  );
}

/** Rollup rows a metrics read may touch. */
export function rollupRows(read: MetricsRead): number {
  const span = read.to.getTime() - read.from.getTime();
  const hourly = read.granularity === "HOUR";
  const periods = Math.ceil(span / (hourly ? HOUR_MS : DAY_MS));
  const refused =
    !Number.isFinite(span) || span <= 0 || span > MAX_RANGE_DAYS * DAY_MS || (hourly && periods > MAX_BUCKETS);
  return Math.max(1, read.units) * (refused ? 1 : periods) * seriesRead(read.selected);
}

export function metricsPoints(read: MetricsRead): number {
  return Math.ceil(rollupRows(read) / ROWS_PER_POINT);
}
