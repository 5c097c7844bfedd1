import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../db/database.js";
import { migrate } from "../../db/migrator.js";
import { orderPending } from "../realtime/stream-store.js";
import { seedDemo, seedReferenceData } from "../seed/seed.js";
import { seedSlaReferenceData } from "../sla/sla-reference-data.js";
import { loadUnitTree } from "../units/unit-repository.js";
import { moveUnit } from "../units/unit-service.js";
import type { UnitTree } from "../units/unit-tree.js";
import { type Bucket, bucketsFor, type Granularity } from "./buckets.js";
import { binOf, RELATIVE_ACCURACY } from "./duration-sketch.js";
import { computeFigures, type MetricsGroup, subtreeGroup } from "./metrics-service.js";

const NOW = new Date("2026-03-20T05:00:00Z");
let db: Database;
let tree: UnitTree;

beforeAll(async () => {
  db = await openDatabase({ dataDir: "memory://" });
  await migrate(db);
  await seedReferenceData(db);
  await seedSlaReferenceData(db);
  await seedDemo(db, { password: "rahasia-demo", seed: 7, days: 45, ticketsPerDay: 120, now: NOW });
  tree = await loadUnitTree(db);
}, 180_000);

afterAll(async () => {
  await db?.close();
});

const groupOf = (code: string): MetricsGroup => {
  const unit = tree.byCode(code);
  if (!unit) throw new Error(code);
  return subtreeGroup(tree, unit);
};

async function compare(
  groups: MetricsGroup[],
  from: string,
  to: string,
  granularity: Granularity,
  timeZone = "Asia/Jakarta",
) {
  return compareBuckets(groups, bucketsFor(new Date(from), new Date(to), granularity, timeZone));
}

async function compareBuckets(groups: MetricsGroup[], buckets: Bucket[]) {
  const [fromRollups, fromScratch] = await Promise.all([
    computeFigures(db, { groups, buckets, now: NOW, source: "rollup" }),
    computeFigures(db, { groups, buckets, now: NOW, source: "raw" }),
  ]);
  expect(fromRollups).toEqual(fromScratch);
  return fromRollups;
}

