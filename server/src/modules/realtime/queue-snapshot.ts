import type { Sql } from "../../db/database.js";
import type { Channel, TicketStatus } from "../../generated/prisma/enums.js";
import { OPEN_STATUSES } from "../tickets/status-machine.js";
import { PRESENCE_WINDOW_MINUTES } from "./presence.js";

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
  /** Agents of these units seen at work (see PRESENCE_WINDOW_MINUTES). */
  agentsActive: number;
  /** Agents of these units (active accounts, role AGENT): the most agentsActive can be. */
  agents: number;
  agentsWithOpenTickets: number;
}

/** The figures a snapshot is made of, however they were counted. */
export type QueueFigures = Omit<QueueSnapshot, "unitId" | "computedAt">;

interface Row {
  by_status: Record<string, number> | string | null;
  by_channel: Record<string, number> | string | null;
  unassigned: number;
  at_risk: number;
  breached: number;
  oldest: Date | string | null;
  agents_active: number;
  agents: number;
  agents_with_open: number;
}

const parse = <T>(value: T | string | null): T | null => (typeof value === "string" ? JSON.parse(value) : value);

/** Agents of the subtree ($1) seen at work within the window before `now`, from user_presence. */
const agentsActive = (now: string, minutes: string) => `(SELECT count(*)::int FROM user_presence p
  JOIN app_user u ON u.id = p.user_id
  WHERE p.last_seen_at > ${now}::timestamptz - make_interval(mins => ${minutes}) AND u.unit_id = ANY($1::int[])
    AND u.role = 'AGENT' AND u.active)`;

/** Agents of the subtree ($1): the same people agentsActive counts, seen at work or not. */
const AGENTS = `(SELECT count(*)::int FROM app_user u WHERE u.unit_id = ANY($1::int[]) AND u.role = 'AGENT' AND u.active)`;

/**
 * The subtree's figures as the relay keeps them (queue_figures_refresh): its units' counts per status
 * and channel, their oldest waiting tickets, the people with open tickets there and the agents seen at
 * work lately. Index range scans over at most a few thousand small rows however many tickets there are;
 * a regional office or the directorate is the sum of its units' rows.
 */
const KEPT_FIGURES = `
  WITH c AS MATERIALIZED (
    SELECT status, channel, tickets, unassigned, at_risk, breached FROM queue_count
    WHERE unit_id = ANY($1::int[]) AND tickets <> 0
  )
  SELECT
    (SELECT json_object_agg(status, n) FROM (SELECT status, sum(tickets)::int AS n FROM c GROUP BY status) s) AS by_status,
    (SELECT json_object_agg(channel, n) FROM (SELECT channel, sum(tickets)::int AS n FROM c GROUP BY channel) h) AS by_channel,
    (SELECT coalesce(sum(unassigned), 0)::int FROM c) AS unassigned,
    (SELECT coalesce(sum(at_risk), 0)::int FROM c) AS at_risk,
    (SELECT coalesce(sum(breached), 0)::int FROM c) AS breached,
    (SELECT min(u.oldest_waiting_since) FROM queue_unit u WHERE u.unit_id = ANY($1::int[])) AS oldest,
    ${agentsActive("$2", "$3")} AS agents_active,
    ${AGENTS} AS agents,
    (SELECT count(DISTINCT a.assignee_id)::int FROM queue_assignee a
      WHERE a.unit_id = ANY($1::int[]) AND a.tickets > 0) AS agents_with_open`;

/** One snapshot, read from the kept figures. */
export async function computeQueueSnapshot(
  sql: Sql,
  unitId: number,
  unitIds: readonly number[],
  now = new Date(),
): Promise<QueueSnapshot> {
  const [row] = await sql.prepared<Row>("queue_snapshot", KEPT_FIGURES, [unitIds, now, PRESENCE_WINDOW_MINUTES]);
  if (!row) throw new Error("queue snapshot returned no row");
  return { unitId, computedAt: now, ...figures(row) };
}

/**
 * The same figures counted from the tickets and their clocks, as snapshots were computed before the
 * figures were kept: the reference the kept figures are tested and measured against. Active agents
 * come from the same presence rows, which have no other source.
 */
export async function countQueueFromScratch(
  sql: Sql,
  unitIds: readonly number[],
  now = new Date(),
): Promise<QueueFigures> {
  const [row] = await sql.query<Row>(
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
       (SELECT json_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM open GROUP BY status) s) AS by_status,
       (SELECT json_object_agg(channel, n) FROM (SELECT channel, count(*)::int AS n FROM open GROUP BY channel) c) AS by_channel,
       (SELECT count(*)::int FROM open WHERE assignee_id IS NULL) AS unassigned,
       (SELECT count(*)::int FROM clocks WHERE at_risk AND NOT breached) AS at_risk,
       (SELECT count(*)::int FROM clocks WHERE breached) AS breached,
       (SELECT min(created_at) FROM open WHERE status <> 'WAITING_ON_CITIZEN') AS oldest,
       ${agentsActive("$3", "$4")} AS agents_active,
       ${AGENTS} AS agents,
       (SELECT count(DISTINCT assignee_id)::int FROM open) AS agents_with_open`,
    [unitIds, OPEN_STATUSES, now, PRESENCE_WINDOW_MINUTES],
  );
  if (!row) throw new Error("queue count returned no row");
  return figures(row);
}

function figures(row: Row): QueueFigures {
  const counts = (value: Record<string, number> | string | null) => new Map(Object.entries(parse(value) ?? {}));
  const statuses = counts(row.by_status);
  const byStatus = OPEN_STATUSES.map((status) => ({ status, count: statuses.get(status) ?? 0 }));
  return {
    open: byStatus.reduce((sum, entry) => sum + entry.count, 0),
    byStatus,
    byChannel: [...counts(row.by_channel)]
      .filter(([, count]) => count !== 0)
      .map(([channel, count]) => ({ channel: channel as Channel, count }))
      .sort((a, b) => b.count - a.count || a.channel.localeCompare(b.channel)),
    unassigned: row.unassigned,
    waitingOnCitizen: statuses.get("WAITING_ON_CITIZEN") ?? 0,
    atRisk: row.at_risk,
    breached: row.breached,
    oldestWaitingSince: row.oldest === null ? null : new Date(row.oldest),
    agentsActive: row.agents_active,
    agents: row.agents,
    agentsWithOpenTickets: row.agents_with_open,
  };
}
