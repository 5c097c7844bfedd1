-- The four offices stored without a class because the enum lacked theirs (units.json: Jakarta Selatan and
-- Jakarta Barat are Kelas I Khusus Non TPI, Banyuwangi and Tanjung Redeb Kelas III TPI). Only where the
-- class is still empty, so a class set through the API since is kept.
UPDATE "unit" SET
  "office_class" = CASE WHEN "name" LIKE 'Kantor Imigrasi Kelas I Khusus Non TPI %' THEN 'KELAS_I_KHUSUS_NON_TPI'::"OfficeClass"
                        ELSE 'KELAS_III_TPI'::"OfficeClass" END,
  "uncertainty" = nullif(regexp_replace("uncertainty", '(; )?class "[^"]+" has no OfficeClass value', ''), '')
WHERE "office_class" IS NULL AND "type" = 'IMMIGRATION_OFFICE'
  AND ("name" LIKE 'Kantor Imigrasi Kelas I Khusus Non TPI %' OR "name" LIKE 'Kantor Imigrasi Kelas III TPI %');

-- When a unit's row last changed (class, name, zone, place, parent): other instances reload the tree when it moves.
ALTER TABLE "unit" ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- A unit moved to another parent. The figures count it under the old parent before effective_at and under
-- the new one from then on: effective_at is the start of the WIB day of the move (the day of the daily
-- rollups), so no hourly or daily rollup row is split between two regions. open_at_move is how many
-- tickets were open in the unit at effective_at: the backlog the old parent hands over to the new one.
CREATE TABLE "unit_move" (
    "id" SERIAL NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "from_parent_id" INTEGER NOT NULL,
    "to_parent_id" INTEGER NOT NULL,
    "effective_at" TIMESTAMPTZ(3) NOT NULL,
    "moved_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "open_at_move" INTEGER NOT NULL,

    CONSTRAINT "unit_move_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "unit_move_unit_id_effective_at_idx" ON "unit_move"("unit_id", "effective_at");

ALTER TABLE "unit_move" ADD CONSTRAINT "unit_move_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "unit_move" ADD CONSTRAINT "unit_move_from_parent_id_fkey" FOREIGN KEY ("from_parent_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "unit_move" ADD CONSTRAINT "unit_move_to_parent_id_fkey" FOREIGN KEY ("to_parent_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Each unit with itself and every unit it counted under, and when: the parent of each period between moves,
-- then that parent's own periods, and so on up. Without moves every period is (-infinity, infinity) and this
-- is unit_subtree_roots().
CREATE FUNCTION "unit_root_periods"() RETURNS TABLE (
  unit_id INTEGER, root_id INTEGER, root_time_zone TEXT, valid_from TIMESTAMPTZ, valid_to TIMESTAMPTZ
) LANGUAGE sql STABLE AS $$
  WITH RECURSIVE moves AS (
    SELECT m.unit_id, m.from_parent_id, m.effective_at,
           coalesce(lag(m.effective_at) OVER (PARTITION BY m.unit_id ORDER BY m.effective_at, m.id), '-infinity') AS since
    FROM unit_move m
  ),
  parent_periods AS (
    SELECT u.id AS unit_id, u.parent_id, coalesce(
             (SELECT max(m.effective_at) FROM unit_move m WHERE m.unit_id = u.id), '-infinity'::timestamptz) AS valid_from,
           'infinity'::timestamptz AS valid_to
    FROM unit u WHERE u.parent_id IS NOT NULL
    UNION ALL
    SELECT m.unit_id, m.from_parent_id, m.since, m.effective_at FROM moves m WHERE m.since < m.effective_at
  ),
  up(unit_id, root_id, valid_from, valid_to) AS (
    SELECT id, id, '-infinity'::timestamptz, 'infinity'::timestamptz FROM unit
    UNION ALL
    SELECT up.unit_id, p.parent_id, greatest(up.valid_from, p.valid_from), least(up.valid_to, p.valid_to)
    FROM up JOIN parent_periods p
      ON p.unit_id = up.root_id AND p.valid_from < up.valid_to AND p.valid_to > up.valid_from
  )
  SELECT up.unit_id, up.root_id, r.time_zone::text, up.valid_from, up.valid_to FROM up JOIN unit r ON r.id = up.root_id
$$;

-- Durations count in the subtrees their unit belonged to at the time they were recorded, so a move leaves
-- the sketches of the days before it as they were.
CREATE OR REPLACE FUNCTION "metric_duration_sketch_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH x AS (
    SELECT r.root_id AS unit_id, date_trunc('day', a.at, r.root_time_zone) AS day,
           date_trunc('week', a.at, r.root_time_zone) AS week, a.kind, v.bin, v.wall, v.business
    FROM added a
    JOIN unit_root_periods() r ON r.unit_id = a.unit_id AND a.at >= r.valid_from AND a.at < r.valid_to
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
          FROM added a
          JOIN unit_root_periods() r ON r.unit_id = a.unit_id AND a.at >= r.valid_from AND a.at < r.valid_to) k
  ) keys
  CROSS JOIN LATERAL metric_duration_day_of(coalesce(keys.units, '{}'), keys.days, keys.kinds) d
  ON CONFLICT (unit_id, day, kind) DO UPDATE SET
    wall_count = EXCLUDED.wall_count, wall_p50_bin = EXCLUDED.wall_p50_bin, wall_p90_bin = EXCLUDED.wall_p90_bin,
    business_count = EXCLUDED.business_count, business_p50_bin = EXCLUDED.business_p50_bin,
    business_p90_bin = EXCLUDED.business_p90_bin;
  RETURN NULL;
