import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import type { Database } from "../../db/database.js";
import { UnknownUnitError } from "../../errors.js";
import { builder } from "../../graphql/builder.js";
import type { Context } from "../../graphql/context.js";
import { selectsAnywhere, selectsField } from "../../graphql/selection.js";
import type { AuthenticatedViewer } from "../auth/viewer.js";
import { ClockKindEnum } from "../sla/sla-enums.schema.js";
import { UnitRef } from "../units/unit.schema.js";
import { unitRow } from "../units/unit-repository.js";
import type { UnitNode } from "../units/unit-tree.js";
import { type Bucket, BucketRangeError, bucketsFor, type Granularity } from "./buckets.js";
import { RELATIVE_ACCURACY } from "./duration-sketch.js";
import {
  averageRating,
  type CareIndex,
  careIndex,
  compliance,
  type MetricStatus,
  overallCompliance,
  rank,
  reopenRate,
  responseRate,
  STATUS_THRESHOLDS,
  satisfactionScore,
  satisfiedPercent,
  statusOf,
} from "./formulas.js";
import { MAX_RANGE_DAYS } from "./metrics-cost.js";
import {
  type BacklogFigures,
  type BreakdownRow,
  type ClockFigures,
  computeBreakdown,
  computeFigures,
  type Figures,
  type Quantiles,
  subtreeGroup,
} from "./metrics-service.js";
import { SharedFigures } from "./shared-figures.js";

const GranularityEnum = builder.enumType("Granularity", {
  description: "Bucket size, on the unit's local calendar.",
  values: {
    HOUR: { description: "Local hours." },
    DAY: { description: "Local days (midnight to midnight)." },
    WEEK: { description: "ISO weeks, Monday to Sunday." },
    MONTH: { description: "Calendar months." },
  } as const,
});

const MetricStatusEnum = builder.enumType("MetricStatus", {
  description: `Map colour by overall SLA compliance: GREEN ≥ ${STATUS_THRESHOLDS.green}%, AMBER ≥ ${STATUS_THRESHOLDS.amber}%, RED below, NO_DATA when no clock was judged.`,
  values: ["GREEN", "AMBER", "RED", "NO_DATA"] as const,
});

const QuantilesRef = builder.objectRef<Quantiles>("DurationQuantiles").implement({
  description:
    "A duration distribution in minutes. Medians do not add: a region's median is over all its tickets. Quantiles " +
    `come from log-scale histograms that merge exactly across units and days (DDSketch): each is within ${RELATIVE_ACCURACY * 100}% ` +
    "of the duration at its rank, q·(count − 1) of the sorted durations; durations under a second count as 0.",
  fields: (t) => ({
    count: t.exposeInt("count", { description: "Tickets measured." }),
    median: t.float({
      nullable: true,
      description: "Median: the duration at rank 0.5·(count − 1), the lower of the two middle ones for an even count.",
      resolve: (q) => q.median,
    }),
    p90: t.float({
      nullable: true,
      description: "90th percentile: the duration at rank 0.9·(count − 1), rounded down.",
      resolve: (q) => q.p90,
    }),
  }),
});

export const DurationRef = builder.objectRef<{ wall: Quantiles; business: Quantiles }>("DurationFigures").implement({
  description: "A duration measured twice: in wall time, and in the time the ticket's SLA clock counted.",
  fields: (t) => ({
    wall: t.field({
      type: QuantilesRef,
      description: "Minutes of wall time from receipt.",
      resolve: (d) => d.wall,
    }),
    business: t.field({
      type: QuantilesRef,
      description:
        "Minutes the SLA clock counted (office hours on working days for business-hours policies; pauses excluded).",
      resolve: (d) => d.business,
    }),
  }),
});

const ClockComplianceRef = builder.objectRef<ClockFigures>("ClockCompliance").implement({
  description:
    "Service level of one clock: clocks met on time ÷ clocks judged, where a clock is judged when it is met " +
    "(at the response or resolution) or breached (at its due instant), in the period. A resolution clock ended " +
    "in time by a rejection (bukan wewenang) is judged neither way and counted apart in `rejected`.",
  fields: (t) => ({
    clock: t.field({ type: ClockKindEnum, description: "Which clock.", resolve: (c) => c.clock }),
    judged: t.exposeInt("judged", { description: "Clocks met or breached in the period." }),
    met: t.exposeInt("met", { description: "Met on time." }),
    breached: t.exposeInt("breached", { description: "Breached (each counts once, at its due instant)." }),
    rejected: t.exposeInt("rejected", {
      description:
        "Ended in time by a rejection as not immigration's authority (bukan wewenang): neither met nor breached, " +
        "so outside compliance. Always 0 for the first response clock, which a rejection's reason answers.",
    }),
    compliancePercent: t.float({
      nullable: true,
      description: "met ÷ judged × 100; null when nothing was judged.",
      resolve: (c) => compliance(c),
    }),
  }),
});

