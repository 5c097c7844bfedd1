import type { Database, Sql } from "../../db/database.js";
import type { Prisma, Ticket } from "../../generated/prisma/client.js";
import type { TicketEventType } from "../../generated/prisma/enums.js";
import type { Timings } from "../../timings.js";

/** Held while positions are given, so that two instances' relays never interleave. */
export const STREAM_LOCK_KEY = 72707370;

/** One event as subscribers see it: its place in the stream, and the event itself. */
export interface StreamEntry {
  /** Gapless, in commit order: the number a client resumes after. */
  readonly position: bigint;
  readonly unitId: number;
  readonly fromUnitId: number | null;
  readonly ticketId: string;
  readonly type: TicketEventType;
  readonly event: StreamedEvent;
}

/** The ticket_event row, with its stream position attached the way the GraphQL type reads it. */
export interface StreamedEvent {
  sequence: bigint;
  ticketId: string;
  unitId: number;
  type: TicketEventType;
  actorId: string | null;
  actorLabel: string | null;
  at: Date;
  data: Prisma.JsonValue;
  stream: { position: bigint };
  /** The ticket as it stood when the event was read for publishing. */
  ticket?: Ticket;
}

/**
 * Moves up to `limit` committed events from the outbox into the stream, giving them the next
 * positions. Positions follow commit order, not the order the log's sequence was drawn: an event whose
 * transaction commits late gets a later position, so a client that saw N never misses it.
 * Returns how many events were ordered, or null when `wait` is false and another relay holds the lock
 * (the caller tries again shortly, in case the holder's statement began before these events committed).
 */
export async function orderPending(sql: Sql, limit: number, wait = true): Promise<number | null> {
  if (wait) {
    await sql.query("SELECT pg_advisory_xact_lock($1)", [STREAM_LOCK_KEY]);
  } else {
    const [row] = await sql.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS ok", [STREAM_LOCK_KEY]);
    if (!row?.ok) return null;
  }
  // The metrics rollups take each event exactly once, in the statement that orders it (one round trip:
  // the roll-up reads ticket_event and the clocks, which this statement does not change); the staff
  // figures likewise (metric_staff_roll_up: a few index probes per reply, resolution, reopening or rating
  // of a person, nothing for the other events). The live queue
  // figures re-count the tickets these events touch in the same transaction, so a board told of position
  // N reads figures that include it.
  const [row] = await sql.query<{ n: number }>(
    `WITH pending AS (
       SELECT o.event_sequence FROM event_outbox o ORDER BY o.event_sequence LIMIT $1
     ), head AS (
       SELECT coalesce(max(position), 0) AS p FROM event_stream
     ), placed AS (
       INSERT INTO event_stream (position, event_sequence, unit_id, from_unit_id, ticket_id, type)
       SELECT head.p + row_number() OVER (ORDER BY e.sequence), e.sequence, e.unit_id, fu.id, e.ticket_id, e.type
       FROM pending JOIN ticket_event e ON e.sequence = pending.event_sequence
       CROSS JOIN head
       LEFT JOIN unit fu ON e.type = 'TRANSFERRED' AND fu.code = e.data->>'fromUnitCode'
       RETURNING event_sequence
     ), taken AS (
       DELETE FROM event_outbox o USING placed WHERE o.event_sequence = placed.event_sequence
       RETURNING o.event_sequence
     ), ordered AS (
       SELECT count(*)::int AS n, array_agg(event_sequence) AS seqs FROM taken
     )
     SELECT n, CASE WHEN n > 0 THEN metric_roll_up(seqs) END, CASE WHEN n > 0 THEN metric_staff_roll_up(seqs) END,
            CASE WHEN n > 0 THEN queue_figures_apply(seqs) END
     FROM ordered`,
    [limit],
  );
  return row?.n ?? 0;
}

/**
 * Gives positions to events bulk-written as history (the demo's seeded past) in log order, marks them
 * published (history is replayable but is not announced as news) and adds them to the metrics rollups.
 */
