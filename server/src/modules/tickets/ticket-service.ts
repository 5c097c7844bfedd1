import { createHash, randomUUID } from "node:crypto";
import type { Database } from "../../db/database.js";
import {
  AlreadyRatedError,
  ExtensionPendingError,
  FileAlreadyCompleteError,
  ForbiddenError,
  IdempotencyConflictError,
  InvalidTransitionError,
  NoComplaintFileError,
  NoExtensionRequestError,
  NotFoundError,
  UnknownCategoryError,
  UnknownUnitError,
  ValidationError,
} from "../../errors.js";
import type { Prisma, Ticket } from "../../generated/prisma/client.js";
import {
  Channel,
  Priority,
  type TicketEventType,
  TicketKind,
  type TicketStatus,
} from "../../generated/prisma/enums.js";
import { type AuthenticatedViewer, actorOf, canRateTickets, canWriteTickets } from "../auth/viewer.js";
import { type OutboundRouting, queueReply } from "../outbound/outbound-store.js";
import { type ClockEngine, clockRowsInsert, clockRowsPayload } from "../sla/clock-engine.js";
import type { TimelineEvent } from "../sla/clock-history.js";
import { policyStages } from "../sla/stages.js";
import type { UnitTree } from "../units/unit-tree.js";
import { DECISION_REFUSAL_MESSAGE, decisionRefusal, EXTENSION_EVENTS, extensionOf } from "./deadline-extension.js";
import { ACTION_VERB, type TicketAction, transition } from "./status-machine.js";
import {
  type CreateTicketInput,
  createTicketInput,
  messageInput,
  paperFormReferenceInput,
  parseInput,
  reasonInput,
} from "./ticket-input.js";

export interface TicketDeps {
  db: Database;
  units: () => UnitTree;
  /** Keeps the SLA clocks current in the same transaction as each change. */
  clocks?: ClockEngine;
  /** Injectable clock, so tests can place events in time. */
  now?: () => Date;
  /** Told who acted, after the change commits (active agents on the queue boards). */
  presence?: { seen(userId: string): void };
  /** Told after a change with ticket events commits, so live delivery need not wait for its sweep. */
  committed?: () => void;
  /** Queues public replies for delivery to the citizen; without it replies are only recorded. */
  outbound?: OutboundRouting;
}

function afterCommit(deps: TicketDeps, viewer: AuthenticatedViewer): void {
  deps.committed?.();
  if (viewer.kind === "user") deps.presence?.seen(viewer.userId);
}

type Tx = Prisma.TransactionClient;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const enumValue = <T extends Record<string, string>>(values: T, value: unknown, field: string): T[keyof T] => {
  if (typeof value === "string" && Object.values(values).includes(value)) return value as T[keyof T];
  throw new ValidationError(`${field}: unknown value ${JSON.stringify(value)}`, field);
};

const JAKARTA_YEAR = new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Jakarta", year: "numeric" });
const jakartaYear = (at: Date) => Number(JAKARTA_YEAR.format(at));

function requestHash(input: unknown): string {
  return createHash("sha256").update(JSON.stringify(input)).digest("hex");
}

function requireWriter(viewer: AuthenticatedViewer): void {
  if (!canWriteTickets(viewer)) throw new ForbiddenError("This key may not change tickets.");
}

/** Actions only staff may take; an API key for an integrated channel may create, reply and note. */
const STAFF_ONLY: ReadonlySet<TicketAction> = new Set([
  "triage",
  "assign",
  "transfer",
  "waitOnCitizen",
  "resume",
  "resolve",
  "close",
  "reopen",
  "reject",
  "extend",
  "fileIncomplete",
  "fileComplete",
]);

async function insertEvent(
  tx: Tx,
  viewer: AuthenticatedViewer,
  ticketId: string,
  unitId: number,
  type: TicketEventType,
  at: Date,
  data: Record<string, unknown>,
) {
  return tx.ticketEvent.create({
    data: { ticketId, unitId, type, at, data: data as Prisma.InputJsonValue, ...actorOf(viewer) },
  });
}