const BacklogRef = builder.objectRef<BacklogFigures>("BacklogFigures").implement({
  description:
    "Open tickets (received, transferred in or reopened, and not yet resolved, rejected, closed or transferred " +
    "out) at the end of the period, by age since receipt.",
  fields: (t) => ({
    open: t.exposeInt("open", { description: "All open tickets." }),
    age0to1d: t.exposeInt("age0to1d", { description: "Received less than 1 day before." }),
    age1to3d: t.exposeInt("age1to3d", { description: "1 to 3 days." }),
    age3to7d: t.exposeInt("age3to7d", { description: "3 to 7 days." }),
    age7to30d: t.exposeInt("age7to30d", { description: "7 to 30 days." }),
    ageOver30d: t.exposeInt("ageOver30d", { description: "More than 30 days." }),
  }),
});

const SatisfactionRef = builder.objectRef<Figures>("SatisfactionFigures").implement({
  description: "Citizen satisfaction (CSAT) from 1–5 survey ratings.",
  fields: (t) => ({
    ratings: t.exposeInt("ratings", { description: "Ratings received." }),
    averageRating: t.float({ nullable: true, description: "Average rating, 1–5.", resolve: (f) => averageRating(f) }),
    satisfiedPercent: t.float({
      nullable: true,
      description: "CSAT: ratings of 4 or 5 ÷ all ratings × 100.",
      resolve: (f) => satisfiedPercent(f),
    }),
    responseRatePercent: t.float({
      nullable: true,
      description: "Ratings received ÷ resolutions in the period × 100 (one survey per resolution).",
      resolve: (f) => responseRate(f),
    }),
  }),
});

const FiguresRef = builder.objectRef<Figures>("MetricFigures").implement({
  description:
    "Figures of a unit and every unit below it. Events count for the unit that owned the ticket when they " +
    "happened, so a region's counts are the sum of its offices' and its own.",
  fields: (t) => ({
    created: t.exposeInt("created", { description: "Tickets received (CREATED events)." }),
    resolved: t.exposeInt("resolved", {
      description: "Resolutions (a ticket resolved again after reopening counts again).",
    }),
    closed: t.exposeInt("closed", { description: "Tickets closed after resolution." }),
    rejected: t.exposeInt("rejected", { description: "Rejected as not immigration's authority (bukan wewenang)." }),
    reopened: t.exposeInt("reopened", { description: "Reopenings." }),
    reopenRatePercent: t.float({
      nullable: true,
      description: "reopened ÷ resolved × 100.",
      resolve: (f) => reopenRate(f),
    }),
    transfersIn: t.exposeInt("transfersIn", {
      description: "Transfers received from outside this unit's subtree (transfers inside it are not counted).",
    }),
    transfersOut: t.exposeInt("transfersOut", { description: "Transfers sent outside this unit's subtree." }),
    backlog: t.field({ type: BacklogRef, description: "Open tickets at the end.", resolve: (f) => f.backlog }),
    firstResponse: t.field({
      type: DurationRef,
      description: "Time to first public reply, for tickets first answered in the period.",
      resolve: (f) => ({ wall: f.firstResponseWall, business: f.firstResponseBusiness }),
    }),
    resolution: t.field({
      type: DurationRef,
      description: "Time to resolution, for tickets resolved in the period.",
      resolve: (f) => ({ wall: f.resolutionWall, business: f.resolutionBusiness }),
    }),
    sla: t.field({ type: [ClockComplianceRef], description: "Service level per clock.", resolve: (f) => f.clocks }),
    slaCompliancePercent: t.float({
      nullable: true,
      description: "Both clocks together: met ÷ judged × 100.",
      resolve: (f) => overallCompliance(f),
    }),
    breaches: t.int({
      description: "Clocks breached in the period (both kinds).",
      resolve: (f) => f.clocks.reduce((sum, c) => sum + c.breached, 0),
    }),
    satisfaction: t.field({
      type: SatisfactionRef,
      description: "Answers to the satisfaction survey sent at resolution, received in the period.",
      resolve: (f) => f,
    }),
  }),
});

