-- CreateTable
CREATE TABLE "metric_hourly" (
    "unit_id" INTEGER NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "created" INTEGER NOT NULL DEFAULT 0,
    "resolved" INTEGER NOT NULL DEFAULT 0,
    "closed" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "reopened" INTEGER NOT NULL DEFAULT 0,
    "transfers_in" INTEGER NOT NULL DEFAULT 0,
    "transfers_out" INTEGER NOT NULL DEFAULT 0,
    "first_response_met" INTEGER NOT NULL DEFAULT 0,
    "first_response_breached" INTEGER NOT NULL DEFAULT 0,
    "resolution_met" INTEGER NOT NULL DEFAULT 0,
    "resolution_breached" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "metric_hourly_pkey" PRIMARY KEY ("unit_id","hour")
);

-- CreateTable
CREATE TABLE "metric_transfer_hourly" (
    "from_unit_id" INTEGER NOT NULL,
    "to_unit_id" INTEGER NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "transfers" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "metric_transfer_hourly_pkey" PRIMARY KEY ("from_unit_id","to_unit_id","hour")
);

-- CreateTable
CREATE TABLE "metric_duration" (
    "event_sequence" BIGINT NOT NULL,
    "ticket_id" UUID NOT NULL,
    "kind" "ClockKind" NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "wall_minutes" DOUBLE PRECISION NOT NULL,
    "clock_minutes" DOUBLE PRECISION,

    CONSTRAINT "metric_duration_pkey" PRIMARY KEY ("event_sequence","kind")
);

-- CreateTable
CREATE TABLE "metric_open" (
    "unit_id" INTEGER NOT NULL,
    "open" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "metric_open_pkey" PRIMARY KEY ("unit_id")
);

-- CreateIndex
CREATE INDEX "metric_hourly_hour_idx" ON "metric_hourly"("hour");

-- CreateIndex
CREATE INDEX "ticket_updated_at_idx" ON "ticket"("updated_at");

-- CreateIndex
CREATE INDEX "metric_duration_unit_id_at_idx" ON "metric_duration"("unit_id", "at");

-- CreateIndex
CREATE INDEX "metric_duration_at_idx" ON "metric_duration"("at");

-- A ticket has one first response.
CREATE UNIQUE INDEX "metric_duration_first_response_key" ON "metric_duration"("ticket_id") WHERE "kind" = 'FIRST_RESPONSE';

-- Adds a set of committed events to the rollups. Called exactly once per event: by the relay in the
-- transaction that orders the event into the stream, or for history when it is written in bulk.
-- Hours are UTC hours; every Indonesian zone is a whole number of hours from UTC, so local buckets of
-- any size are unions of them.
CREATE FUNCTION "metric_roll_up"(seqs BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO metric_hourly AS m (unit_id, hour, created, resolved, closed, rejected, reopened, transfers_in,
    transfers_out, first_response_met, first_response_breached, resolution_met, resolution_breached)
  SELECT x.unit_id, x.hour, sum(x.created), sum(x.resolved), sum(x.closed), sum(x.rejected), sum(x.reopened),
         sum(x.transfers_in), sum(x.transfers_out), sum(x.fr_met), sum(x.fr_breached), sum(x.res_met), sum(x.res_breached)
  FROM (
    SELECT e.unit_id, date_trunc('hour', e.at, 'UTC') AS hour,
           (e.type = 'CREATED')::int AS created, (e.type = 'RESOLVED')::int AS resolved,
           (e.type = 'CLOSED')::int AS closed, (e.type = 'REJECTED')::int AS rejected,
           (e.type = 'REOPENED')::int AS reopened, (e.type = 'TRANSFERRED')::int AS transfers_in, 0 AS transfers_out,
           (e.type = 'SLA_MET' AND e.data->>'clock' = 'FIRST_RESPONSE')::int AS fr_met,
           (e.type = 'SLA_BREACHED' AND e.data->>'clock' = 'FIRST_RESPONSE')::int AS fr_breached,
           (e.type = 'SLA_MET' AND e.data->>'clock' = 'RESOLUTION')::int AS res_met,
           (e.type = 'SLA_BREACHED' AND e.data->>'clock' = 'RESOLUTION')::int AS res_breached
    FROM ticket_event e
    WHERE e.sequence = ANY(seqs)
      AND e.type IN ('CREATED', 'RESOLVED', 'CLOSED', 'REJECTED', 'REOPENED', 'TRANSFERRED', 'SLA_MET', 'SLA_BREACHED')
    UNION ALL
    SELECT fu.id, date_trunc('hour', e.at, 'UTC'), 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0
    FROM ticket_event e JOIN unit fu ON fu.code = e.data->>'fromUnitCode'
    WHERE e.sequence = ANY(seqs) AND e.type = 'TRANSFERRED'
  ) x
  GROUP BY x.unit_id, x.hour
  ON CONFLICT (unit_id, hour) DO UPDATE SET
    created = m.created + EXCLUDED.created, resolved = m.resolved + EXCLUDED.resolved,
    closed = m.closed + EXCLUDED.closed, rejected = m.rejected + EXCLUDED.rejected,
    reopened = m.reopened + EXCLUDED.reopened, transfers_in = m.transfers_in + EXCLUDED.transfers_in,
    transfers_out = m.transfers_out + EXCLUDED.transfers_out,
    first_response_met = m.first_response_met + EXCLUDED.first_response_met,
    first_response_breached = m.first_response_breached + EXCLUDED.first_response_breached,
    resolution_met = m.resolution_met + EXCLUDED.resolution_met,
    resolution_breached = m.resolution_breached + EXCLUDED.resolution_breached;

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

  INSERT INTO metric_transfer_hourly AS m (from_unit_id, to_unit_id, hour, transfers)
  SELECT fu.id, e.unit_id, date_trunc('hour', e.at, 'UTC'), count(*)
  FROM ticket_event e JOIN unit fu ON fu.code = e.data->>'fromUnitCode'
  WHERE e.sequence = ANY(seqs) AND e.type = 'TRANSFERRED'
  GROUP BY fu.id, e.unit_id, date_trunc('hour', e.at, 'UTC')
  ON CONFLICT (from_unit_id, to_unit_id, hour) DO UPDATE SET transfers = m.transfers + EXCLUDED.transfers;

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

-- Everything already in the log, except what the relay has still to order (it rolls those up itself).
SELECT metric_roll_up(coalesce((
  SELECT array_agg(e.sequence) FROM ticket_event e
  WHERE NOT EXISTS (SELECT 1 FROM event_outbox o WHERE o.event_sequence = e.sequence)
), '{}'));
