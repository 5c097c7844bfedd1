import type { Database } from "../../db/database.js";
import type { ClockKind } from "../../generated/prisma/enums.js";
import { zoneOffsetMinutes } from "../sla/clock/calendar.js";
import { OPEN_STATUSES } from "../tickets/status-machine.js";
import type { UnitNode, UnitTree } from "../units/unit-tree.js";
import { type Bucket, DAY_MS, wholeRollupDays, wholeWeeks } from "./buckets.js";
import { binValue, DurationSketch } from "./duration-sketch.js";

/** A unit that counts in a group only for a while (it moved in or out), with the tickets open at each bound. */
export interface GroupWindow {
  readonly unitId: number;
  readonly from: Date | null;
  readonly to: Date | null;
  readonly openAtFrom: number;
  readonly openAtTo: number;
}

/** Units whose figures are added together: a unit and its subtree, or a regional office and its UPTs. */
export interface MetricsGroup {
  readonly groupId: number;
  /** Units that count in the group for all time. */
  readonly unitIds: readonly number[];
  /** Units that count in it only within their window, because they moved. */
  readonly windows?: readonly GroupWindow[];
  /**
   * Set when the group is exactly the subtree of the unit `groupId`, to that unit's time zone: its
   * durations are then read from the subtree's daily sketches where the buckets allow.
   */
  readonly subtreeTimeZone?: string;
}

/**
 * A unit with all its descendants, as one group: a unit that moved in or out counts only for the time it
 * was below the unit, so the subtree's history stays what it was.
 */
export function subtreeGroup(tree: UnitTree, unit: UnitNode): MetricsGroup {
  const periods = tree.periodsUnder(unit.id);
  const windowed = new Set(periods.map((period) => period.unitId));
  return {
    groupId: unit.id,
    unitIds: [...tree.subtree(unit.id)].filter((id) => !windowed.has(id)),
    windows: periods.map(({ unitId, from, to, openAtFrom, openAtTo }) => ({ unitId, from, to, openAtFrom, openAtTo })),
    subtreeTimeZone: unit.timeZone,
  };
}

export interface Quantiles {
  count: number;
  median: number | null;
  p90: number | null;
}

export interface ClockFigures {
  clock: ClockKind;
  /** Clocks judged in the period: met on time, or breached. */
  judged: number;
  met: number;
  breached: number;
  /** Clocks ended in time by a rejection (bukan wewenang), judged neither way (resolution clocks only). */
  rejected: number;
}

export interface BacklogFigures {
  open: number;
  age0to1d: number;
  age1to3d: number;
  age3to7d: number;
  age7to30d: number;
  ageOver30d: number;
}

/** The figures of one group over one bucket. Durations in minutes. */
export interface Figures {
  created: number;
  resolved: number;
  closed: number;
  rejected: number;
  reopened: number;
  transfersIn: number;
  transfersOut: number;
  backlog: BacklogFigures;
  firstResponseWall: Quantiles;
  firstResponseBusiness: Quantiles;
  resolutionWall: Quantiles;
  resolutionBusiness: Quantiles;
  clocks: ClockFigures[];
  /** Satisfaction ratings received in the period (1–5), their sum, and those of 4 or 5. */
  ratings: number;
  ratingSum: number;
  ratingsSatisfied: number;
}

export interface BreakdownRow {
  dimension: "CHANNEL" | "KIND" | "PRIORITY" | "CATEGORY";
  key: string;
  created: number;
}

const CLOCK_KINDS: readonly ClockKind[] = ["FIRST_RESPONSE", "RESOLUTION"];

export function emptyFigures(): Figures {
  const q = (): Quantiles => ({ count: 0, median: null, p90: null });
  return {
    created: 0,
    resolved: 0,
    closed: 0,
    rejected: 0,
    reopened: 0,
    transfersIn: 0,
    transfersOut: 0,
    backlog: { open: 0, age0to1d: 0, age1to3d: 0, age3to7d: 0, age7to30d: 0, ageOver30d: 0 },
    firstResponseWall: q(),
    firstResponseBusiness: q(),
    resolutionWall: q(),
    resolutionBusiness: q(),
    clocks: CLOCK_KINDS.map((clock) => ({ clock, judged: 0, met: 0, breached: 0, rejected: 0 })),
    ratings: 0,
    ratingSum: 0,
    ratingsSatisfied: 0,
  };
}

// Shared parameter layout: $1 unit ids, $2 their group ids, $3 the bucket boundaries (n + 1 instants,
// ascending), $4 the instant each bucket's backlog is read at (its end, or now for one still running);
// each query's last two parameters are when each unit of $1 counts in its group ([from, to)).
// width_bucket() places an instant with a binary search, and GROUPING SETS adds each group's total
// (idx NULL) in the same pass, so medians of the whole period are computed, not averaged.
const members = (windows: number) => `
  g AS (SELECT * FROM unnest($1::int[], $2::int[], $${windows}::timestamptz[], $${windows + 1}::timestamptz[])
        AS g(unit_id, group_id, valid_from, valid_to))`;
