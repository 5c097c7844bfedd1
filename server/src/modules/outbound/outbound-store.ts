import { randomUUID } from "node:crypto";
import type { Sql } from "../../db/database.js";
import type { Prisma } from "../../generated/prisma/client.js";
import type { OutboundItem } from "./driver.js";
import { MAX_REFERENCES, replyPayload } from "./email-message.js";
import { type OutboundChannel, replyRoute, type TicketContact } from "./routing.js";

/** What the ticket services need to queue replies: which channels can send for a unit, and as whom. */
export interface OutboundRouting {
  /** The domain the unit's e-mail is sent from (its Message-IDs are made under it), or null when off. */
  emailDomain(unitId: number): string | null;
  /** Whether replies to the unit's WhatsApp tickets can be sent. */
  whatsApp(unitId: number): boolean;
  /** Told after a transaction that queued a message commits, so delivery need not wait for the poll. */
  queued(): void;
}

/** One message to send, as a change that causes it queues it. */
export interface OutboundRow {
  /** Made by the caller when the payload must name the row (the e-mail Message-ID does). */
  id?: string;
  channel: OutboundChannel;
  ticketId: string | null;
  messageId: string | null;
  unitId: number;
  recipient: string;
  payload: unknown;
  /**
   * One message per key, ever: queueing the same key again (a retried request, a notification written
   * twice) queues nothing. E.g. `message:<id>` for a reply, `notification:resolved:<ticket id>`.
   */
  idempotencyKey: string;
}

/**
 * Queues a message in the caller's transaction, so that it is sent if and only if the change commits;
 * returns false when its idempotency key was queued before. The worker is told by `OutboundRouting.queued`
 * once the transaction has committed.
 */
