import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import { UnknownUnitError } from "../../errors.js";
import type { User } from "../../generated/prisma/client.js";
import { builder } from "../../graphql/builder.js";
import type { Context } from "../../graphql/context.js";
import { selectsAnywhere, selectsField } from "../../graphql/selection.js";
import { UserRef } from "../auth/auth.schema.js";
import type { AuthenticatedViewer, UserViewer } from "../auth/viewer.js";
import { averageRating, percent, reopenRate, satisfiedPercent } from "../metrics/formulas.js";
import { DurationRef } from "../metrics/metrics.schema.js";
import { MAX_RANGE_DAYS } from "../metrics/metrics-cost.js";
import { ClockKindEnum } from "../sla/sla-enums.schema.js";
import { UnitRef } from "../units/unit.schema.js";
import { unitRow } from "../units/unit-repository.js";
import type { UnitNode } from "../units/unit-tree.js";
import {
  type DayPeriod,
  dayPeriod,
  emptyStaffFigures,
  openAssigned,
  personFigures,
  type StaffClock,
  type StaffFigures,
  teamFigures,
} from "./staff-figures.js";

const StaffClockRef = builder.objectRef<StaffClock>("StaffClockCompliance").implement({
  description:
    "One clock as the people measured stopped it: a first response or a resolution in time (the clock met at " +
    "that instant) or after the clock was breached. A clock nobody stopped counts for no person (it does in the " +
    "unit's figures).",
  fields: (t) => ({
    clock: t.field({ type: ClockKindEnum, description: "Which clock.", resolve: (c) => c.clock }),
    judged: t.int({ description: "Clocks stopped, met or breached.", resolve: (c) => c.met + c.breached }),
    met: t.exposeInt("met", { description: "Stopped in time." }),
    breached: t.exposeInt("breached", { description: "Stopped after the clock was breached." }),
    compliancePercent: t.float({
      nullable: true,
      description: "met ÷ judged × 100; null when nothing was judged.",
      resolve: (c) => percent(c.met, c.met + c.breached),
    }),
  }),
});

const StaffSatisfactionRef = builder.objectRef<StaffFigures>("StaffSatisfaction").implement({
  description:
    "Citizen satisfaction (CSAT) with the resolutions a person made: each ticket's first rating (1–5) counts for " +
    "whoever made the resolution it answers, in the period the rating arrived.",
  fields: (t) => ({
    ratings: t.exposeInt("ratings", { description: "Ratings received." }),
    averageRating: t.float({ nullable: true, description: "Average rating, 1–5.", resolve: (f) => averageRating(f) }),
    satisfiedPercent: t.float({
      nullable: true,
      description: "CSAT: ratings of 4 or 5 ÷ all ratings × 100.",
      resolve: (f) => satisfiedPercent(f),
    }),
  }),
});

const StaffFiguresRef = builder.objectRef<StaffFigures>("StaffFigures").implement({
  description:
    "What a person did over a period of local days, or a team added up: replies, first responses, resolutions " +
    "and rejections count for whoever made them, in the unit that owned the ticket then; a reopening and a rating " +
    "count for whoever made the resolution they answer. Kept as events are ordered (metric_staff_daily); quality " +
    "reviews are not recorded yet, so there is no review score.",
  // Per-person figures are for staff only, whatever field leads to them.
  authScopes: { staff: true },
  fields: (t) => ({
    replies: t.exposeInt("replies", {
      description: "Public replies (a resolution's answer counts under `resolved`, not here).",
    }),
    resolved: t.exposeInt("resolved", {
      description: "Resolutions made (a ticket resolved again after reopening counts again).",
    }),
    rejected: t.exposeInt("rejected", { description: "Rejections as not immigration's authority (bukan wewenang)." }),
    reopened: t.exposeInt("reopened", { description: "Reopenings of tickets this person had resolved." }),
    reopenRatePercent: t.float({
      nullable: true,
      description: "reopened ÷ resolved × 100.",
      resolve: (f) => reopenRate(f),
    }),
    firstResponse: t.field({
      type: DurationRef,
      description: "Time from receipt to the ticket's first public reply, for the first replies this person gave.",
      resolve: (f) => ({ wall: f.firstResponseWall, business: f.firstResponseBusiness }),
    }),
    resolution: t.field({
      type: DurationRef,
      description: "Time from receipt to resolution, for the resolutions this person made.",
      resolve: (f) => ({ wall: f.resolutionWall, business: f.resolutionBusiness }),
    }),
    sla: t.field({
      type: [StaffClockRef],
      description: "Each clock this person stopped: in time or late.",
      resolve: (f) => f.clocks,
    }),
    slaCompliancePercent: t.float({
      nullable: true,
      description: "Both clocks together: met ÷ judged × 100.",
      resolve: (f) => {
        const met = f.clocks.reduce((sum, c) => sum + c.met, 0);
        return percent(met, met + f.clocks.reduce((sum, c) => sum + c.breached, 0));
      },
    }),
    satisfaction: t.field({
      type: StaffSatisfactionRef,
      description: "Ratings of the resolutions this person made.",
      resolve: (f) => f,
    }),
  }),
});