const sets = (windows: number) => `${members(windows)},
  b AS (SELECT * FROM unnest($4::timestamptz[]) WITH ORDINALITY AS b(as_of, idx))`;
/** Whether an event at `at` lies in the window of the membership `alias`. */
const within = (alias: string, at: string) => `${at} >= ${alias}.valid_from AND ${at} < ${alias}.valid_to`;
/**
 * Whether a backlog read at `at` counts the membership `alias`: a reading at the end of the last day before
 * a move still counts the unit where it was, and the tickets it hands over leave just after.
 */
const heldAt = (alias: string, at: string) => `${at} > ${alias}.valid_from AND ${at} <= ${alias}.valid_to`;
const FIRST = "($3::timestamptz[])[1]";
const LAST = "($3::timestamptz[])[array_length($3::timestamptz[], 1)]";
const bucketOf = (column: string) => `width_bucket(${column}, $3::timestamptz[])`;

const FLOW_NAMES = [
  "created",
  "resolved",
  "closed",
  "rejected",
  "reopened",
  "transfers_in",
  "transfers_out",
  "first_response_met",
  "first_response_breached",
  "resolution_met",
  "resolution_breached",
  "resolution_rejected",
  "ratings",
  "rating_sum",
  "ratings_satisfied",
];

/** One row per group and bucket from a group's own counts and its transfers counted apart. */
const combineFlows = (other: string) => `
  SELECT coalesce(own.group_id, ${other}.group_id) AS group_id, coalesce(own.idx, ${other}.idx, 0)::int AS idx,
         ${FLOW_NAMES.map((name) => `coalesce(${name}, 0) AS ${name}`).join(", ")}
  FROM own FULL JOIN ${other} ON own.group_id = ${other}.group_id AND own.idx IS NOT DISTINCT FROM ${other}.idx`;

/**
 * From scratch: what happened, attributed to the unit that owned the ticket when it happened. A clock
 * is judged when its SLA_MET or SLA_BREACHED event is recorded (a breach within a second of the due
 * instant, by the detection loop); one ended by a rejection (SLA_REJECTED, or the SLA_MET that
 * sla_met_by_rejection recognises in older logs) is counted apart. A ticket's satisfaction is its first
 * rating: older logs hold tickets rated more than once, and the rollups count only the first too.
 */
const FLOWS_RAW = `
  WITH ${sets(5)},
  e AS (
    SELECT e.unit_id, e.type, e.at, e.data,
           e.type = 'SLA_MET' AND e.data->>'clock' = 'RESOLUTION' AND sla_met_by_rejection(e.ticket_id, e.at) AS legacy_rejection,
           e.type = 'RATED' AND NOT EXISTS (SELECT 1 FROM ticket_event r
             WHERE r.ticket_id = e.ticket_id AND r.type = 'RATED' AND r.sequence < e.sequence) AS counted_rating
    FROM ticket_event e
    WHERE e.at >= ${FIRST} AND e.at < ${LAST}
      AND e.type IN ('CREATED', 'RESOLVED', 'CLOSED', 'REJECTED', 'REOPENED', 'TRANSFERRED', 'SLA_MET', 'SLA_BREACHED',
                     'SLA_REJECTED', 'RATED')
  ),
  own AS (
    SELECT g.group_id, ${bucketOf("e.at")} AS idx,
      count(*) FILTER (WHERE e.type = 'CREATED')::int AS created,
      count(*) FILTER (WHERE e.type = 'RESOLVED')::int AS resolved,
      count(*) FILTER (WHERE e.type = 'CLOSED')::int AS closed,
      count(*) FILTER (WHERE e.type = 'REJECTED')::int AS rejected,
      count(*) FILTER (WHERE e.type = 'REOPENED')::int AS reopened,
      count(*) FILTER (WHERE e.type = 'TRANSFERRED' AND NOT EXISTS (
        SELECT 1 FROM unit fu JOIN g gf ON gf.unit_id = fu.id AND ${within("gf", "e.at")}
        WHERE fu.code = e.data->>'fromUnitCode' AND gf.group_id = g.group_id))::int AS transfers_in,
      count(*) FILTER (WHERE e.type = 'SLA_MET' AND e.data->>'clock' = 'FIRST_RESPONSE')::int AS first_response_met,
      count(*) FILTER (WHERE e.type = 'SLA_BREACHED' AND e.data->>'clock' = 'FIRST_RESPONSE')::int AS first_response_breached,
      count(*) FILTER (WHERE e.type = 'SLA_MET' AND e.data->>'clock' = 'RESOLUTION' AND NOT e.legacy_rejection)::int AS resolution_met,
      count(*) FILTER (WHERE e.type = 'SLA_BREACHED' AND e.data->>'clock' = 'RESOLUTION')::int AS resolution_breached,
      count(*) FILTER (WHERE e.data->>'clock' = 'RESOLUTION' AND (e.type = 'SLA_REJECTED' OR e.legacy_rejection))::int AS resolution_rejected,
      count(*) FILTER (WHERE e.counted_rating)::int AS ratings,
      coalesce(sum((e.data->>'rating')::int) FILTER (WHERE e.counted_rating), 0)::int AS rating_sum,
      count(*) FILTER (WHERE e.counted_rating AND (e.data->>'rating')::int >= 4)::int AS ratings_satisfied
    FROM e JOIN g ON g.unit_id = e.unit_id AND ${within("g", "e.at")}
    GROUP BY GROUPING SETS ((g.group_id, ${bucketOf("e.at")}), (g.group_id))
  ),
  left_group AS (
    SELECT gf.group_id, ${bucketOf("e.at")} AS idx, count(*)::int AS transfers_out
    FROM e
    JOIN unit fu ON fu.code = e.data->>'fromUnitCode'
    JOIN g gf ON gf.unit_id = fu.id AND ${within("gf", "e.at")}
    WHERE e.type = 'TRANSFERRED'
      AND NOT EXISTS (SELECT 1 FROM g gt
                      WHERE gt.unit_id = e.unit_id AND gt.group_id = gf.group_id AND ${within("gt", "e.at")})
    GROUP BY GROUPING SETS ((gf.group_id, ${bucketOf("e.at")}), (gf.group_id))
  )
  ${combineFlows("left_group")}`;