/** What an intake may write with a new ticket, in the same statement. */
export interface CreateTicketExtras {
  /** SHA-256 (hex) of the citizen's private tracking code (public web form). */
  trackingCodeHash?: string;
}

export async function createTicket(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  raw: CreateTicketInput,
  extras: CreateTicketExtras = {},
): Promise<Ticket> {
  requireWriter(viewer);
  const input = parseInput(createTicketInput, raw);
  const kind = enumValue(TicketKind, input.kind, "kind");
  const channel = enumValue(Channel, input.channel, "channel");
  const priority = input.priority ? enumValue(Priority, input.priority, "priority") : "NORMAL";
  const unit = deps.units().byCode(input.unitCode);
  if (!unit || !viewer.unitIds.has(unit.id)) throw new UnknownUnitError(input.unitCode);
  const tracking = extras.trackingCodeHash ?? null;
  if (tracking !== null && !/^[0-9a-f]{64}$/.test(tracking)) throw new Error("a tracking code hash is 64 hex digits");
  // A tracking code is part of the request: the same key with another code is a conflict, not a retry.
  const hash = requestHash({ ...input, kind, channel, priority, ...(tracking ? { tracking } : {}) });

  const now = deps.now?.() ?? new Date();
  let categoryId: number | null = null;
  if (input.categoryCode) {
    const [category] = await deps.db.sql.prepared<{ id: number }>(
      "category_by_code",
      "SELECT id FROM category WHERE code = $1 AND retired_at IS NULL",
      [input.categoryCode],
    );
    if (!category) throw new UnknownCategoryError(input.categoryCode);
    categoryId = category.id;
  }
  const id = randomUUID();
  const created: TimelineEvent = { type: "CREATED", at: now, unitId: unit.id, data: { to: "NEW" } };
  const clocks = deps.clocks
    ? await deps.clocks.plannedStart(deps.db.prisma, { id, kind, channel, priority, categoryId }, created, now)
    : { rows: [], slaEvents: [], nextDue: [] };
  const events = [
    { unitId: unit.id, type: "CREATED", ...actorOf(viewer), data: { status: "NEW", channel } },
    ...clocks.slaEvents.map((event) => ({
      unitId: event.unitId,
      type: event.type,
      actorId: event.actorId ?? null,
      actorLabel: event.actorLabel ?? null,
      data: event.data ?? {},
    })),
  ];
  const [ticket] = await deps.db.sql.prepared<Ticket>("create_ticket", CREATE_TICKET_SQL, [
    id,
    String(jakartaYear(now)),
    input.subject,
    input.description,
    kind,
    channel,
    categoryId,
    priority,
    unit.id,
    input.reporter?.name ?? null,
    input.reporter?.email ?? null,
    input.reporter?.phone ?? null,
    input.externalRef ?? null,
    input.idempotencyKey,
    hash,
    now,
    JSON.stringify(events.map((event, position) => ({ position, ...event }))),
    clockRowsPayload(clocks.rows),
    idempotencyOwner(viewer),
    clocks.nextDue.find((change) => change.ticketId === id)?.nextDueAt ?? null,
    tracking,
  ]);
  if (ticket) {
    afterCommit(deps, viewer);
    return ticket;
  }
  // The key was used before (or by a concurrent request, whose commit the insert waited for).
  const existing = await findByIdempotencyKey(deps, viewer, input.idempotencyKey, hash);
  if (existing) return existing;
  throw new IdempotencyConflictError(input.idempotencyKey);
}

/**
 * A new ticket, its events (CREATED first, in order) and its clocks in one statement, so creating a
 * ticket is one round trip and one implicit transaction; its next deadline comes from the same clocks, and a
 * web-form ticket's tracking code hash is written with it. A reused idempotency key inserts nothing.
 * The number is drawn before the conflict is known: a replayed request leaves a gap, as a rollback does.
 */
