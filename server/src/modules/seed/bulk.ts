import type { Sql } from "../../db/database.js";
import type { EventRow, MessageRow, TicketRow } from "./history.js";
import type { ClockRow } from "./sla-history.js";

// Each chunk travels as one JSON parameter expanded by json_to_recordset: one round trip per chunk
// and no limit on bound parameters. 5000 rows keep each payload to a few megabytes.
const CHUNK = 5000;

/**
 * Runs an `INSERT … RETURNING 1` with $1 = a JSON array of rows, chunk by chunk, and returns how many
 * rows it inserted. Only the count comes back, not one result row per inserted row. `encode` reshapes
 * each row for the payload.
 */
export async function insertJson<T extends object>(
  sql: Sql,
  statement: string,
  rows: readonly T[],
  extra: readonly unknown[] = [],
  encode?: (row: T) => object,
): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const [row] = await sql.query<{ n: number }>(
      `WITH inserted AS (${statement}) SELECT count(*)::int AS n FROM inserted`,
      [JSON.stringify(encode ? chunk.map(encode) : chunk), ...extra],
    );
    inserted += row?.n ?? 0;
  }
  return inserted;
}

// Instants travel as epoch milliseconds: smaller payloads that are quicker to write and to read than
// ISO strings, which matters for the few hundred thousand rows of a demo history.
const instant = (column: string) => `to_timestamp("${column}" / 1000.0)`;
const epoch = (date: Date | null) => (date === null ? null : date.getTime());

const INSERT_TICKETS = `
INSERT INTO ticket (id, number, subject, description, kind, channel, category_id, priority, status, unit_id,
  assignee_id, reporter_name, reporter_email, reporter_phone, external_ref, idempotency_key, request_hash,
  reopen_count, transfer_count, created_at, updated_at, triaged_at, first_responded_at, resolved_at, closed_at,
  next_due_at)
SELECT id, number, subject, description, kind, channel, "categoryId", priority, status, "unitId",
  "assigneeId", "reporterName", "reporterEmail", "reporterPhone", "externalRef", "idempotencyKey", "requestHash",
  "reopenCount", "transferCount", ${instant("createdAt")}, ${instant("updatedAt")}, ${instant("triagedAt")},
  ${instant("firstRespondedAt")}, ${instant("resolvedAt")}, ${instant("closedAt")}, ${instant("nextDueAt")}
FROM json_to_recordset($1::json) AS r(id uuid, number text, subject text, description text, kind "TicketKind",
  channel "Channel", "categoryId" int, priority "Priority", status "TicketStatus", "unitId" int, "assigneeId" uuid,
  "reporterName" text, "reporterEmail" text, "reporterPhone" text, "externalRef" text, "idempotencyKey" text,
  "requestHash" text, "reopenCount" int, "transferCount" int, "createdAt" float8, "updatedAt" float8,
  "triagedAt" float8, "firstRespondedAt" float8, "resolvedAt" float8, "closedAt" float8, "nextDueAt" float8)
RETURNING 1`;

const INSERT_MESSAGES = `
INSERT INTO message (id, ticket_id, author_id, visibility, body, created_at)
SELECT id, "ticketId", "authorId", visibility, body, ${instant("createdAt")}
FROM json_to_recordset($1::json) AS r(id uuid, "ticketId" uuid, "authorId" uuid, visibility "MessageVisibility",
  body text, "createdAt" float8)
RETURNING 1`;

// ORDER BY the position in the array: the bigserial sequence must follow event time.
const INSERT_EVENTS = `
INSERT INTO ticket_event (ticket_id, unit_id, type, actor_id, actor_label, at, data)
SELECT "ticketId", "unitId", type, "actorId", "actorLabel", ${instant("at")}, data
FROM ROWS FROM (json_to_recordset($1::json) AS (
  "ticketId" uuid, "unitId" int, type "TicketEventType", "actorId" uuid, "actorLabel" text, at float8, data jsonb
)) WITH ORDINALITY AS r("ticketId", "unitId", type, "actorId", "actorLabel", at, data, position)
ORDER BY position
RETURNING 1`;