const ROLLUP_COLUMNS = `created, resolved, closed, rejected, reopened, first_response_met, first_response_breached,
  resolution_met, resolution_breached, resolution_rejected, ratings, rating_sum, ratings_satisfied`;

/**
 * Rows of a rollup over the period: the daily table for the whole days in $5 ([from, to), or NULL for
 * none; see wholeRollupDays), the hourly table for the hours before and after them. Three index range
 * scans on (unit, instant), so a 30-day period reads 30 rows per unit rather than 720.
 */
const rollupRows = (hourly: string, daily: string, columns: string, filter: string) => `
  SELECT ${columns}, r.hour AS at FROM ${hourly} r
  WHERE ${filter} AND r.hour >= ${FIRST} AND r.hour < coalesce(($5::timestamptz[])[1], ${LAST})
  UNION ALL
  SELECT ${columns}, r.day FROM ${daily} r
  WHERE ${filter} AND r.day >= ($5::timestamptz[])[1] AND r.day < ($5::timestamptz[])[2]
  UNION ALL
  SELECT ${columns}, r.hour FROM ${hourly} r
  WHERE ${filter} AND r.hour >= ($5::timestamptz[])[2] AND r.hour < ${LAST}`;

/**
 * The same figures from the rollups (buckets are whole UTC hours in every Indonesian zone, and whole
 * WIB days where wholeRollupDays says so). $5 as for rollupRows.
 */
const FLOWS_ROLLUP = `
  WITH ${sets(6)},
  m AS (${rollupRows("metric_hourly", "metric_daily", `r.unit_id, ${ROLLUP_COLUMNS}`, "r.unit_id = ANY($1::int[])")}),
  own AS (
    SELECT g.group_id, ${bucketOf("m.at")} AS idx,
           sum(m.created)::int AS created, sum(m.resolved)::int AS resolved, sum(m.closed)::int AS closed,
           sum(m.rejected)::int AS rejected, sum(m.reopened)::int AS reopened,
           sum(m.first_response_met)::int AS first_response_met,
           sum(m.first_response_breached)::int AS first_response_breached,
           sum(m.resolution_met)::int AS resolution_met, sum(m.resolution_breached)::int AS resolution_breached,
           sum(m.resolution_rejected)::int AS resolution_rejected,
           sum(m.ratings)::int AS ratings, sum(m.rating_sum)::int AS rating_sum,
           sum(m.ratings_satisfied)::int AS ratings_satisfied
    FROM m JOIN g ON g.unit_id = m.unit_id AND ${within("g", "m.at")}
    GROUP BY GROUPING SETS ((g.group_id, ${bucketOf("m.at")}), (g.group_id))
  ),
  x AS (${rollupRows("metric_transfer_hourly", "metric_transfer_daily", "r.from_unit_id, r.to_unit_id, r.transfers", "(r.from_unit_id = ANY($1::int[]) OR r.to_unit_id = ANY($1::int[]))")}),
  moved AS (
    SELECT y.group_id, ${bucketOf("y.at")} AS idx,
           sum(y.transfers_in)::int AS transfers_in, sum(y.transfers_out)::int AS transfers_out
    FROM (
      SELECT gt.group_id, x.at, x.transfers AS transfers_in, 0 AS transfers_out
      FROM x JOIN g gt ON gt.unit_id = x.to_unit_id AND ${within("gt", "x.at")}
      WHERE NOT EXISTS (SELECT 1 FROM g gf
                        WHERE gf.unit_id = x.from_unit_id AND gf.group_id = gt.group_id AND ${within("gf", "x.at")})
      UNION ALL
      SELECT gf.group_id, x.at, 0, x.transfers
      FROM x JOIN g gf ON gf.unit_id = x.from_unit_id AND ${within("gf", "x.at")}
      WHERE NOT EXISTS (SELECT 1 FROM g gt
                        WHERE gt.unit_id = x.to_unit_id AND gt.group_id = gf.group_id AND ${within("gt", "x.at")})
    ) y
    GROUP BY GROUPING SETS ((y.group_id, ${bucketOf("y.at")}), (y.group_id))
  )
  ${combineFlows("moved")}`;

