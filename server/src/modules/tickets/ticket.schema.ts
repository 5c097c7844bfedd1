import { PothosValidationError } from "@pothos/core";
import { queryFromInfo } from "@pothos/plugin-prisma";
import type { GraphQLResolveInfo } from "graphql";
import type { Ticket } from "../../generated/prisma/client.js";
import {
  Channel,
  MessageVisibility,
  Priority,
  TicketEventType,
  TicketKind,
  TicketStatus,
} from "../../generated/prisma/enums.js";
import { builder } from "../../graphql/builder.js";
import type { Context } from "../../graphql/context.js";
import { fieldsAt, selectsField } from "../../graphql/selection.js";
import { canReadTickets, canSeePersonalData, nodeUnitIds, uuidOrNone } from "../auth/viewer.js";
import { SlaStateEnum } from "../sla/sla-enums.schema.js";
import { UnitRef, unitInScope } from "../units/unit.schema.js";
import { unitRow } from "../units/unit-repository.js";
import { maskEmail, maskName, maskPhone } from "./masking.js";
import type { PersonalField } from "./personal-data-log.js";
import { allowedActions } from "./status-machine.js";
import { cappedCount, MAX_ASSIGNEES, MAX_COUNTED_TICKETS, pagePlan, ticketWhere } from "./ticket-filter.js";
import { DEFAULT_ORDER, encodeCursor, keysetAfter, orderByOf } from "./ticket-order.js";

export const TicketKindEnum = builder.enumType(TicketKind, {
  name: "TicketKind",
  description: "What the citizen is asking for.",
});
export const ChannelEnum = builder.enumType(Channel, {
  name: "Channel",
  description: "How the ticket reached the unit.",
});
export const PriorityEnum = builder.enumType(Priority, { name: "Priority", description: "Urgency set at triage." });
export const TicketStatusEnum = builder.enumType(TicketStatus, {
  name: "TicketStatus",
  description: "Where the ticket is in its lifecycle.",
});
export const TicketEventTypeEnum = builder.enumType(TicketEventType, {
  name: "TicketEventType",
  description: "What happened to a ticket.",
});
const MessageVisibilityEnum = builder.enumType(MessageVisibility, {
  name: "MessageVisibility",
  description:
    "A public reply goes to the citizen; an internal note stays with staff; a citizen message is the citizen's own, " +
    "received on a channel (WhatsApp).",
});
const TicketActionEnum = builder.enumType("TicketAction", {
  description: "A lifecycle action, as offered by Ticket.allowedActions.",
  values: [
    "triage",
    "assign",
    "transfer",
    "reply",
    "note",
    "waitOnCitizen",
    "resume",
    "resolve",
    "close",
    "reopen",
    "reject",
    "extend",
    "rate",
    "fileIncomplete",
    "fileComplete",
  ] as const,
});

builder.prismaObject("Category", {
  description: "A topic in the category tree (passport, visa, stay permits, …).",
  fields: (t) => ({
    code: t.exposeString("code", { description: "Stable code, e.g. PASSPORT_MPASPOR_QUOTA." }),
    name: t.exposeString("name", { description: "Name in Indonesian." }),
    nameEn: t.exposeString("nameEn", { description: "Name in English." }),
    parent: t.relation("parent", { nullable: true, description: "The broader category." }),
    children: t.relation("children", {
      description: "Narrower categories, in order; retired ones only when asked.",
      args: { includeRetired: t.arg.boolean({ defaultValue: false, description: "Also list retired ones." }) },
      query: ({ includeRetired }) => ({
        orderBy: { position: "asc" },
        ...(includeRetired ? {} : { where: { retiredAt: null } }),
      }),
    }),
    retiredAt: t.expose("retiredAt", {
      type: "DateTime",
      nullable: true,
      description: "When it was retired: tickets filed under it keep it, new ones cannot choose it. Null while in use.",
    }),
  }),
});