export async function streamAsHistory(sql: Sql, afterSequence: bigint, timings?: Timings): Promise<void> {
  await sql.query("SELECT pg_advisory_xact_lock($1)", [STREAM_LOCK_KEY]);
  await sql.query("DELETE FROM event_outbox WHERE event_sequence > $1::bigint", [afterSequence.toString()]);
  await sql.query(
    `INSERT INTO event_stream (position, event_sequence, unit_id, from_unit_id, ticket_id, type, streamed_at)
     SELECT head.p + row_number() OVER (ORDER BY e.sequence), e.sequence, e.unit_id, fu.id, e.ticket_id, e.type, e.at
     FROM ticket_event e
     CROSS JOIN (SELECT coalesce(max(position), 0) AS p FROM event_stream) head
     LEFT JOIN unit fu ON e.type = 'TRANSFERRED' AND fu.code = e.data->>'fromUnitCode'
     WHERE e.sequence > $1::bigint AND NOT EXISTS (SELECT 1 FROM event_stream s WHERE s.event_sequence = e.sequence)`,
    [afterSequence.toString()],
  );
  timings?.mark("stream: positions");
  await sql.query(
    "UPDATE event_relay SET published_through = (SELECT coalesce(max(position), 0) FROM event_stream) WHERE id = 1",
  );
  // In slices: given a large share of the log at once, the planner turns the roll-up's lookups into
  // sequential scans of ticket_event.
  const [range] = await sql.query<{ last: string }>(
    "SELECT coalesce(max(sequence), 0)::text AS last FROM ticket_event",
  );
  const last = BigInt(range?.last ?? "0");
  // Slice by slice the sketch trigger would merge each slice's durations into rows written before:
  // most of the roll-up's time. Counted once from every duration instead, after the slices. DDL is
  // transactional and the stream lock keeps every relay out meanwhile.
  await sql.exec('ALTER TABLE metric_duration DISABLE TRIGGER "metric_duration_sketch_add"');
  for (let from = afterSequence; from < last; from += HISTORY_ROLL_UP_SLICE) {
    await sql.query(
      `SELECT metric_roll_up(coalesce((SELECT array_agg(sequence) FROM ticket_event
         WHERE sequence > $1::bigint AND sequence <= $2::bigint), '{}'))`,
      [from.toString(), (from + HISTORY_ROLL_UP_SLICE).toString()],
    );
  }
  timings?.mark("stream: roll-up");
  await sql.exec('ALTER TABLE metric_duration ENABLE ALWAYS TRIGGER "metric_duration_sketch_add"');
  await sql.query("SELECT metric_duration_sketch_rebuild()");
  timings?.mark("stream: sketches");
  // From scratch in one pass of joins, rather than slice by slice.
  await sql.query("SELECT metric_staff_rebuild()");
  timings?.mark("stream: staff figures");
  await rebuildQueueFigures(sql);
  timings?.mark("stream: queue figures");
}

/**
 * Counts the live queue figures (and who was at work in the last minutes of the log) from scratch. For
 * bulk loads that bypass the relay: call it once after the tickets, events and clocks are in.
 */
export async function rebuildQueueFigures(sql: Sql): Promise<void> {
  await sql.query("SELECT queue_figures_rebuild()");
}

const HISTORY_ROLL_UP_SLICE = 20_000n;

export async function streamHead(db: Database): Promise<bigint> {
  const [row] = await db.sql.query<{ head: string }>(
    "SELECT coalesce(max(position), 0)::text AS head FROM event_stream",
  );
  return BigInt(row?.head ?? "0");
}

interface EntryRow {
  position: string;
  from_unit_id: number | null;
  sequence: string;
  ticket_id: string;
  unit_id: number;
  type: TicketEventType;
  actor_id: string | null;
  actor_label: string | null;
  at: Date | string;
  data: Prisma.JsonValue;
}

/**
 * Reads entries in position order after `after`, at most `limit`, optionally only those touching
 * `unitIds` (the unit owning the ticket, or the one a transfer left).
 */
