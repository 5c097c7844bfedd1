import type { Database } from "../../db/database.js";
import type { ClockKind } from "../../generated/prisma/enums.js";
import { DurationSketch } from "../metrics/duration-sketch.js";
import type { Quantiles } from "../metrics/metrics-service.js";
import { zoneOffsetMinutes } from "../sla/clock/calendar.js";

/** A clock as one person (or a team) stopped it: in time, or after it was breached. */
export interface StaffClock {
  clock: ClockKind;
  met: number;
  breached: number;
}

/**
 * What a person did in a period (or a team, added up): counts from metric_staff_daily, durations from
 * metric_staff_duration. Durations in minutes.
 */
export interface StaffFigures {
  replies: number;
  resolved: number;
  rejected: number;
  reopened: number;
  firstResponseWall: Quantiles;
  firstResponseBusiness: Quantiles;
  resolutionWall: Quantiles;
  resolutionBusiness: Quantiles;
  clocks: StaffClock[];
  ratings: number;
  ratingSum: number;
  ratingsSatisfied: number;
}

export function emptyStaffFigures(): StaffFigures {
  const q = (): Quantiles => ({ count: 0, median: null, p90: null });
  return {
    replies: 0,
    resolved: 0,
    rejected: 0,
    reopened: 0,
    firstResponseWall: q(),
    firstResponseBusiness: q(),
    resolutionWall: q(),
    resolutionBusiness: q(),
    clocks: [
      { clock: "FIRST_RESPONSE", met: 0, breached: 0 },
      { clock: "RESOLUTION", met: 0, breached: 0 },
    ],
    ratings: 0,
    ratingSum: 0,
    ratingsSatisfied: 0,
  };
}

/** A period of whole local calendar days: [fromDay, toDay) as YYYY-MM-DD, and the instants they span. */
export interface DayPeriod {
  fromDay: string;
  toDay: string;
  from: Date;
  to: Date;
}

const DAY_MS = 86_400_000;

/**
 * [from, to) widened to whole local days of the zone: the day holding `from` through the day holding the
 * last instant before `to`.
 */
export function dayPeriod(from: Date, to: Date, timeZone: string): DayPeriod {
  const offsetMs = zoneOffsetMinutes(timeZone) * 60_000;
  const first = Math.floor((from.getTime() + offsetMs) / DAY_MS) * DAY_MS;
  const last = Math.floor((to.getTime() - 1 + offsetMs) / DAY_MS) * DAY_MS + DAY_MS;
  const day = (localMs: number) => new Date(localMs).toISOString().slice(0, 10);
  return {
    fromDay: day(first),
    toDay: day(last),
    from: new Date(first - offsetMs),
    to: new Date(last - offsetMs),
  };
}

/** Units whose people are counted together: a unit's subtree. */
export interface TeamGroup {
  readonly groupId: number;
  readonly unitIds: readonly number[];
}

/** Per group: the whole team's figures, and each person's (by user id). */
export interface TeamFiguresResult {
  totals: StaffFigures;
  members: Map<string, StaffFigures>;
}

const COUNT_COLUMNS = `sum(m.replies)::int AS replies, sum(m.resolved)::int AS resolved, sum(m.rejected)::int AS rejected,
  sum(m.reopened)::int AS reopened, sum(m.first_response_met)::int AS first_response_met,
  sum(m.first_response_breached)::int AS first_response_breached, sum(m.resolution_met)::int AS resolution_met,
  sum(m.resolution_breached)::int AS resolution_breached, sum(m.ratings)::int AS ratings,
  sum(m.rating_sum)::int AS rating_sum, sum(m.ratings_satisfied)::int AS ratings_satisfied`;

// $1 unit ids, $2 their group ids, $3 and $4 the first and the end day. GROUPING SETS adds each group's
// total (user_id NULL) in the same pass, so a team's median is over all its durations.
const TEAM_COUNTS = `
  WITH g AS (SELECT * FROM unnest($1::int[], $2::int[]) AS g(unit_id, group_id))
  SELECT g.group_id, m.user_id, ${COUNT_COLUMNS}
  FROM metric_staff_daily m JOIN g ON g.unit_id = m.unit_id
  WHERE m.unit_id = ANY($1::int[]) AND m.day >= $3::date AND m.day < $4::date
  GROUP BY GROUPING SETS ((g.group_id, m.user_id), (g.group_id))`;

const TEAM_DURATIONS = `
  WITH g AS (SELECT * FROM unnest($1::int[], $2::int[]) AS g(unit_id, group_id))
  SELECT g.group_id, d.user_id, d.kind::text AS kind, b.bin, sum(b.wall)::int AS wall, sum(b.business)::int AS business
  FROM metric_staff_duration d JOIN g ON g.unit_id = d.unit_id
  CROSS JOIN LATERAL metric_duration_bins(d.wall_minutes, d.clock_minutes) b
  WHERE d.unit_id = ANY($1::int[]) AND d.day >= $3::date AND d.day < $4::date
  GROUP BY GROUPING SETS ((g.group_id, d.user_id, d.kind, b.bin), (g.group_id, d.kind, b.bin))`;

// One person in every unit: $1 the user, $2 and $3 the days.
const PERSON_COUNTS = `
  SELECT ${COUNT_COLUMNS} FROM metric_staff_daily m
  WHERE m.user_id = $1::uuid AND m.day >= $2::date AND m.day < $3::date`;

const PERSON_DURATIONS = `
  SELECT d.kind::text AS kind, b.bin, sum(b.wall)::int AS wall, sum(b.business)::int AS business
  FROM metric_staff_duration d
  CROSS JOIN LATERAL metric_duration_bins(d.wall_minutes, d.clock_minutes) b
  WHERE d.user_id = $1::uuid AND d.day >= $2::date AND d.day < $3::date
  GROUP BY d.kind, b.bin`;