builder.prismaObject("Attachment", {
  description:
    "A file that came with a citizen's message (an e-mail attachment): what it is, and whether Pantau kept its " +
    "content (within the size limit and the accepted types) or only recorded it. Personal data: listed only to " +
    "those entitled to the reporter's data.",
  select: { id: true },
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier of the attachment." }),
    filename: t.exposeString("filename", { description: "The name the sender gave the file, without any path." }),
    contentType: t.exposeString("contentType", {
      description: "Its media type, e.g. application/pdf (judged by the name's extension when the sender gave none).",
    }),
    sizeBytes: t.exposeInt("sizeBytes", { description: "Its size in bytes, as it came." }),
    sha256: t.exposeString("sha256", {
      nullable: true,
      description: "The SHA-256 of the content, hexadecimal; null when the content was not kept.",
    }),
    stored: t.boolean({
      description: "Whether Pantau kept the content; false when it was over the size limit or of a type not accepted.",
      select: { sha256: true },
      resolve: (row) => row.sha256 !== null,
    }),
    refusedReason: t.exposeString("refusedReason", {
      nullable: true,
      description: "Why the content was not kept (too large, a type not accepted), or null when it was.",
    }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it arrived." }),
  }),
});

builder.prismaObject("Message", {
  description: "A public reply to the citizen, an internal note, or the citizen's own message received on a channel.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier of the message." }),
    visibility: t.expose("visibility", { type: MessageVisibilityEnum, description: "Who can read it." }),
    body: t.exposeString("body", { description: "The text." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was written." }),
    author: t.relation("author", {
      nullable: true,
      description: "The staff member who wrote it; null for a citizen's message.",
    }),
    delivery: t.relation("outbound", {
      nullable: true,
      description:
        "How a public reply travels to the citizen: null for internal notes, and for replies Pantau does not send " +
        "(channels without a driver yet, no contact on file, or the channel not configured for the unit).",
    }),
    attachments: t.relation("attachments", {
      description:
        "The files that came with a citizen's message, in their order; empty for staff messages, and for callers " +
        "not entitled to the reporter's data.",
      query: (_args, ctx) => ({
        orderBy: [{ position: "asc" }],
        where: canSeePersonalData(ctx.viewer) ? {} : { id: { in: [] } },
      }),
    }),
  }),
});

/** A ticket's messages come in pages: a note may be 10 kB, and a busy ticket has hundreds. */
export const MAX_MESSAGES_PAGE = 100;

function messagesPageSize(first: number | null | undefined): number {
  const size = first ?? MAX_MESSAGES_PAGE;
  if (size < 0 || size > MAX_MESSAGES_PAGE) {
    throw new PothosValidationError(`messages(first:) must be between 0 and ${MAX_MESSAGES_PAGE}; it was ${size}.`);
  }
  return size;
}

