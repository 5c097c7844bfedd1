import { ValidationError } from "../../errors.js";
import type { SlaPolicy } from "../../generated/prisma/client.js";
import { type ClockKind, Counting, HolidayKind, type TargetBasis, TargetUnit } from "../../generated/prisma/enums.js";
import { builder } from "../../graphql/builder.js";
import {
  ChannelEnum,
  PriorityEnum,
  TicketKindEnum,
  TicketStatusEnum,
  ticketInScope,
} from "../tickets/ticket.schema.js";
import { businessMinutesBetween } from "./clock/clock-math.js";
import { ClockKindEnum, SlaStateEnum, TargetBasisEnum } from "./sla-enums.schema.js";
import { policyStages, type StageTarget } from "./stages.js";

const TargetUnitEnum = builder.enumType(TargetUnit, {
  name: "TargetUnit",
  description:
    "MINUTES of counted time; WORKING_DAYS (the day of receipt is day 0, due at the close of the N-th working day); DAYS (calendar days, due at the end of the N-th local day).",
});
const CountingEnum = builder.enumType(Counting, {
  name: "Counting",
  description: "Whether a clock counts only the unit's business hours or all hours.",
});
const HolidayKindEnum = builder.enumType(HolidayKind, {
  name: "HolidayKind",
  description: "National holiday, collective leave (cuti bersama) or a regional day off.",
});

interface Target {
  amount: number;
  unit: TargetUnit;
  counting: Counting;
  basis: TargetBasis;
  source: string;
}

const firstResponseTarget = (p: SlaPolicy): Target => ({
  amount: p.firstResponseAmount,
  unit: p.firstResponseUnit,
  counting: p.firstResponseCounting,
  basis: p.firstResponseBasis,
  source: p.firstResponseSource,
});
const resolutionTarget = (p: SlaPolicy): Target => ({
  amount: p.resolutionAmount,
  unit: p.resolutionUnit,
  counting: p.resolutionCounting,
  basis: p.resolutionBasis,
  source: p.resolutionSource,
});

const targetOf = (p: SlaPolicy, kind: ClockKind): Target => {
  if (kind === "FIRST_RESPONSE") return firstResponseTarget(p);
  if (kind === "RESOLUTION") return resolutionTarget(p);
  const stage = policyStages(p.stages).find((s) => s.kind === kind);
  // A clock exists only for a stage of its policy version, which never changes.
  if (!stage) throw new Error(`policy ${p.code} v${p.version} has no ${kind} stage`);
  return stage;
};

const TargetRef = builder.objectRef<Target>("SlaTarget").implement({
  description: "How long a clock may run.",
  fields: (t) => ({
    amount: t.exposeFloat("amount", { description: "How many units." }),
    unit: t.expose("unit", { type: TargetUnitEnum, description: "Minutes, working days or calendar days." }),
    counting: t.expose("counting", { type: CountingEnum, description: "Business hours only or all hours." }),
    basis: t.expose("basis", {
      type: TargetBasisEnum,
      description: "LEGAL when a statute or regulation sets this target, INTERNAL when it is Pantau's own.",
    }),
    source: t.exposeString("source", {
      description:
        "Where this target comes from: for a LEGAL target the rule and its article, for an INTERNAL one the reason for the number (empty for versions saved without one).",
    }),
  }),
});

const StageRef = builder.objectRef<StageTarget>("SlaStage").implement({
  description: "One stage clock of a policy: which clock and its target.",
  fields: (t) => ({
    kind: t.expose("kind", { type: ClockKindEnum, description: "The clock this stage runs." }),
    target: t.field({ type: TargetRef, description: "How long the stage may run.", resolve: (stage) => stage }),
  }),
});

