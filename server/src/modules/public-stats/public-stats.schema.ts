import { NotFoundError, ValidationError } from "../../errors.js";
import { builder } from "../../graphql/builder.js";
import "../../graphql/errors.js";
import { PublicUnitRef } from "../public-intake/public-intake.schema.js";
import { ChannelEnum } from "../tickets/ticket.schema.js";
import type { PublicChannelCount, PublicFigures, PublicStatistics } from "./public-stats-service.js";
import { publicStatistics } from "./public-stats-service.js";

const PUBLIC = { public: true } as const;

const PublicFiguresRef = builder.objectRef<PublicFigures>("PublicFigures").implement({
  description:
    "A unit's month in figures anyone may see. Counts from 1 to 4, and medians and shares computed from fewer " +
    "than 5 cases, are withheld (null); a second count is withheld beside a lone withheld one, so that no " +
    "small count can be recovered by subtraction. No personal data and no ticket text.",
  authScopes: PUBLIC,
  fields: (t) => ({
    received: t.int({
      nullable: true,
      description: "Tickets received in the month (null: withheld).",
      resolve: (f) => f.received,
    }),
    resolved: t.int({
      nullable: true,
      description: "Tickets resolved in the month (null: withheld).",
      resolve: (f) => f.resolved,
    }),
    withinDeadlinePercent: t.float({
      nullable: true,
      description:
        "Of the resolution deadlines that fell due or were met in the month, the share met, in percent (one " +
        "decimal). The deadline is the one the ticket's service standard or statute sets.",
      resolve: (f) => f.withinDeadlinePercent,
    }),
    medianFirstResponseMinutes: t.int({
      nullable: true,
      description: "Median calendar time from receipt to the first reply, in minutes, over first replies in the month.",
      resolve: (f) => f.medianFirstResponseMinutes,
    }),
    medianResolutionMinutes: t.int({
      nullable: true,
      description: "Median calendar time from receipt to resolution, in minutes, over resolutions in the month.",
      resolve: (f) => f.medianResolutionMinutes,
    }),
    suppressed: t.boolean({
      description: "Whether any figure here was withheld because it rested on too few cases.",
      resolve: (f) => f.suppressed,
    }),
  }),
});

const PublicChannelCountRef = builder.objectRef<PublicChannelCount>("PublicChannelCount").implement({
  description: "How many tickets of the month came by one channel.",
  authScopes: PUBLIC,
  fields: (t) => ({
    channel: t.field({ type: ChannelEnum, description: "The channel.", resolve: (c) => c.channel }),
    received: t.int({
      nullable: true,
      description: "Tickets received by it (null: withheld).",
      resolve: (c) => c.received,
    }),
  }),
});

const PublicUnitFiguresRef = builder.objectRef<PublicStatistics["subunits"][number]>("PublicUnitFigures").implement({
  description: "One unit below the one asked for, with its own descendants, over the same month.",
  authScopes: PUBLIC,
  fields: (t) => ({
    unit: t.field({ type: PublicUnitRef, description: "The unit.", resolve: (row) => row.unit }),
    figures: t.field({ type: PublicFiguresRef, description: "Its figures.", resolve: (row) => row.figures }),
  }),
});

const PublicStatisticsRef = builder.objectRef<PublicStatistics>("PublicStatistics").implement({
  description: "Public statistics of one unit (with its descendants) for one calendar month in the unit's time zone.",
  authScopes: PUBLIC,
  fields: (t) => ({
    month: t.exposeString("month", { description: "The month, YYYY-MM." }),
    complete: t.exposeBoolean("complete", { description: "False while the month is still running." }),
    from: t.expose("from", { type: "DateTime", description: "Start of the month in the unit's time zone." }),
    to: t.expose("to", { type: "DateTime", description: "End of the month (exclusive)." }),
    unit: t.field({ type: PublicUnitRef, description: "The unit the figures are for.", resolve: (s) => s.unit }),
    figures: t.field({ type: PublicFiguresRef, description: "The unit's own figures.", resolve: (s) => s.figures }),
    channels: t.field({
      type: [PublicChannelCountRef],
      description: "Where the month's tickets came from, largest first; channels with none are left out.",
      resolve: (s) => s.channels,
    }),
    subunits: t.field({
      type: [PublicUnitFiguresRef],
      description:
        "Each unit directly below, by name: the regional offices of the directorate, the offices of a region.",
      resolve: (s) => s.subunits,
    }),
    smallCountThreshold: t.int({
      description: "Counts below this are withheld.",
      resolve: (s) => s.threshold,
    }),
    computedAt: t.expose("computedAt", {
      type: "DateTime",
      description: "When these figures were computed; they are cached for a few minutes (an hour for past months).",
    }),
  }),
});

builder.queryField("publicStatistics", (t) =>
  t.field({
    type: PublicStatisticsRef,
    authScopes: PUBLIC,
    description:
      "Monthly figures of a unit and the units below it, for anyone: received, resolved, share within the " +
      "deadline, median first response and resolution time, and the channel mix. Small counts are withheld. " +
      "Anonymous; also at /open-data/statistics.json and .csv.",
    errors: { types: [ValidationError, NotFoundError], dataField: { name: "statistics" } },
    args: {
      month: t.arg.string({ required: true, description: "The month, YYYY-MM, from 2020-01 to the current one." }),
      unitCode: t.arg.string({ description: "A unit from publicUnits; default the directorate general (national)." }),
    },
    resolve: (_root, args, ctx) => publicStatistics({ db: ctx.db, units: ctx.units }, args),
  }),
);