interface CountRow {
  group_id?: number;
  user_id?: string | null;
  replies: number | null;
  resolved: number | null;
  rejected: number | null;
  reopened: number | null;
  first_response_met: number | null;
  first_response_breached: number | null;
  resolution_met: number | null;
  resolution_breached: number | null;
  ratings: number | null;
  rating_sum: number | null;
  ratings_satisfied: number | null;
}

interface BinRow {
  group_id?: number;
  user_id?: string | null;
  kind: ClockKind;
  bin: number;
  wall: number;
  business: number;
}

function applyCounts(figures: StaffFigures, row: CountRow): void {
  figures.replies = row.replies ?? 0;
  figures.resolved = row.resolved ?? 0;
  figures.rejected = row.rejected ?? 0;
  figures.reopened = row.reopened ?? 0;
  figures.ratings = row.ratings ?? 0;
  figures.ratingSum = row.rating_sum ?? 0;
  figures.ratingsSatisfied = row.ratings_satisfied ?? 0;
  figures.clocks = [
    { clock: "FIRST_RESPONSE", met: row.first_response_met ?? 0, breached: row.first_response_breached ?? 0 },
    { clock: "RESOLUTION", met: row.resolution_met ?? 0, breached: row.resolution_breached ?? 0 },
  ];
}

/** Sets each figure's durations from its sketch bins. */
function applyBins(bins: readonly BinRow[], figuresOf: (row: BinRow) => StaffFigures | undefined): void {
  const sketches = new Map<StaffFigures, Map<string, { wall: DurationSketch; business: DurationSketch }>>();
  for (const row of bins) {
    const figures = figuresOf(row);
    if (!figures) continue;
    let kinds = sketches.get(figures);
    if (!kinds) {
      kinds = new Map();
      sketches.set(figures, kinds);
    }
    let pair = kinds.get(row.kind);
    if (!pair) {
      pair = { wall: new DurationSketch(), business: new DurationSketch() };
      kinds.set(row.kind, pair);
    }
    pair.wall.add(row.bin, row.wall);
    pair.business.add(row.bin, row.business);
  }
  const quantiles = (sketch: DurationSketch): Quantiles => ({
    count: sketch.count,
    median: sketch.quantile(0.5),
    p90: sketch.quantile(0.9),
  });
  for (const [figures, kinds] of sketches) {
    for (const [kind, pair] of kinds) {
      // Business time is counted only where a clock stopped at the event; the count is of durations.
      const wall = quantiles(pair.wall);
      const business = { ...quantiles(pair.business), count: wall.count };
      if (kind === "FIRST_RESPONSE") {
        figures.firstResponseWall = wall;
        figures.firstResponseBusiness = business;
      } else if (kind === "RESOLUTION") {
        figures.resolutionWall = wall;
        figures.resolutionBusiness = business;
      }
    }
  }
}

/** The figures of each group's people over the days of the period, and of each team as a whole. */
export async function teamFigures(
  db: Database,
  groups: readonly TeamGroup[],
  period: DayPeriod,
  want: { durations: boolean },
): Promise<Map<number, TeamFiguresResult>> {
  const unitIds: number[] = [];
  const groupIds: number[] = [];
  const result = new Map<number, TeamFiguresResult>();
  for (const group of groups) {
    result.set(group.groupId, { totals: emptyStaffFigures(), members: new Map() });
    for (const unitId of group.unitIds) {
      unitIds.push(unitId);
      groupIds.push(group.groupId);
    }
  }
  const params = [unitIds, groupIds, period.fromDay, period.toDay];
  const [counts, bins] = await Promise.all([
    db.sql.prepared<CountRow>("staff_team_counts", TEAM_COUNTS, params),
    want.durations ? db.sql.prepared<BinRow>("staff_team_durations", TEAM_DURATIONS, params) : Promise.resolve([]),
  ]);
  const figuresOf = (row: { group_id?: number; user_id?: string | null }) => {
    const team = result.get(Number(row.group_id));
    if (!team) return undefined;
    if (!row.user_id) return team.totals;
    let member = team.members.get(row.user_id);
    if (!member) {
      member = emptyStaffFigures();
      team.members.set(row.user_id, member);
    }
    return member;
  };
  for (const row of counts) {
    const figures = figuresOf(row);
    if (figures) applyCounts(figures, row);
  }
  applyBins(bins, figuresOf);
  return result;
}

/** One person's figures over the days of the period, in every unit they worked in. */
export async function personFigures(
  db: Database,
  userId: string,
  period: DayPeriod,
  want: { durations: boolean },
): Promise<StaffFigures> {
  const params = [userId, period.fromDay, period.toDay];
  const [counts, bins] = await Promise.all([
    db.sql.prepared<CountRow>("staff_person_counts", PERSON_COUNTS, params),
    want.durations ? db.sql.prepared<BinRow>("staff_person_durations", PERSON_DURATIONS, params) : Promise.resolve([]),
  ]);
  const figures = emptyStaffFigures();
  if (counts[0]) applyCounts(figures, counts[0]);
  applyBins(bins, () => figures);
  return figures;
}

/** Open tickets assigned to each person now, per unit of the given ones (from the live queue figures). */
export async function openAssigned(
  db: Database,
  unitIds: readonly number[],
): Promise<{ unitId: number; userId: string; tickets: number }[]> {
  return db.sql.prepared<{ unitId: number; userId: string; tickets: number }>(
    "staff_open_assigned",
    `SELECT unit_id AS "unitId", assignee_id AS "userId", tickets FROM queue_assignee
     WHERE unit_id = ANY($1::int[]) AND tickets > 0`,
    [unitIds],
  );
}
