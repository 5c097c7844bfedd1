-- Items stored together (the messages of one webhook body, one mailbox fetch) share their received_at, and
-- a citizen's items must be handled in the order they came: the arrival number breaks the tie, where the
-- random id did not.
ALTER TABLE "inbound_message" ADD COLUMN "arrival" BIGSERIAL NOT NULL;

CREATE OR REPLACE FUNCTION "inbound_claim"(p_owner text, p_lease_until timestamptz, p_now timestamptz, p_channels text[], p_limit int)
  RETURNS SETOF "inbound_message" LANGUAGE plpgsql VOLATILE AS $body$
BEGIN
  PERFORM pg_advisory_xact_lock(7305126001);
  RETURN QUERY
  WITH firsts AS (
    -- Each citizen's oldest item still to be handled: their items go one at a time, in order.
    SELECT DISTINCT ON (channel, coalesce(sender, id::text)) id, received_at, arrival
    FROM "inbound_message"
    WHERE status = 'RECEIVED' AND channel::text = ANY(p_channels)
    ORDER BY channel, coalesce(sender, id::text), received_at, arrival
  ), due AS (
    SELECT m.id FROM "inbound_message" m JOIN firsts f ON f.id = m.id
    WHERE m.status = 'RECEIVED' AND m.next_attempt_at <= p_now AND (m.lease_until IS NULL OR m.lease_until < p_now)
      -- None of a citizen another processor holds an item of (one committed late, with an earlier time, too).
      AND (m.sender IS NULL OR NOT EXISTS (
        SELECT 1 FROM "inbound_message" o
        WHERE o.channel = m.channel AND o.sender = m.sender AND o.status = 'RECEIVED' AND o.id <> m.id
          AND o.lease_until >= p_now))
    ORDER BY f.received_at, f.arrival
    LIMIT p_limit
    FOR UPDATE OF m SKIP LOCKED
  )
  UPDATE "inbound_message" i
  SET attempts = i.attempts + 1, lease_owner = p_owner, lease_until = p_lease_until, updated_at = p_now
  FROM due WHERE i.id = due.id
  RETURNING i.*;
END $body$;