const CREATE_TICKET_SQL = `
  WITH new_ticket AS (
    INSERT INTO ticket (id, number, subject, description, kind, channel, category_id, priority, status, unit_id,
      reporter_name, reporter_email, reporter_phone, external_ref, idempotency_key, idempotency_owner, request_hash,
      created_at, updated_at, next_due_at)
    SELECT $1::uuid, 'IMI-' || $2::text || '-' || lpad(seq.n::text, greatest(7, length(seq.n::text)), '0'), $3, $4,
      $5::text::"TicketKind", $6::text::"Channel", $7::int, $8::text::"Priority", 'NEW', $9::int, $10, $11, $12, $13,
      $14, $19, $15, $16::timestamptz, $16::timestamptz, $20::timestamptz
    FROM (SELECT nextval('ticket_number_seq') AS n) AS seq
    ON CONFLICT (idempotency_owner, idempotency_key) DO NOTHING
    RETURNING id, number, subject, description, kind::text AS kind, channel::text AS channel, category_id AS "categoryId",
      priority::text AS priority, status::text AS status, unit_id AS "unitId", assignee_id AS "assigneeId",
      reporter_name AS "reporterName", reporter_email AS "reporterEmail", reporter_phone AS "reporterPhone",
      external_ref AS "externalRef", idempotency_key AS "idempotencyKey", request_hash AS "requestHash",
      reopen_count AS "reopenCount", transfer_count AS "transferCount", created_at AS "createdAt",
      updated_at AS "updatedAt", triaged_at AS "triagedAt", first_responded_at AS "firstRespondedAt",
      resolved_at AS "resolvedAt", closed_at AS "closedAt", next_due_at AS "nextDueAt"
  ), new_events AS (
    INSERT INTO ticket_event (ticket_id, unit_id, type, actor_id, actor_label, at, data)
    SELECT t.id, e."unitId", e.type::"TicketEventType", e."actorId"::uuid, e."actorLabel", $16::timestamptz, e.data
    FROM new_ticket t,
      json_to_recordset($17::json) AS e(position int, "unitId" int, type text, "actorId" text, "actorLabel" text, data jsonb)
    ORDER BY e.position
    RETURNING 1
  ), new_clocks AS (
    ${clockRowsInsert("$18", "$16", "WHERE EXISTS (SELECT 1 FROM new_ticket)")}
    RETURNING 1
  ), new_tracking AS (
    INSERT INTO ticket_tracking (ticket_id, code_hash, created_at)
    SELECT id, $21::text, $16::timestamptz FROM new_ticket WHERE $21::text IS NOT NULL
    RETURNING 1
  )
  SELECT * FROM new_ticket`;

/** Idempotency keys are kept per credential, so one caller's key says nothing about another's tickets. */
function idempotencyOwner(viewer: AuthenticatedViewer): string {
  return viewer.kind === "user" ? `user:${viewer.userId}` : `key:${viewer.keyId}`;
}

async function findByIdempotencyKey(deps: TicketDeps, viewer: AuthenticatedViewer, key: string, hash: string) {
  const existing = await deps.db.prisma.ticket.findUnique({
    where: { idempotencyOwner_idempotencyKey: { idempotencyOwner: idempotencyOwner(viewer), idempotencyKey: key } },
  });
  if (!existing) return null;
  if (existing.requestHash !== hash || !viewer.unitIds.has(existing.unitId)) throw new IdempotencyConflictError(key);
  return existing;
}

interface LockedTicket {
  id: string;
  number: string;
  subject: string;
  channel: Channel;
  status: TicketStatus;
  unit_id: number;
  assignee_id: string | null;
  first_responded_at: Date | null;
  reporter_email: string | null;
  reporter_phone: string | null;
}

