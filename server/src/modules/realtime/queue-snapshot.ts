import type { Database } from "../../db/database.js";
import type { Channel, TicketStatus } from "../../generated/prisma/enums.js";
import { OPEN_STATUSES } from "../tickets/status-machine.js";

/** Staff who recorded something on a ticket within this window count as active. */
export const ACTIVE_AGENT_WINDOW_MINUTES = 60;

/** The live queue of a unit and every unit below it. */
export interface QueueSnapshot {
  unitId: number;
  computedAt: Date;
  open: number;
  byStatus: { status: TicketStatus; count: number }[];
  byChannel: { channel: Channel; count: number }[];
  unassigned: number;
  waitingOnCitizen: number;
  atRisk: number;
  breached: number;
  /** Received time of the oldest open ticket that waits on the unit (not on the citizen). */
  oldestWaitingSince: Date | null;
  agentsActive: number;
  agentsWithOpenTickets: number;
}

interface Row {
  open: number;
  by_status: Record<string, number> | string | null;
  by_channel: Record<string, number> | string | null;
  unassigned: number;
  waiting: number;
  at_risk: number;
  breached: number;
  oldest: Date | string | null;
  agents_active: number;
  agents_with_open: number;
}

const parse = (value: Record<string, number> | string | null): Record<string, number> =>
  value === null ? {} : typeof value === "string" ? JSON.parse(value) : value;

/** One query over the open tickets of the subtree, read through the (unit, status) index. */
export async function computeQueueSnapshot(
  db: Database,
  unitId: number,
  unitIds: readonly number[],
  now = new Date(),
): Promise<QueueSnapshot> {
  const [row] = await db.sql.query<Row>(
    `WITH open AS (
       SELECT t.id, t.status, t.channel, t.assignee_id, t.created_at
       FROM ticket t
       WHERE t.unit_id = ANY($1::int[]) AND t.status::text = ANY($2::text[])
     ), clocks AS (
       SELECT c.ticket_id, bool_or(c.state = 'AT_RISK') AS at_risk, bool_or(c.state = 'BREACHED') AS breached
       FROM ticket_clock c JOIN open o ON o.id = c.ticket_id
       WHERE c.state IN ('AT_RISK', 'BREACHED')
       GROUP BY c.ticket_id
     )
     SELECT
       (SELECT count(*)::int FROM open) AS open,
       (SELECT json_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM open GROUP BY status) s) AS by_status,
       (SELECT json_object_agg(channel, n) FROM (SELECT channel, count(*)::int AS n FROM open GROUP BY channel) c) AS by_channel,
       (SELECT count(*)::int FROM open WHERE assignee_id IS NULL) AS unassigned,
       (SELECT count(*)::int FROM open WHERE status = 'WAITING_ON_CITIZEN') AS waiting,
       (SELECT count(*)::int FROM clocks WHERE at_risk AND NOT breached) AS at_risk,
       (SELECT count(*)::int FROM clocks WHERE breached) AS breached,
       (SELECT min(created_at) FROM open WHERE status <> 'WAITING_ON_CITIZEN') AS oldest,
       (SELECT count(DISTINCT e.actor_id)::int FROM ticket_event e JOIN app_user u ON u.id = e.actor_id
         WHERE e.unit_id = ANY($1::int[]) AND e.at > $3::timestamptz - make_interval(mins => $4) AND u.role = 'AGENT') AS agents_active,
       (SELECT count(DISTINCT assignee_id)::int FROM open) AS agents_with_open`,
    [unitIds, OPEN_STATUSES, now, ACTIVE_AGENT_WINDOW_MINUTES],
  );
  if (!row) throw new Error("queue snapshot returned no row");
  const byStatus = parse(row.by_status);
  const byChannel = parse(row.by_channel);
  return {
    unitId,
    computedAt: now,
    open: row.open,
    byStatus: OPEN_STATUSES.map((status) => ({ status, count: byStatus[status] ?? 0 })),
    byChannel: Object.entries(byChannel)
      .map(([channel, count]) => ({ channel: channel as Channel, count }))
      .sort((a, b) => b.count - a.count || a.channel.localeCompare(b.channel)),
    unassigned: row.unassigned,
    waitingOnCitizen: row.waiting,
    atRisk: row.at_risk,
    breached: row.breached,
    oldestWaitingSince: row.oldest === null ? null : new Date(row.oldest),
    agentsActive: row.agents_active,
    agentsWithOpenTickets: row.agents_with_open,
  };
}
