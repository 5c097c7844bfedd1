import type { Database } from "../../db/database.js";
import { NotFoundError, ValidationError } from "../../errors.js";
import type { Unit } from "../../generated/prisma/client.js";
import type { Channel } from "../../generated/prisma/enums.js";
import { computeBreakdown, computeFigures, type Figures, subtreeGroup } from "../metrics/metrics-service.js";
import { zoneOffsetMinutes } from "../sla/clock/calendar.js";
import type { UnitTree } from "../units/unit-tree.js";
import {
  MonthError,
  parseMonth,
  type Shown,
  SMALL_COUNT_THRESHOLD,
  showCount,
  showFrom,
  showParts,
} from "./disclosure.js";

/** One unit's month as the public sees it: counts below the threshold withheld (null). */
export interface PublicFigures {
  received: Shown;
  resolved: Shown;
  /** Share of the resolution clocks judged in the month that were met, in percent. */
  withinDeadlinePercent: number | null;
  medianFirstResponseMinutes: number | null;
  medianResolutionMinutes: number | null;
  /** Whether anything was withheld. */
  suppressed: boolean;
}

export interface PublicChannelCount {
  channel: Channel;
  received: Shown;
}

export interface PublicStatistics {
  month: string;
  /** False for the month still running. */
  complete: boolean;
  from: Date;
  to: Date;
  unit: Unit;
  figures: PublicFigures;
  channels: PublicChannelCount[];
  subunits: { unit: Unit; figures: PublicFigures }[];
  threshold: number;
  computedAt: Date;
}

const CACHE_LIMIT = 1_000;
// A month that has ended changes only by late events (a reopening, a late rating): an hour is fresh enough.
const PAST_MONTH_TTL_MS = 60 * 60_000;
const CURRENT_MONTH_TTL_MS = 5 * 60_000;

interface Cached {
  value: Promise<PublicStatistics>;
  expiresAt: number;
}

/** Per database, so two servers in one process (the tests) never share figures. */
const caches = new WeakMap<Database, Map<string, Cached>>();

/**
 * The month's figures of a unit and of each unit directly below it, for anyone. Computed from the metric
 * rollups like the staff's figures, cached, and published only as far as they identify no one.
 */
export async function publicStatistics(
  deps: { db: Database; units: UnitTree<Unit>; now?: Date },
  args: { month: string; unitCode?: string | null },
): Promise<PublicStatistics> {
  const now = deps.now ?? new Date();
  const unit = args.unitCode
    ? deps.units.byCode(args.unitCode.trim().toUpperCase())
    : [...deps.units.all()].find((candidate) => candidate.parentId === null);
  if (!unit?.active) throw new NotFoundError(`No unit ${args.unitCode ?? ""} in the public directory.`);
  let parsed: { year: number; month: number };
  try {
    parsed = parseMonth(args.month, now, zoneOffsetMinutes(unit.timeZone));
  } catch (error) {
    if (error instanceof MonthError) throw new ValidationError(error.message, "month");
    throw error;
  }
  const month = `${parsed.year}-${String(parsed.month).padStart(2, "0")}`;
  let cache = caches.get(deps.db);
  if (!cache) {
    cache = new Map();
    caches.set(deps.db, cache);
  }
  const key = `${month}|${unit.id}`;
  const hit = cache.get(key);
  if (hit && hit.expiresAt > now.getTime()) return hit.value;
  const value = compute(deps, unit, parsed, month, now);
  const offset = zoneOffsetMinutes(unit.timeZone) * 60_000;
  const monthEnd = Date.UTC(parsed.year, parsed.month, 1) - offset;
  const ttl = monthEnd <= now.getTime() ? PAST_MONTH_TTL_MS : CURRENT_MONTH_TTL_MS;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, { value, expiresAt: now.getTime() + ttl });
  // A failed computation is not remembered.
  value.catch(() => cache.delete(key));
  return value;
}

