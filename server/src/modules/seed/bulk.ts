import type { Sql } from "../../db/database.js";
import type { EventRow, MessageRow, TicketRow } from "./history.js";

// Each chunk travels as one JSON parameter expanded by json_to_recordset: one round trip per chunk
// and no limit on bound parameters. 5000 rows keep each payload to a few megabytes.
const CHUNK = 5000;

/**
 * Runs an `INSERT … RETURNING 1` with $1 = a JSON array of rows, chunk by chunk, and returns how many
 * rows it inserted. Only the count comes back, not one result row per inserted row.
 */
export async function insertJson(
  sql: Sql,
  statement: string,
  rows: readonly object[],
  extra: readonly unknown[] = [],
): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const [row] = await sql.query<{ n: number }>(
      `WITH inserted AS (${statement}) SELECT count(*)::int AS n FROM inserted`,
      [JSON.stringify(rows.slice(start, start + CHUNK)), ...extra],
    );
    inserted += row?.n ?? 0;
  }
  return inserted;
}

const INSERT_TICKETS = `
INSERT INTO ticket (id, number, subject, description, kind, channel, category_id, priority, status, unit_id,
  assignee_id, reporter_name, reporter_email, reporter_phone, external_ref, idempotency_key, request_hash,
  reopen_count, transfer_count, created_at, updated_at, triaged_at, first_responded_at, resolved_at, closed_at)
SELECT id, number, subject, description, kind, channel, "categoryId", priority, status, "unitId",
  "assigneeId", "reporterName", "reporterEmail", "reporterPhone", "externalRef", "idempotencyKey", "requestHash",
  "reopenCount", "transferCount", "createdAt", "updatedAt", "triagedAt", "firstRespondedAt", "resolvedAt", "closedAt"
FROM json_to_recordset($1::json) AS r(id uuid, number text, subject text, description text, kind "TicketKind",
  channel "Channel", "categoryId" int, priority "Priority", status "TicketStatus", "unitId" int, "assigneeId" uuid,
  "reporterName" text, "reporterEmail" text, "reporterPhone" text, "externalRef" text, "idempotencyKey" text,
  "requestHash" text, "reopenCount" int, "transferCount" int, "createdAt" timestamptz, "updatedAt" timestamptz,
  "triagedAt" timestamptz, "firstRespondedAt" timestamptz, "resolvedAt" timestamptz, "closedAt" timestamptz)
RETURNING 1`;

const INSERT_MESSAGES = `
INSERT INTO message (id, ticket_id, author_id, visibility, body, created_at)
SELECT id, "ticketId", "authorId", visibility, body, "createdAt"
FROM json_to_recordset($1::json) AS r(id uuid, "ticketId" uuid, "authorId" uuid, visibility "MessageVisibility",
  body text, "createdAt" timestamptz)
RETURNING 1`;

// ORDER BY the position in the array: the bigserial sequence must follow event time.
const INSERT_EVENTS = `
INSERT INTO ticket_event (ticket_id, unit_id, type, actor_id, actor_label, at, data)
SELECT "ticketId", "unitId", type, "actorId", "actorLabel", at, data
FROM ROWS FROM (json_to_recordset($1::json) AS (
  "ticketId" uuid, "unitId" int, type "TicketEventType", "actorId" uuid, "actorLabel" text, at timestamptz, data jsonb
)) WITH ORDINALITY AS r("ticketId", "unitId", type, "actorId", "actorLabel", at, data, position)
ORDER BY position
RETURNING 1`;

export const insertTickets = (sql: Sql, rows: readonly TicketRow[]) => insertJson(sql, INSERT_TICKETS, rows);
export const insertMessages = (sql: Sql, rows: readonly MessageRow[]) => insertJson(sql, INSERT_MESSAGES, rows);
export const insertEvents = (sql: Sql, rows: readonly EventRow[]) => insertJson(sql, INSERT_EVENTS, rows);