interface Change {
  data?: Prisma.TicketUncheckedUpdateInput;
  event: TicketEventType;
  eventData?: Record<string, unknown>;
  /** Unit the event belongs to when the change moves the ticket. */
  eventUnitId?: number;
  message?: { visibility: "PUBLIC_REPLY" | "INTERNAL_NOTE" | "CITIZEN"; body: string };
  /** Runs in the change's transaction once its message is written (an intake marks its item handled). */
  recorded?: (tx: Tx, messageId: string) => Promise<void>;
}

/**
 * The one path every lifecycle change takes: lock the row, check scope and the state machine, write
 * the change, its event and any message in a single transaction.
 */
async function act(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  ticketId: string,
  action: TicketAction,
  decide: (ticket: LockedTicket, to: TicketStatus, tx: Tx, now: Date) => Promise<Change> | Change,
): Promise<Ticket> {
  if (action === "rate") {
    if (!canRateTickets(viewer)) throw new ForbiddenError("Only a survey channel's key with ratings:write may rate.");
  } else requireWriter(viewer);
  if (viewer.kind === "apiKey" && STAFF_ONLY.has(action)) {
    throw new ForbiddenError(`An API key cannot ${action} tickets.`);
  }
  if (!UUID.test(ticketId)) throw new NotFoundError("No such ticket in your scope.");
  const now = deps.now?.() ?? new Date();
  let queued = false;
  const changed = await deps.db.prisma.$transaction(async (tx) => {
    const [ticket] = await tx.$queryRaw<LockedTicket[]>`
      SELECT id, number, subject, channel::text AS channel, status, unit_id, assignee_id, first_responded_at,
        reporter_email, reporter_phone
      FROM ticket WHERE id = ${ticketId}::uuid FOR UPDATE`;
    if (!ticket || !viewer.unitIds.has(ticket.unit_id)) throw new NotFoundError("No such ticket in your scope.");
    const next = transition(ticket.status, action, { assigned: ticket.assignee_id !== null });
    if (!next.ok) throw new InvalidTransitionError(ticket.status, ACTION_VERB[action]);
    const change = await decide(ticket, next.to, tx, now);
    let messageId: string | undefined;
    if (change.message) {
      const message = await tx.message.create({
        data: {
          ticketId,
          visibility: change.message.visibility,
          body: change.message.body,
          authorId: viewer.kind === "user" ? viewer.userId : null,
          createdAt: now,
        },
      });
      messageId = message.id;
      await change.recorded?.(tx, message.id);
      if (change.message.visibility === "PUBLIC_REPLY" && deps.outbound) {
        const replied = {
          id: ticket.id,
          number: ticket.number,
          subject: ticket.subject,
          unitId: ticket.unit_id,
          channel: ticket.channel,
          reporterEmail: ticket.reporter_email,
          reporterPhone: ticket.reporter_phone,
        };
        queued = await queueReply(tx, deps.outbound, replied, message, now);
      }
    }
    const updated = await tx.ticket.update({
      where: { id: ticketId },
      data: { ...change.data, status: next.to, updatedAt: now },
    });
    const statusChange = next.to === ticket.status ? {} : { from: ticket.status, to: next.to };
    await insertEvent(tx, viewer, ticketId, change.eventUnitId ?? ticket.unit_id, change.event, now, {
      ...statusChange,
      ...(messageId ? { messageId } : {}),
      ...change.eventData,
    });
    await deps.clocks?.recompute(tx, ticketId, now);
    return updated;
  });
  afterCommit(deps, viewer);
  if (queued) deps.outbound?.queued();
  return changed;
}

