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

-- The same per local week (from Monday, as date_trunc('week') counts), so a long period reads a row per
-- bin and week rather than per bin and day.
CREATE TABLE "metric_duration_sketch_week" (
    "unit_id" INTEGER NOT NULL,
    "week" TIMESTAMPTZ(3) NOT NULL,
    "kind" "ClockKind" NOT NULL,
    "bin" INTEGER NOT NULL,
    "wall" INTEGER NOT NULL DEFAULT 0,
    "business" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "metric_duration_sketch_week_pkey" PRIMARY KEY ("unit_id","week","kind","bin")
);

CREATE INDEX "metric_duration_sketch_week_read_idx" ON "metric_duration_sketch_week"("unit_id", "week", "kind", "bin")
INCLUDE ("wall", "business");

-- Periods read a subtree's bins for a run of days; with the counts in the index that is an index-only
-- scan instead of a visit to every heap page the updates spread the rows over.
CREATE INDEX "metric_duration_sketch_read_idx" ON "metric_duration_sketch"("unit_id", "day", "kind", "bin")
INCLUDE ("wall", "business");

-- The median and p90 bins of each sketch, in wall and in business time, so a series of days reads one
-- row per day: the bin holding the duration at rank floor(q·(n − 1)) of the sorted durations, as
-- DurationSketch.quantile picks it. NULL when the sketch holds no duration of that measure.
CREATE TABLE "metric_duration_day" (
    "unit_id" INTEGER NOT NULL,
    "day" TIMESTAMPTZ(3) NOT NULL,
    "kind" "ClockKind" NOT NULL,
    "wall_count" INTEGER NOT NULL,
    "wall_p50_bin" INTEGER,
    "wall_p90_bin" INTEGER,
    "business_count" INTEGER NOT NULL,
    "business_p50_bin" INTEGER,
    "business_p90_bin" INTEGER,

    CONSTRAINT "metric_duration_day_pkey" PRIMARY KEY ("unit_id","day","kind")
);

-- The quantile bins of the given sketches, from their bins in order. By key only: an "all of them"
-- branch would be a scan of the whole table whenever the planner cannot rule it out beforehand.
CREATE FUNCTION "metric_duration_day_of"(units INTEGER[], days TIMESTAMPTZ[], kinds "ClockKind"[]) RETURNS TABLE (
  unit_id INTEGER, day TIMESTAMPTZ, kind "ClockKind", wall_count INTEGER, wall_p50_bin INTEGER, wall_p90_bin INTEGER,
  business_count INTEGER, business_p50_bin INTEGER, business_p90_bin INTEGER
) LANGUAGE sql STABLE AS $$
  WITH s AS (
    SELECT s.* FROM unnest(units, days, kinds) AS k(unit_id, day, kind)
    JOIN metric_duration_sketch s ON s.unit_id = k.unit_id AND s.day = k.day AND s.kind = k.kind
  ),
  c AS (
    SELECT s.unit_id, s.day, s.kind, s.bin,
           sum(s.wall) OVER w AS wall_seen, sum(s.wall) OVER a AS wall_n,
           sum(s.business) OVER w AS business_seen, sum(s.business) OVER a AS business_n
    FROM s
    WINDOW w AS (PARTITION BY s.unit_id, s.day, s.kind ORDER BY s.bin),
           a AS (PARTITION BY s.unit_id, s.day, s.kind)
  )
  SELECT c.unit_id, c.day, c.kind, max(c.wall_n)::int,
         min(c.bin) FILTER (WHERE c.wall_seen > (c.wall_n - 1) / 2),
         min(c.bin) FILTER (WHERE c.wall_seen > (c.wall_n - 1) * 9 / 10),
         max(c.business_n)::int,
         min(c.bin) FILTER (WHERE c.business_n > 0 AND c.business_seen > (c.business_n - 1) / 2),
         min(c.bin) FILTER (WHERE c.business_n > 0 AND c.business_seen > (c.business_n - 1) * 9 / 10)
  FROM c GROUP BY c.unit_id, c.day, c.kind
$$;

