import type { TicketStatus } from "../../generated/prisma/enums.js";
import { builder } from "../../graphql/builder.js";
import type { Context } from "../../graphql/context.js";
import type { AuthenticatedViewer } from "../auth/viewer.js";
import { ClockKindEnum } from "../sla/sla-enums.schema.js";
import { ChannelEnum, TicketEventRef, TicketRef, TicketStatusEnum } from "../tickets/ticket.schema.js";
import { localId } from "../tickets/ticket-mutations.schema.js";
import { UnitRef } from "../units/unit.schema.js";
import { unitRow } from "../units/unit-repository.js";
import type { QueueSnapshot } from "./queue-snapshot.js";
import { RealtimeError, type SlaAlert, type Subscriber } from "./realtime.js";
import { type StreamedEvent, streamHead } from "./stream-store.js";

builder.subscriptionType({
  description:
    "Live streams over graphql-ws (WebSocket, subprotocol graphql-transport-ws) or server-sent events on " +
    "/graphql. Access is checked when a stream opens and again on every item it carries.",
});

function subscriberOf(ctx: Context): Subscriber {
  if (!ctx.authorization || ctx.viewer.kind === "anonymous") {
    throw new RealtimeError("UNAUTHENTICATED", "Sign in or send an API key first.");
  }
  return { viewer: ctx.viewer as AuthenticatedViewer, authorization: ctx.authorization };
}

const StatusCount = builder.objectRef<{ status: TicketStatus; count: number }>("QueueStatusCount").implement({
  description: "Open tickets in one status.",
  fields: (t) => ({
    status: t.field({ type: TicketStatusEnum, description: "The status.", resolve: (row) => row.status }),
    count: t.exposeInt("count", { description: "Tickets in it." }),
  }),
});

const ChannelCount = builder.objectRef<QueueSnapshot["byChannel"][number]>("QueueChannelCount").implement({
  description: "Open tickets that arrived through one channel.",
  fields: (t) => ({
    channel: t.field({ type: ChannelEnum, description: "The channel.", resolve: (row) => row.channel }),
    count: t.exposeInt("count", { description: "Tickets from it." }),
  }),
});

const QueueSnapshotRef = builder.objectRef<QueueSnapshot>("QueueSnapshot").implement({
  description: "The live queue of a unit and every unit below it, as of `computedAt`.",
  fields: (t) => ({
    unit: t.field({
      type: UnitRef,
      description: "The unit watched.",
      resolve: (snapshot, _args, ctx) => unitRow(ctx.units, snapshot.unitId),
    }),
    computedAt: t.field({
      type: "DateTime",
      description: "When these figures were read.",
      resolve: (s) => s.computedAt,
    }),
    open: t.exposeInt("open", { description: "Open tickets (not resolved, closed or rejected)." }),
    byStatus: t.field({
      type: [StatusCount],
      description: "Open tickets per open status, every open status listed.",
      resolve: (s) => s.byStatus,
    }),
    byChannel: t.field({
      type: [ChannelCount],
      description: "Open tickets per channel, largest first; channels with none are left out.",
      resolve: (s) => s.byChannel,
    }),
    unassigned: t.exposeInt("unassigned", { description: "Open tickets nobody is assigned to." }),
    waitingOnCitizen: t.exposeInt("waitingOnCitizen", {
      description: "Open tickets waiting for the citizen (their clocks are paused).",
    }),
    atRisk: t.exposeInt("atRisk", {
      description: "Open tickets with a clock at risk and none breached.",
    }),
    breached: t.exposeInt("breached", { description: "Open tickets with a breached clock." }),
    oldestWaitingSince: t.field({
      type: "DateTime",
      nullable: true,
      description: "When the oldest open ticket that waits on the unit (not on the citizen) was received.",
      resolve: (s) => s.oldestWaitingSince,
    }),
    oldestWaitingSeconds: t.int({
      nullable: true,
      description: "Age of that ticket at `computedAt`, in seconds of wall time.",
      resolve: (s) =>
        s.oldestWaitingSince
          ? Math.max(0, Math.round((s.computedAt.getTime() - s.oldestWaitingSince.getTime()) / 1000))
          : null,
    }),
    agentsActive: t.exposeInt("agentsActive", {
      description:
        "Agents (role AGENT, active) whose home unit is one of these units and who were seen at work in the last " +
        "15 minutes: they changed a ticket or held a live subscription open. Sightings are recorded at most " +
        "about once a minute per person, so an agent may count for up to a minute or two longer or later.",
    }),
    agents: t.exposeInt("agents", {
      description:
        "Agents (role AGENT, active accounts) whose home unit is one of these units, seen at work lately or not: " +
        "the people agentsActive is counted from, so it is never below agentsActive.",
    }),
    agentsWithOpenTickets: t.exposeInt("agentsWithOpenTickets", {
      description: "Staff with at least one open ticket of these units assigned.",
    }),
  }),
});

const SlaAlertStateEnum = builder.enumType("SlaAlertState", {
  description: "What an SLA alert announces.",
  values: {
    AT_RISK: { description: "The clock has used its at-risk share of the budget." },
    BREACHED: { description: "The clock passed its due time." },
  },
});