const BucketRef = builder.objectRef<{ bucket: Bucket; figures: Figures }>("MetricsBucket").implement({
  description: "The figures of one bucket.",
  fields: (t) => ({
    start: t.field({
      type: "DateTime",
      description: "Start (inclusive), a local boundary.",
      resolve: (b) => b.bucket.start,
    }),
    end: t.field({ type: "DateTime", description: "End (exclusive).", resolve: (b) => b.bucket.end }),
    figures: t.field({ type: FiguresRef, description: "The figures.", resolve: (b) => b.figures }),
  }),
});

const BreakdownDimensionEnum = builder.enumType("MetricsDimension", {
  description: "What received tickets are broken down by.",
  values: ["CHANNEL", "KIND", "PRIORITY", "CATEGORY"] as const,
});

const BreakdownRef = builder.objectRef<BreakdownRow & { share: number | null }>("MetricsBreakdownRow").implement({
  description: "Tickets received in the period with one value of a dimension.",
  fields: (t) => ({
    dimension: t.field({ type: BreakdownDimensionEnum, description: "The dimension.", resolve: (r) => r.dimension }),
    key: t.exposeString("key", { description: "The value: a Channel, TicketKind, Priority or category code." }),
    created: t.exposeInt("created", { description: "Tickets received." }),
    sharePercent: t.float({ nullable: true, description: "Of all received, %.", resolve: (r) => r.share }),
  }),
});

interface UnitMetricsResult {
  unit: UnitNode;
  granularity: Granularity;
  buckets: Bucket[];
  totals: Figures;
  series: Figures[];
  breakdown: (BreakdownRow & { share: number | null })[];
}

const UnitMetricsRef = builder.objectRef<UnitMetricsResult>("UnitMetrics").implement({
  description: "KPIs of a unit and its descendants over a period, as totals and as buckets in the unit's local time.",
  fields: (t) => ({
    unit: t.field({
      type: UnitRef,
      description: "The unit.",
      resolve: (m, _args, ctx) => unitRow(ctx.units, m.unit.id),
    }),
    timeZone: t.string({ description: "The IANA zone buckets follow.", resolve: (m) => m.unit.timeZone }),
    granularity: t.field({ type: GranularityEnum, description: "Bucket size.", resolve: (m) => m.granularity }),
    from: t.field({
      type: "DateTime",
      description: "Start of the first bucket (the requested start, widened to a local boundary).",
      resolve: (m) => (m.buckets[0] as Bucket).start,
    }),
    to: t.field({
      type: "DateTime",
      description: "End of the last bucket.",
      resolve: (m) => (m.buckets[m.buckets.length - 1] as Bucket).end,
    }),
    totals: t.field({ type: FiguresRef, description: "The whole period.", resolve: (m) => m.totals }),
    buckets: t.field({
      type: [BucketRef],
      description: "One entry per bucket, oldest first.",
      resolve: (m) => m.buckets.map((bucket, i) => ({ bucket, figures: m.series[i] as Figures })),
    }),
    breakdown: t.field({
      type: [BreakdownRef],
      description: "Tickets received in the period by channel, kind, priority and category.",
      resolve: (m) => m.breakdown,
    }),
  }),
});

const CareIndexRef = builder.objectRef<CareIndex>("CareIndex").implement({
  description:
    "A public composite in the spirit of the AHII 'The Most Caring One' assessment, 0–100: 25% responsiveness " +
    "(first-response clocks met on time), 25% SLA compliance (resolution clocks met on time), 20% resolution " +
    "(resolved ÷ received, capped at 100), 15% satisfaction (average rating scaled to 0–100), 15% consistency " +
    "(100 × (1 − coefficient of variation of daily SLA compliance)). A component without data gives its weight " +
    "to the others. Every input is a figure of the same row.",
  fields: (t) => ({
    score: t.float({ nullable: true, description: "The index.", resolve: (c) => c.score }),
    responsiveness: t.float({ nullable: true, description: "Component, 0–100.", resolve: (c) => c.responsiveness }),
    slaCompliance: t.float({ nullable: true, description: "Component, 0–100.", resolve: (c) => c.slaCompliance }),
    resolution: t.float({ nullable: true, description: "Component, 0–100.", resolve: (c) => c.resolution }),
    satisfaction: t.float({
      nullable: true,
      description: "Component, 0–100: the average rating, 1 → 0 and 5 → 100; null without ratings.",
      resolve: (c) => c.satisfaction,
    }),
    consistency: t.float({ nullable: true, description: "Component, 0–100.", resolve: (c) => c.consistency }),
  }),
});

