import type { Database, Sql } from "../../db/database.js";
import type { Channel } from "../../generated/prisma/enums.js";

/** One item as a channel delivered it, to be committed before the channel is answered. */
export interface InboundRow {
  channel: Channel;
  /** The channel's id for it; a second row with the same id on the same channel is not stored. */
  externalId: string;
  unitId: number | null;
  account: string | null;
  sender: string | null;
  sentAt: Date | null;
  /** The item as received (JSON, MIME, or a body that was neither). */
  payload: string;
  /** RECEIVED for the processor; an item that can never become a ticket is stored FAILED at once. */
  status?: "RECEIVED" | "FAILED" | "IGNORED";
  lastError?: string | null;
}

/**
 * Stores items in one statement (one commit); returns how many were new. A redelivered item (same channel
 * and external id) is skipped by the unique index, which is what makes each item handled at most once.
 */
export async function storeInbound(sql: Sql, rows: readonly InboundRow[], now: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await sql.prepared<{ id: string }>(
    "inbound_store",
    `INSERT INTO inbound_message (channel, external_id, unit_id, account, sender, sent_at, payload, status, last_error,
       received_at, updated_at, next_attempt_at)
     SELECT r.channel::"Channel", r.external_id, r.unit_id, r.account, r.sender, r.sent_at, r.payload,
       r.status::"InboundStatus", r.last_error, $2, $2, $2
     FROM ROWS FROM (json_to_recordset($1::json) AS (channel text, external_id text, unit_id int, account text,
       sender text, sent_at timestamptz, payload text, status text, last_error text)) WITH ORDINALITY
       AS r(channel, external_id, unit_id, account, sender, sent_at, payload, status, last_error, position)
     -- In the order given, so that arrival numbers follow it.
     ORDER BY r.position
     ON CONFLICT (channel, external_id) DO NOTHING
     RETURNING id`,
    [
      JSON.stringify(
        rows.map((row) => ({
          channel: row.channel,
          external_id: row.externalId,
          unit_id: row.unitId,
          account: row.account,
          sender: row.sender,
          sent_at: row.sentAt?.toISOString() ?? null,
          payload: row.payload,
          status: row.status ?? "RECEIVED",
          last_error: row.lastError?.slice(0, 1_000) ?? null,
        })),
      ),
      now,
    ],
  );
  return inserted.length;
}

/** A claimed item, as a channel's handler receives it. */
export interface InboundItem {
  id: string;
  channel: Channel;
  externalId: string;
  unitId: number | null;
  account: string | null;
  sender: string | null;
  sentAt: Date | null;
  payload: string;
  /** This attempt's number, 1 for the first: with the owner, the fencing token of every write. */
  attempt: number;
}

/**
 * Takes up to `limit` due items for this processor under a lease: per sender only their oldest item still
 * to be handled, and none of a sender any processor holds an item of (one that committed late, with an
 * earlier timestamp, included). So one citizen's messages are handled one at a time and in order (the
 * first opens the ticket, the next join it), while different citizens' go in parallel, on any number of
 * instances. One statement, `inbound_claim` (migration 20261207200300): it reads under a transaction-scoped
 * advisory lock and so sees every lease committed before it, and takes rows FOR UPDATE SKIP LOCKED, so a
 * claim never waits on a row being settled.
 */
export async function claimInbound(
  db: Database,
  input: { owner: string; channels: readonly Channel[]; now: Date; leaseUntil: Date; limit: number },
): Promise<InboundItem[]> {
  const rows = await db.sql.prepared<{
    id: string;
    channel: Channel;
    external_id: string;
    unit_id: number | null;
    account: string | null;
    sender: string | null;
    sent_at: Date | null;
    payload: string | null;
    attempts: number;
  }>(
    "inbound_claim",
    `SELECT id, channel::text AS channel, external_id, unit_id, account, sender, sent_at, payload, attempts
     FROM inbound_claim($1, $2, $3, $4::text[], $5)`,
    [input.owner, input.leaseUntil, input.now, input.channels, input.limit],
  );
  return rows.map((row) => ({
    id: row.id,
    channel: row.channel,
    externalId: row.external_id,
    unitId: row.unit_id,
    account: row.account,
    sender: row.sender,
    sentAt: row.sent_at ? new Date(row.sent_at) : null,
    payload: row.payload ?? "",
    attempt: row.attempts,
  }));
}

/**
 * The statement that marks an item processed, for the handler to run in the transaction that produced the
 * ticket or message (Prisma's `$executeRawUnsafe(text, ...params)`), so the two commit together. It
 * changes nothing (and the handler must roll back) when this processor no longer holds the item.
 */
export function markProcessed(
  item: InboundItem,
  owner: string,
  produced: { ticketId: string | null; messageId: string | null },
  now: Date,
): { text: string; params: unknown[] } {
  return {
    text: `UPDATE inbound_message
      SET status = 'PROCESSED', ticket_id = $4::uuid, message_id = $5::uuid, processed_at = $6, updated_at = $6,
        payload = NULL, last_error = NULL, lease_owner = NULL, lease_until = NULL
      WHERE id = $1::uuid AND lease_owner = $2 AND attempts = $3 AND status = 'RECEIVED'`,
    params: [item.id, owner, item.attempt, produced.ticketId, produced.messageId, now],
  };
}

/** Records an attempt that produced nothing: ignored, failed for good, or to be retried at `nextAttemptAt`. */
export async function settleInbound(
  sql: Sql,
  item: InboundItem,
  owner: string,
  outcome:
    | { status: "IGNORED"; reason: string; at: Date }
    | { status: "FAILED"; error: string; at: Date }
    | { status: "RECEIVED"; error: string; at: Date; nextAttemptAt: Date },
): Promise<boolean> {
  const rows = await sql.prepared<{ id: string }>(
    "inbound_settle",
    `UPDATE inbound_message
     SET status = $4::text::"InboundStatus", last_error = $5, updated_at = $6, lease_owner = NULL, lease_until = NULL,
       next_attempt_at = COALESCE($7, next_attempt_at)
     WHERE id = $1::uuid AND lease_owner = $2 AND attempts = $3 AND status = 'RECEIVED'
     RETURNING id`,
    [
      item.id,
      owner,
      item.attempt,
      outcome.status,
      (outcome.status === "IGNORED" ? outcome.reason : outcome.error).slice(0, 1_000),
      outcome.at,
      outcome.status === "RECEIVED" ? outcome.nextAttemptAt : null,
    ],
  );
  return rows.length === 1;
}

/** Inbound items still to be handled or given up on, by channel and status, with the oldest one's arrival. */
export async function inboundFigures(
  sql: Sql,
): Promise<{ channel: string; status: "RECEIVED" | "FAILED"; count: number; oldestAt: Date | null }[]> {
  return sql.query(
    `SELECT channel::text AS channel, status::text AS status, count(*)::int AS count, min(received_at) AS "oldestAt"
     FROM inbound_message WHERE status IN ('RECEIVED', 'FAILED')
     GROUP BY 1, 2 ORDER BY 1, 2`,
  );
}