/**
 * From scratch: a first response is the reply (or resolution) that set first_responded_at; a
 * resolution is each RESOLVED event. Wall minutes from receipt; clock minutes when the clock stopped
 * at that event.
 */
const DURATIONS_RAW = `
  SELECT e.unit_id, e.at, 'FIRST_RESPONSE' AS kind, extract(epoch FROM e.at - t.created_at) / 60 AS wall_minutes,
         c.elapsed_minutes AS clock_minutes
  FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id
  LEFT JOIN ticket_clock c ON c.ticket_id = e.ticket_id AND c.kind = 'FIRST_RESPONSE' AND c.met_at = e.at
  WHERE e.type IN ('REPLIED', 'RESOLVED') AND e.at = t.first_responded_at AND e.at >= ${FIRST} AND e.at < ${LAST}
  UNION ALL
  SELECT e.unit_id, e.at, 'RESOLUTION', extract(epoch FROM e.at - t.created_at) / 60, c.elapsed_minutes
  FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id
  LEFT JOIN ticket_clock c ON c.ticket_id = e.ticket_id AND c.kind = 'RESOLUTION' AND c.met_at = e.at
  WHERE e.type = 'RESOLVED' AND e.at >= ${FIRST} AND e.at < ${LAST}`;

/** Durations (group_id, at, kind, wall_minutes, clock_minutes) as sketch rows (group_id, at, kind, bin, wall, business). */
const binned = (durations: string) => `
  SELECT d.group_id, d.at, d.kind, v.bin, v.wall, v.business
  FROM (${durations}) d CROSS JOIN LATERAL metric_duration_bins(d.wall_minutes, d.clock_minutes) v`;

const DURATION_BINS_RAW = binned(`
  SELECT g.group_id, d.at, d.kind, d.wall_minutes, d.clock_minutes
  FROM (${DURATIONS_RAW}) d JOIN g ON g.unit_id = d.unit_id AND ${within("g", "d.at")}`);

/**
 * The durations a group's sketches do not cover, binned on the fly: before and after its run of whole
 * local days ($10 groups, $11 and $12 the run's first and end day; an empty run at the period's end
 * when none fits, see wholeRollupDays): the ragged edges of a period, or all of it for hourly buckets.
 */
const DURATION_BINS_EDGES = binned(`
  SELECT g.group_id, d.at, d.kind, d.wall_minutes, d.clock_minutes
  FROM g JOIN unnest($10::int[], $11::timestamptz[], $12::timestamptz[]) AS r(group_id, day_from, day_to)
    ON r.group_id = g.group_id
  -- Laterally, so both ends of each edge bound the index range (joined plainly, one was a filter).
  CROSS JOIN LATERAL (
    SELECT d.at, d.kind::text AS kind, d.wall_minutes, d.clock_minutes FROM metric_duration d
    WHERE d.unit_id = g.unit_id AND d.at >= ${FIRST} AND d.at < r.day_from AND ${within("g", "d.at")}
    UNION ALL
    SELECT d.at, d.kind::text, d.wall_minutes, d.clock_minutes FROM metric_duration d
    WHERE d.unit_id = g.unit_id AND d.at >= r.day_to AND d.at < ${LAST} AND ${within("g", "d.at")}
  ) d`);

/**
 * Counts per group, kind and bin over the whole period (idx 0) and per bucket. Sketch pieces ($5
 * group, $6 'day' or 'week', $7 and $8 the range, $9 whether the piece counts for the whole period or
 * for the bucket it falls in) cover the run of whole local days, in whole weeks where they fit; the
 * durations outside the runs come from `edges`. Buckets that are one sketch day are not
 * pieces: they are read as DURATION_DAYS.
 */
const durationBins = (edges: string, windows: number) => `
  WITH ${sets(windows)},
  pieces AS (SELECT * FROM unnest($5::int[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::boolean[])
             AS p(group_id, grain, day_from, day_to, whole_period)),
  edges AS MATERIALIZED (${edges}),
  d AS (
    SELECT p.group_id, CASE WHEN p.whole_period THEN 0 ELSE ${bucketOf("s.day")} END AS idx, s.kind::text AS kind,
           s.bin, s.wall, s.business
    FROM pieces p JOIN metric_duration_sketch s
      ON p.grain = 'day' AND s.unit_id = p.group_id AND s.day >= p.day_from AND s.day < p.day_to
    UNION ALL
    SELECT p.group_id, CASE WHEN p.whole_period THEN 0 ELSE ${bucketOf("s.week")} END, s.kind::text, s.bin, s.wall,
           s.business
    FROM pieces p JOIN metric_duration_sketch_week s
      ON p.grain = 'week' AND s.unit_id = p.group_id AND s.week >= p.day_from AND s.week < p.day_to
    UNION ALL
    SELECT e.group_id, 0, e.kind, e.bin, e.wall, e.business FROM edges e
    UNION ALL
    SELECT e.group_id, ${bucketOf("e.at")}, e.kind, e.bin, e.wall, e.business FROM edges e
  )
  SELECT d.group_id, d.idx, d.kind, d.bin, sum(d.wall)::int AS wall, sum(d.business)::int AS business
  FROM d GROUP BY d.group_id, d.idx, d.kind, d.bin`;