export async function readStream(
  db: Database,
  after: bigint,
  limit: number,
  options: { unitIds?: readonly number[]; through?: bigint; types?: readonly string[] } = {},
): Promise<StreamEntry[]> {
  const params: unknown[] = [after.toString(), limit];
  let where = "s.position > $1::bigint";
  if (options.through !== undefined) {
    params.push(options.through.toString());
    where += ` AND s.position <= $${params.length}::bigint`;
  }
  if (options.unitIds) {
    params.push(options.unitIds);
    where += ` AND (s.unit_id = ANY($${params.length}::int[]) OR s.from_unit_id = ANY($${params.length}::int[]))`;
  }
  if (options.types) {
    params.push(options.types);
    where += ` AND s.type::text = ANY($${params.length}::text[])`;
  }
  const rows = await db.sql.query<EntryRow>(
    `SELECT s.position::text AS position, s.from_unit_id, e.sequence::text AS sequence, e.ticket_id, e.unit_id,
            e.type::text AS type, e.actor_id, e.actor_label, e.at, e.data
     FROM event_stream s JOIN ticket_event e ON e.sequence = s.event_sequence
     WHERE ${where}
     ORDER BY s.position
     LIMIT $2`,
    params,
  );
  const entries = rows.map(toEntry);
  await attachTickets(db, entries);
  return entries;
}

/**
 * Loads the tickets of a batch in one query and hangs them on their events, so subscribers resolving
 * `ticket { … }` share this read instead of each making their own.
 */
async function attachTickets(db: Database, entries: StreamEntry[]) {
  if (!entries.length) return;
  const ids = [...new Set(entries.map((entry) => entry.ticketId))];
  const tickets = new Map((await db.prisma.ticket.findMany({ where: { id: { in: ids } } })).map((t) => [t.id, t]));
  for (const entry of entries) {
    const ticket = tickets.get(entry.ticketId);
    if (ticket) entry.event.ticket = ticket;
  }
}

function toEntry(row: EntryRow): StreamEntry {
  const position = BigInt(row.position);
  const data = typeof row.data === "string" ? JSON.parse(row.data) : row.data;
  return {
    position,
    unitId: row.unit_id,
    fromUnitId: row.from_unit_id,
    ticketId: row.ticket_id,
    type: row.type,
    event: {
      sequence: BigInt(row.sequence),
      ticketId: row.ticket_id,
      unitId: row.unit_id,
      type: row.type,
      actorId: row.actor_id,
      actorLabel: row.actor_label,
      at: row.at instanceof Date ? row.at : new Date(row.at),
      data,
      stream: { position },
    },
  };
}

/** The identity of this database's stream, for naming its channels on a shared bus. */
export async function streamId(db: Database): Promise<string> {
  const [row] = await db.sql.query<{ id: string }>("SELECT stream_id::text AS id FROM event_relay WHERE id = 1");
  if (!row) throw new Error("event_relay has no row; migrations incomplete");
  return row.id;
}

/** What the relay has published and how far the stream reaches, in one round trip. */
export async function relayCursor(db: Database): Promise<{ publishedThrough: bigint; head: bigint }> {
  const [row] = await db.sql.query<{ p: string; head: string }>(
    `SELECT published_through::text AS p, (SELECT coalesce(max(position), 0) FROM event_stream)::text AS head
     FROM event_relay WHERE id = 1`,
  );
  return { publishedThrough: BigInt(row?.p ?? "0"), head: BigInt(row?.head ?? "0") };
}

export async function markPublished(db: Database, through: bigint): Promise<void> {
  await db.sql.query(
    "UPDATE event_relay SET published_through = greatest(published_through, $1::bigint) WHERE id = 1",
    [through.toString()],
  );
}

/**
 * When the entry right after `after` entered the stream, or null when there is none yet. Replay is
 * offered for a bounded window; the stream itself is kept, so history keeps its positions.
 */
export async function streamedAtAfter(db: Database, after: bigint): Promise<Date | null> {
  const [row] = await db.sql.query<{ at: Date | string }>(
    "SELECT streamed_at AS at FROM event_stream WHERE position > $1::bigint ORDER BY position LIMIT 1",
    [after.toString()],
  );
  return row ? new Date(row.at) : null;
}