function messageId(after: string): string {
  if (!UUID.test(after)) throw new PothosValidationError(`messages(after:) is not the id of a message: ${after}`);
  return after;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ReporterShape {
  ticketId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  masked: boolean;
}

function logged(reporter: ReporterShape, field: PersonalField, ctx: Context): string | null {
  const value = reporter[field];
  if (value !== null && !reporter.masked) ctx.personalData.record(reporter.ticketId, field);
  return value;
}

const ReporterRef = builder.objectRef<ReporterShape>("Reporter").implement({
  description:
    "Who submitted the ticket. Personal data (Perpres 76/2013): masked unless the caller handles tickets or holds the personal-data scope.",
  fields: (t) => ({
    // Each unmasked value handed out is noted for the personal-data access log.
    name: t.string({
      nullable: true,
      description: "Name, masked when not entitled.",
      resolve: (reporter, _args, ctx) => logged(reporter, "name", ctx),
    }),
    email: t.string({
      nullable: true,
      description: "E-mail address, masked when not entitled.",
      resolve: (reporter, _args, ctx) => logged(reporter, "email", ctx),
    }),
    phone: t.string({
      nullable: true,
      description: "Phone number, masked when not entitled.",
      resolve: (reporter, _args, ctx) => logged(reporter, "phone", ctx),
    }),
    masked: t.exposeBoolean("masked", { description: "True when the values above are masked." }),
  }),
});

/**
 * Whether the ticket is in the caller's scope now. Only an action that moves a ticket out (a transfer)
 * answers with a ticket outside it: what belongs to the ticket's record (its history, messages, clocks,
 * reporter and assignee) is then refused like any out-of-scope read, and only what names it stays.
 */
export const ticketInScope = (ticket: Ticket, _args: unknown, ctx: Context) => unitInScope(ticket.unitId, ctx);

export const TicketRef = builder.prismaNode("Ticket", {
  id: { field: "id" },
  description: "An information request, complaint or other contact from a citizen, with its legal clock.",
  authScopes: { readTickets: true },
  nullable: true,
  findUnique: (id, ctx) => ({ id: uuidOrNone(id), unitId: { in: nodeUnitIds(ctx.viewer, canReadTickets) } }),
  fields: (t) => ({
    number: t.exposeString("number", { description: "Human-friendly number for citizens, e.g. IMI-2026-0000123." }),
    subject: t.exposeString("subject", { description: "Short summary." }),
    description: t.exposeString("description", { description: "The citizen's request or complaint in full." }),
    kind: t.expose("kind", { type: TicketKindEnum, description: "What the citizen is asking for." }),
    channel: t.expose("channel", { type: ChannelEnum, description: "How it arrived." }),
    category: t.relation("category", { nullable: true, description: "Topic, set at intake or triage." }),
    priority: t.expose("priority", { type: PriorityEnum, description: "Urgency." }),
    status: t.expose("status", { type: TicketStatusEnum, description: "Lifecycle status." }),
    unit: t.field({
      type: UnitRef,
      description: "The unit that owns the ticket now.",
      // From the unit tree, like an event's unit: still named after a transfer moved the ticket out of scope.
      resolve: (ticket, _args, ctx) => unitRow(ctx.units, ticket.unitId),
    }),
    inScope: t.boolean({
      description:
        "Whether the ticket is in your scope. False in the answer to an action that moved it out (a transfer): " +
        "the action is done, and from then on only what that answer carries is yours to read.",
      resolve: ticketInScope,
    }),
    assignee: t.relation("assignee", {
      nullable: true,
      description: "The agent working on it.",
      authScopes: ticketInScope,
    }),
    externalRef: t.exposeString("externalRef", {
      nullable: true,
      description: "Tracking number in the originating system, e.g. an SP4N-LAPOR! report.",
    }),
    reporter: t.field({
      type: ReporterRef,
      description: "Who submitted it; masked unless you are entitled to personal data.",
      authScopes: ticketInScope,
      resolve: (ticket, _args, ctx) => {
        const entitled = canSeePersonalData(ctx.viewer);
        return {
          ticketId: ticket.id,
          name: entitled ? ticket.reporterName : maskName(ticket.reporterName),
          email: entitled ? ticket.reporterEmail : maskEmail(ticket.reporterEmail),
          phone: entitled ? ticket.reporterPhone : maskPhone(ticket.reporterPhone),
          masked: !entitled,
        };
      },
    }),
    reopenCount: t.exposeInt("reopenCount", { description: "How often it was reopened." }),
    transferCount: t.exposeInt("transferCount", { description: "How often it moved to another unit." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was received." }),
    updatedAt: t.expose("updatedAt", { type: "DateTime", description: "When anything last changed." }),
    triagedAt: t.expose("triagedAt", { type: "DateTime", nullable: true, description: "When it was triaged." }),
    firstRespondedAt: t.expose("firstRespondedAt", {
      type: "DateTime",
      nullable: true,
      description: "When the citizen first got a reply.",
    }),
    resolvedAt: t.expose("resolvedAt", { type: "DateTime", nullable: true, description: "When it was resolved." }),
    closedAt: t.expose("closedAt", {
      type: "DateTime",
      nullable: true,
      description: "When it was closed or rejected.",
    }),
    nextDueAt: t.expose("nextDueAt", {
      type: "DateTime",
      nullable: true,
      description:
        "The next deadline: the earliest due instant of the clocks still counting down (running, at risk, or " +
        "breached and not yet answered; an overdue one is in the past). Null while the ticket waits on the " +
        "citizen, once it is resolved, closed or rejected, and when no policy times it. The key of NEXT_DUE order.",
    }),
    allowedActions: t.field({
      type: [TicketActionEnum],
      description: "Lifecycle actions the status allows now (your role may still refuse some).",
      resolve: (ticket) => allowedActions(ticket.status),
    }),
    events: t.relatedConnection("events", {
      cursor: "sequence",
      description: "Everything that happened to the ticket, oldest first.",
      authScopes: ticketInScope,
      query: { orderBy: { sequence: "asc" } },
      maxSize: 100,
    }),
    attachments: t.relation("attachments", {
      description:
        "Every file that came with the citizen's messages (the first one's and later ones'), oldest first; empty for " +
        "callers not entitled to the reporter's data.",
      query: (_args, ctx) => ({
        orderBy: [{ createdAt: "asc" }, { position: "asc" }],
        where: canSeePersonalData(ctx.viewer) ? {} : { id: { in: [] } },
        take: 100,
      }),
    }),
    messages: t.relation("messages", {
      description: `Replies and notes, oldest first, at most ${MAX_MESSAGES_PAGE} at once. API keys see public replies only.`,
      authScopes: ticketInScope,
      args: {
        first: t.arg.int({
          required: false,
          description: `How many messages, from 0 to ${MAX_MESSAGES_PAGE} (the default).`,
        }),
        after: t.arg.id({
          required: false,
          description: "The id of the last message already read: the page starts after it.",
        }),
      },
      query: ({ first, after }, ctx) => ({
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        where: ctx.viewer.kind === "user" ? {} : { visibility: "PUBLIC_REPLY" },
        take: messagesPageSize(first),
        ...(after ? { cursor: { id: messageId(String(after)) }, skip: 1 } : {}),
      }),
    }),
  }),
});

export const TicketEventRef = builder.prismaNode("TicketEvent", {
  id: { field: "sequence" },
  // Always read with the event: a streamed event already carries it, so a subscriber costs no query.
  include: { stream: { select: { position: true } } },
  description: "One entry of a ticket's append-only history.",
  authScopes: { readTickets: true },
  nullable: true,
  findUnique: (sequence, ctx) => ({
    sequence: /^\d{1,18}$/.test(sequence) ? BigInt(sequence) : -1n,
    unitId: { in: nodeUnitIds(ctx.viewer, canReadTickets) },
  }),
  fields: (t) => ({
    sequence: t.string({
      nullable: true,
      description:
        "Position of the event in the event stream, in commit order and without gaps: a client that has seen " +
        "N has seen every earlier event, and resumes `ticketEvents` with `afterSequence: N`. Null for the few " +
        "milliseconds between the change committing and the event being ordered. A string: it may exceed 2^53.",
      resolve: (event) => (event as StreamPositioned).stream?.position.toString() ?? null,
    }),
    type: t.expose("type", { type: TicketEventTypeEnum, description: "What happened." }),
    at: t.expose("at", { type: "DateTime", description: "When it happened." }),
    actor: t.relation("actor", { nullable: true, description: "The staff member who acted, if a person did." }),
    assignee: t.prismaField({
      type: "User",
      nullable: true,
      description: "For an assignment (ASSIGNED), the staff member the ticket was given to; null for other events.",
      // Named like `actor`: whoever the ticket was given to, also after it left their unit. Prisma batches the
      // findUnique calls of one tick, so a timeline of assignments is one query.
      resolve: (query, event, _args, ctx) => {
        const id = event.type === "ASSIGNED" ? (event.data as { assigneeId?: unknown } | null)?.assigneeId : null;
        return typeof id === "string" && id === uuidOrNone(id)
          ? ctx.db.prisma.user.findUnique({ ...query, where: { id } })
          : null;
      },
    }),
    actorLabel: t.exposeString("actorLabel", {
      nullable: true,
      description: "Who acted when it was not a person: system, simulator or an API key.",
    }),
    ticket: t.field({
      type: TicketRef,
      nullable: true,
      description: "The ticket; null when it has since moved outside your scope (e.g. transferred to another region).",
      // Streamed events arrive with their ticket read once for all subscribers; others are loaded here
      // (Prisma batches the findUnique calls of one tick into one query).
      resolve: (event, _args, ctx) => {
        const visible = (ticket: Ticket | null) =>
          ticket && ctx.viewer.kind !== "anonymous" && ctx.viewer.unitIds.has(ticket.unitId) ? ticket : null;
        const attached = (event as StreamPositioned).ticket;
        if (attached) return visible(attached);
        return ctx.db.prisma.ticket.findUnique({ where: { id: event.ticketId } }).then(visible);
      },
    }),
    unit: t.field({
      type: UnitRef,
      description: "The unit that owned the ticket when it happened (for a transfer, the receiving unit).",
      // Units are public within the API and few; by id, so an event from another scope still names its unit.
      resolve: (event, _args, ctx) => unitRow(ctx.units, event.unitId),
    }),
    data: t.expose("data", {
      type: "JSON",
      description: "Details: status change (from, to), message id, reason, units of a transfer, assignee.",
    }),
  }),
});

/** What a TicketEvent row may carry beyond its columns. */
interface StreamPositioned {
  stream?: { position: bigint } | null;
  ticket?: Ticket;
}

const TicketOrderField = builder.enumType("TicketOrderField", {
  description: "What tickets can be sorted by. Every order ends with the id, so pages are stable.",
  values: {
    CREATED_AT: { description: "When the ticket was received; ties by id in the same direction." },
    NEXT_DUE: {
      description:
        "The next deadline (Ticket.nextDueAt): ASC is the work queue, overdue and soonest first; DESC latest " +
        "first. Tickets without a running deadline (waiting on the citizen, finished, untimed) come last in both " +
        "directions. Ties by id in the same direction. Quickest with a `status` filter of open statuses, which an " +
        "index of open tickets by unit and deadline serves.",
    },
    PRIORITY: {
      description:
        "Priority: DESC puts URGENT first, ASC LOW first. Within a priority always the soonest deadline first " +
        "(tickets without one last), then id ascending.",
    },
  },
});
const OrderDirection = builder.enumType("OrderDirection", {
  description: "Sort direction of the order's field.",
  values: {
    ASC: { description: "Ascending: oldest, soonest deadline or lowest priority first." },
    DESC: { description: "Descending: newest, latest deadline or highest priority first." },
  },
});
const TicketOrder = builder.inputType("TicketOrder", {
  description: "Sort order of a ticket list; ties are broken by id so pages are stable.",
  fields: (t) => ({
    field: t.field({ type: TicketOrderField, required: true, description: "Sort key." }),
    direction: t.field({ type: OrderDirection, required: true, description: "Direction." }),
  }),
});

const TicketEventFilterInput = builder.inputType("TicketEventFilter", {
  description: "An event the ticket must have, recorded while a unit of the given subtree owned it.",
  fields: (t) => ({
    type: t.field({ type: [TicketEventTypeEnum], required: true, description: "Any of these event types." }),
    unitCode: t.string({ description: "The owning unit at the time: this unit and all below it." }),
    from: t.field({ type: "DateTime", description: "Recorded at or after this instant." }),
    to: t.field({ type: "DateTime", description: "Recorded before this instant." }),
    actor: t.id({
      description:
        "Recorded by this person (global id of a User; staff only, VALIDATION_FAILED for an API key): traces a " +
        "figure per person to its tickets, e.g. a person's `resolved` is `{ type: [RESOLVED], actor, unitCode, from, to }`.",
    }),
  }),
});

const TicketFilterInput = builder.inputType("TicketFilter", {
  description: "Narrows a ticket list. Every list field matches any of its values; fields combine with AND.",
  fields: (t) => ({
    unitCode: t.string({ description: "This unit and all units below it." }),
    status: t.field({ type: [TicketStatusEnum], description: "Any of these statuses." }),
    kind: t.field({ type: [TicketKindEnum], description: "Any of these kinds." }),
    channel: t.field({ type: [ChannelEnum], description: "Any of these channels." }),
    priority: t.field({ type: [PriorityEnum], description: "Any of these priorities." }),
    category: t.stringList({
      description: "Any of these category codes; a broad category includes its narrower ones (max 50).",
    }),
    createdFrom: t.field({ type: "DateTime", description: "Received at or after this instant." }),
    createdTo: t.field({ type: "DateTime", description: "Received before this instant." }),
    search: t.string({
      description:
        "A ticket number (exact), or text found anywhere in the subject or description (case-insensitive, at most " +
        "100 characters, with at least 3 letters or digits in a row: shorter terms are refused with VALIDATION_FAILED).",
    }),
    slaState: t.field({
      type: [SlaStateEnum],
      description: "Tickets with at least one clock in any of these states.",
    }),
    event: t.field({
      type: TicketEventFilterInput,
      description:
        "Tickets with a matching event: how a metric is traced to its tickets (e.g. `created` of a unit is " +
        "`{ type: [CREATED], unitCode, from, to }`, `breaches` is `{ type: [SLA_BREACHED], … }`).",
    }),
    assignee: t.idList({
      description:
        `Assigned to any of these users (global ids of User, at most ${MAX_ASSIGNEES}). Only narrows the list: ` +
        "a user outside your scope finds nothing.",
    }),
    assignedToMe: t.boolean({
      description:
        "True: assigned to you; false: not assigned to you (someone else's or nobody's). Only for signed-in " +
        "users: an API key gets VALIDATION_FAILED.",
    }),
    unassigned: t.boolean({ description: "True: assigned to nobody yet; false: assigned to someone." }),
  }),
});

/**
 * The columns each Ticket field reads, so that a list reads only what its page shows (a page of numbers
 * and statuses need not carry every description). Relations are loaded as queryFromInfo plans them.
 * A field not listed here makes the list read whole rows, so a new field is never left without its data.
 */
const TICKET_FIELD_COLUMNS: Readonly<Record<string, readonly (keyof Ticket)[]>> = {
  __typename: [],
  id: [],
  number: ["number"],
  subject: ["subject"],
  description: ["description"],
  kind: ["kind"],
  channel: ["channel"],
  category: ["categoryId"],
  priority: ["priority"],
  status: ["status"],
  unit: [],
  inScope: [],
  assignee: ["assigneeId"],
  externalRef: ["externalRef"],
  reporter: ["reporterName", "reporterEmail", "reporterPhone"],
  reopenCount: ["reopenCount"],
  transferCount: ["transferCount"],
  createdAt: [],
  updatedAt: ["updatedAt"],
  triagedAt: ["triagedAt"],
  firstRespondedAt: ["firstRespondedAt"],
  resolvedAt: ["resolvedAt"],
  closedAt: ["closedAt"],
  nextDueAt: ["nextDueAt"],
  allowedActions: ["status"],
  events: [],
  messages: [],
  sla: [],
};
/** Read for every listed ticket: the node id, the cursor's sort key and the owning unit. */
const TICKET_KEY_COLUMNS: readonly (keyof Ticket)[] = ["id", "createdAt", "nextDueAt", "priority", "unitId"];

const countOf = (connection: unknown) =>
  (connection as { count: () => Promise<{ totalCount: number; capped: boolean }> }).count();

function pageQuery(ctx: Context, info: GraphQLResolveInfo) {
  const planned = queryFromInfo({ context: ctx, info, typeName: "Ticket", path: ["edges", "node"] }) as {
    include?: Record<string, unknown>;
  };
  const fields = fieldsAt(info, ["edges", "node"]);
  if (!fields || [...fields].some((field) => !(field in TICKET_FIELD_COLUMNS))) return planned;
  const columns = [...TICKET_KEY_COLUMNS, ...[...fields].flatMap((field) => TICKET_FIELD_COLUMNS[field] ?? [])];
  return { select: { ...Object.fromEntries(columns.map((column) => [column, true])), ...planned.include } };
}

builder.queryFields((t) => ({
  ticket: t.prismaField({
    type: "Ticket",
    nullable: true,
    authScopes: { readTickets: true },
    description: "A ticket by its number; null when unknown or outside your scope.",
    args: { number: t.arg.string({ required: true, description: "Ticket number, e.g. IMI-2026-0000123." }) },
    resolve: (query, _root, { number }, ctx) =>
      ctx.viewer.kind === "anonymous" || number.length > 32
        ? null
        : ctx.db.prisma.ticket.findFirst({
            ...query,
            where: { number: number.toUpperCase(), unitId: { in: [...ctx.viewer.unitIds] } },
          }),
  }),
  tickets: t.connection(
    {
      type: TicketRef,
      authScopes: { readTickets: true },
      description:
        "Tickets in your scope, newest first by default. Keyset pagination; first/last at most 100. A cursor " +
        "holds its row's sort key, so paging on while tickets are added or change neither repeats nor skips the " +
        "rows that kept their place; a cursor of another order is refused with VALIDATION_FAILED.",
      args: {
        filter: t.arg({ type: TicketFilterInput, description: "Narrows the list." }),
        orderBy: t.arg({ type: TicketOrder, description: "Sort order; default CREATED_AT DESC." }),
      },
      resolve: async (_root, args, ctx, info) => {
        if (ctx.viewer.kind === "anonymous") throw new Error("unreachable: guarded by authScopes");
        const where = ticketWhere(ctx.viewer, ctx.units, args.filter ?? {});
        const order = args.orderBy ?? DEFAULT_ORDER;
        const plan = pagePlan(args, order);
        // One count serves totalCount and totalCountIsCapped. It stops after MAX_COUNTED_TICKETS + 1 rows,
        // read in the page's order so that the same indexes serve it; it runs beside the page query when the
        // client asks for it, not after it.
        let counting: Promise<{ totalCount: number; capped: boolean }> | null = null;
        const count = () => {
          counting ??= ctx.db.prisma.ticket
            .count({ where, take: MAX_COUNTED_TICKETS + 1, orderBy: [{ createdAt: "desc" }, { id: "desc" }] })
            .then(cappedCount);
          return counting;
        };
        if (selectsField(info, "totalCount") || selectsField(info, "totalCountIsCapped")) count().catch(() => {});
        const rows =
          plan.size === 0
            ? []
            : await ctx.db.prisma.ticket.findMany({
                ...pageQuery(ctx, info),
                where: plan.cursor ? { AND: [where, keysetAfter(plan.sort, plan.cursor)] } : where,
                orderBy: orderByOf(plan.sort),
                take: plan.size + 1,
              });
        const more = rows.length > plan.size;
        const page = rows.slice(0, plan.size);
        if (plan.backwards) page.reverse();
        const edges = page.map((node) => ({ cursor: encodeCursor(order, node), node }));
        return {
          edges,
          pageInfo: {
            hasNextPage: plan.backwards ? Boolean(args.before) : more,
            hasPreviousPage: plan.backwards ? more : Boolean(args.after),
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
          count,
        };
      },
    },
    {
      description: "A page of tickets.",
      fields: (c) => ({
        totalCount: c.int({
          description:
            `How many tickets match the filter in all pages, counted up to ${MAX_COUNTED_TICKETS.toLocaleString("en")}: ` +
            "beyond that it says 10,000 and totalCountIsCapped is true. Costs 10 points (the count's work).",
          resolve: async (connection) => (await countOf(connection)).totalCount,
        }),
        totalCountIsCapped: c.boolean({
          description:
            `True when more than ${MAX_COUNTED_TICKETS.toLocaleString("en")} tickets match, so totalCount stopped ` +
            "counting there; narrow the filter for an exact figure. Reads the same count as totalCount, and costs " +
            "10 points when asked without it.",
          resolve: async (connection) => (await countOf(connection)).capped,
        }),
      }),
    },
  ),
  categories: t.prismaField({
    type: ["Category"],
    authScopes: { authenticated: true },
    description: "The top-level categories in order; follow `children` for the tree. Retired ones only when asked.",
    args: { includeRetired: t.arg.boolean({ defaultValue: false, description: "Also list retired ones." }) },
    resolve: (query, _root, { includeRetired }, ctx) =>
      ctx.db.prisma.category.findMany({
        ...query,
        where: { parentId: null, ...(includeRetired ? {} : { retiredAt: null }) },
        orderBy: { position: "asc" },
      }),
  }),
}));
