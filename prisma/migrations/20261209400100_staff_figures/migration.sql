-- Figures per person (staff competency): what each one did, per unit and local calendar day, kept as
-- events are ordered into the stream, so a unit's team page reads one row per person and day.
--
-- Attribution: a reply, a first response, a resolution or a rejection counts for the person who made it
-- (the event's actor); a reopening and a rating count for the person whose resolution they answer (the
-- ticket's latest RESOLVED before them), in the unit of that resolution. A clock counts for the person
-- who stopped it: met when its SLA_MET is recorded at that instant, breached when its SLA_BREACHED was
-- recorded at or before it. Events of API keys and of the system count for nobody.
--
-- Days are the local calendar days of the unit (its own time zone). A ticket's satisfaction is its
-- first rating, as in the unit rollups (20261208600100_first_rating_counts).
CREATE TABLE "metric_staff_daily" (
    "unit_id" INTEGER NOT NULL,
    "user_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "replies" INTEGER NOT NULL DEFAULT 0,
    "first_responses" INTEGER NOT NULL DEFAULT 0,
    "resolved" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "reopened" INTEGER NOT NULL DEFAULT 0,
    "first_response_met" INTEGER NOT NULL DEFAULT 0,
    "first_response_breached" INTEGER NOT NULL DEFAULT 0,
    "resolution_met" INTEGER NOT NULL DEFAULT 0,
    "resolution_breached" INTEGER NOT NULL DEFAULT 0,
    "ratings" INTEGER NOT NULL DEFAULT 0,
    "rating_sum" INTEGER NOT NULL DEFAULT 0,
    "ratings_satisfied" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "metric_staff_daily_pkey" PRIMARY KEY ("unit_id","day","user_id")
);

-- Each first response and resolution a person made, for their medians and p90s: a person's durations of
-- a month are a few hundred rows, fewer than the bins a sketch per person and day would hold.
CREATE TABLE "metric_staff_duration" (
    "event_sequence" BIGINT NOT NULL,
    "kind" "ClockKind" NOT NULL,
    "ticket_id" UUID NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "user_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "wall_minutes" DOUBLE PRECISION NOT NULL,
    "clock_minutes" DOUBLE PRECISION,

    CONSTRAINT "metric_staff_duration_pkey" PRIMARY KEY ("event_sequence","kind")
);

-- A ticket has one first response.
CREATE UNIQUE INDEX "metric_staff_duration_first_response_key" ON "metric_staff_duration"("ticket_id") WHERE "kind" = 'FIRST_RESPONSE';

-- A team's period is a run of days of its units: an index-only range scan per unit.
CREATE INDEX "metric_staff_duration_read_idx" ON "metric_staff_duration"("unit_id", "day")
INCLUDE ("user_id", "kind", "wall_minutes", "clock_minutes");

-- One person's own page reads their rows in every unit they worked in.
CREATE INDEX "metric_staff_daily_user_id_day_idx" ON "metric_staff_daily"("user_id", "day");
CREATE INDEX "metric_staff_duration_user_id_day_idx" ON "metric_staff_duration"("user_id", "day");

-- Adds a set of committed events to the staff figures. Called exactly once per event, by the relay in
-- the transaction that orders it (next to metric_roll_up). Reads only those events, their tickets and
-- clocks, and the SLA and RESOLVED events of the same tickets (by the ticket_id, sequence index).
CREATE FUNCTION "metric_staff_roll_up"(seqs BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  WITH durations AS (
    INSERT INTO metric_staff_duration AS d (event_sequence, kind, ticket_id, unit_id, user_id, day, at, wall_minutes, clock_minutes)
    SELECT e.sequence, k.kind, e.ticket_id, e.unit_id, e.actor_id, (e.at AT TIME ZONE u.time_zone)::date, e.at,
           extract(epoch FROM e.at - t.created_at) / 60, c.elapsed_minutes
    FROM ticket_event e
    JOIN ticket t ON t.id = e.ticket_id
    JOIN unit u ON u.id = e.unit_id
    CROSS JOIN LATERAL (VALUES ('FIRST_RESPONSE'::"ClockKind"), ('RESOLUTION'::"ClockKind")) AS k(kind)
    LEFT JOIN ticket_clock c ON c.ticket_id = e.ticket_id AND c.kind = k.kind AND c.met_at = e.at
    WHERE e.sequence = ANY(seqs) AND e.actor_id IS NOT NULL AND e.type IN ('REPLIED', 'RESOLVED')
      AND CASE k.kind WHEN 'FIRST_RESPONSE' THEN e.at = t.first_responded_at ELSE e.type = 'RESOLVED' END
    ON CONFLICT DO NOTHING
    RETURNING d.ticket_id, d.kind, d.unit_id, d.user_id, d.day, d.at
  ),
  judged AS (
    SELECT d.unit_id, d.user_id, d.day, d.kind,
           EXISTS (SELECT 1 FROM ticket_event s
                   WHERE s.ticket_id = d.ticket_id AND s.type = 'SLA_MET' AND s.at = d.at
                     AND s.data->>'clock' = d.kind::text) AS met,
           EXISTS (SELECT 1 FROM ticket_event s
                   WHERE s.ticket_id = d.ticket_id AND s.type = 'SLA_BREACHED' AND s.at <= d.at
                     AND s.data->>'clock' = d.kind::text) AS breached
    FROM durations d
  ),
  answered AS (
    -- Reopenings and first ratings, with the resolution they answer.
    SELECT r.unit_id, r.actor_id AS user_id, (e.at AT TIME ZONE u.time_zone)::date AS day, e.type,
           CASE WHEN e.type = 'RATED' THEN (e.data->>'rating')::int END AS rating
    FROM ticket_event e
    CROSS JOIN LATERAL (
      SELECT p.actor_id, p.unit_id FROM ticket_event p
      WHERE p.ticket_id = e.ticket_id AND p.type = 'RESOLVED' AND p.sequence < e.sequence
      ORDER BY p.sequence DESC LIMIT 1
    ) r
    JOIN unit u ON u.id = r.unit_id
    WHERE e.sequence = ANY(seqs) AND e.type IN ('REOPENED', 'RATED') AND r.actor_id IS NOT NULL
      AND (e.type = 'REOPENED' OR NOT EXISTS (SELECT 1 FROM ticket_event f
             WHERE f.ticket_id = e.ticket_id AND f.type = 'RATED' AND f.sequence < e.sequence))
  ),
  x AS (
    SELECT e.unit_id, e.actor_id AS user_id, (e.at AT TIME ZONE u.time_zone)::date AS day,
           (e.type = 'REPLIED')::int AS replies, 0 AS first_responses, (e.type = 'RESOLVED')::int AS resolved,
           (e.type = 'REJECTED')::int AS rejected, 0 AS reopened, 0 AS fr_met, 0 AS fr_breached, 0 AS res_met,
           0 AS res_breached, 0 AS ratings, 0 AS rating_sum, 0 AS ratings_satisfied
    FROM ticket_event e JOIN unit u ON u.id = e.unit_id
    WHERE e.sequence = ANY(seqs) AND e.actor_id IS NOT NULL AND e.type IN ('REPLIED', 'RESOLVED', 'REJECTED')
    UNION ALL
    SELECT j.unit_id, j.user_id, j.day, 0, (j.kind = 'FIRST_RESPONSE')::int, 0, 0, 0,
           (j.kind = 'FIRST_RESPONSE' AND j.met)::int, (j.kind = 'FIRST_RESPONSE' AND NOT j.met AND j.breached)::int,
           (j.kind = 'RESOLUTION' AND j.met)::int, (j.kind = 'RESOLUTION' AND NOT j.met AND j.breached)::int, 0, 0, 0
    FROM judged j
    UNION ALL
    SELECT a.unit_id, a.user_id, a.day, 0, 0, 0, 0, (a.type = 'REOPENED')::int, 0, 0, 0, 0,
           (a.type = 'RATED')::int, coalesce(a.rating, 0), coalesce((a.rating >= 4)::int, 0)
    FROM answered a
  )
  INSERT INTO metric_staff_daily AS m (unit_id, user_id, day, replies, first_responses, resolved, rejected, reopened,
    first_response_met, first_response_breached, resolution_met, resolution_breached, ratings, rating_sum, ratings_satisfied)
  SELECT unit_id, user_id, day, sum(replies), sum(first_responses), sum(resolved), sum(rejected), sum(reopened),
         sum(fr_met), sum(fr_breached), sum(res_met), sum(res_breached), sum(ratings), sum(rating_sum),
         sum(ratings_satisfied)
  FROM x GROUP BY unit_id, user_id, day
  ON CONFLICT (unit_id, day, user_id) DO UPDATE SET
    replies = m.replies + EXCLUDED.replies,
    first_responses = m.first_responses + EXCLUDED.first_responses,
    resolved = m.resolved + EXCLUDED.resolved,
    rejected = m.rejected + EXCLUDED.rejected,
    reopened = m.reopened + EXCLUDED.reopened,
    first_response_met = m.first_response_met + EXCLUDED.first_response_met,
    first_response_breached = m.first_response_breached + EXCLUDED.first_response_breached,
    resolution_met = m.resolution_met + EXCLUDED.resolution_met,
    resolution_breached = m.resolution_breached + EXCLUDED.resolution_breached,
    ratings = m.ratings + EXCLUDED.ratings,
    rating_sum = m.rating_sum + EXCLUDED.rating_sum,
    ratings_satisfied = m.ratings_satisfied + EXCLUDED.ratings_satisfied;
END;
$$;

-- Every staff figure from scratch, over the events already rolled up (those still in the outbox are
-- the relay's to add): for bulk loads written without the relay (the seed's history) and after a
-- repair. Joins whole tables in one pass instead of looking each event's neighbours up; the durations
-- are metric_roll_up's own (metric_duration) with their event's actor.
CREATE FUNCTION "metric_staff_rebuild"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(72707370);
  TRUNCATE metric_staff_daily, metric_staff_duration;

  CREATE TEMPORARY TABLE staff_event ON COMMIT DROP AS
  SELECT e.sequence, e.ticket_id, e.unit_id, e.type, e.actor_id, e.at,
         CASE WHEN e.type IN ('SLA_MET', 'SLA_BREACHED') THEN e.data->>'clock' END AS clock,
         CASE WHEN e.type = 'RATED' THEN (e.data->>'rating')::int END AS rating
  FROM ticket_event e
  WHERE e.type IN ('REPLIED', 'RESOLVED', 'REJECTED', 'REOPENED', 'RATED', 'SLA_MET', 'SLA_BREACHED')
    AND NOT EXISTS (SELECT 1 FROM event_outbox o WHERE o.event_sequence = e.sequence);

  INSERT INTO metric_staff_duration (event_sequence, kind, ticket_id, unit_id, user_id, day, at, wall_minutes, clock_minutes)
  SELECT d.event_sequence, d.kind, d.ticket_id, d.unit_id, e.actor_id, (d.at AT TIME ZONE u.time_zone)::date, d.at,
         d.wall_minutes, d.clock_minutes
  FROM metric_duration d
  JOIN staff_event e ON e.sequence = d.event_sequence
  JOIN unit u ON u.id = d.unit_id
  WHERE e.actor_id IS NOT NULL;

  WITH met AS (
    SELECT DISTINCT s.ticket_id, s.clock, s.at FROM staff_event s WHERE s.type = 'SLA_MET'
  ),
  breached AS (
    SELECT s.ticket_id, s.clock, min(s.at) AS at FROM staff_event s WHERE s.type = 'SLA_BREACHED'
    GROUP BY 1, 2
  ),
  judged AS (
    SELECT d.unit_id, d.user_id, d.day, d.kind, m.ticket_id IS NOT NULL AS met,
           b.at IS NOT NULL AND b.at <= d.at AS breached
    FROM metric_staff_duration d
    LEFT JOIN met m ON m.ticket_id = d.ticket_id AND m.clock = d.kind::text AND m.at = d.at
    LEFT JOIN breached b ON b.ticket_id = d.ticket_id AND b.clock = d.kind::text
  ),
  resolution AS (
    SELECT s.ticket_id, s.sequence, s.unit_id, s.actor_id,
           lead(s.sequence) OVER (PARTITION BY s.ticket_id ORDER BY s.sequence) AS next_sequence
    FROM staff_event s WHERE s.type = 'RESOLVED'
  ),
  answered AS (
    SELECT r.unit_id, r.actor_id AS user_id, (e.at AT TIME ZONE u.time_zone)::date AS day, e.type, e.rating
    FROM (
      SELECT s.*, s.type = 'REOPENED' OR s.sequence = min(s.sequence) FILTER (WHERE s.type = 'RATED')
               OVER (PARTITION BY s.ticket_id) AS counted
      FROM staff_event s WHERE s.type IN ('REOPENED', 'RATED')
    ) e
    JOIN resolution r ON r.ticket_id = e.ticket_id AND r.sequence < e.sequence
      AND (r.next_sequence IS NULL OR r.next_sequence > e.sequence)
    JOIN unit u ON u.id = r.unit_id
    WHERE e.counted AND r.actor_id IS NOT NULL
  ),
  x AS (
    SELECT e.unit_id, e.actor_id AS user_id, (e.at AT TIME ZONE u.time_zone)::date AS day,
           (e.type = 'REPLIED')::int AS replies, 0 AS first_responses, (e.type = 'RESOLVED')::int AS resolved,
           (e.type = 'REJECTED')::int AS rejected, 0 AS reopened, 0 AS fr_met, 0 AS fr_breached, 0 AS res_met,
           0 AS res_breached, 0 AS ratings, 0 AS rating_sum, 0 AS ratings_satisfied
    FROM staff_event e JOIN unit u ON u.id = e.unit_id
    WHERE e.actor_id IS NOT NULL AND e.type IN ('REPLIED', 'RESOLVED', 'REJECTED')
    UNION ALL
    SELECT j.unit_id, j.user_id, j.day, 0, (j.kind = 'FIRST_RESPONSE')::int, 0, 0, 0,
           (j.kind = 'FIRST_RESPONSE' AND j.met)::int, (j.kind = 'FIRST_RESPONSE' AND NOT j.met AND j.breached)::int,
           (j.kind = 'RESOLUTION' AND j.met)::int, (j.kind = 'RESOLUTION' AND NOT j.met AND j.breached)::int, 0, 0, 0
    FROM judged j
    UNION ALL
    SELECT a.unit_id, a.user_id, a.day, 0, 0, 0, 0, (a.type = 'REOPENED')::int, 0, 0, 0, 0,
           (a.type = 'RATED')::int, coalesce(a.rating, 0), coalesce((a.rating >= 4)::int, 0)
    FROM answered a
  )
  INSERT INTO metric_staff_daily (unit_id, user_id, day, replies, first_responses, resolved, rejected, reopened,
    first_response_met, first_response_breached, resolution_met, resolution_breached, ratings, rating_sum, ratings_satisfied)
  SELECT unit_id, user_id, day, sum(replies), sum(first_responses), sum(resolved), sum(rejected), sum(reopened),
         sum(fr_met), sum(fr_breached), sum(res_met), sum(res_breached), sum(ratings), sum(rating_sum),
         sum(ratings_satisfied)
  FROM x GROUP BY unit_id, user_id, day;

  DROP TABLE staff_event;
END;
$$;

SELECT metric_staff_rebuild();