interface Member {
  user: User;
  openAssigned: number;
  figures: StaffFigures;
}

const TeamMemberRef = builder.objectRef<Member>("TeamMemberFigures").implement({
  description: "One person of a team, with their figures over the period.",
  fields: (t) => ({
    user: t.field({ type: UserRef, description: "The person.", resolve: (m) => m.user }),
    openAssigned: t.exposeInt("openAssigned", {
      description: "Open tickets of the team's units assigned to this person now (not a figure of the period).",
    }),
    figures: t.field({ type: StaffFiguresRef, description: "Their figures.", resolve: (m) => m.figures }),
  }),
});

interface Team {
  unit: UnitNode;
  period: DayPeriod;
  totals: StaffFigures;
  members: Member[];
}

const TeamFiguresRef = builder.objectRef<Team>("TeamFigures").implement({
  description:
    "The people of a unit and every unit below it over whole local days of the unit: each one's figures and the " +
    "team's added up (the team's medians are over all its durations, not a mean of medians).",
  fields: (t) => ({
    unit: t.field({
      type: UnitRef,
      description: "The unit.",
      resolve: (m, _args, ctx) => unitRow(ctx.units, m.unit.id),
    }),
    timeZone: t.string({
      description: "The IANA zone whose calendar days the period covers.",
      resolve: (m) => m.unit.timeZone,
    }),
    from: t.field({ type: "DateTime", description: "Start of the first day.", resolve: (m) => m.period.from }),
    to: t.field({ type: "DateTime", description: "End of the last day (exclusive).", resolve: (m) => m.period.to }),
    totals: t.field({ type: StaffFiguresRef, description: "The whole team.", resolve: (m) => m.totals }),
    members: t.field({
      type: [TeamMemberRef],
      description:
        "Everyone who has figures in the period, and every active agent and supervisor whose home unit is in the " +
        "subtree, by name.",
      resolve: (m) => m.members,
    }),
  }),
});

interface MyFigures {
  period: DayPeriod;
  timeZone: string;
  openAssigned: number;
  figures: StaffFigures;
}

const MyFiguresRef = builder.objectRef<MyFigures>("MyFigures").implement({
  description: "The caller's own figures over whole local days of their home unit, in every unit they worked in.",
  fields: (t) => ({
    timeZone: t.string({
      description: "The IANA zone whose calendar days the period covers.",
      resolve: (m) => m.timeZone,
    }),
    from: t.field({ type: "DateTime", description: "Start of the first day.", resolve: (m) => m.period.from }),
    to: t.field({ type: "DateTime", description: "End of the last day (exclusive).", resolve: (m) => m.period.to }),
    openAssigned: t.exposeInt("openAssigned", { description: "Open tickets assigned to you now." }),
    figures: t.field({ type: StaffFiguresRef, description: "Your figures.", resolve: (m) => m.figures }),
  }),
});

const DAY_MS = 86_400_000;
const DURATIONS = new Set(["firstResponse", "resolution"]);

function badInput(message: string, field: string) {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", argumentName: field } });
}

function periodOf(args: { from?: Date | null; to?: Date | null }, timeZone: string): DayPeriod {
  const to = args.to ?? new Date();
  const from = args.from ?? new Date(to.getTime() - 30 * DAY_MS);
  if (!(from.getTime() < to.getTime())) throw badInput("`from` must be before `to`.", "from");
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) throw badInput("At most three years.", "to");
  return dayPeriod(from, to, timeZone);
}

function unitInScope(ctx: Context, code: string): UnitNode {
  const unit = ctx.units.byCode(code);
  if (!unit || !(ctx.viewer as AuthenticatedViewer).unitIds.has(unit.id)) throw new UnknownUnitError(code);
  return unit;
}