export function triageTicket(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  input: { ticketId: string; categoryCode?: string | null; priority?: string | null; kind?: string | null },
) {
  return act(deps, viewer, input.ticketId, "triage", async (_t, _to, tx, now) => {
    const data: Prisma.TicketUncheckedUpdateInput = { triagedAt: now };
    if (input.priority) data.priority = enumValue(Priority, input.priority, "priority");
    if (input.kind) data.kind = enumValue(TicketKind, input.kind, "kind");
    if (input.categoryCode) {
      const category = await tx.category.findUnique({ where: { code: input.categoryCode } });
      if (!category || category.retiredAt) throw new UnknownCategoryError(input.categoryCode);
      data.categoryId = category.id;
    }
    return {
      data,
      event: "TRIAGED",
      eventData: { categoryCode: input.categoryCode ?? null, priority: data.priority ?? null },
    };
  });
}

export function assignTicket(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  input: { ticketId: string; assigneeId: string },
) {
  return act(deps, viewer, input.ticketId, "assign", async (ticket, _to, tx) => {
    if (viewer.kind === "user" && viewer.role === "AGENT" && input.assigneeId !== viewer.userId) {
      throw new ForbiddenError("An agent may only take a ticket for themselves.");
    }
    const assignee = await tx.user.findUnique({ where: { id: input.assigneeId } });
    if (!assignee?.active || assignee.unitId !== ticket.unit_id) {
      throw new ValidationError("assigneeId: not an active member of the ticket's unit", "assigneeId");
    }
    return { data: { assigneeId: assignee.id }, event: "ASSIGNED", eventData: { assigneeId: assignee.id } };
  });
}

export function transferTicket(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  input: { ticketId: string; unitCode: string; reason: string },
) {
  const reason = parseInput(reasonInput, input.reason, "reason");
  return act(deps, viewer, input.ticketId, "transfer", (ticket) => {
    const tree = deps.units();
    const target = tree.byCode(input.unitCode);
    // A disposition may leave the sender's scope (e.g. to another region's office), so any unit is valid.
    if (!target) throw new UnknownUnitError(input.unitCode);
    if (target.id === ticket.unit_id) throw new ValidationError("unitCode: the ticket is already there", "unitCode");
    return {
      data: { unitId: target.id, assigneeId: null, transferCount: { increment: 1 } },
      event: "TRANSFERRED",
      eventUnitId: target.id,
      eventData: { fromUnitCode: tree.get(ticket.unit_id)?.code ?? null, toUnitCode: target.code, reason },
    };
  });
}

export function replyToTicket(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  input: { ticketId: string; body: string },
) {
  const body = parseInput(messageInput, input.body, "body");
  return act(deps, viewer, input.ticketId, "reply", (ticket, _to, _tx, now) => ({
    data: ticket.first_responded_at ? {} : { firstRespondedAt: now },
    event: "REPLIED",
    message: { visibility: "PUBLIC_REPLY", body },
  }));
}

/**
 * A citizen's message that arrived on a channel, added to their open ticket by the channel's intake (an
 * API-key principal). `recorded` runs in the same transaction, so the inbound item is marked handled if
 * and only if the message is written. A ticket waiting on the citizen goes back to work.
 */
export function receiveCitizenMessage(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  input: { ticketId: string; body: string; recorded?: (tx: Tx, messageId: string) => Promise<void> },
) {
  if (viewer.kind !== "apiKey") throw new ForbiddenError("Only a channel's intake records citizens' messages.");
  const body = parseInput(messageInput, input.body, "body");
  return act(deps, viewer, input.ticketId, "citizenMessage", () => ({
    event: "CITIZEN_MESSAGE",
    message: { visibility: "CITIZEN", body },
    ...(input.recorded ? { recorded: input.recorded } : {}),
  }));
}

export function addInternalNote(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  input: { ticketId: string; body: string },
) {
  const body = parseInput(messageInput, input.body, "body");
  return act(deps, viewer, input.ticketId, "note", () => ({
    event: "NOTE_ADDED",
    message: { visibility: "INTERNAL_NOTE", body },
  }));
}