interface RegionRow {
  unit: UnitNode;
  figures: Figures;
  care: CareIndex;
  status: MetricStatus;
  rank: number | null;
}

const RegionRowRef = builder.objectRef<RegionRow>("RegionalOverview").implement({
  description: "One regional office (Kanwil) with its offices, over the period.",
  fields: (t) => ({
    unit: t.field({
      type: UnitRef,
      description: "The regional office; `provinceCode` places it on the map.",
      resolve: (r, _args, ctx) => unitRow(ctx.units, r.unit.id),
    }),
    figures: t.field({ type: FiguresRef, description: "Headline figures.", resolve: (r) => r.figures }),
    status: t.field({ type: MetricStatusEnum, description: "Map colour.", resolve: (r) => r.status }),
    careIndex: t.field({
      type: CareIndexRef,
      description: "The care index and its components.",
      resolve: (r) => r.care,
    }),
    rank: t.int({
      nullable: true,
      description: "Rank by care index among the rows returned (1 = best; ties share a rank).",
      resolve: (r) => r.rank,
    }),
  }),
});

const AGE_BANDS = new Set(["age0to1d", "age1to3d", "age3to7d", "age7to30d", "ageOver30d"]);
const DURATIONS = new Set(["firstResponse", "resolution"]);

/** The expensive parts are computed only when the query reads them. */
function wanted(info: GraphQLResolveInfo) {
  return { ageBands: selectsAnywhere(info, AGE_BANDS), durations: selectsAnywhere(info, DURATIONS) };
}

const DAY_MS = 86_400_000;

function checkRange(from: Date, to: Date) {
  if (!(from.getTime() < to.getTime())) throw badInput("`from` must be before `to`.", "from");
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) throw badInput("At most three years.", "to");
}

function badInput(message: string, field: string) {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", argumentName: field } });
}

function unitInScope(ctx: Context, code: string): UnitNode {
  const unit = ctx.units.byCode(code);
  // Unknown and out of scope answer alike, as everywhere else in the API.
  if (!unit || !(ctx.viewer as AuthenticatedViewer).unitIds.has(unit.id)) throw new UnknownUnitError(code);
  return unit;
}

interface MetricsArgs {
  from: Date;
  to: Date;
  granularity: Granularity;
}

/** Figures of several units over the same local buckets, in one pass over the rollups. */
async function metricsOf(
  ctx: Context,
  units: readonly UnitNode[],
  args: MetricsArgs,
  info: GraphQLResolveInfo,
): Promise<UnitMetricsResult[]> {
  checkRange(args.from, args.to);
  if (!units.length) return [];
  // Units in one call share a time zone in practice (a region's offices); the buckets follow the first.
  const timeZone = (units[0] as UnitNode).timeZone;
  let buckets: Bucket[];
  try {
    buckets = bucketsFor(args.from, args.to, args.granularity, timeZone);
  } catch (error) {
    if (error instanceof BucketRangeError) throw badInput(error.message, "granularity");
    throw error;
  }
  const groups = units.map((unit) => subtreeGroup(ctx.units, unit));
  const [figures, breakdown] = await Promise.all([
    computeFigures(ctx.db, { groups, buckets, want: wanted(info) }),
    selectsField(info, "breakdown") ? computeBreakdown(ctx.db, { groups, buckets }) : new Map<number, BreakdownRow[]>(),
  ]);
  return units.map((unit) => {
    const [totals, ...series] = figures.get(unit.id) as Figures[];
    const rows = breakdown.get(unit.id) ?? [];
    return {
      unit,
      granularity: args.granularity,
      buckets,
      totals: totals as Figures,
      series,
      breakdown: rows.map((row) => ({
        ...row,
        share: totals?.created ? Math.round((row.created / totals.created) * 1000) / 10 : null,
      })),
    };
  });
}

/**
 * Every directorate screen and many third parties ask for the same national figures; they are computed for
 * all regional offices at once and shared for a few seconds (metrics are current "within seconds" anyway),
 * then each caller gets the rows of their scope.
 */
const OVERVIEW_FRESH_MS = 5_000;
const overviews = new WeakMap<Database, SharedFigures<RegionRow[]>>();

function overviewsOf(db: Database): SharedFigures<RegionRow[]> {
  let shared = overviews.get(db);
  if (!shared) {
    shared = new SharedFigures({ freshMs: OVERVIEW_FRESH_MS, staleMs: 60_000, maxEntries: 16 });
    overviews.set(db, shared);
  }
  return shared;
}

