-- A rejection (bukan wewenang) is its own outcome of the resolution clock: counted neither as met nor
-- as breached, and shown apart as resolution_rejected.
ALTER TABLE "metric_hourly" ADD COLUMN "resolution_rejected" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "metric_daily" ADD COLUMN "resolution_rejected" INTEGER NOT NULL DEFAULT 0;

DROP INDEX "metric_daily_read_idx";
CREATE INDEX "metric_daily_read_idx" ON "metric_daily"("unit_id", "day")
INCLUDE ("created", "resolved", "closed", "rejected", "reopened", "transfers_in", "transfers_out", "first_response_met",
         "first_response_breached", "resolution_met", "resolution_breached", "resolution_rejected", "ratings",
         "rating_sum", "ratings_satisfied");

-- Before this migration a rejection in time was recorded as SLA_MET of the resolution clock, written by the
-- recompute of the rejecting transaction, at its instant (a rejected ticket is never reopened, so no real
-- resolution can share it). The log keeps what was written then; the roll-up and the metrics computed from
-- the log read such an event as a rejection, which also covers an instance of the previous version still
-- writing during a rolling upgrade. Costs one index probe per resolution clock met.
CREATE FUNCTION "sla_met_by_rejection"(UUID, TIMESTAMPTZ) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM ticket_event r WHERE r.ticket_id = $1 AND r.type = 'REJECTED' AND r.at = $2)
$$;

CREATE TEMPORARY TABLE legacy_rejection ON COMMIT DROP AS
SELECT e.sequence, e.unit_id, e.at, e.ticket_id
FROM ticket_event e
WHERE e.type = 'SLA_MET' AND e.data->>'clock' = 'RESOLUTION' AND sla_met_by_rejection(e.ticket_id, e.at);

UPDATE ticket_clock c SET state = 'REJECTED', met_at = NULL
FROM legacy_rejection l
WHERE c.ticket_id = l.ticket_id AND c.kind = 'RESOLUTION' AND c.state = 'MET';

-- Only what the relay has already rolled up is moved; events still in the outbox are rolled up below.
UPDATE metric_hourly m SET resolution_met = m.resolution_met - x.n, resolution_rejected = m.resolution_rejected + x.n
FROM (SELECT l.unit_id, date_trunc('hour', l.at, 'UTC') AS hour, count(*)::int AS n
      FROM legacy_rejection l WHERE NOT EXISTS (SELECT 1 FROM event_outbox o WHERE o.event_sequence = l.sequence)
      GROUP BY 1, 2) x
WHERE m.unit_id = x.unit_id AND m.hour = x.hour;

UPDATE metric_daily m SET resolution_met = m.resolution_met - x.n, resolution_rejected = m.resolution_rejected + x.n
FROM (SELECT l.unit_id, date_trunc('day', date_trunc('hour', l.at, 'UTC'), 'Asia/Jakarta') AS day, count(*)::int AS n
      FROM legacy_rejection l WHERE NOT EXISTS (SELECT 1 FROM event_outbox o WHERE o.event_sequence = l.sequence)
      GROUP BY 1, 2) x
WHERE m.unit_id = x.unit_id AND m.day = x.day;