export function waitOnCitizen(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  input: { ticketId: string; reason?: string | null },
) {
  const reason = input.reason ? parseInput(reasonInput, input.reason, "reason") : null;
  return act(deps, viewer, input.ticketId, "waitOnCitizen", () => ({
    event: "WAITING_ON_CITIZEN",
    eventData: { reason },
  }));
}

export function resumeTicket(deps: TicketDeps, viewer: AuthenticatedViewer, input: { ticketId: string }) {
  return act(deps, viewer, input.ticketId, "resume", () => ({ event: "RESUMED" }));
}

export function resolveTicket(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  input: { ticketId: string; resolution: string },
) {
  const resolution = parseInput(messageInput, input.resolution, "resolution");
  return act(deps, viewer, input.ticketId, "resolve", (ticket, _to, _tx, now) => ({
    data: { resolvedAt: now, ...(ticket.first_responded_at ? {} : { firstRespondedAt: now }) },
    event: "RESOLVED",
    message: { visibility: "PUBLIC_REPLY", body: resolution },
  }));
}

export function closeTicket(deps: TicketDeps, viewer: AuthenticatedViewer, input: { ticketId: string }) {
  return act(deps, viewer, input.ticketId, "close", (_t, _to, _tx, now) => ({
    data: { closedAt: now },
    event: "CLOSED",
  }));
}

export function reopenTicket(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  input: { ticketId: string; reason: string },
) {
  const reason = parseInput(reasonInput, input.reason, "reason");
  return act(deps, viewer, input.ticketId, "reopen", () => ({
    data: { resolvedAt: null, closedAt: null, reopenCount: { increment: 1 } },
    event: "REOPENED",
    eventData: { reason },
  }));
}

/** Where a rating came from: the citizen's own answer through a survey channel, or a paper form typed in. */
export type RatingSource = "SURVEY_CHANNEL" | "PAPER_FORM";

/**
 * Records the citizen's satisfaction with a resolved ticket (1–5), as a RATED event; a ticket has one
 * rating. It comes from an integrated survey channel's key, or from staff transcribing the citizen's paper
 * form with its reference, never from someone who handled the ticket: the people measured do not score
 * themselves. The event names its source and its actor (the key or the transcriber).
 */
export function rateTicket(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  input: { ticketId: string; rating: number; comment?: string | null; paperFormReference?: string | null },
) {
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) {
    throw new ValidationError("rating: a whole number from 1 to 5", "rating");
  }
  const comment = input.comment ? parseInput(messageInput, input.comment, "comment") : null;
  const reference =
    input.paperFormReference === null || input.paperFormReference === undefined
      ? null
      : parseInput(paperFormReferenceInput, input.paperFormReference, "paperFormReference");
  if (viewer.kind === "user" && reference === null) {
    throw new ValidationError(
      "paperFormReference: staff record a rating only by transcribing the citizen's paper form, with its reference",
      "paperFormReference",
    );
  }
  if (viewer.kind === "apiKey" && reference !== null) {
    throw new ValidationError(
      "paperFormReference: a survey channel sends the citizen's own answer, not a paper form",
      "paperFormReference",
    );
  }
  const source: RatingSource = viewer.kind === "user" ? "PAPER_FORM" : "SURVEY_CHANNEL";
  return act(deps, viewer, input.ticketId, "rate", async (ticket, _to, tx) => {
    const rated = await tx.ticketEvent.findFirst({
      where: { ticketId: ticket.id, type: "RATED" },
      select: { sequence: true },
    });
    if (rated) throw new AlreadyRatedError();
    if (viewer.kind === "user") {
      const handled =
        ticket.assignee_id === viewer.userId ||
        (await tx.ticketEvent.findFirst({
          where: { ticketId: ticket.id, type: "RESOLVED", actorId: viewer.userId },
          select: { sequence: true },
        })) !== null;
      if (handled) {
        throw new ForbiddenError("You handled this ticket: a colleague transcribes its paper form.");
      }
    }
    return {
      event: "RATED",
      eventData: {
        rating: input.rating,
        source,
        ...(reference ? { paperFormReference: reference } : {}),
        ...(comment ? { comment } : {}),
      },
    };
  });
}