const SlaAlertRef = builder.objectRef<SlaAlert>("SlaAlert").implement({
  description: "A legal clock that became at risk or breached.",
  fields: (t) => ({
    sequence: t.string({
      description: "Stream position of the underlying event (see TicketEvent.sequence).",
      resolve: (alert) => alert.event.stream.position.toString(),
    }),
    state: t.field({
      type: SlaAlertStateEnum,
      description: "At risk or breached.",
      resolve: (alert) => (alert.event.type === "SLA_BREACHED" ? "BREACHED" : "AT_RISK"),
    }),
    clock: t.field({ type: ClockKindEnum, description: "Which clock.", resolve: (alert) => alert.clock }),
    dueAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When the clock is or was due.",
      resolve: (alert) => alert.dueAt,
    }),
    at: t.field({ type: "DateTime", description: "When it happened.", resolve: (alert) => alert.event.at }),
    event: t.field({ type: TicketEventRef, description: "The event itself.", resolve: (alert) => alert.event }),
  }),
});

function toAlert(event: StreamedEvent): SlaAlert {
  const data = (event.data ?? {}) as { clock?: string; dueAt?: string };
  return {
    event,
    clock: data.clock === "RESOLUTION" ? "RESOLUTION" : "FIRST_RESPONSE",
    dueAt: data.dueAt ? new Date(data.dueAt) : null,
  };
}

builder.queryField("eventStreamHead", (t) =>
  t.string({
    description:
      "The newest position of the event stream. A client that subscribes to `ticketEvents` with this as " +
      "`afterSequence` misses nothing that happens after it asked, even across a reconnect before its first event.",
    authScopes: { readTickets: true },
    resolve: async (_root, _args, ctx) => (await streamHead(ctx.db)).toString(),
  }),
);

builder.subscriptionFields((t) => ({
  ticketEvents: t.field({
    type: TicketEventRef,
    description:
      "Every event of the unit and the units below it, in stream order, with no gaps and no repeats. With " +
      "`afterSequence` the events after it are replayed from the log first (within the replay window), then " +
      "the live stream continues. A subscriber that falls too far behind gets SUBSCRIBER_TOO_SLOW with " +
      "`extensions.resumeAfter` and resubscribes from there.",
    authScopes: { readTickets: true },
    args: {
      unitCode: t.arg.string({ required: true, description: "The unit to watch, e.g. KANIM-MALANG." }),
      afterSequence: t.arg.string({ description: "The sequence of the last event the client has seen." }),
    },
    subscribe: async (_root, args, ctx) => {
      const subscriber = subscriberOf(ctx);
      const unit = ctx.realtime.unitFor(subscriber.viewer, args.unitCode);
      const after = await ctx.realtime.resumePoint(args.afterSequence);
      return ctx.realtime.ticketEvents(subscriber, unit, after);
    },
    resolve: (event) => event as never,
  }),
  slaAlerts: t.field({
    type: SlaAlertRef,
    description:
      "Clocks of the unit and the units below it that become at risk or breached, as it happens. A client " +
      "that reconnects passes the `sequence` of the last alert it saw as `afterSequence` and first gets every " +
      "alert it missed (within the replay window), in order, none twice; it may also pass `eventStreamHead` " +
      "read before its first subscription. A slow subscriber gets SUBSCRIBER_TOO_SLOW with " +
      "`extensions.resumeAfter`.",
    authScopes: { readTickets: true },
    args: {
      unitCode: t.arg.string({ required: true, description: "The unit to watch." }),
      afterSequence: t.arg.string({ description: "The sequence of the last alert the client has seen." }),
    },
    subscribe: async (_root, args, ctx) => {
      const subscriber = subscriberOf(ctx);
      const unit = ctx.realtime.unitFor(subscriber.viewer, args.unitCode);
      return ctx.realtime.slaAlerts(subscriber, unit, await ctx.realtime.resumePoint(args.afterSequence));
    },
    resolve: (event) => toAlert(event as StreamedEvent),
  }),
  queue: t.field({
    type: QueueSnapshotRef,
    description:
      "The live queue of the unit and the units below it: sent at once, then after changes, at most a few " +
      "times a second. Only the newest snapshot is kept for a slow client. Each snapshot is complete, so a " +
      "client that reconnects simply subscribes again: its first snapshot is the newest one computed, and a " +
      "change it does not include yet is followed by one that does within a moment.",
    authScopes: { readTickets: true },
    args: { unitCode: t.arg.string({ required: true, description: "The unit to watch." }) },
    subscribe: (_root, args, ctx) => {
      const subscriber = subscriberOf(ctx);
      return ctx.realtime.queue(subscriber, ctx.realtime.unitFor(subscriber.viewer, args.unitCode));
    },
    resolve: (snapshot) => snapshot as QueueSnapshot,
  }),
  ticket: t.field({
    type: TicketRef,
    description:
      "One ticket for a detail page: sent at once, then again after each of its events and when one of its " +
      "messages changes its delivery state. Each item is the " +
      "whole ticket as it stands, so a client that reconnects subscribes again and its first item already " +
      "reflects every change it missed; the history itself is in `Ticket.events`.",
    authScopes: { readTickets: true },
    args: { id: t.arg.id({ required: true, description: "The ticket's global id." }) },
    subscribe: (_root, args, ctx) => {
      const subscriber = subscriberOf(ctx);
      const id = localId(String(args.id), "Ticket", "id");
      return ctx.realtime.ticket(subscriber, id, () =>
        ctx.db.prisma.ticket.findFirst({ where: { id, unitId: { in: [...subscriber.viewer.unitIds] } } }),
      );
    },
    resolve: (ticket) => ticket as never,
  }),
}));