const DURATION_BINS_ROLLUP = durationBins(DURATION_BINS_EDGES, 13);

/** The quantile bins of the buckets that are one day of a group's sketches ($2 groups, $3 bucket numbers). */
const DURATION_DAYS = `
  SELECT m.group_id, m.idx, q.kind, q.wall_count, q.wall_p50_bin, q.wall_p90_bin, q.business_count,
         q.business_p50_bin, q.business_p90_bin
  FROM unnest($2::int[], $3::int[]) AS m(group_id, idx)
  JOIN metric_duration_day q ON q.unit_id = m.group_id AND q.day = ($1::timestamptz[])[m.idx]`;

/**
 * Open tickets at each bucket's reading instant, by age. A ticket is open in a unit from its CREATED,
 * TRANSFERRED or REOPENED event until its next state event (transfer, resolution, rejection, closing).
 */
const BACKLOG = `
  WITH ${sets(5)},
  -- A ticket open at a reading instant is either still open, or changed state (and so was updated)
  -- after it: the others need not be looked at.
  relevant AS (
    SELECT t.id AS ticket_id FROM ticket t
    WHERE t.created_at < ${LAST}
      AND (t.status IN (${OPEN_STATUSES.map((status) => `'${status}'`).join(", ")})
           OR t.updated_at >= (SELECT min(as_of) FROM b))
  ),
  seg AS (
    SELECT e.ticket_id, e.unit_id, e.type, e.at,
           lead(e.at) OVER (PARTITION BY e.ticket_id ORDER BY e.sequence) AS until
    FROM ticket_event e JOIN relevant r ON r.ticket_id = e.ticket_id
    WHERE e.type IN ('CREATED', 'TRANSFERRED', 'REOPENED', 'RESOLVED', 'REJECTED', 'CLOSED')
  )
  SELECT g.group_id, b.idx::int AS idx, count(*)::int AS open,
    count(*) FILTER (WHERE b.as_of - t.created_at < interval '1 day')::int AS age_0_1,
    count(*) FILTER (WHERE b.as_of - t.created_at >= interval '1 day' AND b.as_of - t.created_at < interval '3 days')::int AS age_1_3,
    count(*) FILTER (WHERE b.as_of - t.created_at >= interval '3 days' AND b.as_of - t.created_at < interval '7 days')::int AS age_3_7,
    count(*) FILTER (WHERE b.as_of - t.created_at >= interval '7 days' AND b.as_of - t.created_at < interval '30 days')::int AS age_7_30,
    count(*) FILTER (WHERE b.as_of - t.created_at >= interval '30 days')::int AS age_30
  FROM seg
  JOIN g ON g.unit_id = seg.unit_id
  JOIN ticket t ON t.id = seg.ticket_id
  JOIN b ON seg.at <= b.as_of AND (seg.until IS NULL OR seg.until > b.as_of) AND ${heldAt("g", "b.as_of")}
  WHERE seg.type IN ('CREATED', 'TRANSFERRED', 'REOPENED')
  GROUP BY g.group_id, b.idx`;

/** Tickets open in each group now ($5), from the rollups. */
const OPEN_NOW = `
  WITH ${members(3)}
  SELECT g.group_id, coalesce(sum(o.open) FILTER (WHERE ${heldAt("g", "$5::timestamptz")}), 0)::int AS open
  FROM g LEFT JOIN metric_open o ON o.unit_id = g.unit_id
  GROUP BY g.group_id`;

const netFlow = (row: Record<string, number>) =>
  (row.created ?? 0) +
  (row.reopened ?? 0) +
  (row.transfers_in ?? 0) -
  (row.resolved ?? 0) -
  (row.rejected ?? 0) -
  (row.transfers_out ?? 0);

const BREAKDOWN = `
  WITH ${sets(5)}
  SELECT g.group_id, dim, key, count(*)::int AS created
  FROM ticket_event e
  JOIN g ON g.unit_id = e.unit_id AND ${within("g", "e.at")}
  JOIN ticket t ON t.id = e.ticket_id
  LEFT JOIN category cat ON cat.id = t.category_id
  CROSS JOIN LATERAL (VALUES ('CHANNEL', t.channel::text), ('KIND', t.kind::text), ('PRIORITY', t.priority::text),
                             ('CATEGORY', coalesce(cat.code, 'UNCATEGORISED'))) AS d(dim, key)
  WHERE e.type = 'CREATED' AND e.at >= ${FIRST} AND e.at < ${LAST}
  GROUP BY g.group_id, dim, key
  ORDER BY g.group_id, dim, created DESC, key`;

