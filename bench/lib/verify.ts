import pg from "pg";

export interface CommitCheck {
  tickets: number;
  createdEvents: number;
  ticketsWithoutCreated: number;
  ticketsWithSeveralCreated: number;
  firstCreatedAt: string | null;
  lastCreatedAt: string | null;
  consistent: boolean;
}

/**
 * Every ticket whose idempotency key starts with `prefix` must have committed together with exactly
 * one CREATED event. Counted after the load, on a connection of its own.
 */
export async function checkCommitted(databaseUrl: string, prefix: string): Promise<CommitCheck> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      tickets: number;
      created_events: number;
      without_created: number;
      several_created: number;
      first_at: Date | null;
      last_at: Date | null;
    }>(
      // left() rather than LIKE: the prefix must not be read as a pattern.
      `SELECT count(*)::int AS tickets,
              coalesce(sum(e.n), 0)::int AS created_events,
              count(*) FILTER (WHERE e.n = 0)::int AS without_created,
              count(*) FILTER (WHERE e.n > 1)::int AS several_created,
              min(t.created_at) AS first_at,
              max(t.created_at) AS last_at
       FROM ticket t
       CROSS JOIN LATERAL (
         SELECT count(*) AS n FROM ticket_event e WHERE e.ticket_id = t.id AND e.type = 'CREATED'
       ) e
       WHERE left(t.idempotency_key, length($1)) = $1`,
      [`${prefix}-`],
    );
    const row = rows[0];
    if (!row) throw new Error("verification query returned no row");
    return {
      tickets: row.tickets,
      createdEvents: row.created_events,
      ticketsWithoutCreated: row.without_created,
      ticketsWithSeveralCreated: row.several_created,
      firstCreatedAt: row.first_at?.toISOString() ?? null,
      lastCreatedAt: row.last_at?.toISOString() ?? null,
      consistent: row.tickets === row.created_events && row.without_created === 0 && row.several_created === 0,
    };
  } finally {
    await client.end();
  }
}
