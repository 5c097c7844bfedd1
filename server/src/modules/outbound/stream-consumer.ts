import type { Database, Sql } from "../../db/database.js";
import type { Prisma } from "../../generated/prisma/client.js";
import type { TicketEventType } from "../../generated/prisma/enums.js";
import type { Logger } from "../../logger.js";
import { SerialRuns } from "../../serial-runs.js";

/** One committed event as a consumer reads it: its stream position, the event, and its ticket's identity. */
export interface ConsumedEvent {
  position: bigint;
  sequence: bigint;
  type: TicketEventType;
  at: Date;
  /** The unit owning the ticket after the event (for a transfer, the receiving unit). */
  unitId: number;
  /** The unit a transfer took the ticket from. */
  fromUnitId: number | null;
  actorLabel: string | null;
  data: Prisma.JsonValue;
  ticket: { id: string; number: string; kind: string; channel: string; externalRef: string | null };
}

/**
 * Turns a batch of events into outbound rows, in the consumer's transaction (`sql`); returns how many
 * rows it queued. The cursor moves past the batch in the same transaction, so each event is handled
 * once: a pass that fails rolls both back and the next pass reads the same events again.
 */
export type ConsumeBatch = (sql: Sql, events: readonly ConsumedEvent[]) => Promise<number>;

export interface StreamConsumerOptions {
  db: Database;
  /** The cursor's name in stream_consumer. */
  name: string;
  logger: Logger;
  consume: ConsumeBatch;
  /**
   * Whether the consumer has anything to do at all (e.g. a subscription exists): when it has not, the
   * cursor moves to the head without reading a single event.
   */
  active?: (sql: Sql) => Promise<boolean>;
  /** Told after a pass queued rows, once they have committed. */
  queued: () => void;
  pollMs: number;
  batchSize?: number;
}

export interface StreamConsumer {
  runOnce(): Promise<number>;
  /** Starts a pass soon: called when the relay has ordered new events. */
  wake(): void;
  stop(): Promise<void>;
}

interface EventRow {
  position: string;
  sequence: string;
  type: TicketEventType;
  at: Date | string;
  unit_id: number;
  from_unit_id: number | null;
  actor_label: string | null;
  data: Prisma.JsonValue;
  ticket_id: string;
  number: string;
  kind: string;
  channel: string;
  external_ref: string | null;
}

/**
 * A background reader of the event stream with a durable cursor, for work that follows events without
 * weighing on the change that writes them (webhook calls, the SP4N-LAPOR! status sync): the ticket
 * services write nothing for it. Positions are gapless and in commit order (see orderPending), so "after
 * the cursor" never skips an event that committed late. Every instance runs one per name; the cursor's
 * row lock (FOR UPDATE SKIP LOCKED) lets one of them work a batch while the others pass, the same on
 * PGlite and PostgreSQL. The cursor starts at the stream's head the first time a consumer runs, so the
 * history seeded or written before it existed is not treated as news.
 */