interface Params {
  groups: readonly MetricsGroup[];
  buckets: readonly Bucket[];
  now?: Date;
  /** "rollup" (default) reads the tables kept by the relay; "raw" recomputes from the log, as a check. */
  source?: "rollup" | "raw";
  /** What the caller reads; the parts not asked for are not computed. */
  want?: { durations?: boolean; ageBands?: boolean };
}

/** The groups' members as ($1, $2) and their windows (the last two parameters of each query). */
function membership(groups: readonly MetricsGroup[]) {
  const unitIds: number[] = [];
  const groupIds: number[] = [];
  const from: string[] = [];
  const to: string[] = [];
  for (const group of groups) {
    for (const unitId of group.unitIds) {
      unitIds.push(unitId);
      groupIds.push(group.groupId);
      from.push("-infinity");
      to.push("infinity");
    }
    for (const window of group.windows ?? []) {
      unitIds.push(window.unitId);
      groupIds.push(group.groupId);
      from.push(window.from?.toISOString() ?? "-infinity");
      to.push(window.to?.toISOString() ?? "infinity");
    }
  }
  return { units: [unitIds, groupIds], windows: [from, to] };
}

function parameters({ groups, buckets, now = new Date() }: Params): unknown[] {
  const { units } = membership(groups);
  const last = buckets[buckets.length - 1];
  if (!last) throw new Error("no buckets");
  return [
    ...units,
    [...buckets.map((bucket) => bucket.start), last.end],
    buckets.map((bucket) => (bucket.end.getTime() > now.getTime() ? now : bucket.end)),
  ];
}

/**
 * What a group's backlog gains (a unit moved in) or loses (moved out) at each bound of a window in
 * [after, until): the tickets open in the unit then, which count on the new side just after the bound.
 */
function handedOver(group: MetricsGroup, after: number, until: number): number {
  let change = 0;
  for (const window of group.windows ?? []) {
    const from = window.from?.getTime();
    const to = window.to?.getTime();
    if (from !== undefined && from >= after && from < until) change += window.openAtFrom;
    if (to !== undefined && to >= after && to < until) change -= window.openAtTo;
  }
  return change;
}

/** $5 of FLOWS_ROLLUP: the whole WIB days read from the daily rollups, or null. */
function dayRun(boundaries: readonly (Date | null)[], now: Date): Date[] | null {
  const days = wholeRollupDays(boundaries, now);
  return days ? [days.from, days.to] : null;
}

/**
 * Where each group's durations are read from: the run of whole local days its subtree's sketches
 * cover (or an empty run at the period's end), which of its buckets are one of those days (read from
 * their quantile rows), and the sketch pieces of the rest: the run for the whole period and each
 * other bucket's part of it, in whole weeks and the days around them.
 */
function sketchPlan(
  groups: readonly MetricsGroup[],
  buckets: readonly Bucket[],
  boundaries: readonly Date[],
  now: Date,
) {
  const last = boundaries[boundaries.length - 1] as Date;
  const runs = { groupIds: [] as number[], from: [] as Date[], to: [] as Date[] };
  const days = { groupIds: [] as number[], idx: [] as number[] };
  const pieces = {
    groupIds: [] as number[],
    grains: [] as ("day" | "week")[],
    from: [] as Date[],
    to: [] as Date[],
    wholePeriod: [] as boolean[],
  };
  const piece = (groupId: number, grain: "day" | "week", from: number, to: number, wholePeriod: boolean) => {
    if (!(from < to)) return;
    pieces.groupIds.push(groupId);
    pieces.grains.push(grain);
    pieces.from.push(new Date(from));
    pieces.to.push(new Date(to));
    pieces.wholePeriod.push(wholePeriod);
  };
  for (const group of groups) {
    const offsetMs = zoneOffsetMinutes(group.subtreeTimeZone ?? "Asia/Jakarta") * 60_000;
    const run = group.subtreeTimeZone ? wholeRollupDays(boundaries, now, offsetMs) : null;
    runs.groupIds.push(group.groupId);
    runs.from.push(run?.from ?? last);
    runs.to.push(run?.to ?? last);
    if (!run) continue;
    // Whole weeks where they fit, days around them.
    const span = (from: number, to: number, wholePeriod: boolean) => {
      const weeks = wholeWeeks(from, to, offsetMs);
      if (!weeks) return piece(group.groupId, "day", from, to, wholePeriod);
      piece(group.groupId, "day", from, weeks.from, wholePeriod);
      piece(group.groupId, "week", weeks.from, weeks.to, wholePeriod);
      piece(group.groupId, "day", weeks.to, to, wholePeriod);
    };
    const [from, to] = [run.from.getTime(), run.to.getTime()];
    span(from, to, true);
    buckets.forEach((bucket, i) => {
      const start = Math.max(bucket.start.getTime(), from);
      const end = Math.min(bucket.end.getTime(), to);
      const whole = start === bucket.start.getTime() && end === bucket.end.getTime();
      if (whole && end - start === DAY_MS) {
        days.groupIds.push(group.groupId);
        days.idx.push(i + 1);
      } else if (start < end) span(start, end, false);
    });
  }
  return {
    pieces: [pieces.groupIds, pieces.grains, pieces.from, pieces.to, pieces.wholePeriod],
    runs: [runs.groupIds, runs.from, runs.to],
    days: [days.groupIds, days.idx],
  };
}