END;
$$;

-- The sketches of some subtree roots (all of them when NULL) counted again from metric_duration: for a move,
-- the roots the unit left and joined, whose sketches already hold the durations of the move's day.
CREATE FUNCTION "metric_duration_sketch_rebuild_roots"(roots INTEGER[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF roots IS NULL THEN
    TRUNCATE metric_duration_sketch, metric_duration_sketch_week, metric_duration_day;
  ELSE
    DELETE FROM metric_duration_sketch WHERE unit_id = ANY(roots);
    DELETE FROM metric_duration_sketch_week WHERE unit_id = ANY(roots);
    DELETE FROM metric_duration_day WHERE unit_id = ANY(roots);
  END IF;

  INSERT INTO metric_duration_sketch (unit_id, day, kind, bin, wall, business)
  SELECT r.root_id, date_trunc('day', d.at, r.root_time_zone), d.kind, v.bin, sum(v.wall), sum(v.business)
  FROM metric_duration d
  JOIN unit_root_periods() r ON r.unit_id = d.unit_id AND d.at >= r.valid_from AND d.at < r.valid_to
  CROSS JOIN LATERAL metric_duration_bins(d.wall_minutes, d.clock_minutes) v
  WHERE roots IS NULL OR r.root_id = ANY(roots)
  GROUP BY 1, 2, 3, 4;

  INSERT INTO metric_duration_day
  SELECT q.* FROM (
    SELECT array_agg(unit_id) AS units, array_agg(day) AS days, array_agg(kind) AS kinds
    FROM (SELECT DISTINCT unit_id, day, kind FROM metric_duration_sketch
          WHERE roots IS NULL OR unit_id = ANY(roots)) k
  ) keys
  CROSS JOIN LATERAL metric_duration_day_of(coalesce(keys.units, '{}'), keys.days, keys.kinds) q;

  INSERT INTO metric_duration_sketch_week (unit_id, week, kind, bin, wall, business)
  SELECT s.unit_id, date_trunc('week', s.day, u.time_zone), s.kind, s.bin, sum(s.wall), sum(s.business)
  FROM metric_duration_sketch s JOIN unit u ON u.id = s.unit_id
  WHERE roots IS NULL OR s.unit_id = ANY(roots)
  GROUP BY 1, 2, 3, 4;
END;
$$;

CREATE OR REPLACE FUNCTION "metric_duration_sketch_rebuild"() RETURNS void LANGUAGE sql AS $$
  SELECT metric_duration_sketch_rebuild_roots(NULL)
$$;