async function compute(
  deps: { db: Database; units: UnitTree<Unit> },
  unit: Unit,
  parsed: { year: number; month: number },
  month: string,
  now: Date,
): Promise<PublicStatistics> {
  const offset = zoneOffsetMinutes(unit.timeZone) * 60_000;
  const from = new Date(Date.UTC(parsed.year, parsed.month - 1, 1) - offset);
  const to = new Date(Date.UTC(parsed.year, parsed.month, 1) - offset);
  const children = deps.units
    .children(unit.id)
    .filter((child) => child.active)
    .sort((a, b) => a.name.localeCompare(b.name, "id"));
  const groups = [unit, ...children].map((member) => subtreeGroup(deps.units, member));
  const buckets = [{ start: from, end: to }];
  const [figures, breakdown] = await Promise.all([
    computeFigures(deps.db, { groups, buckets, now, want: { durations: true, ageBands: false } }),
    computeBreakdown(deps.db, { groups: groups.slice(0, 1), buckets, now }),
  ]);
  const totalsOf = (member: Unit) => (figures.get(member.id)?.[0] ?? null) as Figures | null;
  const own = publish(totalsOf(unit));
  const received = children.map((child) => totalsOf(child)?.created ?? 0);
  const resolved = children.map((child) => totalsOf(child)?.resolved ?? 0);
  const shownReceived = showParts(received, own.received !== null);
  const shownResolved = showParts(resolved, own.resolved !== null);
  const channelRows = (breakdown.get(unit.id) ?? []).filter((row) => row.dimension === "CHANNEL");
  const shownChannels = showParts(
    channelRows.map((row) => row.created),
    own.received !== null,
  );
  return {
    month,
    complete: to.getTime() <= now.getTime(),
    from,
    to,
    unit,
    figures: own,
    channels: channelRows
      .map((row, index) => ({ channel: row.key as Channel, received: shownChannels[index] ?? null }))
      .sort((a, b) => (b.received ?? -1) - (a.received ?? -1) || a.channel.localeCompare(b.channel)),
    subunits: children.map((child, index) => {
      const figuresOf = publish(totalsOf(child));
      const withheld = { received: shownReceived[index] ?? null, resolved: shownResolved[index] ?? null };
      return {
        unit: child,
        figures: {
          ...figuresOf,
          ...withheld,
          suppressed: figuresOf.suppressed || withheld.received === null || withheld.resolved === null,
        },
      };
    }),
    threshold: SMALL_COUNT_THRESHOLD,
    computedAt: now,
  };
}

function publish(totals: Figures | null): PublicFigures {
  if (!totals) {
    return {
      received: 0,
      resolved: 0,
      withinDeadlinePercent: null,
      medianFirstResponseMinutes: null,
      medianResolutionMinutes: null,
      suppressed: false,
    };
  }
  const resolution = totals.clocks.find((clock) => clock.clock === "RESOLUTION");
  const judged = resolution?.judged ?? 0;
  const share = judged ? Math.round(((resolution?.met ?? 0) / judged) * 1000) / 10 : null;
  const round = (minutes: number | null) => (minutes === null ? null : Math.round(minutes));
  const figures: PublicFigures = {
    received: showCount(totals.created),
    resolved: showCount(totals.resolved),
    withinDeadlinePercent: showFrom(share, judged),
    medianFirstResponseMinutes: showFrom(round(totals.firstResponseWall.median), totals.firstResponseWall.count),
    medianResolutionMinutes: showFrom(round(totals.resolutionWall.median), totals.resolutionWall.count),
    suppressed: false,
  };
  figures.suppressed =
    figures.received === null ||
    figures.resolved === null ||
    (judged > 0 && figures.withinDeadlinePercent === null) ||
    (totals.firstResponseWall.count > 0 && figures.medianFirstResponseMinutes === null) ||
    (totals.resolutionWall.count > 0 && figures.medianResolutionMinutes === null);
  return figures;
}