interface DurationBinRow {
  group_id: number;
  idx: number;
  kind: ClockKind;
  bin: number;
  wall: number;
  business: number;
}

interface DurationDayRow {
  group_id: number;
  idx: number;
  kind: ClockKind;
  wall_count: number;
  wall_p50_bin: number | null;
  wall_p90_bin: number | null;
  business_count: number;
  business_p50_bin: number | null;
  business_p90_bin: number | null;
}

type DurationFigures = Pick<
  Figures,
  "firstResponseWall" | "firstResponseBusiness" | "resolutionWall" | "resolutionBusiness"
>;

// Durations are kept for the two clocks every ticket has; stage clocks have none.
const DURATION_FIELDS: Partial<Record<ClockKind, { wall: keyof DurationFigures; business: keyof DurationFigures }>> = {
  FIRST_RESPONSE: { wall: "firstResponseWall", business: "firstResponseBusiness" },
  RESOLUTION: { wall: "resolutionWall", business: "resolutionBusiness" },
};

/** Sets the durations of each group's period (idx 0) and buckets from sketch bins and day rows. */
function applyDurations(
  at: (groupId: number, idx: number) => Figures | undefined,
  bins: readonly DurationBinRow[],
  days: readonly DurationDayRow[],
) {
  // Business time is counted only where a clock stopped at the event; the count is of durations.
  const set = (figures: Figures, kind: ClockKind, count: number, wall: Quantiles, business: Quantiles) => {
    const fields = DURATION_FIELDS[kind];
    if (!fields) return;
    figures[fields.wall] = { ...wall, count };
    figures[fields.business] = { ...business, count };
  };
  const sketches = new Map<
    string,
    { figures: Figures; kind: ClockKind; wall: DurationSketch; business: DurationSketch }
  >();
  for (const row of bins) {
    const key = `${row.group_id}:${row.idx}:${row.kind}`;
    let entry = sketches.get(key);
    if (!entry) {
      const figures = at(row.group_id, row.idx);
      if (!figures) continue;
      entry = { figures, kind: row.kind, wall: new DurationSketch(), business: new DurationSketch() };
      sketches.set(key, entry);
    }
    entry.wall.add(row.bin, row.wall);
    entry.business.add(row.bin, row.business);
  }
  const quantiles = (sketch: DurationSketch): Quantiles => ({
    count: sketch.count,
    median: sketch.quantile(0.5),
    p90: sketch.quantile(0.9),
  });
  for (const { figures, kind, wall, business } of sketches.values()) {
    set(figures, kind, wall.count, quantiles(wall), quantiles(business));
  }
  const fromBins = (count: number, p50: number | null, p90: number | null): Quantiles => ({
    count,
    median: p50 === null ? null : binValue(p50),
    p90: p90 === null ? null : binValue(p90),
  });
  for (const row of days) {
    const figures = at(row.group_id, row.idx);
    if (!figures) continue;
    set(
      figures,
      row.kind,
      row.wall_count,
      fromBins(row.wall_count, row.wall_p50_bin, row.wall_p90_bin),
      fromBins(row.business_count, row.business_p50_bin, row.business_p90_bin),
    );
  }
}

const judged = (met: number, breached: number, rejected = 0) => ({ met, breached, rejected, judged: met + breached });

/**
 * The figures of every group, exactly from the log and the clocks: per group, the whole period first
 * (all buckets together), then each bucket in order.
 */
