-- The duration sketches rebuilt from metric_duration, as the sketch migration first filled them: for a
-- change of the unit tree (a subtree's members or its root's zone) and for bulk loads, which roll up
-- faster with the sketch trigger disabled and rebuild once at the end. One transaction; readers see the
-- old sketches until it commits.
CREATE FUNCTION "metric_duration_sketch_rebuild"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE metric_duration_sketch, metric_duration_sketch_week, metric_duration_day;

  INSERT INTO metric_duration_sketch (unit_id, day, kind, bin, wall, business)
  SELECT r.root_id, date_trunc('day', d.at, r.root_time_zone), d.kind, v.bin, sum(v.wall), sum(v.business)
  FROM metric_duration d
  JOIN unit_subtree_roots() r ON r.unit_id = d.unit_id
  CROSS JOIN LATERAL metric_duration_bins(d.wall_minutes, d.clock_minutes) v
  GROUP BY 1, 2, 3, 4;

  INSERT INTO metric_duration_day
  SELECT q.* FROM (
    SELECT array_agg(unit_id) AS units, array_agg(day) AS days, array_agg(kind) AS kinds
    FROM (SELECT DISTINCT unit_id, day, kind FROM metric_duration_sketch) k
  ) keys
  CROSS JOIN LATERAL metric_duration_day_of(coalesce(keys.units, '{}'), keys.days, keys.kinds) q;

  INSERT INTO metric_duration_sketch_week (unit_id, week, kind, bin, wall, business)
  SELECT s.unit_id, date_trunc('week', s.day, u.time_zone), s.kind, s.bin, sum(s.wall), sum(s.business)
  FROM metric_duration_sketch s JOIN unit u ON u.id = s.unit_id
  GROUP BY 1, 2, 3, 4;
END;
$$;