const INSERT_CLOCKS = `
INSERT INTO ticket_clock (ticket_id, kind, policy_id, started_at, due_at, at_risk_at, state, elapsed_minutes,
  budget_minutes, paused_minutes, extended_at, met_at, breached_at, next_check_at, updated_at)
SELECT "ticketId", kind, "policyId", ${instant("startedAt")}, ${instant("dueAt")}, ${instant("atRiskAt")}, state,
  "elapsedMinutes", "budgetMinutes", "pausedMinutes", ${instant("extendedAt")}, ${instant("metAt")},
  ${instant("breachedAt")}, ${instant("nextCheckAt")}, ${instant("updatedAt")}
FROM json_to_recordset($1::json) AS r("ticketId" uuid, kind "ClockKind", "policyId" int, "startedAt" float8,
  "dueAt" float8, "atRiskAt" float8, state "ClockState", "elapsedMinutes" float8, "budgetMinutes" float8,
  "pausedMinutes" float8, "extendedAt" float8, "metAt" float8, "breachedAt" float8, "nextCheckAt" float8,
  "updatedAt" float8)
RETURNING 1`;

/** The tickets, each with its next deadline from `nextDue` (computed with their clocks) or none. */
export const insertTickets = (sql: Sql, rows: readonly TicketRow[], nextDue: ReadonlyMap<string, Date>) =>
  insertJson(sql, INSERT_TICKETS, rows, [], (row) => ({
    nextDueAt: epoch(nextDue.get(row.id) ?? null),
    ...row,
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
    triagedAt: epoch(row.triagedAt),
    firstRespondedAt: epoch(row.firstRespondedAt),
    resolvedAt: epoch(row.resolvedAt),
    closedAt: epoch(row.closedAt),
  }));
export const insertMessages = (sql: Sql, rows: readonly MessageRow[]) =>
  insertJson(sql, INSERT_MESSAGES, rows, [], (row) => ({ ...row, createdAt: row.createdAt.getTime() }));
export const insertEvents = (sql: Sql, rows: readonly EventRow[]) =>
  insertJson(sql, INSERT_EVENTS, rows, [], (row) => ({ ...row, at: row.at.getTime() }));
export const insertClocks = (sql: Sql, rows: readonly ClockRow[]) =>
  insertJson(sql, INSERT_CLOCKS, rows, [], (row) => ({
    ...row,
    startedAt: row.startedAt.getTime(),
    dueAt: row.dueAt.getTime(),
    atRiskAt: row.atRiskAt.getTime(),
    extendedAt: epoch(row.extendedAt),
    metAt: epoch(row.metAt),
    breachedAt: epoch(row.breachedAt),
    nextCheckAt: epoch(row.nextCheckAt),
    updatedAt: row.updatedAt.getTime(),
  }));

/**
 * Drops the secondary indexes of `tables` (those that enforce nothing) and returns how to build them
 * again. Building an index once over the loaded rows costs a fraction of keeping it up to date row by
 * row. Run both in the loading transaction: the indexes are gone only inside it.
 */
export async function withoutSecondaryIndexes(sql: Sql, tables: readonly string[]): Promise<() => Promise<void>> {
  const indexes = await sql.query<{ name: string; definition: string }>(
    `SELECT quote_ident(ic.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i
     JOIN pg_class t ON t.oid = i.indrelid
     JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE t.relname = ANY($1::text[]) AND t.relnamespace = current_schema()::regnamespace
       AND NOT i.indisunique AND NOT i.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    [tables],
  );
  if (indexes.length > 0) await sql.exec(indexes.map((index) => `DROP INDEX ${index.name};`).join("\n"));
  return async () => {
    for (const index of indexes) await sql.exec(index.definition);
  };
}