export async function computeFigures(db: Database, params: Params): Promise<Map<number, Figures[]>> {
  const values = parameters(params);
  const { windows } = membership(params.groups);
  const result = new Map<number, Figures[]>();
  for (const group of params.groups) {
    result.set(group.groupId, [emptyFigures(), ...params.buckets.map(() => emptyFigures())]);
  }
  const at = (groupId: number, idx: number) => result.get(Number(groupId))?.[Number(idx)];

  const raw = (params.source ?? "rollup") === "raw";
  const wantDurations = params.want?.durations ?? true;
  // From the rollups the open count needs no scan of the log; the age bands still do.
  const readBacklog = raw || (params.want?.ageBands ?? true);
  const lastEnd = (params.buckets[params.buckets.length - 1] as Bucket).end;
  const now = params.now ?? new Date();
  // The oracle bins every duration of the log itself.
  const sketches = sketchPlan(raw ? [] : params.groups, params.buckets, values[2] as Date[], now);
  const [flows, spans, spanDays, backlog, openNow, after] = await Promise.all([
    raw
      ? db.sql.query<Record<string, number>>(FLOWS_RAW, [...values, ...windows])
      : db.sql.prepared<Record<string, number>>("metrics_flows", FLOWS_ROLLUP, [
          ...values,
          dayRun(values[2] as Date[], now),
          ...windows,
        ]),
    !wantDurations
      ? Promise.resolve([])
      : raw
        ? db.sql.query<DurationBinRow>(durationBins(DURATION_BINS_RAW, 10), [...values, ...sketches.pieces, ...windows])
        : db.sql.prepared<DurationBinRow>("metrics_duration_bins", DURATION_BINS_ROLLUP, [
            ...values,
            ...sketches.pieces,
            ...sketches.runs,
            ...windows,
          ]),
    wantDurations && !raw && (sketches.days[0] as number[]).length
      ? db.sql.prepared<DurationDayRow>("metrics_duration_days", DURATION_DAYS, [values[2], ...sketches.days])
      : Promise.resolve([]),
    readBacklog
      ? db.sql.prepared<Record<string, number>>("metrics_backlog", BACKLOG, [...values, ...windows])
      : Promise.resolve([]),
    raw
      ? Promise.resolve([])
      : db.sql.prepared<{ group_id: number; open: number }>("metrics_open_now", OPEN_NOW, [
          ...values.slice(0, 2),
          ...windows,
          now,
        ]),
    // What changed after the period, to read the backlog back from now.
    raw || lastEnd.getTime() >= now.getTime()
      ? Promise.resolve([])
      : db.sql.prepared<Record<string, number>>("metrics_flows", FLOWS_ROLLUP, [
          values[0],
          values[1],
          [lastEnd, "infinity"],
          [lastEnd],
          dayRun([lastEnd, null], now),
          ...windows,
        ]),
  ]);
  for (const row of flows) {
    const f = at(row.group_id as number, row.idx as number);
    if (!f) continue;
    f.created = row.created ?? 0;
    f.resolved = row.resolved ?? 0;
    f.closed = row.closed ?? 0;
    f.rejected = row.rejected ?? 0;
    f.reopened = row.reopened ?? 0;
    f.transfersIn = row.transfers_in ?? 0;
    f.transfersOut = row.transfers_out ?? 0;
    f.ratings = row.ratings ?? 0;
    f.ratingSum = row.rating_sum ?? 0;
    f.ratingsSatisfied = row.ratings_satisfied ?? 0;
    f.clocks = [
      { clock: "FIRST_RESPONSE", ...judged(row.first_response_met ?? 0, row.first_response_breached ?? 0) },
      {
        clock: "RESOLUTION",
        ...judged(row.resolution_met ?? 0, row.resolution_breached ?? 0, row.resolution_rejected ?? 0),
      },
    ];
  }
  applyDurations(at, spans, spanDays);
  for (const row of backlog) {
    const f = at(row.group_id as number, row.idx as number);
    if (!f) continue;
    f.backlog = {
      open: row.open ?? 0,
      age0to1d: row.age_0_1 ?? 0,
      age1to3d: row.age_1_3 ?? 0,
      age3to7d: row.age_3_7 ?? 0,
      age7to30d: row.age_7_30 ?? 0,
      ageOver30d: row.age_30 ?? 0,
    };
  }
  if (!raw) {
    // Backlog at the end of bucket k = open now − what opened minus closed after it.
    // A unit that moved in or out carried its open tickets across a window bound: not a flow, a hand-over.
    const afterByGroup = new Map(after.filter((row) => row.idx === 0).map((row) => [row.group_id, netFlow(row)]));
    const groupsById = new Map(params.groups.map((group) => [group.groupId, group]));
    for (const { group_id, open } of openNow) {
      const figures = result.get(Number(group_id));
      const group = groupsById.get(Number(group_id));
      if (!figures || !group) continue;
      let level =
        open -
        (afterByGroup.get(group_id) ?? 0) -
        handedOver(group, lastEnd.getTime(), Math.max(now.getTime(), lastEnd.getTime()));
      for (let k = figures.length - 1; k >= 1; k--) {
        const f = figures[k] as Figures;
        f.backlog.open = level;
        const bucket = params.buckets[k - 1] as Bucket;
        level -= handedOver(group, bucket.start.getTime(), bucket.end.getTime());
        level -= netFlow({
          created: f.created,
          reopened: f.reopened,
          transfers_in: f.transfersIn,
          resolved: f.resolved,
          rejected: f.rejected,
          transfers_out: f.transfersOut,
        });
      }
    }
  }
  // The period ends where its last bucket ends.
  for (const figures of result.values())
    (figures[0] as Figures).backlog = { ...(figures[figures.length - 1] as Figures).backlog };
  return result;
}

export async function computeBreakdown(db: Database, params: Params): Promise<Map<number, BreakdownRow[]>> {
  const rows = await db.sql.query<{ group_id: number; dim: BreakdownRow["dimension"]; key: string; created: number }>(
    BREAKDOWN,
    [...parameters(params), ...membership(params.groups).windows],
  );
  const result = new Map<number, BreakdownRow[]>();
  for (const row of rows) {
    const list = result.get(row.group_id) ?? [];
    list.push({ dimension: row.dim, key: row.key, created: row.created });
    result.set(row.group_id, list);
  }
  return result;
}