export async function enqueueOutbound(tx: Prisma.TransactionClient, row: OutboundRow, now: Date): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO outbound_message (id, channel, ticket_id, message_id, unit_id, recipient, payload, idempotency_key,
      next_attempt_at, created_at, updated_at)
    VALUES (${row.id ?? randomUUID()}::uuid, ${row.channel}::text::"OutboundChannel", ${row.ticketId}::uuid,
      ${row.messageId}::uuid, ${row.unitId}, ${row.recipient}, ${JSON.stringify(row.payload)}::jsonb,
      ${row.idempotencyKey}, ${now}, ${now}, ${now})
    ON CONFLICT (idempotency_key) DO NOTHING`;
  return inserted === 1;
}

export interface RepliedTicket extends TicketContact {
  id: string;
  number: string;
  subject: string;
  unitId: number;
}

/**
 * Queues a public reply for delivery in the caller's transaction, so it is sent if and only if the reply
 * commits; returns whether it did. Nothing is queued when the ticket's channel has no route, the route
 * is not configured for the unit, or the reporter left no contact for it (see routing.ts).
 */
export async function queueReply(
  tx: Prisma.TransactionClient,
  routing: OutboundRouting,
  ticket: RepliedTicket,
  message: { id: string; body: string },
  now: Date,
): Promise<boolean> {
  const domain = routing.emailDomain(ticket.unitId);
  const configured = new Set<OutboundChannel>();
  if (domain) configured.add("EMAIL");
  if (routing.whatsApp(ticket.unitId)) configured.add("WHATSAPP");
  const route = replyRoute(ticket, configured);
  if (!route) return false;
  const id = randomUUID();
  const row = {
    id,
    channel: route.channel,
    ticketId: ticket.id,
    messageId: message.id,
    unitId: ticket.unitId,
    recipient: route.recipient,
    idempotencyKey: `message:${message.id}`,
  };
  if (route.channel === "WHATSAPP") {
    // Whether it goes as text or as a template is decided at each attempt, by the window then.
    const payload: WhatsAppPayload = { text: message.body, ticketNumber: ticket.number };
    return enqueueOutbound(tx, { ...row, payload }, now);
  }
  if (!domain) return false;
  // The thread as known: the citizen's messages the intake recorded and the replies sent before.
  const earlier = await tx.emailThreadMessage.findMany({
    where: { ticketId: ticket.id },
    orderBy: [{ at: "desc" }, { messageId: "desc" }],
    take: MAX_REFERENCES,
    select: { messageId: true },
  });
  const thread = earlier.map((entry) => entry.messageId).reverse();
  const payload = replyPayload({
    outboundId: id,
    domain,
    ticketNumber: ticket.number,
    ticketSubject: ticket.subject,
    body: message.body,
    thread,
  });
  await tx.emailThreadMessage.create({
    data: { messageId: payload.messageId, ticketId: ticket.id, direction: "OUTBOUND", at: now },
  });
  return enqueueOutbound(tx, { ...row, payload }, now);
}

/** What the WhatsApp driver sends for one reply; the form (text or template) is chosen when it is sent. */
export interface WhatsAppPayload {
  text: string;
  ticketNumber: string;
}

interface ClaimedRow {
  id: string;
  channel: OutboundChannel;
  unit_id: number;
  ticket_id: string | null;
  recipient: string;
  payload: unknown;
  attempts: number;
}

/**
 * Takes up to `limit` due rows of the given channels for this worker: each gets one more attempt and a
 * lease until `leaseUntil`, and becomes due again then, so a worker that dies mid-send leaves its rows
 * to the next one. SKIP LOCKED lets instances share the backlog instead of queueing on the same rows.
 */
export async function claimDue(
  sql: Sql,
  input: { owner: string; channels: readonly OutboundChannel[]; now: Date; leaseUntil: Date; limit: number },
): Promise<OutboundItem[]> {
  const rows = await sql.prepared<ClaimedRow>(
    "outbound_claim",
    `UPDATE outbound_message o
     SET status = 'SENDING', attempts = o.attempts + 1, lease_owner = $1, lease_until = $2, next_attempt_at = $2,
       last_attempt_at = $3, updated_at = $3
     FROM (
       SELECT id FROM outbound_message
       WHERE status IN ('PENDING', 'SENDING', 'FAILED') AND next_attempt_at <= $3 AND channel::text = ANY($4::text[])
       ORDER BY next_attempt_at
       LIMIT $5
       FOR UPDATE SKIP LOCKED
     ) due
     WHERE o.id = due.id
     RETURNING o.id, o.channel::text AS channel, o.unit_id, o.ticket_id, o.recipient, o.payload, o.attempts`,
    [input.owner, input.leaseUntil, input.now, input.channels, input.limit],
  );
  return rows.map((row) => ({
    id: row.id,
    channel: row.channel,
    unitId: row.unit_id,
    ticketId: row.ticket_id,
    recipient: row.recipient,
    payload: row.payload,
    attempt: row.attempts,
  }));
}

/**
 * Records an attempt's outcome, only while this worker still holds the row for that attempt: a worker
 * whose lease ran out and was overtaken writes nothing (the attempt number is the fencing token).
 */
export async function settle(
  sql: Sql,
  item: OutboundItem,
  owner: string,
  outcome:
    | { status: "DELIVERED"; at: Date; responseCode?: number | null }
    | { status: "SENT"; at: Date; externalId: string }
    | { status: "FAILED"; at: Date; nextAttemptAt: Date; error: string; responseCode?: number | null }
    | { status: "DEAD"; at: Date; error: string; responseCode?: number | null },
): Promise<boolean> {
  const rows = await sql.prepared<{ id: string }>(
    "outbound_settle",
    `UPDATE outbound_message
     SET status = $4::text::"OutboundStatus", updated_at = $5, lease_owner = NULL, lease_until = NULL,
       delivered_at = CASE WHEN $4 = 'DELIVERED' THEN $5 ELSE delivered_at END,
       next_attempt_at = COALESCE($6, next_attempt_at),
       last_error = CASE WHEN $4 IN ('DELIVERED', 'SENT') THEN NULL ELSE $7 END,
       external_id = COALESCE($8, external_id), response_code = $9
     WHERE id = $1::uuid AND lease_owner = $2 AND attempts = $3 AND status = 'SENDING'
     RETURNING id`,
    [
      item.id,
      owner,
      item.attempt,
      outcome.status,
      outcome.at,
      outcome.status === "FAILED" ? outcome.nextAttemptAt : null,
      outcome.status === "DELIVERED" || outcome.status === "SENT" ? null : outcome.error,
      outcome.status === "SENT" ? outcome.externalId : null,
      outcome.status === "SENT" ? null : (outcome.responseCode ?? null),
    ],
  );
  return rows.length === 1;
}

/** The queue as operators watch it: rows per channel and status, and how long the oldest due one waits. */
export interface QueueFigure {
  channel: OutboundChannel;
  status: "PENDING" | "SENDING" | "FAILED" | "DEAD";
  count: number;
  /** Of the rows not yet dead: the earliest instant one of them was due; null for DEAD. */
  oldestDueAt: Date | null;
}

/**
 * Queue depth by channel and status (delivered rows, nearly all of them, are not counted). Reads the
 * partial index of the rows that may be due and the status index for the dead letters.
 */
export async function queueFigures(sql: Sql): Promise<QueueFigure[]> {
  const rows = await sql.query<{
    channel: OutboundChannel;
    status: QueueFigure["status"];
    count: number;
    due: Date | null;
  }>(
    `SELECT channel::text AS channel, status::text AS status, count(*)::int AS count,
       min(next_attempt_at) FILTER (WHERE status <> 'DEAD') AS due
     FROM outbound_message WHERE status IN ('PENDING', 'SENDING', 'FAILED', 'DEAD')
     GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  return rows.map((row) => ({ channel: row.channel, status: row.status, count: row.count, oldestDueAt: row.due }));
}
