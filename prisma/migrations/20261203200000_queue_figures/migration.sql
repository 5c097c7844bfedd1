-- Live queue figures kept as events are ordered into the stream, so a queue snapshot reads a few
-- hundred small rows instead of counting a subtree's open tickets, their clocks and its event log.
--
-- The relay calls queue_figures_apply with each batch of events it orders, in the same transaction
-- (under the stream lock, so one writer at a time). For each ticket those events touch it compares the
-- ticket as it stands now (status, unit, channel, assignee, clocks) with the ticket as the figures last
-- counted it (queue_ticket) and adds the difference. The figures therefore equal a count from scratch
-- of the touched tickets whatever the events say, and a change is never counted twice.

-- The open tickets as the figures last counted them: what the next change of each is compared with.
CREATE TABLE "queue_ticket" (
    "ticket_id" UUID NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "status" "TicketStatus" NOT NULL,
    "channel" "Channel" NOT NULL,
    "assignee_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "at_risk" BOOLEAN NOT NULL,
    "breached" BOOLEAN NOT NULL,

    CONSTRAINT "queue_ticket_pkey" PRIMARY KEY ("ticket_id")
);

-- Open tickets per unit (its own, not its subtree's), status and channel.
CREATE TABLE "queue_count" (
    "unit_id" INTEGER NOT NULL,
    "status" "TicketStatus" NOT NULL,
    "channel" "Channel" NOT NULL,
    "tickets" INTEGER NOT NULL DEFAULT 0,
    "unassigned" INTEGER NOT NULL DEFAULT 0,
    "at_risk" INTEGER NOT NULL DEFAULT 0,
    "breached" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "queue_count_pkey" PRIMARY KEY ("unit_id","status","channel")
);

-- Open tickets per unit and assignee, so "staff with open tickets" counts each person once in a subtree.
CREATE TABLE "queue_assignee" (
    "unit_id" INTEGER NOT NULL,
    "assignee_id" UUID NOT NULL,
    "tickets" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "queue_assignee_pkey" PRIMARY KEY ("unit_id","assignee_id")
);

-- Per unit: when its oldest open ticket that waits on the unit (not on the citizen) was received.
CREATE TABLE "queue_unit" (
    "unit_id" INTEGER NOT NULL,
    "oldest_waiting_since" TIMESTAMPTZ(3),

    CONSTRAINT "queue_unit_pkey" PRIMARY KEY ("unit_id")
);

-- When each person was last seen at work: acting on a ticket or holding a live subscription.
-- Written at most about once a minute per person (see the presence service), never per request.
CREATE TABLE "user_presence" (
    "user_id" UUID NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "user_presence_pkey" PRIMARY KEY ("user_id")
);

CREATE INDEX "queue_ticket_unit_id_created_at_idx" ON "queue_ticket"("unit_id", "created_at");
CREATE INDEX "user_presence_last_seen_at_idx" ON "user_presence"("last_seen_at");

ALTER TABLE "user_presence" ADD CONSTRAINT "user_presence_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Re-counts the given tickets: the difference between their state now and as last counted goes into
-- the figures, and queue_ticket then holds their state now. Takes the stream lock (re-entrant, so the
-- relay, which holds it already, pays nothing) so that two callers never compare against the same rows.
CREATE FUNCTION "queue_figures_refresh"(tickets UUID[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  touched INTEGER[];
BEGIN
  IF tickets IS NULL OR cardinality(tickets) = 0 THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock(72707370);
  -- One statement, so the state read now, the state last counted and every write share one snapshot.
  WITH cur AS (
    SELECT t.id AS ticket_id, t.unit_id, t.status, t.channel, t.assignee_id, t.created_at,
           coalesce(k.at_risk AND NOT k.breached, false) AS at_risk, coalesce(k.breached, false) AS breached
    FROM ticket t
    LEFT JOIN LATERAL (
      SELECT bool_or(c.state = 'AT_RISK') AS at_risk, bool_or(c.state = 'BREACHED') AS breached
      FROM ticket_clock c WHERE c.ticket_id = t.id
    ) k ON true
    WHERE t.id = ANY(tickets) AND t.status IN ('NEW', 'TRIAGED', 'ASSIGNED', 'IN_PROGRESS', 'WAITING_ON_CITIZEN')
  ),
  old AS (
    SELECT q.ticket_id, q.unit_id, q.status, q.channel, q.assignee_id, q.created_at, q.at_risk, q.breached
    FROM queue_ticket q WHERE q.ticket_id = ANY(tickets)
  ),
  delta AS (
    SELECT d.unit_id, d.status, d.channel, d.assignee_id, d.created_at, d.at_risk, d.breached, sum(d.n)::int AS n
    FROM (
      SELECT cur.unit_id, cur.status, cur.channel, cur.assignee_id, cur.created_at, cur.at_risk, cur.breached, 1 AS n FROM cur
      UNION ALL
      SELECT old.unit_id, old.status, old.channel, old.assignee_id, old.created_at, old.at_risk, old.breached, -1 FROM old
    ) d
    GROUP BY d.unit_id, d.status, d.channel, d.assignee_id, d.created_at, d.at_risk, d.breached
    HAVING sum(d.n) <> 0
  ),
  counts AS (
    INSERT INTO queue_count AS q (unit_id, status, channel, tickets, unassigned, at_risk, breached)
    SELECT unit_id, status, channel, sum(n), coalesce(sum(n) FILTER (WHERE assignee_id IS NULL), 0),
           coalesce(sum(n) FILTER (WHERE at_risk), 0), coalesce(sum(n) FILTER (WHERE breached), 0)
    FROM delta GROUP BY unit_id, status, channel
    ON CONFLICT (unit_id, status, channel) DO UPDATE SET
      tickets = q.tickets + EXCLUDED.tickets,
      unassigned = q.unassigned + EXCLUDED.unassigned,
      at_risk = q.at_risk + EXCLUDED.at_risk,
      breached = q.breached + EXCLUDED.breached
  ),
  assignees AS (
    INSERT INTO queue_assignee AS q (unit_id, assignee_id, tickets)
    SELECT unit_id, assignee_id, sum(n) FROM delta WHERE assignee_id IS NOT NULL
    GROUP BY unit_id, assignee_id HAVING sum(n) <> 0
    ON CONFLICT (unit_id, assignee_id) DO UPDATE SET tickets = q.tickets + EXCLUDED.tickets
  ),
  closed AS (
    DELETE FROM queue_ticket q
    WHERE q.ticket_id = ANY(tickets) AND NOT EXISTS (SELECT 1 FROM cur WHERE cur.ticket_id = q.ticket_id)
  ),
  kept AS (
    INSERT INTO queue_ticket AS q (ticket_id, unit_id, status, channel, assignee_id, created_at, at_risk, breached)
    SELECT ticket_id, unit_id, status, channel, assignee_id, created_at, at_risk, breached FROM cur
    ON CONFLICT (ticket_id) DO UPDATE SET
      unit_id = EXCLUDED.unit_id, status = EXCLUDED.status, channel = EXCLUDED.channel,
      assignee_id = EXCLUDED.assignee_id, created_at = EXCLUDED.created_at, at_risk = EXCLUDED.at_risk,
      breached = EXCLUDED.breached
    WHERE (q.unit_id, q.status, q.channel, q.assignee_id, q.created_at, q.at_risk, q.breached)
      IS DISTINCT FROM (EXCLUDED.unit_id, EXCLUDED.status, EXCLUDED.channel, EXCLUDED.assignee_id,
                        EXCLUDED.created_at, EXCLUDED.at_risk, EXCLUDED.breached)
  )
  SELECT array_agg(DISTINCT unit_id) INTO touched FROM delta;

  -- The oldest waiting ticket of each unit whose open tickets changed: one probe of the index each.
  IF touched IS NOT NULL THEN
    INSERT INTO queue_unit AS q (unit_id, oldest_waiting_since)
    SELECT u.id, (SELECT min(w.created_at) FROM queue_ticket w
                  WHERE w.unit_id = u.id AND w.status <> 'WAITING_ON_CITIZEN')
    FROM unnest(touched) AS u(id)
    ON CONFLICT (unit_id) DO UPDATE SET oldest_waiting_since = EXCLUDED.oldest_waiting_since;
  END IF;
END;
$$;

-- The figures for a batch of committed events: every ticket they touch is re-counted.
CREATE FUNCTION "queue_figures_apply"(seqs BIGINT[]) RETURNS void LANGUAGE sql AS $$
  SELECT queue_figures_refresh(ARRAY(SELECT DISTINCT e.ticket_id FROM ticket_event e WHERE e.sequence = ANY(seqs)));
$$;

-- Every figure from scratch, for a bulk load written without the relay (the seed's history) or after
-- a repair. Also marks as present the people who acted on a ticket in the last 15 minutes of the log.
CREATE FUNCTION "queue_figures_rebuild"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(72707370);
  DELETE FROM queue_ticket;
  DELETE FROM queue_count;
  DELETE FROM queue_assignee;
  DELETE FROM queue_unit;
  INSERT INTO queue_ticket (ticket_id, unit_id, status, channel, assignee_id, created_at, at_risk, breached)
  SELECT t.id, t.unit_id, t.status, t.channel, t.assignee_id, t.created_at,
         coalesce(k.at_risk AND NOT k.breached, false), coalesce(k.breached, false)
  FROM ticket t
  LEFT JOIN (
    SELECT c.ticket_id, bool_or(c.state = 'AT_RISK') AS at_risk, bool_or(c.state = 'BREACHED') AS breached
    FROM ticket_clock c WHERE c.state IN ('AT_RISK', 'BREACHED') GROUP BY c.ticket_id
  ) k ON k.ticket_id = t.id
  WHERE t.status IN ('NEW', 'TRIAGED', 'ASSIGNED', 'IN_PROGRESS', 'WAITING_ON_CITIZEN');
  INSERT INTO queue_count (unit_id, status, channel, tickets, unassigned, at_risk, breached)
  SELECT unit_id, status, channel, count(*), count(*) FILTER (WHERE assignee_id IS NULL),
         count(*) FILTER (WHERE at_risk), count(*) FILTER (WHERE breached)
  FROM queue_ticket GROUP BY unit_id, status, channel;
  INSERT INTO queue_assignee (unit_id, assignee_id, tickets)
  SELECT unit_id, assignee_id, count(*) FROM queue_ticket WHERE assignee_id IS NOT NULL GROUP BY unit_id, assignee_id;
  INSERT INTO queue_unit (unit_id, oldest_waiting_since)
  SELECT unit_id, min(created_at) FILTER (WHERE status <> 'WAITING_ON_CITIZEN') FROM queue_ticket GROUP BY unit_id;
  INSERT INTO user_presence AS p (user_id, last_seen_at)
  SELECT e.actor_id, max(e.at) FROM ticket_event e
  WHERE e.at > now() - interval '15 minutes' AND e.at <= now() AND e.actor_id IS NOT NULL
  GROUP BY e.actor_id
  ON CONFLICT (user_id) DO UPDATE SET last_seen_at = greatest(p.last_seen_at, EXCLUDED.last_seen_at);
END;
$$;

-- Tickets that already exist are counted once now.
SELECT queue_figures_rebuild();