describe("metrics rollups", () => {
  it.each<[string, string, string, string, Granularity]>([
    ["the national total by day", "IMI", "2026-02-10T00:00:00+07:00", "2026-03-21T00:00:00+07:00", "DAY"],
    ["a region by week", "KANWIL-JI", "2026-02-01T00:00:00+07:00", "2026-03-21T00:00:00+07:00", "WEEK"],
    ["an office by hour", "KANIM-MALANG", "2026-03-16T00:00:00+07:00", "2026-03-20T12:00:00+07:00", "HOUR"],
    ["a WITA region by month", "KANWIL-BA", "2026-01-01T00:00:00+08:00", "2026-04-01T00:00:00+08:00", "MONTH"],
    ["a region by month", "KANWIL-JI", "2026-01-01T00:00:00+07:00", "2026-04-01T00:00:00+07:00", "MONTH"],
    ["a WITA region by WITA day", "KANWIL-BA", "2026-02-10T00:00:00+08:00", "2026-03-21T00:00:00+08:00", "DAY"],
    ["a region by day, the period over", "KANWIL-JI", "2026-02-10T00:00:00+07:00", "2026-03-01T00:00:00+07:00", "DAY"],
  ])("equal a computation from scratch: %s", async (_name, code, from, to, granularity) => {
    const zone = code === "KANWIL-BA" && granularity === "DAY" ? "Asia/Makassar" : "Asia/Jakarta";
    const figures = await compare([groupOf(code)], from, to, granularity, zone);
    const [total] = figures.get(groupOf(code).groupId) ?? [];
    expect(total?.created).toBeGreaterThan(0);
    expect(total?.firstResponseWall.count).toBeGreaterThan(0);
  });

  it("equal a computation from scratch for every regional office at once, transfers between them included", async () => {
    const regions = [...tree.subtree(tree.byCode("IMI")?.id ?? -1)]
      .map((id) => tree.get(id))
      .filter((unit) => unit?.type === "REGIONAL_OFFICE")
      .map((unit) => groupOf(unit?.code as string));
    const figures = await compare(regions, "2026-02-10T00:00:00+07:00", "2026-03-21T00:00:00+07:00", "DAY");
    const moved = [...figures.values()].reduce((sum, [total]) => sum + (total?.transfersIn ?? 0), 0);
    expect(moved).toBeGreaterThan(0);
  });

  it("equal a computation from scratch over one bucket of whole WIB days with hours at both edges", async () => {
    const figures = await compareBuckets(
      [groupOf("IMI"), groupOf("KANWIL-JI")],
      [{ start: new Date("2026-02-10T02:00:00Z"), end: new Date("2026-03-19T08:00:00Z") }],
    );
    expect(figures.get(groupOf("IMI").groupId)?.[0]?.created).toBeGreaterThan(0);
  });

  it("give medians and p90s within the sketch's accuracy of the durations at their ranks", async () => {
    const group = groupOf("KANWIL-JI");
    const buckets = bucketsFor(
      new Date("2026-02-10T00:00:00+07:00"),
      new Date("2026-03-21T00:00:00+07:00"),
      "WEEK",
      "Asia/Jakarta",
    );
    const figures = await computeFigures(db, { groups: [group], buckets, now: NOW });
    const first = buckets[0] as Bucket;
    const last = buckets[buckets.length - 1] as Bucket;
    const rows = await db.sql.query<{ wall: number; clock: number | null }>(
      `SELECT wall_minutes AS wall, clock_minutes AS clock FROM metric_duration
       WHERE kind = 'RESOLUTION' AND unit_id = ANY($1::int[]) AND at >= $2 AND at < $3`,
      [group.unitIds, first.start, last.end],
    );
    const atRank = (values: number[], q: number) =>
      [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))] as number;
    const within = (reported: number | null | undefined, exact: number) => {
      expect(reported).not.toBeNull();
      expect(Math.abs((reported as number) - exact)).toBeLessThanOrEqual(exact * RELATIVE_ACCURACY + 1e-9);
    };
    const wall = rows.map((row) => Number(row.wall));
    const clock = rows.flatMap((row) => (row.clock === null ? [] : [Number(row.clock)]));
    expect(wall.length).toBeGreaterThan(100);
    const total = figures.get(group.groupId)?.[0];
    expect(total?.resolutionWall.count).toBe(wall.length);
    within(total?.resolutionWall.median, atRank(wall, 0.5));
    within(total?.resolutionWall.p90, atRank(wall, 0.9));
    within(total?.resolutionBusiness.median, atRank(clock, 0.5));
    within(total?.resolutionBusiness.p90, atRank(clock, 0.9));
    // Medians of different ranks are far apart here, so a swapped or interpolated quantile fails.
    expect(atRank(wall, 0.9)).toBeGreaterThan(atRank(wall, 0.5) * 1.1);
  });

  it("bin durations in SQL as the sketch module does", async () => {
    const rows = await db.sql.query<{ minutes: number; bin: number }>(
      `SELECT m AS minutes, metric_duration_bin(m) AS bin
       FROM (SELECT wall_minutes AS m FROM metric_duration UNION ALL
             SELECT clock_minutes FROM metric_duration WHERE clock_minutes IS NOT NULL) d`,
    );
    expect(rows.length).toBeGreaterThan(1000);
    const differ = rows.filter((row) => binOf(Number(row.minutes)) !== row.bin);
    expect(differ).toEqual([]);
  });

  it("keep each subtree's sketches equal to its durations binned from scratch", async () => {
    const differences = await db.sql.query(
      `WITH scratch AS (
         SELECT r.root_id AS unit_id, date_trunc('day', d.at, r.root_time_zone) AS day, d.kind, v.bin,
                sum(v.wall)::int AS wall, sum(v.business)::int AS business
         FROM metric_duration d JOIN unit_subtree_roots() r ON r.unit_id = d.unit_id
         CROSS JOIN LATERAL (VALUES (metric_duration_bin(d.wall_minutes), 1, 0),
                                    (metric_duration_bin(d.clock_minutes), 0, 1)) AS v(bin, wall, business)
         WHERE v.bin IS NOT NULL GROUP BY 1, 2, 3, 4)
       SELECT * FROM scratch FULL JOIN metric_duration_sketch s USING (unit_id, day, kind, bin)
       WHERE scratch.wall IS DISTINCT FROM s.wall OR scratch.business IS DISTINCT FROM s.business`,
    );
    expect(differences).toEqual([]);
    // The weekly sketches are the daily ones summed by local week.
    const weeks = await db.sql.query(
      `WITH w AS (
         SELECT s.unit_id, date_trunc('week', s.day, u.time_zone) AS week, s.kind, s.bin,
                sum(s.wall)::int AS wall, sum(s.business)::int AS business
         FROM metric_duration_sketch s JOIN unit u ON u.id = s.unit_id GROUP BY 1, 2, 3, 4)
       SELECT * FROM w FULL JOIN metric_duration_sketch_week k USING (unit_id, week, kind, bin)
       WHERE w.wall IS DISTINCT FROM k.wall OR w.business IS DISTINCT FROM k.business`,
    );
    expect(weeks).toEqual([]);
    // The quantile bins kept per day are those of the sketches as they stand.
    const stale = await db.sql.query(
      `WITH f AS (
         SELECT d.* FROM (SELECT array_agg(unit_id) AS u, array_agg(day) AS d, array_agg(kind) AS k
                          FROM (SELECT DISTINCT unit_id, day, kind FROM metric_duration_sketch) keys) a
         CROSS JOIN LATERAL metric_duration_day_of(a.u, a.d, a.k) d)
       SELECT * FROM f FULL JOIN metric_duration_day q USING (unit_id, day, kind)
       WHERE row(f.*) IS DISTINCT FROM row(q.*)`,
    );
    expect(stale).toEqual([]);
    // The national root's sketch counts every duration once.
    const [root] = await db.sql.query<{ sketched: number; durations: number }>(
      `SELECT (SELECT sum(wall)::int FROM metric_duration_sketch WHERE unit_id = $1) AS sketched,
              (SELECT count(*)::int FROM metric_duration) AS durations`,
      [tree.byCode("IMI")?.id],
    );
    expect(root?.sketched).toBe(root?.durations);
  });

  it("rebuild the sketches from the durations to what the trigger kept", async () => {
    const snapshot = async () =>
      Promise.all([
        db.sql.query("SELECT * FROM metric_duration_sketch ORDER BY unit_id, day, kind, bin"),
        db.sql.query("SELECT * FROM metric_duration_sketch_week ORDER BY unit_id, week, kind, bin"),
        db.sql.query("SELECT * FROM metric_duration_day ORDER BY unit_id, day, kind"),
      ]);
    const kept = await snapshot();
    expect(kept.map((rows) => rows.length > 0)).toEqual([true, true, true]);
    // What a changed unit tree leaves behind: counts that no longer match the durations.
    await db.sql.query(
      "UPDATE metric_duration_sketch SET wall = wall + 1 WHERE bin = (SELECT min(bin) FROM metric_duration_sketch)",
    );
    await db.sql.query("DELETE FROM metric_duration_sketch_week WHERE kind = 'FIRST_RESPONSE'");
    await db.sql.query("UPDATE metric_duration_day SET wall_p50_bin = wall_p50_bin + 7");
    expect(await snapshot()).not.toEqual(kept);
    await db.sql.query("SELECT metric_duration_sketch_rebuild()");
    expect(await snapshot()).toEqual(kept);
  });

  it("keep the daily rollups equal to the hourly ones summed by WIB day", async () => {
    const differences = await db.sql.query(
      `WITH h AS (
         SELECT unit_id, date_trunc('day', hour, 'Asia/Jakarta') AS day, sum(created) AS created,
                sum(resolved) AS resolved, sum(transfers_in) AS transfers_in, sum(transfers_out) AS transfers_out,
                sum(resolution_breached) AS resolution_breached, sum(rating_sum) AS rating_sum
         FROM metric_hourly GROUP BY 1, 2)
       SELECT * FROM h FULL JOIN metric_daily d USING (unit_id, day)
       WHERE h.created IS DISTINCT FROM d.created OR h.resolved IS DISTINCT FROM d.resolved
          OR h.transfers_in IS DISTINCT FROM d.transfers_in OR h.transfers_out IS DISTINCT FROM d.transfers_out
          OR h.resolution_breached IS DISTINCT FROM d.resolution_breached OR h.rating_sum IS DISTINCT FROM d.rating_sum`,
    );
    expect(differences).toEqual([]);
    const [rows] = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM metric_daily");
    expect(rows?.n).toBeGreaterThan(0);
  });

  it("take live events once, when the relay orders them", async () => {
    const [ticket] = await db.sql.query<{ id: string; unit_id: number }>(
      `SELECT t.id, t.unit_id FROM ticket t JOIN unit u ON u.id = t.unit_id
       WHERE u.code = 'KANIM-MALANG' AND t.status = 'NEW' LIMIT 1`,
    );
    const at = "2026-03-20T04:30:00Z";
    await db.sql.query(
      `INSERT INTO ticket_event (ticket_id, unit_id, type, actor_label, at, data) VALUES
         ($1, (SELECT id FROM unit WHERE code = 'KANIM-DENPASAR'), 'TRANSFERRED', 'uji', $2,
          '{"fromUnitCode": "KANIM-MALANG", "toUnitCode": "KANIM-DENPASAR"}'),
         ($1, (SELECT id FROM unit WHERE code = 'KANIM-DENPASAR'), 'SLA_BREACHED', 'uji', $2, '{"clock": "FIRST_RESPONSE"}')`,
      [ticket?.id, at],
    );
    const before = await computeFigures(db, {
      groups: [groupOf("KANWIL-JI")],
      buckets: bucketsFor(
        new Date("2026-03-20T00:00:00+07:00"),
        new Date("2026-03-21T00:00:00+07:00"),
        "DAY",
        "Asia/Jakarta",
      ),
      now: NOW,
    });
    await db.transaction((sql) => orderPending(sql, 1_000));
    await db.transaction((sql) => orderPending(sql, 1_000));
    const after = await compare(
      [groupOf("KANWIL-JI"), groupOf("KANWIL-BA")],
      "2026-03-20T00:00:00+07:00",
      "2026-03-21T00:00:00+07:00",
      "DAY",
    );
    const jatim = after.get(groupOf("KANWIL-JI").groupId)?.[0];
    expect(jatim?.transfersOut).toBe((before.get(groupOf("KANWIL-JI").groupId)?.[0]?.transfersOut ?? 0) + 1);
  });

  it("count a ticket's first rating only, for tickets rated again in logs from before one rating per ticket", async () => {
    const [rated] = await db.sql.query<{ ticket_id: string; unit_id: number; at: Date; rating: number }>(
      `SELECT e.ticket_id, e.unit_id, e.at, (e.data->>'rating')::int AS rating FROM ticket_event e
       JOIN unit u ON u.id = e.unit_id
       WHERE e.type = 'RATED' AND u.code = 'KANIM-MALANG' AND e.at < '2026-03-18T00:00:00Z' AND (e.data->>'rating')::int <= 3
       ORDER BY e.sequence LIMIT 1`,
    );
    expect(rated).toBeDefined();
    const period = ["2026-02-01T00:00:00+07:00", "2026-03-21T00:00:00+07:00"] as const;
    const figures = async (source: "rollup" | "raw") =>
      (
        await computeFigures(db, {
          groups: [groupOf("KANIM-MALANG")],
          buckets: bucketsFor(new Date(period[0]), new Date(period[1]), "MONTH", "Asia/Jakarta"),
          now: NOW,
          source,
        })
      ).get(groupOf("KANIM-MALANG").groupId)?.[0];
    const before = await figures("rollup");
    // What an agent could do before ALREADY_RATED existed: four more fives on the same ticket, an hour
    // apart, each rolled up by the relay as it was ordered.
    await db.sql.query(
      `INSERT INTO ticket_event (ticket_id, unit_id, type, actor_label, at, data)
       SELECT $1, $2, 'RATED', 'uji', $3::timestamptz + n * interval '1 hour', '{"rating": "5", "source": "STAFF"}'
       FROM generate_series(1, 4) AS n`,
      [rated?.ticket_id, rated?.unit_id, rated?.at],
    );
    await db.transaction((sql) => orderPending(sql, 1_000));
    expect((await figures("rollup"))?.ratings).toBe((before?.ratings ?? 0) + 4);

    await db.sql.query("SELECT metric_ratings_recount()");
    const recounted = await figures("rollup");
    expect(recounted?.ratings).toBe(before?.ratings);
    expect(recounted?.ratingSum).toBe(before?.ratingSum);
    expect(recounted).toEqual(await figures("raw"));
    // Counting again changes nothing.
    await db.sql.query("SELECT metric_ratings_recount()");
    expect(await figures("rollup")).toEqual(recounted);
  });
});