builder.prismaObject("SlaPolicy", {
  description:
    "One version of a service-level policy. Tickets are matched to the current versions by position (first match wins) and keep the version they matched.",
  fields: (t) => ({
    code: t.exposeString("code", { description: "Stable identifier across versions." }),
    version: t.exposeInt("version", { description: "Version number; edits add a version." }),
    current: t.exposeBoolean("current", { description: "Whether new tickets are matched against this version." }),
    name: t.exposeString("name", { description: "Name in Indonesian." }),
    position: t.exposeInt("position", { description: "Matching order; lower is tried first." }),
    matchKinds: t.expose("matchKinds", { type: [TicketKindEnum], description: "Kinds it applies to; empty = any." }),
    matchChannels: t.expose("matchChannels", {
      type: [ChannelEnum],
      description: "Channels it applies to; empty = any.",
    }),
    matchCategories: t.exposeStringList("matchCategories", {
      description: "Category codes it applies to (a category covers its subcategories); empty = any.",
    }),
    matchPriorities: t.expose("matchPriorities", { type: [PriorityEnum], description: "Priorities; empty = any." }),
    firstResponse: t.field({
      type: TargetRef,
      description: "Target for the first reply to the citizen.",
      resolve: (p) => firstResponseTarget(p),
    }),
    resolution: t.field({
      type: TargetRef,
      description: "Target for resolving the ticket.",
      resolve: (p) => resolutionTarget(p),
    }),
    extensionAmount: t.exposeFloat("extensionAmount", {
      nullable: true,
      description: "A one-time extension of the resolution target, in its unit, granted with a written reason (KIP).",
    }),
    pauseStatuses: t.expose("pauseStatuses", {
      type: [TicketStatusEnum],
      description: "Statuses in which both clocks pause.",
    }),
    atRiskRatio: t.exposeFloat("atRiskRatio", { description: "Share of the target after which a clock is at risk." }),
    legalSource: t.exposeString("legalSource", {
      description:
        "The rules the targets come from, in words; each target's own basis (legal or internal) and source are on firstResponse and resolution.",
    }),
    stages: t.field({
      type: [StageRef],
      description:
        "The stage clocks this policy adds to first response and resolution, e.g. a complaint's answer on its file (FILE_ANSWER), the citizen's time to complete it (FILE_LAPSE) and the examination from the complete file (EXAMINATION); empty for none.",
      resolve: (p) => policyStages(p.stages),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When this version was made." }),
  }),
});

export const HolidayRef = builder.prismaObject("Holiday", {
  description: "A day that is not a working day.",
  fields: (t) => ({
    id: t.exposeInt("id", { description: "Identifies the day for removeHoliday." }),
    date: t.string({ description: "Local date, YYYY-MM-DD.", resolve: (h) => h.date.toISOString().slice(0, 10) }),
    name: t.exposeString("name", { description: "Name in Indonesian." }),
    kind: t.expose("kind", { type: HolidayKindEnum, description: "National, cuti bersama or regional." }),
    unit: t.relation("unit", { nullable: true, description: "For a regional day: the unit (and its subtree)." }),
    source: t.exposeString("source", { nullable: true, description: "The decree it comes from." }),
    reason: t.exposeString("reason", {
      nullable: true,
      description: "Why a regional day was declared; null for national days and days loaded from decrees.",
    }),
  }),
});

builder.queryFields((t) => ({
  holidays: t.prismaField({
    type: ["Holiday"],
    authScopes: { authenticated: true },
    description: "National holidays, cuti bersama and the regional days of your units in a year, by date.",
    args: { year: t.arg.int({ required: true, description: "Calendar year, e.g. 2026." }) },
    resolve: (query, _root, { year }, ctx) => {
      if (year < 2000 || year > 2100) throw new ValidationError("year: must be between 2000 and 2100", "year");
      const unitIds = ctx.viewer.kind === "anonymous" ? [] : [...ctx.viewer.unitIds];
      return ctx.db.prisma.holiday.findMany({
        ...query,
        where: {
          date: { gte: new Date(Date.UTC(year, 0, 1)), lt: new Date(Date.UTC(year + 1, 0, 1)) },
          OR: [{ unitId: null }, { unitId: { in: unitIds } }],
        },
        orderBy: [{ date: "asc" }, { id: "asc" }],
      });
    },
  }),
  slaPolicies: t.prismaField({
    type: ["SlaPolicy"],
    authScopes: { authenticated: true },
    description: "The service-level policies in matching order; with includeHistory, older versions too.",
    args: { includeHistory: t.arg.boolean({ defaultValue: false, description: "Also list superseded versions." }) },
    resolve: (query, _root, { includeHistory }, ctx) =>
      ctx.db.prisma.slaPolicy.findMany({
        ...query,
        where: includeHistory ? {} : { current: true },
        orderBy: [{ position: "asc" }, { code: "asc" }, { version: "desc" }],
      }),
  }),
}));

builder.prismaObject("TicketClock", {
  name: "SlaClock",
  description: "One legal clock of a ticket: its target, due instant, state and the time left.",
  fields: (t) => ({
    kind: t.expose("kind", {
      type: ClockKindEnum,
      description: "First response, resolution, or one of the policy's stage clocks.",
    }),
    state: t.expose("state", {
      type: SlaStateEnum,
      description: "Running, paused, at risk, breached, met or rejected.",
    }),
    policy: t.relation("policy", { description: "The policy version the ticket is measured against." }),
    target: t.field({
      type: TargetRef,
      select: { policy: true },
      description: "The target of this clock under its policy.",
      resolve: (clock) => targetOf(clock.policy, clock.kind),
    }),
    startedAt: t.expose("startedAt", {
      type: "DateTime",
      description:
        "When the clock started: the ticket's receipt, or for a stage clock its start event (FILE_LAPSE: the answer that the file is incomplete; EXAMINATION: the file declared complete).",
    }),
    dueAt: t.expose("dueAt", {
      type: "DateTime",
      description: "When the target is reached if nothing changes (a pause moves it later).",
    }),
    atRiskAt: t.expose("atRiskAt", { type: "DateTime", description: "When the clock becomes at risk." }),
    elapsedMinutes: t.exposeFloat("elapsedMinutes", {
      description: "Counted time spent (business or all hours, per the target), as of the last evaluation.",
    }),
    budgetMinutes: t.exposeFloat("budgetMinutes", { description: "Counted time the target allows." }),
    remainingMinutes: t.float({
      description:
        "Counted time left now; negative once breached. Counted in the owning unit's business hours when the target counts business hours.",
      select: { ticket: { select: { unitId: true } }, policy: true },
      resolve: (clock, _args, ctx) => {
        if (clock.state === "MET" || clock.state === "REJECTED" || clock.state === "PAUSED")
          return clock.budgetMinutes - clock.elapsedMinutes;
        const { counting } = targetOf(clock.policy, clock.kind);
        const now = new Date();
        if (counting === "ALL_HOURS") return (clock.dueAt.getTime() - now.getTime()) / 60_000;
        const calendar = ctx.calendars().calendarFor(clock.ticket.unitId);
        return clock.dueAt >= now
          ? businessMinutesBetween(calendar, now, clock.dueAt)
          : -businessMinutesBetween(calendar, clock.dueAt, now);
      },
    }),
    pausedMinutes: t.exposeFloat("pausedMinutes", { description: "Wall-clock minutes spent paused so far." }),
    metAt: t.expose("metAt", { type: "DateTime", nullable: true, description: "When the goal was reached." }),
    breachedAt: t.expose("breachedAt", {
      type: "DateTime",
      nullable: true,
      description: "When the target was passed without the goal reached.",
    }),
    extendedAt: t.expose("extendedAt", {
      type: "DateTime",
      nullable: true,
      description: "When the one-time extension was granted.",
    }),
  }),
});

builder.prismaObjectField("Ticket", "sla", (t) =>
  t.relation("clocks", {
    description:
      "The ticket's clocks: first response and resolution, and the stage clocks of its policy that have started.",
    authScopes: ticketInScope,
    query: { orderBy: { kind: "asc" } },
  }),
);