/** The teams of several units over the same days, in two reads of the staff rollups and one of staff. */
async function teamsOf(
  ctx: Context,
  units: readonly UnitNode[],
  args: { from?: Date | null; to?: Date | null },
  info: GraphQLResolveInfo,
): Promise<Team[]> {
  if (!units.length) return [];
  // Units in one call share a zone in practice (a region's offices); the days follow the first.
  const period = periodOf(args, (units[0] as UnitNode).timeZone);
  const groups = units.map((unit) => ({ groupId: unit.id, unitIds: [...ctx.units.subtree(unit.id)] }));
  const readMembers = selectsField(info, "members");
  const allUnits = groups.flatMap((group) => group.unitIds);
  const [figures, open] = await Promise.all([
    teamFigures(ctx.db, groups, period, { durations: selectsAnywhere(info, DURATIONS) }),
    readMembers && selectsAnywhere(info, new Set(["openAssigned"]))
      ? openAssigned(ctx.db, allUnits)
      : Promise.resolve([]),
  ]);
  const acted = [...figures.values()].flatMap((team) => [...team.members.keys()]);
  const users = readMembers
    ? await ctx.db.prisma.user.findMany({
        where: {
          OR: [
            { id: { in: acted } },
            { unitId: { in: allUnits }, active: true, role: { in: ["AGENT", "UNIT_SUPERVISOR"] } },
          ],
        },
      })
    : [];
  const supervised = new Set<string>(["AGENT", "UNIT_SUPERVISOR"]);
  return units.map((unit, i) => {
    const team = figures.get(unit.id) ?? { totals: emptyStaffFigures(), members: new Map() };
    const subtree = new Set((groups[i] as { unitIds: number[] }).unitIds);
    const load = new Map<string, number>();
    for (const row of open) {
      if (subtree.has(row.unitId)) load.set(row.userId, (load.get(row.userId) ?? 0) + row.tickets);
    }
    const members = users
      .filter(
        (user) => team.members.has(user.id) || (user.active && supervised.has(user.role) && subtree.has(user.unitId)),
      )
      .map((user) => ({
        user,
        openAssigned: load.get(user.id) ?? 0,
        figures: team.members.get(user.id) ?? emptyStaffFigures(),
      }))
      .sort((a, b) => a.user.name.localeCompare(b.user.name) || a.user.id.localeCompare(b.user.id));
    return { unit, period, totals: team.totals, members };
  });
}

builder.queryFields((t) => ({
  teamFigures: t.field({
    type: TeamFiguresRef,
    description:
      "Each person's figures in a unit and every unit below it, and the team's, over [from, to) widened to whole " +
      "local days of the unit (default: the last 30 days). For supervisors, regional heads and the directorate, " +
      "within their scope; an agent reads their own through `myFigures`; API keys never see figures per person.",
    authScopes: { readTeamFigures: true },
    args: {
      code: t.arg.string({ required: true, description: "Unit code, e.g. KANIM-MALANG." }),
      from: t.arg({ type: "DateTime", description: "Start; default 30 days before `to`." }),
      to: t.arg({ type: "DateTime", description: "End, exclusive; default now." }),
    },
    resolve: async (_root, args, ctx, info) => {
      const [team] = await teamsOf(ctx, [unitInScope(ctx, args.code)], args, info);
      return team as Team;
    },
  }),
  subunitTeamFigures: t.field({
    type: [TeamFiguresRef],
    description:
      "The team of each unit directly below a unit (with their own descendants), computed together, ordered by " +
      "name: a regional office compares its offices' teams.",
    authScopes: { readTeamFigures: true },
    args: {
      code: t.arg.string({ required: true, description: "Code of the parent unit, e.g. KANWIL-JI." }),
      from: t.arg({ type: "DateTime", description: "Start; default 30 days before `to`." }),
      to: t.arg({ type: "DateTime", description: "End, exclusive; default now." }),
    },
    resolve: (_root, args, ctx, info) => {
      const parent = unitInScope(ctx, args.code);
      const viewer = ctx.viewer as AuthenticatedViewer;
      const children = ctx.units
        .children(parent.id)
        .filter((unit) => viewer.unitIds.has(unit.id))
        .sort((a, b) => a.name.localeCompare(b.name));
      return teamsOf(ctx, children, args, info);
    },
  }),
  myFigures: t.field({
    type: MyFiguresRef,
    description:
      "Your own figures over [from, to) widened to whole local days of your home unit (default: the last 30 days). " +
      "Staff only.",
    authScopes: { staff: true },
    args: {
      from: t.arg({ type: "DateTime", description: "Start; default 30 days before `to`." }),
      to: t.arg({ type: "DateTime", description: "End, exclusive; default now." }),
    },
    resolve: async (_root, args, ctx, info) => {
      const viewer = ctx.viewer as UserViewer;
      const timeZone = ctx.units.get(viewer.unitId)?.timeZone ?? "Asia/Jakarta";
      const period = periodOf(args, timeZone);
      const [figures, open] = await Promise.all([
        personFigures(ctx.db, viewer.userId, period, { durations: selectsAnywhere(info, DURATIONS) }),
        ctx.db.sql.prepared<{ tickets: number }>(
          "staff_my_open",
          "SELECT coalesce(sum(tickets), 0)::int AS tickets FROM queue_assignee WHERE assignee_id = $1::uuid",
          [viewer.userId],
        ),
      ]);
      return { period, timeZone, openAssigned: open[0]?.tickets ?? 0, figures };
    },
  }),
}));
