-- A ticket's satisfaction counts once: by its first RATED event. Since one rating per ticket is enforced
-- (ALREADY_RATED) no second one is written, but logs from before hold tickets rated several times, and
-- the rollups counted each of those ratings. The log stays as it was (it is append-only); the rollups'
-- rating columns are counted again from the first rating of each ticket, and the from-scratch figures
-- (metrics-service) read only first ratings too.
--
-- Idempotent: it recounts, it does not subtract. Run under the stream lock, over the events already
-- rolled up, so that a relay can neither add a rating meanwhile nor count one the recount included.
CREATE FUNCTION "metric_ratings_recount"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(72707370);

  UPDATE metric_hourly SET ratings = 0, rating_sum = 0, ratings_satisfied = 0 WHERE ratings <> 0;
  UPDATE metric_hourly m
  SET ratings = c.ratings, rating_sum = c.rating_sum, ratings_satisfied = c.ratings_satisfied
  FROM (
    SELECT e.unit_id, date_trunc('hour', e.at, 'UTC') AS hour, count(*)::int AS ratings,
           sum((e.data->>'rating')::int)::int AS rating_sum,
           count(*) FILTER (WHERE (e.data->>'rating')::int >= 4)::int AS ratings_satisfied
    FROM ticket_event e
    WHERE e.type = 'RATED'
      AND NOT EXISTS (SELECT 1 FROM event_outbox o WHERE o.event_sequence = e.sequence)
      AND NOT EXISTS (SELECT 1 FROM ticket_event r
                      WHERE r.ticket_id = e.ticket_id AND r.type = 'RATED' AND r.sequence < e.sequence)
    GROUP BY 1, 2
  ) c
  WHERE m.unit_id = c.unit_id AND m.hour = c.hour;

  UPDATE metric_daily SET ratings = 0, rating_sum = 0, ratings_satisfied = 0 WHERE ratings <> 0;
  UPDATE metric_daily d
  SET ratings = h.ratings, rating_sum = h.rating_sum, ratings_satisfied = h.ratings_satisfied
  FROM (
    SELECT unit_id, date_trunc('day', hour, 'Asia/Jakarta') AS day, sum(ratings)::int AS ratings,
           sum(rating_sum)::int AS rating_sum, sum(ratings_satisfied)::int AS ratings_satisfied
    FROM metric_hourly WHERE ratings <> 0
    GROUP BY 1, 2
  ) h
  WHERE d.unit_id = h.unit_id AND d.day = h.day;
END;
$$;

SELECT metric_ratings_recount();