describe("metrics rollups after an office moves to another region", () => {
  const MOVED_ON = new Date("2026-03-05T10:00:00Z");
  const EFFECTIVE = new Date("2026-03-05T00:00:00+07:00");
  const regions = () =>
    [...tree.subtree(tree.byCode("IMI")?.id ?? -1)]
      .map((id) => tree.get(id))
      .filter((unit) => unit?.type === "REGIONAL_OFFICE")
      .map((unit) => groupOf(unit?.code as string));
  const period = () =>
    bucketsFor(new Date("2026-02-20T00:00:00+07:00"), new Date("2026-03-21T00:00:00+07:00"), "DAY", "Asia/Jakarta");

  it("keep each region's history, count the office's future in its new region, and equal a count from scratch", async () => {
    const [director] = await db.sql.query<{ id: string; email: string; unit_id: number }>(
      `SELECT id, email, unit_id FROM app_user WHERE role = 'DIRECTORATE' LIMIT 1`,
    );
    if (!director) throw new Error("no directorate account");
    const before = await computeFigures(db, { groups: regions(), buckets: period(), now: NOW });
    const malang = tree.byCode("KANIM-MALANG");
    const [jatim, jateng] = [groupOf("KANWIL-JI").groupId, groupOf("KANWIL-JT").groupId];
    const own = await computeFigures(db, {
      groups: [groupOf("KANIM-MALANG")],
      buckets: period(),
      now: NOW,
    });
    const { effectiveAt } = await moveUnit(
      db,
      tree,
      {
        kind: "user",
        userId: director.id,
        email: director.email,
        name: director.email,
        role: "DIRECTORATE",
        sessionId: "test",
        unitId: director.unit_id,
        unitIds: new Set([...tree.all()].map((unit) => unit.id)),
      },
      { code: "KANIM-MALANG", parentCode: "KANWIL-JT" },
      { now: MOVED_ON },
    );
    expect(effectiveAt).toEqual(EFFECTIVE);
    tree = await loadUnitTree(db);
    expect(tree.get(malang?.id ?? -1)?.parentId).toBe(jateng);

    // Rollups and the log agree on every region, the move's day and the hand-over of its backlog included.
    const after = await compareBuckets(regions(), period());
    await compare(
      [groupOf("KANWIL-JI"), groupOf("KANWIL-JT")],
      "2026-03-02T00:00:00+07:00",
      "2026-03-09T00:00:00+07:00",
      "HOUR",
    );
    await compare(
      [groupOf("KANWIL-JI"), groupOf("KANWIL-JT")],
      "2026-02-01T00:00:00+07:00",
      "2026-04-01T00:00:00+07:00",
      "WEEK",
    );

    const buckets = period();
    const moveIndex = buckets.findIndex((bucket) => bucket.start.getTime() === EFFECTIVE.getTime()) + 1;
    expect(moveIndex).toBeGreaterThan(1);
    const ownFigures = own.get(malang?.id ?? -1) ?? [];
    for (const [groupId, sign] of [
      [jatim, -1],
      [jateng, 1],
    ] as const) {
      const was = before.get(groupId) ?? [];
      const is = after.get(groupId) ?? [];
      for (let k = 1; k < is.length; k++) {
        const shift = k >= moveIndex ? sign * (ownFigures[k]?.created ?? 0) : 0;
        expect(is[k]?.created, `bucket ${k}`).toBe((was[k]?.created ?? 0) + shift);
        if (k < moveIndex) {
          // Before the move nothing changed: backlog, durations and judged clocks read as they did.
          expect(is[k]).toEqual(was[k]);
        }
      }
    }
    const moved = ownFigures.slice(moveIndex).reduce((sum, f) => sum + f.created, 0);
    expect(moved).toBeGreaterThan(0);
    // The other regions did not notice.
    for (const [groupId, figures] of before) {
      if (groupId !== jatim && groupId !== jateng) expect(after.get(groupId)).toEqual(figures);
    }
  });

  it("keep each subtree's sketches equal to its durations binned by where their unit was at the time", async () => {
    const differences = await db.sql.query(
      `WITH scratch AS (
         SELECT r.root_id AS unit_id, date_trunc('day', d.at, r.root_time_zone) AS day, d.kind, v.bin,
                sum(v.wall)::int AS wall, sum(v.business)::int AS business
         FROM metric_duration d
         JOIN unit_root_periods() r ON r.unit_id = d.unit_id AND d.at >= r.valid_from AND d.at < r.valid_to
         CROSS JOIN LATERAL (VALUES (metric_duration_bin(d.wall_minutes), 1, 0),
                                    (metric_duration_bin(d.clock_minutes), 0, 1)) AS v(bin, wall, business)
         WHERE v.bin IS NOT NULL GROUP BY 1, 2, 3, 4)
       SELECT * FROM scratch FULL JOIN metric_duration_sketch s USING (unit_id, day, kind, bin)
       WHERE scratch.wall IS DISTINCT FROM s.wall OR scratch.business IS DISTINCT FROM s.business`,
    );
    expect(differences).toEqual([]);
  });
});