export function startStreamConsumer(options: StreamConsumerOptions): StreamConsumer {
  const { db, name, logger } = options;
  const batchSize = options.batchSize ?? 200;
  let stopped = false;

  async function batch(): Promise<{ read: number; queued: number } | null> {
    return db.transaction(async (sql) => {
      const [cursor] = await sql.query<{ through: string }>(
        "SELECT through::text AS through FROM stream_consumer WHERE name = $1 FOR UPDATE SKIP LOCKED",
        [name],
      );
      if (!cursor) return null;
      if (options.active && !(await options.active(sql))) {
        await sql.query(
          `UPDATE stream_consumer SET through = greatest(through, (SELECT coalesce(max(position), 0) FROM event_stream)),
             updated_at = now() WHERE name = $1`,
          [name],
        );
        return { read: 0, queued: 0 };
      }
      const rows = await sql.query<EventRow>(
        `SELECT s.position::text AS position, e.sequence::text AS sequence, e.type::text AS type, e.at,
           s.unit_id, s.from_unit_id, e.actor_label, e.data, t.id AS ticket_id, t.number, t.kind::text AS kind,
           t.channel::text AS channel, t.external_ref
         FROM event_stream s JOIN ticket_event e ON e.sequence = s.event_sequence JOIN ticket t ON t.id = e.ticket_id
         WHERE s.position > $1::bigint ORDER BY s.position LIMIT $2`,
        [cursor.through, batchSize],
      );
      if (!rows.length) return { read: 0, queued: 0 };
      const events = rows.map(toEvent);
      const queued = await options.consume(sql, events);
      await sql.query("UPDATE stream_consumer SET through = $2::bigint, updated_at = now() WHERE name = $1", [
        name,
        rows[rows.length - 1]?.position,
      ]);
      return { read: rows.length, queued };
    });
  }

  async function pass(): Promise<number> {
    let queued = 0;
    while (!stopped) {
      const done = await batch();
      if (!done) break;
      queued += done.queued;
      if (done.read < batchSize) break;
    }
    if (queued) options.queued();
    return queued;
  }

  const runs = new SerialRuns(
    pass,
    (a, b) => a + b,
    () => stopped,
  );
  const runOnce = () => runs.run();
  const kick = () => {
    if (stopped) return;
    runOnce().catch((error: unknown) => logger.warn({ err: error, consumer: name }, "stream consumer pass failed"));
  };
  let timer: NodeJS.Timeout | null = null;
  const started = db.sql
    .query(
      `INSERT INTO stream_consumer (name, through)
       SELECT $1, coalesce(max(position), 0) FROM event_stream
       ON CONFLICT (name) DO NOTHING`,
      [name],
    )
    .then(() => {
      if (stopped) return;
      timer = setInterval(kick, options.pollMs);
      timer.unref();
      kick();
    })
    .catch((error: unknown) => logger.error({ err: error, consumer: name }, "stream consumer could not start"));
  return {
    runOnce: async () => {
      await started;
      return runOnce();
    },
    wake: kick,
    async stop() {
      stopped = true;
      await started;
      if (timer) clearInterval(timer);
      await runs.running?.catch(() => {});
    },
  };
}

function toEvent(row: EventRow): ConsumedEvent {
  return {
    position: BigInt(row.position),
    sequence: BigInt(row.sequence),
    type: row.type,
    at: row.at instanceof Date ? row.at : new Date(row.at),
    unitId: row.unit_id,
    fromUnitId: row.from_unit_id,
    actorLabel: row.actor_label,
    data: typeof row.data === "string" ? JSON.parse(row.data) : row.data,
    ticket: {
      id: row.ticket_id,
      number: row.number,
      kind: row.kind,
      channel: row.channel,
      externalRef: row.external_ref,
    },
  };
}

/** One outbound row as a consumer queues it, in its own transaction (see insertOutboundRows). */
export interface ConsumerOutboundRow {
  id: string;
  channel: "WEBHOOK" | "SP4N_LAPOR";
  ticketId: string;
  unitId: number;
  recipient: string;
  payload: unknown;
  idempotencyKey: string;
  webhookId: string | null;
}

/** Queues rows in one statement; a key queued before is skipped, so a repeated batch queues nothing twice. */
export async function insertOutboundRows(sql: Sql, rows: readonly ConsumerOutboundRow[], now: Date): Promise<number> {
  if (!rows.length) return 0;
  const inserted = await sql.query<{ id: string }>(
    `INSERT INTO outbound_message (id, channel, ticket_id, unit_id, recipient, payload, idempotency_key, webhook_id,
       next_attempt_at, created_at, updated_at)
     SELECT r.id, r.channel::text::"OutboundChannel", r.ticket_id, r.unit_id, r.recipient, r.payload,
       r.idempotency_key, r.webhook_id, $2, $2, $2
     FROM json_to_recordset($1::json) AS r(id uuid, channel text, ticket_id uuid, unit_id int, recipient text,
       payload jsonb, idempotency_key text, webhook_id uuid)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
    [
      JSON.stringify(
        rows.map((row) => ({
          id: row.id,
          channel: row.channel,
          ticket_id: row.ticketId,
          unit_id: row.unitId,
          recipient: row.recipient,
          payload: row.payload,
          idempotency_key: row.idempotencyKey,
          webhook_id: row.webhookId,
        })),
      ),
      now,
    ],
  );
  return inserted.length;
}