export function rejectTicket(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  input: { ticketId: string; reason: string },
) {
  const reason = parseInput(reasonInput, input.reason, "reason");
  return act(deps, viewer, input.ticketId, "reject", (_t, _to, _tx, now) => ({
    data: { closedAt: now },
    event: "REJECTED",
    eventData: { reason },
  }));
}

/** The resolution clock's extension as policy and clock allow it now, or the typed reason it cannot be. */
async function extensibleClock(tx: Tx, ticketId: string) {
  const clock = await tx.ticketClock.findUnique({
    where: { ticketId_kind: { ticketId, kind: "RESOLUTION" } },
    include: { policy: true },
  });
  if (!clock?.policy.extensionAmount) {
    throw new ValidationError("ticketId: the ticket's policy allows no extension", "ticketId");
  }
  if (clock.extendedAt) throw new ValidationError("ticketId: the deadline was already extended once", "ticketId");
  if (clock.state === "BREACHED") {
    throw new ValidationError("ticketId: a breached deadline cannot be extended", "ticketId");
  }
  return { extensionAmount: clock.policy.extensionAmount, unit: clock.policy.resolutionUnit };
}

async function extensionFromLog(tx: Tx, ticketId: string) {
  return extensionOf(
    await tx.ticketEvent.findMany({
      where: { ticketId, type: { in: [...EXTENSION_EVENTS] } },
      orderBy: { sequence: "asc" },
      select: { type: true, actorId: true, data: true },
    }),
  );
}

function refuseDecision(viewer: AuthenticatedViewer, ticket: LockedTicket, requestedBy: string | null): void {
  if (viewer.kind !== "user") throw new ForbiddenError("An API key cannot decide on an extension.");
  const refusal = decisionRefusal(
    { userId: viewer.userId, role: viewer.role },
    { assigneeId: ticket.assignee_id },
    requestedBy,
  );
  if (refusal) throw new ForbiddenError(DECISION_REFUSAL_MESSAGE[refusal]);
}

/** The ticket is a complaint under a policy with the file stages, and its file is not yet complete. */
async function openComplaintFile(tx: Tx, ticketId: string, kind: string) {
  const clock = await tx.ticketClock.findUnique({
    where: { ticketId_kind: { ticketId, kind: "RESOLUTION" } },
    select: { policy: { select: { stages: true } } },
  });
  if (kind !== "COMPLAINT" || !policyStages(clock?.policy.stages).some((stage) => stage.kind === "FILE_ANSWER")) {
    throw new NoComplaintFileError();
  }
  const complete = await tx.ticketEvent.findFirst({
    where: { ticketId, type: "FILE_COMPLETE" },
    select: { sequence: true },
  });
  if (complete) throw new FileAlreadyCompleteError();
}

/**
 * A complaint's written answer that its file is incomplete (UU 25/2009), saying what is missing: sent to
 * the citizen, it stops the answer clock and, the first time, starts the citizen's time to complete the
 * file (FILE_LAPSE), at the end of which the complaint lapses. The ticket waits on the citizen.
 */
export function declareFileIncomplete(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  input: { ticketId: string; missing: string },
) {
  const missing = parseInput(messageInput, input.missing, "missing");
  return act(deps, viewer, input.ticketId, "fileIncomplete", async (ticket, _to, tx, now) => {
    await openComplaintFile(tx, ticket.id, await kindOf(tx, ticket.id));
    return {
      data: ticket.first_responded_at ? {} : { firstRespondedAt: now },
      event: "FILE_INCOMPLETE",
      message: { visibility: "PUBLIC_REPLY", body: missing },
    };
  });
}