async function regionFigures(
  ctx: Context,
  days: readonly Bucket[],
  want: ReturnType<typeof wanted>,
): Promise<RegionRow[]> {
  const root = ctx.units.byCode("IMI");
  const regions = [...ctx.units.subtree(root?.id ?? -1)]
    .map((id) => ctx.units.get(id) as UnitNode)
    .filter((unit) => unit.type === "REGIONAL_OFFICE")
    .sort((a, b) => a.code.localeCompare(b.code));
  if (!regions.length) return [];
  const groups = regions.map((unit) => subtreeGroup(ctx.units, unit));
  const figures = await computeFigures(ctx.db, { groups, buckets: days, want });
  return regions.map((unit) => {
    const [totals, ...daily] = figures.get(unit.id) as Figures[];
    const care = careIndex(
      totals as Figures,
      daily.map((day) => overallCompliance(day)),
      satisfactionScore(totals as Figures),
    );
    return {
      unit,
      figures: totals as Figures,
      care,
      status: statusOf(overallCompliance(totals as Figures)),
      rank: null,
    };
  });
}

builder.queryFields((t) => ({
  unitMetrics: t.field({
    type: UnitMetricsRef,
    description: "KPIs of a unit and its descendants over [from, to), as totals and local-time buckets.",
    authScopes: { readMetrics: true },
    args: {
      code: t.arg.string({ required: true, description: "Unit code, e.g. KANWIL-JI or KANIM-MALANG." }),
      from: t.arg({ type: "DateTime", required: true, description: "Start (widened to a local bucket boundary)." }),
      to: t.arg({ type: "DateTime", required: true, description: "End, exclusive." }),
      granularity: t.arg({ type: GranularityEnum, required: true, description: "Bucket size." }),
    },
    resolve: async (_root, args, ctx, info) => {
      const [metrics] = await metricsOf(ctx, [unitInScope(ctx, args.code)], args, info);
      return metrics as UnitMetricsResult;
    },
  }),
  subunitMetrics: t.field({
    type: [UnitMetricsRef],
    description:
      "The KPIs of each unit directly below a unit (with their own descendants), computed together, ordered by " +
      "name: a regional office's table of its offices.",
    authScopes: { readMetrics: true },
    args: {
      code: t.arg.string({ required: true, description: "Code of the parent unit, e.g. KANWIL-JI." }),
      from: t.arg({ type: "DateTime", required: true, description: "Start (widened to a local bucket boundary)." }),
      to: t.arg({ type: "DateTime", required: true, description: "End, exclusive." }),
      granularity: t.arg({ type: GranularityEnum, required: true, description: "Bucket size." }),
    },
    resolve: (_root, args, ctx, info) => {
      const parent = unitInScope(ctx, args.code);
      const viewer = ctx.viewer as AuthenticatedViewer;
      const children = ctx.units
        .children(parent.id)
        .filter((unit) => viewer.unitIds.has(unit.id))
        .sort((a, b) => a.name.localeCompare(b.name));
      return metricsOf(ctx, children, args, info);
    },
  }),
  nationalOverview: t.field({
    type: [RegionRowRef],
    description:
      "One row per regional office in your scope, with its offices, over [from, to) widened to whole days in WIB " +
      "(default: the last 30 days), ranked by care index.",
    authScopes: { readMetrics: true },
    args: {
      from: t.arg({ type: "DateTime", description: "Start; default 30 days before `to`." }),
      to: t.arg({ type: "DateTime", description: "End, exclusive; default now." }),
    },
    resolve: async (_root, args, ctx, info) => {
      const to = args.to ?? new Date();
      const from = args.from ?? new Date(to.getTime() - 30 * DAY_MS);
      checkRange(from, to);
      const viewer = ctx.viewer as AuthenticatedViewer;
      // Whole WIB days: their daily compliance feeds the consistency component.
      const days = bucketsFor(from, to, "DAY", "Asia/Jakarta");
      const want = wanted(info);
      const national = await overviewsOf(ctx.db).get(
        [days[0]?.start.toISOString(), days.at(-1)?.end.toISOString(), want.durations, want.ageBands].join("|"),
        () => regionFigures(ctx, days, want),
      );
      const rows = national
        .filter((row) => viewer.unitIds.has(row.unit.id))
        .map((row) => ({ ...row, rank: null as number | null }));
      if (!rows.length) return [];
      const ranks = rank(rows, (row) => row.care.score);
      rows.forEach((row, i) => {
        row.rank = ranks[i] ?? null;
      });
      return rows.sort(
        (a, b) =>
          (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
          a.unit.code.localeCompare(b.unit.code),
      );
    },
  }),
}));