-- The bin of a duration in minutes; NULL for none. Kept in one place: the trigger, the backfill and the
-- queries that bin durations on the fly all call it (through metric_duration_bins).
CREATE FUNCTION "metric_duration_bin"(minutes DOUBLE PRECISION) RETURNS INTEGER
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN minutes < 1.0 / 60 THEN -32768 ELSE ceil(ln(minutes) / ln(1.02 / 0.98))::int END
$$;

-- A duration as sketch counts: one in the bin of its wall time, one in the bin of its business time
-- (when a clock counted it).
CREATE FUNCTION "metric_duration_bins"(wall_minutes DOUBLE PRECISION, clock_minutes DOUBLE PRECISION)
RETURNS TABLE (bin INTEGER, wall INTEGER, business INTEGER) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT v.bin, v.wall, v.business
  FROM (VALUES (metric_duration_bin(wall_minutes), 1, 0), (metric_duration_bin(clock_minutes), 0, 1)) AS v(bin, wall, business)
  WHERE v.bin IS NOT NULL
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
  WITH x AS (
    SELECT r.root_id AS unit_id, date_trunc('day', a.at, r.root_time_zone) AS day,
           date_trunc('week', a.at, r.root_time_zone) AS week, a.kind, v.bin, v.wall, v.business
    FROM added a
    JOIN unit_subtree_roots() r ON r.unit_id = a.unit_id
    CROSS JOIN LATERAL metric_duration_bins(a.wall_minutes, a.clock_minutes) v
  ),
  daily AS (
    INSERT INTO metric_duration_sketch AS s (unit_id, day, kind, bin, wall, business)
    SELECT unit_id, day, kind, bin, sum(wall), sum(business) FROM x GROUP BY 1, 2, 3, 4
    ON CONFLICT (unit_id, day, kind, bin) DO UPDATE SET wall = s.wall + EXCLUDED.wall, business = s.business + EXCLUDED.business
  )
  INSERT INTO metric_duration_sketch_week AS s (unit_id, week, kind, bin, wall, business)
  SELECT unit_id, week, kind, bin, sum(wall), sum(business) FROM x GROUP BY 1, 2, 3, 4
  ON CONFLICT (unit_id, week, kind, bin) DO UPDATE SET wall = s.wall + EXCLUDED.wall, business = s.business + EXCLUDED.business;

  INSERT INTO metric_duration_day AS q
  SELECT d.* FROM (
    SELECT array_agg(k.root_id) AS units, array_agg(k.day) AS days, array_agg(k.kind) AS kinds
    FROM (SELECT DISTINCT r.root_id, date_trunc('day', a.at, r.root_time_zone) AS day, a.kind
          FROM added a JOIN unit_subtree_roots() r ON r.unit_id = a.unit_id) k
  ) keys
  CROSS JOIN LATERAL metric_duration_day_of(coalesce(keys.units, '{}'), keys.days, keys.kinds) d
  ON CONFLICT (unit_id, day, kind) DO UPDATE SET
    wall_count = EXCLUDED.wall_count, wall_p50_bin = EXCLUDED.wall_p50_bin, wall_p90_bin = EXCLUDED.wall_p90_bin,
    business_count = EXCLUDED.business_count, business_p50_bin = EXCLUDED.business_p50_bin,
    business_p90_bin = EXCLUDED.business_p90_bin;
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
CROSS JOIN LATERAL metric_duration_bins(d.wall_minutes, d.clock_minutes) v
GROUP BY 1, 2, 3, 4;

INSERT INTO metric_duration_day
SELECT d.* FROM (
  SELECT array_agg(unit_id) AS units, array_agg(day) AS days, array_agg(kind) AS kinds
  FROM (SELECT DISTINCT unit_id, day, kind FROM metric_duration_sketch) k
) keys
CROSS JOIN LATERAL metric_duration_day_of(coalesce(keys.units, '{}'), keys.days, keys.kinds) d;

INSERT INTO metric_duration_sketch_week (unit_id, week, kind, bin, wall, business)
SELECT s.unit_id, date_trunc('week', s.day, u.time_zone), s.kind, s.bin, sum(s.wall), sum(s.business)
FROM metric_duration_sketch s JOIN unit u ON u.id = s.unit_id
GROUP BY 1, 2, 3, 4;