/**
 * Declares a complaint's file complete, with the written answer to the citizen (UU 25/2009): it stops the
 * answer and lapse clocks and starts the examination clock (60 days under the shipped policies). Once only.
 */
export function declareFileComplete(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  input: { ticketId: string; answer: string },
) {
  const answer = parseInput(messageInput, input.answer, "answer");
  return act(deps, viewer, input.ticketId, "fileComplete", async (ticket, _to, tx, now) => {
    await openComplaintFile(tx, ticket.id, await kindOf(tx, ticket.id));
    return {
      data: ticket.first_responded_at ? {} : { firstRespondedAt: now },
      event: "FILE_COMPLETE",
      message: { visibility: "PUBLIC_REPLY", body: answer },
    };
  });
}

async function kindOf(tx: Tx, ticketId: string): Promise<string> {
  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { kind: true } });
  return ticket.kind;
}

/**
 * Asks for the one extension a policy allows on the resolution clock (KIP: 7 more working days), with the
 * written reason the law requires. Nothing moves until a supervisor decides (decideDeadlineExtension).
 */
export function requestDeadlineExtension(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  input: { ticketId: string; reason: string },
) {
  const reason = parseInput(reasonInput, input.reason, "reason");
  return act(deps, viewer, input.ticketId, "extend", async (ticket, _to, tx) => {
    const allowed = await extensibleClock(tx, ticket.id);
    if ((await extensionFromLog(tx, ticket.id)).state === "PENDING") throw new ExtensionPendingError();
    return { event: "EXTENSION_REQUESTED", eventData: { clock: "RESOLUTION", reason, ...allowed } };
  });
}

/**
 * A supervisor's decision on the pending request: granted, it is recorded as SLA_EXTENDED (which the
 * clock engine reads) with the request's reason; refused, as EXTENSION_REFUSED with the decision's note.
 */
export function decideDeadlineExtension(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  input: { ticketId: string; grant: boolean; note?: string | null },
) {
  const note = input.note ? parseInput(reasonInput, input.note, "note") : null;
  if (!input.grant && !note) throw new ValidationError("note: a refusal says why", "note");
  return act(deps, viewer, input.ticketId, "extend", async (ticket, _to, tx) => {
    refuseDecision(viewer, ticket, null);
    const extension = await extensionFromLog(tx, ticket.id);
    if (extension.state !== "PENDING") throw new NoExtensionRequestError();
    refuseDecision(viewer, ticket, extension.requestedBy);
    if (!input.grant) {
      return {
        event: "EXTENSION_REFUSED",
        eventData: { clock: "RESOLUTION", reason: note, requestedBy: extension.requestedBy },
      };
    }
    const allowed = await extensibleClock(tx, ticket.id);
    return {
      event: "SLA_EXTENDED",
      eventData: {
        clock: "RESOLUTION",
        reason: extension.reason,
        requestedBy: extension.requestedBy,
        ...(note ? { note } : {}),
        ...allowed,
      },
    };
  });
}

/**
 * A supervisor's extension without a prior request, with the written reason; never by the one who
 * holds the ticket. Kept for clients written before requests existed.
 */
export function extendTicketDeadline(
  deps: TicketDeps,
  viewer: AuthenticatedViewer,
  input: { ticketId: string; reason: string },
) {
  const reason = parseInput(reasonInput, input.reason, "reason");
  return act(deps, viewer, input.ticketId, "extend", async (ticket, _to, tx) => {
    const extension = await extensionFromLog(tx, ticket.id);
    refuseDecision(viewer, ticket, extension.state === "PENDING" ? extension.requestedBy : null);
    const allowed = await extensibleClock(tx, ticket.id);
    return {
      event: "SLA_EXTENDED",
      eventData: {
        clock: "RESOLUTION",
        reason,
        ...(extension.state === "PENDING" ? { requestedBy: extension.requestedBy } : {}),
        ...allowed,
      },
    };
  });
}