CREATE OR REPLACE FUNCTION "metric_roll_up"(seqs BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  WITH x AS (
    SELECT e.unit_id, date_trunc('hour', e.at, 'UTC') AS hour,
           (e.type = 'CREATED')::int AS created, (e.type = 'RESOLVED')::int AS resolved,
           (e.type = 'CLOSED')::int AS closed, (e.type = 'REJECTED')::int AS rejected,
           (e.type = 'REOPENED')::int AS reopened, (e.type = 'TRANSFERRED')::int AS transfers_in, 0 AS transfers_out,
           (e.type = 'SLA_MET' AND e.data->>'clock' = 'FIRST_RESPONSE')::int AS fr_met,
           (e.type = 'SLA_BREACHED' AND e.data->>'clock' = 'FIRST_RESPONSE')::int AS fr_breached,
           (e.type = 'SLA_MET' AND e.data->>'clock' = 'RESOLUTION'
            AND NOT sla_met_by_rejection(e.ticket_id, e.at))::int AS res_met,
           (e.type = 'SLA_BREACHED' AND e.data->>'clock' = 'RESOLUTION')::int AS res_breached,
           (e.data->>'clock' = 'RESOLUTION' AND (e.type = 'SLA_REJECTED'
            OR (e.type = 'SLA_MET' AND sla_met_by_rejection(e.ticket_id, e.at))))::int AS res_rejected,
           (e.type = 'RATED')::int AS ratings,
           CASE WHEN e.type = 'RATED' THEN (e.data->>'rating')::int ELSE 0 END AS rating_sum,
           (e.type = 'RATED' AND (e.data->>'rating')::int >= 4)::int AS ratings_satisfied
    FROM ticket_event e
    WHERE e.sequence = ANY(seqs)
      AND e.type IN ('CREATED', 'RESOLVED', 'CLOSED', 'REJECTED', 'REOPENED', 'TRANSFERRED', 'SLA_MET', 'SLA_BREACHED',
                     'SLA_REJECTED', 'RATED')
    UNION ALL
    SELECT fu.id, date_trunc('hour', e.at, 'UTC'), 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0
    FROM ticket_event e JOIN unit fu ON fu.code = e.data->>'fromUnitCode'
    WHERE e.sequence = ANY(seqs) AND e.type = 'TRANSFERRED'
  ),
  hourly AS (
    INSERT INTO metric_hourly AS m (unit_id, hour, created, resolved, closed, rejected, reopened, transfers_in, transfers_out, first_response_met, first_response_breached, resolution_met, resolution_breached, resolution_rejected, ratings, rating_sum, ratings_satisfied)
    SELECT x.unit_id, x.hour, sum(x.created), sum(x.resolved), sum(x.closed), sum(x.rejected), sum(x.reopened), sum(x.transfers_in), sum(x.transfers_out), sum(x.fr_met), sum(x.fr_breached), sum(x.res_met), sum(x.res_breached), sum(x.res_rejected), sum(x.ratings), sum(x.rating_sum), sum(x.ratings_satisfied)
    FROM x GROUP BY x.unit_id, x.hour
    ON CONFLICT (unit_id, hour) DO UPDATE SET
    created = m.created + EXCLUDED.created,
    resolved = m.resolved + EXCLUDED.resolved,
    closed = m.closed + EXCLUDED.closed,
    rejected = m.rejected + EXCLUDED.rejected,
    reopened = m.reopened + EXCLUDED.reopened,
    transfers_in = m.transfers_in + EXCLUDED.transfers_in,
    transfers_out = m.transfers_out + EXCLUDED.transfers_out,
    first_response_met = m.first_response_met + EXCLUDED.first_response_met,
    first_response_breached = m.first_response_breached + EXCLUDED.first_response_breached,
    resolution_met = m.resolution_met + EXCLUDED.resolution_met,
    resolution_breached = m.resolution_breached + EXCLUDED.resolution_breached,
    resolution_rejected = m.resolution_rejected + EXCLUDED.resolution_rejected,
    ratings = m.ratings + EXCLUDED.ratings,
    rating_sum = m.rating_sum + EXCLUDED.rating_sum,
    ratings_satisfied = m.ratings_satisfied + EXCLUDED.ratings_satisfied
  )
  INSERT INTO metric_daily AS m (unit_id, day, created, resolved, closed, rejected, reopened, transfers_in, transfers_out, first_response_met, first_response_breached, resolution_met, resolution_breached, resolution_rejected, ratings, rating_sum, ratings_satisfied)
  SELECT x.unit_id, date_trunc('day', x.hour, 'Asia/Jakarta'), sum(x.created), sum(x.resolved), sum(x.closed), sum(x.rejected), sum(x.reopened), sum(x.transfers_in), sum(x.transfers_out), sum(x.fr_met), sum(x.fr_breached), sum(x.res_met), sum(x.res_breached), sum(x.res_rejected), sum(x.ratings), sum(x.rating_sum), sum(x.ratings_satisfied)
  FROM x GROUP BY x.unit_id, date_trunc('day', x.hour, 'Asia/Jakarta')
  ON CONFLICT (unit_id, day) DO UPDATE SET
    created = m.created + EXCLUDED.created,
    resolved = m.resolved + EXCLUDED.resolved,
    closed = m.closed + EXCLUDED.closed,
    rejected = m.rejected + EXCLUDED.rejected,
    reopened = m.reopened + EXCLUDED.reopened,
    transfers_in = m.transfers_in + EXCLUDED.transfers_in,
    transfers_out = m.transfers_out + EXCLUDED.transfers_out,
    first_response_met = m.first_response_met + EXCLUDED.first_response_met,
    first_response_breached = m.first_response_breached + EXCLUDED.first_response_breached,
    resolution_met = m.resolution_met + EXCLUDED.resolution_met,
    resolution_breached = m.resolution_breached + EXCLUDED.resolution_breached,
    resolution_rejected = m.resolution_rejected + EXCLUDED.resolution_rejected,
    ratings = m.ratings + EXCLUDED.ratings,
    rating_sum = m.rating_sum + EXCLUDED.rating_sum,
    ratings_satisfied = m.ratings_satisfied + EXCLUDED.ratings_satisfied;

  -- Tickets open in each unit now: received, reopened or transferred in, less resolved, rejected or
  -- transferred out (a ticket is closed only after being resolved).
  INSERT INTO metric_open AS m (unit_id, open)
  SELECT x.unit_id, sum(x.delta)
  FROM (
    SELECT e.unit_id, CASE WHEN e.type IN ('CREATED', 'REOPENED', 'TRANSFERRED') THEN 1 ELSE -1 END AS delta
    FROM ticket_event e
    WHERE e.sequence = ANY(seqs) AND e.type IN ('CREATED', 'REOPENED', 'TRANSFERRED', 'RESOLVED', 'REJECTED')
    UNION ALL
    SELECT fu.id, -1
    FROM ticket_event e JOIN unit fu ON fu.code = e.data->>'fromUnitCode'
    WHERE e.sequence = ANY(seqs) AND e.type = 'TRANSFERRED'
  ) x
  GROUP BY x.unit_id
  ON CONFLICT (unit_id) DO UPDATE SET open = m.open + EXCLUDED.open;

  WITH moved AS (
    SELECT fu.id AS from_unit_id, e.unit_id AS to_unit_id, date_trunc('hour', e.at, 'UTC') AS hour
    FROM ticket_event e JOIN unit fu ON fu.code = e.data->>'fromUnitCode'
    WHERE e.sequence = ANY(seqs) AND e.type = 'TRANSFERRED'
  ),
  hourly AS (
    INSERT INTO metric_transfer_hourly AS m (from_unit_id, to_unit_id, hour, transfers)
    SELECT from_unit_id, to_unit_id, hour, count(*) FROM moved GROUP BY from_unit_id, to_unit_id, hour
    ON CONFLICT (from_unit_id, to_unit_id, hour) DO UPDATE SET transfers = m.transfers + EXCLUDED.transfers
  )
  INSERT INTO metric_transfer_daily AS m (from_unit_id, to_unit_id, day, transfers)
  SELECT from_unit_id, to_unit_id, date_trunc('day', hour, 'Asia/Jakarta'), count(*)
  FROM moved GROUP BY from_unit_id, to_unit_id, date_trunc('day', hour, 'Asia/Jakarta')
  ON CONFLICT (from_unit_id, to_unit_id, day) DO UPDATE SET transfers = m.transfers + EXCLUDED.transfers;

  -- The first response is the reply (or the resolution) that set first_responded_at.
  INSERT INTO metric_duration (event_sequence, ticket_id, kind, unit_id, at, wall_minutes, clock_minutes)
  SELECT e.sequence, e.ticket_id, 'FIRST_RESPONSE', e.unit_id, e.at, extract(epoch FROM e.at - t.created_at) / 60,
         c.elapsed_minutes
  FROM ticket_event e
  JOIN ticket t ON t.id = e.ticket_id
  LEFT JOIN ticket_clock c ON c.ticket_id = e.ticket_id AND c.kind = 'FIRST_RESPONSE' AND c.met_at = e.at
  WHERE e.sequence = ANY(seqs) AND e.type IN ('REPLIED', 'RESOLVED') AND e.at = t.first_responded_at
  ON CONFLICT DO NOTHING;

  INSERT INTO metric_duration (event_sequence, ticket_id, kind, unit_id, at, wall_minutes, clock_minutes)
  SELECT e.sequence, e.ticket_id, 'RESOLUTION', e.unit_id, e.at, extract(epoch FROM e.at - t.created_at) / 60,
         c.elapsed_minutes
  FROM ticket_event e
  JOIN ticket t ON t.id = e.ticket_id
  LEFT JOIN ticket_clock c ON c.ticket_id = e.ticket_id AND c.kind = 'RESOLUTION' AND c.met_at = e.at
  WHERE e.sequence = ANY(seqs) AND e.type = 'RESOLVED'
  ON CONFLICT DO NOTHING;
END;
$$;
