-- Mergeable quantile sketches of the durations, so medians and p90s of a large subtree over a long
-- period read a few thousand counters instead of sorting every first response and resolution.
--
-- A sketch is a histogram over logarithmic bins (as DDSketch): bin i holds the durations in
-- (γ^(i-1), γ^i] minutes with γ = 1.02 / 0.98, and reporting 2γ^i / (γ + 1) for a value in it is off by
-- at most 2 % of that value. Durations under a second fall in one bin that stands for zero. Two
-- sketches merge by adding their counts, so any set of days and units adds up exactly, unlike medians.
--
-- One sketch per subtree (every unit counts for itself and each of its ancestors), local day of that
-- subtree's root unit and kind of duration; each bin row counts wall-time and business-time durations
-- separately. A query for a unit's subtree in its own zone reads one row per bin and day, and only the
-- ragged edges of its period from metric_duration.
CREATE TABLE "metric_duration_sketch" (
    "unit_id" INTEGER NOT NULL,
    "day" TIMESTAMPTZ(3) NOT NULL,
    "kind" "ClockKind" NOT NULL,
    "bin" INTEGER NOT NULL,
    "wall" INTEGER NOT NULL DEFAULT 0,
    "business" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "metric_duration_sketch_pkey" PRIMARY KEY ("unit_id","day","kind","bin")
);

-- The bin of a duration in minutes; NULL for none. Kept in one place: the trigger, the backfill and the
-- queries that bin durations on the fly all call it.
CREATE FUNCTION "metric_duration_bin"(minutes DOUBLE PRECISION) RETURNS INTEGER
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN minutes < 1.0 / 60 THEN -32768 ELSE ceil(ln(minutes) / ln(1.02 / 0.98))::int END
$$;

-- Each unit with itself and every ancestor: the subtrees it counts in.
CREATE FUNCTION "unit_subtree_roots"() RETURNS TABLE (unit_id INTEGER, root_id INTEGER, root_time_zone TEXT)
LANGUAGE sql STABLE AS $$
  WITH RECURSIVE up(unit_id, root_id) AS (
    SELECT id, id FROM unit
    UNION ALL
    SELECT up.unit_id, u.parent_id FROM up JOIN unit u ON u.id = up.root_id WHERE u.parent_id IS NOT NULL
  )
  SELECT up.unit_id, up.root_id, r.time_zone::text FROM up JOIN unit r ON r.id = up.root_id
$$;

-- Durations are only ever added (metric_roll_up, once per event), so a statement trigger keeps the
-- sketches in the same transaction, from the rows that statement really inserted.
CREATE FUNCTION "metric_duration_sketch_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO metric_duration_sketch AS s (unit_id, day, kind, bin, wall, business)
  SELECT r.root_id, date_trunc('day', a.at, r.root_time_zone), a.kind, v.bin, sum(v.wall), sum(v.business)
  FROM added a
  JOIN unit_subtree_roots() r ON r.unit_id = a.unit_id
  CROSS JOIN LATERAL (VALUES (metric_duration_bin(a.wall_minutes), 1, 0),
                             (metric_duration_bin(a.clock_minutes), 0, 1)) AS v(bin, wall, business)
  WHERE v.bin IS NOT NULL
  GROUP BY 1, 2, 3, 4
  ON CONFLICT (unit_id, day, kind, bin) DO UPDATE SET wall = s.wall + EXCLUDED.wall, business = s.business + EXCLUDED.business;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "metric_duration_sketch_add" AFTER INSERT ON "metric_duration"
REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "metric_duration_sketch_add"();
-- Derived data: kept also when bulk loads skip the other triggers (session_replication_role = replica).
ALTER TABLE "metric_duration" ENABLE ALWAYS TRIGGER "metric_duration_sketch_add";

-- What metric_duration already holds.
INSERT INTO metric_duration_sketch (unit_id, day, kind, bin, wall, business)
SELECT r.root_id, date_trunc('day', d.at, r.root_time_zone), d.kind, v.bin, sum(v.wall), sum(v.business)
FROM metric_duration d
JOIN unit_subtree_roots() r ON r.unit_id = d.unit_id
CROSS JOIN LATERAL (VALUES (metric_duration_bin(d.wall_minutes), 1, 0),
                           (metric_duration_bin(d.clock_minutes), 0, 1)) AS v(bin, wall, business)
WHERE v.bin IS NOT NULL
GROUP BY 1, 2, 3, 4;
