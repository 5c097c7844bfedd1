import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../db/database.js";
import { migrate } from "../../db/migrator.js";
import type { SlaPolicy } from "../../generated/prisma/client.js";
import type { Channel, Priority, TicketEventType, TicketKind } from "../../generated/prisma/enums.js";
import { createLogger } from "../../logger.js";
import { verifyPassword } from "../auth/password.js";
import { sha256Hex } from "../auth/tokens.js";
import { type CalendarDirectory, loadCalendarDirectory } from "../sla/calendar-directory.js";
import { evaluateClock } from "../sla/clock/clock.js";
import { ClockEngine, clockKindsOf, specOf } from "../sla/clock-engine.js";
import { clockHistories, type TimelineEvent } from "../sla/clock-history.js";
import { detectDueClocks } from "../sla/detector.js";
import { matchPolicy } from "../sla/policy-matcher.js";
import { seedSlaReferenceData } from "../sla/sla-reference-data.js";
import { loadUnitTree } from "../units/unit-repository.js";
import { UnitTree } from "../units/unit-tree.js";
import { DEMO_API_KEY_NAME, type SeedDemoResult, seedDemo, seedReferenceData } from "./seed.js";

const NOW = new Date("2026-02-11T04:00:00Z");
const DEMO = { password: "rahasia-demo", seed: 20261122, days: 90, ticketsPerDay: 250, now: NOW };

let db: Database;
let seeded: SeedDemoResult;

const count = async (table: string) =>
  Number((await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n);

beforeAll(async () => {
  db = await openDatabase({ dataDir: "memory://" });
  await migrate(db);
}, 60_000);

afterAll(async () => {
  await db?.close();
});

describe("seedReferenceData", () => {
  it("inserts the units and categories once", async () => {
    expect(await seedReferenceData(db)).toEqual({ unitsInserted: 193, categoriesInserted: 21 });
    expect(await seedReferenceData(db)).toEqual({ unitsInserted: 0, categoriesInserted: 0 });
    expect(await count("unit")).toBe(193);
    expect(await count("category")).toBe(21);
  });

  it("links units to their parents", async () => {
    const rows = await db.sql.query<{ code: string; parent: string | null; office_class: string | null }>(
      `SELECT u.code, p.code AS parent, u.office_class FROM unit u LEFT JOIN unit p ON p.id = u.parent_id
       WHERE u.code IN ('IMI', 'KANWIL-JI', 'KANIM-MALANG') ORDER BY u.id`,
    );
    expect(rows).toEqual([
      { code: "IMI", parent: null, office_class: null },
      { code: "KANWIL-JI", parent: "IMI", office_class: null },
      { code: "KANIM-MALANG", parent: "KANWIL-JI", office_class: "KELAS_I_TPI" },
    ]);
    expect(await db.sql.query("SELECT code FROM unit WHERE parent_id IS NULL")).toEqual([{ code: "IMI" }]);
    expect(await db.sql.query("SELECT code FROM category WHERE parent_id IS NULL AND code LIKE 'PASSPORT_%'")).toEqual(
      [],
    );
  });

  it("never overwrites a unit edited in the running system", async () => {
    await db.sql.query("UPDATE unit SET name = 'Kantor Imigrasi Malang (diubah)' WHERE code = 'KANIM-MALANG'");
    await seedReferenceData(db);
    const [row] = await db.sql.query<{ name: string }>("SELECT name FROM unit WHERE code = 'KANIM-MALANG'");
    expect(row?.name).toBe("Kantor Imigrasi Malang (diubah)");
    await db.sql.query("UPDATE unit SET name = 'Kantor Imigrasi Kelas I TPI Malang' WHERE code = 'KANIM-MALANG'");
  });
});

describe("seedDemo on an empty database", () => {
  beforeAll(async () => {
    // As at start-up: the policies, holidays and calendars the clocks need come first.
    await seedSlaReferenceData(db);
    const started = performance.now();
    seeded = await seedDemo(db, DEMO);
    const ms = Math.round(performance.now() - started);
    console.log(
      `seedDemo (${DEMO.days} days × ${DEMO.ticketsPerDay}/day) took ${ms} ms on PGlite: ` +
        `${seeded.ticketsInserted} tickets, ${seeded.eventsInserted} events, ${seeded.clocksInserted} clocks`,
    );
  }, 120_000);

  it("returns the demo accounts and a working API key", async () => {
    expect(seeded.accounts).toEqual([
      { email: "direktorat@pantau.demo", role: "DIRECTORATE", unitCode: "IMI" },
      { email: "kanwil.jatim@pantau.demo", role: "REGIONAL_HEAD", unitCode: "KANWIL-JI" },
      { email: "kanim.malang@pantau.demo", role: "UNIT_SUPERVISOR", unitCode: "KANIM-MALANG" },
      { email: "agen.malang@pantau.demo", role: "AGENT", unitCode: "KANIM-MALANG" },
    ]);
    const [key] = await db.sql.query<{ name: string; scopes: string[]; unit: string; revoked: boolean }>(
      `SELECT k.name, k.scopes, u.code AS unit, k.revoked_at IS NOT NULL AS revoked
       FROM api_key k JOIN unit u ON u.id = k.unit_id WHERE k.key_hash = $1`,
      [sha256Hex(seeded.apiKey)],
    );
    expect(key).toEqual({
      name: DEMO_API_KEY_NAME,
      scopes: ["tickets:read", "metrics:read"],
      unit: "IMI",
      revoked: false,
    });
  });

  it("creates the accounts with the password, and agents for every unit", async () => {
    const [agent] = await db.sql.query<{ hash: string; unit: string }>(
      `SELECT a.password_hash AS hash, u.code AS unit FROM app_user a JOIN unit u ON u.id = a.unit_id
       WHERE a.email = 'agen.malang@pantau.demo'`,
    );
    expect(agent?.unit).toBe("KANIM-MALANG");
    expect(await verifyPassword(DEMO.password, agent?.hash ?? "")).toBe(true);
    const unstaffed = await db.sql.query(
      "SELECT code FROM unit u WHERE NOT EXISTS (SELECT 1 FROM app_user a WHERE a.unit_id = u.id AND a.role = 'AGENT')",
    );
    expect(unstaffed).toEqual([]);
  });

  it("inserts the whole history in one go, with the number sequence moved past it", async () => {
    expect(seeded.ticketsInserted).toBeGreaterThan(DEMO.days * DEMO.ticketsPerDay * 0.85);
    expect(await count("ticket")).toBe(seeded.ticketsInserted);
    expect(await count("ticket_event")).toBe(seeded.eventsInserted);
    expect(await count("message")).toBeGreaterThan(seeded.ticketsInserted);
    const [next] = await db.sql.query<{ n: string }>("SELECT nextval('ticket_number_seq')::text AS n");
    expect(Number(next?.n)).toBe(seeded.ticketsInserted + 1);
    const [max] = await db.sql.query<{ at: Date; number: string }>(
      "SELECT max(at) AS at, (SELECT max(number) FROM ticket) AS number FROM ticket_event",
    );
    expect(max?.at.getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(max?.number).toMatch(/^IMI-2026-\d{7}$/);
  });

  it("numbers events in time order", async () => {
    const [row] = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT at, lag(at) OVER (ORDER BY sequence) AS previous FROM ticket_event) e
       WHERE at < previous`,
    );
    expect(row?.n).toBe(0);
  });

  it("counts every duration once in the sketches of its unit and each ancestor, and leaves their trigger on", async () => {
    const [row] = await db.sql.query<{ durations: number; daily: number; weekly: number; enabled: string }>(
      `WITH expected AS (
         SELECT r.root_id AS unit_id, date_trunc('day', d.at, r.root_time_zone) AS day, d.kind, v.bin,
                sum(v.wall)::int AS wall, sum(v.business)::int AS business
         FROM metric_duration d
         JOIN unit_subtree_roots() r ON r.unit_id = d.unit_id
         CROSS JOIN LATERAL metric_duration_bins(d.wall_minutes, d.clock_minutes) v
         GROUP BY 1, 2, 3, 4
       ), expected_week AS (
         SELECT e.unit_id, date_trunc('week', e.day, u.time_zone) AS week, e.kind, e.bin,
                sum(e.wall)::int AS wall, sum(e.business)::int AS business
         FROM expected e JOIN unit u ON u.id = e.unit_id GROUP BY 1, 2, 3, 4
       )
       SELECT (SELECT count(*)::int FROM metric_duration) AS durations,
         (SELECT count(*)::int FROM (
           (SELECT * FROM expected EXCEPT SELECT unit_id, day, kind, bin, wall, business FROM metric_duration_sketch)
           UNION ALL
           (SELECT unit_id, day, kind, bin, wall, business FROM metric_duration_sketch EXCEPT SELECT * FROM expected)
         ) d) AS daily,
         (SELECT count(*)::int FROM (
           (SELECT * FROM expected_week EXCEPT SELECT unit_id, week, kind, bin, wall, business FROM metric_duration_sketch_week)
           UNION ALL
           (SELECT unit_id, week, kind, bin, wall, business FROM metric_duration_sketch_week EXCEPT SELECT * FROM expected_week)
         ) w) AS weekly,
         (SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'metric_duration_sketch_add') AS enabled`,
    );
    expect(row?.durations).toBeGreaterThan(seeded.ticketsInserted);
    expect(row).toMatchObject({ daily: 0, weekly: 0, enabled: "A" });
  });

  it("keeps every ticket consistent with its last status event", async () => {
    const [row] = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ticket t
       JOIN LATERAL (SELECT data->>'to' AS status FROM ticket_event e
                     WHERE e.ticket_id = t.id AND e.data ? 'to' ORDER BY sequence DESC LIMIT 1) last ON true
       WHERE last.status <> t.status::text`,
    );
    expect(row?.n).toBe(0);
  });

  // The embedded bulk load skips per-row foreign-key triggers, so prove no reference dangles.
  it.each([
    ["ticket", "unit_id", "unit", "id"],
    ["ticket", "category_id", "category", "id"],
    ["ticket", "assignee_id", "app_user", "id"],
    ["ticket_event", "ticket_id", "ticket", "id"],
    ["ticket_event", "unit_id", "unit", "id"],
    ["ticket_event", "actor_id", "app_user", "id"],
    ["message", "ticket_id", "ticket", "id"],
    ["message", "author_id", "app_user", "id"],
  ])("leaves no %s.%s without its %s", async (table, column, target, key) => {
    const [row] = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${table}" s WHERE s."${column}" IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM "${target}" t WHERE t."${key}" = s."${column}")`,
    );
    expect(row?.n).toBe(0);
  });

  it("stores a closed Malang ticket with its full event log and messages", async () => {
    const [ticket] = await db.sql.query<{
      id: string;
      number: string;
      assignee: string;
      created_at: Date;
      closed_at: Date;
    }>(
      `SELECT t.id, t.number, a.email AS assignee, t.created_at, t.closed_at
       FROM ticket t JOIN unit u ON u.id = t.unit_id JOIN app_user a ON a.id = t.assignee_id
       WHERE u.code = 'KANIM-MALANG' AND t.status = 'CLOSED' AND t.reopen_count = 0 AND t.transfer_count = 0
       ORDER BY t.number LIMIT 1`,
    );
    expect(ticket?.assignee).toMatch(/^agen\.(malang|kanim-malang\.\d)@pantau\.demo$/);
    const events = await db.sql.query<{ type: string; at: Date; data: Record<string, string>; actor: string | null }>(
      "SELECT type, at, data, coalesce(actor_id::text, actor_label) AS actor FROM ticket_event WHERE ticket_id = $1 ORDER BY sequence",
      [ticket?.id],
    );
    const types = events.map((event) => event.type).filter((type) => !type.startsWith("SLA_") && type !== "RATED");
    expect(types[0]).toBe("CREATED");
    expect(types.slice(1, 4)).toEqual(["TRIAGED", "ASSIGNED", "REPLIED"]);
    expect(types.at(-2)).toBe("RESOLVED");
    expect(types.at(-1)).toBe("CLOSED");
    expect(events[0]?.at).toEqual(ticket?.created_at);
    expect(events.filter((event) => event.type === "CLOSED").at(-1)?.at).toEqual(ticket?.closed_at);
    // Each clock ends met or breached, and says so in the log.
    for (const clock of ["FIRST_RESPONSE", "RESOLUTION"]) {
      const final = events.filter((event) => event.data.clock === clock && /^SLA_(MET|BREACHED)$/.test(event.type));
      expect(final).toHaveLength(1);
    }
    for (const event of events) expect(event.actor).not.toBeNull();
    const messageIds = events.map((event) => event.data.messageId).filter(Boolean);
    const messages = await db.sql.query("SELECT id FROM message WHERE ticket_id = $1", [ticket?.id]);
    expect(messages.map((message) => (message as { id: string }).id).sort()).toEqual([...messageIds].sort());
  });
});

describe("seedDemo transfers", () => {
  const n = async (statement: string) => Number((await db.sql.query<{ n: number }>(statement))[0]?.n);

  it("transfers about 3–4% of tickets, a few of them twice", async () => {
    const [row] = await db.sql.query<{ once: number; twice: number; total: number }>(
      `SELECT count(*) FILTER (WHERE transfer_count > 0)::int AS once, count(*) FILTER (WHERE transfer_count > 1)::int AS twice,
         count(*)::int AS total FROM ticket`,
    );
    const total = row?.total ?? 1;
    console.log(`transferred: ${row?.once} of ${total} tickets, ${row?.twice} twice`);
    expect((row?.once ?? 0) / total).toBeGreaterThan(0.025);
    expect((row?.once ?? 0) / total).toBeLessThan(0.05);
    expect((row?.twice ?? 0) / total).toBeGreaterThan(0.002);
    expect((row?.twice ?? 0) / total).toBeLessThan(0.01);
  });

  it("counts every TRANSFERRED event in the ticket's transfer_count", async () => {
    expect(
      await n(`SELECT count(*)::int AS n FROM ticket t
               WHERE t.transfer_count <> (SELECT count(*) FROM ticket_event e WHERE e.ticket_id = t.id AND e.type = 'TRANSFERRED')`),
    ).toBe(0);
  });

  it("leaves each transferred ticket with the unit of its last transfer", async () => {
    expect(
      await n(`SELECT count(*)::int AS n FROM ticket t
               JOIN LATERAL (SELECT e.unit_id, e.data->>'toUnitCode' AS code FROM ticket_event e
                             WHERE e.ticket_id = t.id AND e.type = 'TRANSFERRED' ORDER BY e.sequence DESC LIMIT 1) last ON true
               JOIN unit u ON u.id = t.unit_id
               WHERE last.unit_id <> t.unit_id OR last.code <> u.code`),
    ).toBe(0);
  });

  it("tags events before a transfer with the sender and after it with the receiver", async () => {
    // The holder at any event is the unit of the latest CREATED or TRANSFERRED event up to it.
    expect(
      await n(`SELECT count(*)::int AS n FROM ticket t JOIN ticket_event e ON e.ticket_id = t.id
               JOIN LATERAL (SELECT p.unit_id FROM ticket_event p WHERE p.ticket_id = e.ticket_id
                             AND p.sequence <= e.sequence AND p.type IN ('CREATED', 'TRANSFERRED')
                             ORDER BY p.sequence DESC LIMIT 1) holder ON true
               WHERE t.transfer_count > 0 AND e.unit_id <> holder.unit_id`),
    ).toBe(0);
    expect(
      await n(`SELECT count(*)::int AS n FROM ticket_event e JOIN unit u ON u.id = e.unit_id
               WHERE e.type = 'TRANSFERRED' AND (e.data->>'toUnitCode' <> u.code OR e.data->>'fromUnitCode' = u.code
                 OR NOT (e.data ? 'reason'))`),
    ).toBe(0);
  });

  it("has agents of the holding unit take the ticket, and only staffed units receive transfers", async () => {
    expect(
      await n(`SELECT count(*)::int AS n FROM ticket_event e JOIN app_user a ON a.id = (e.data->>'assigneeId')::uuid
               WHERE e.type = 'ASSIGNED' AND a.unit_id <> e.unit_id`),
    ).toBe(0);
    expect(
      await n(
        `SELECT count(*)::int AS n FROM ticket t JOIN app_user a ON a.id = t.assignee_id WHERE a.unit_id <> t.unit_id`,
      ),
    ).toBe(0);
    expect(
      await n(`SELECT count(*)::int AS n FROM ticket_event e WHERE e.type = 'TRANSFERRED' AND NOT EXISTS
               (SELECT 1 FROM app_user a WHERE a.unit_id = e.unit_id AND a.role = 'AGENT')`),
    ).toBe(0);
  });

  it("escalates integrity complaints from a UPT to its own Kantor Wilayah", async () => {
    const rows = await db.sql.query<{ category: string; receiver: string; parent: boolean }>(
      `SELECT c.code AS category, r.type::text AS receiver, s.parent_id = r.id AS parent
       FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id JOIN category c ON c.id = t.category_id
       JOIN unit r ON r.id = e.unit_id JOIN unit s ON s.code = e.data->>'fromUnitCode'
       WHERE e.type = 'TRANSFERRED' AND e.data->>'reason' LIKE 'Dieskalasi ke Kantor Wilayah%'`,
    );
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows) {
      expect(["OFFICER_CONDUCT", "BROKERS"]).toContain(row.category);
      expect(row).toMatchObject({ receiver: "REGIONAL_OFFICE", parent: true });
    }
  });
});

describe("seedDemo SLA clocks", () => {
  const n = async (statement: string) => Number((await db.sql.query<{ n: number }>(statement))[0]?.n);
  let policies: SlaPolicy[];
  let calendars: CalendarDirectory;
  let categoryCodes: Map<number, string[]>;

  interface StoredEvent {
    type: TicketEventType;
    at: Date;
    unitId: number;
    actorId: string | null;
    actorLabel: string | null;
    data: Record<string, string>;
  }
  const eventsOf = (ticketId: string) =>
    db.sql.query<StoredEvent>(
      `SELECT type, at, unit_id AS "unitId", actor_id AS "actorId", actor_label AS "actorLabel", data
       FROM ticket_event WHERE ticket_id = $1 ORDER BY sequence`,
      [ticketId],
    );
  const clocksOf = (ticketId: string) =>
    db.sql.query<Record<string, unknown>>(
      `SELECT kind, policy_id AS "policyId", started_at AS "startedAt", due_at AS "dueAt", at_risk_at AS "atRiskAt",
         state, elapsed_minutes AS "elapsedMinutes", budget_minutes AS "budgetMinutes",
         paused_minutes AS "pausedMinutes", extended_at AS "extendedAt", met_at AS "metAt",
         breached_at AS "breachedAt", next_check_at AS "nextCheckAt"
       FROM ticket_clock WHERE ticket_id = $1 ORDER BY kind`,
      [ticketId],
    );

  /** A few tickets of every kind of clock life: breached, paused, reopened, transferred, still running. */
  const sampleTickets = async (perGroup: number) =>
    (
      await db.sql.query<{ id: string }>(
        `SELECT DISTINCT id FROM (
           (SELECT ticket_id AS id FROM ticket_clock WHERE kind = 'FIRST_RESPONSE' AND state = 'BREACHED' ORDER BY ticket_id LIMIT $1)
           UNION ALL (SELECT ticket_id FROM ticket_clock WHERE kind = 'RESOLUTION' AND state = 'BREACHED' AND met_at IS NOT NULL ORDER BY ticket_id LIMIT $1)
           UNION ALL (SELECT ticket_id FROM ticket_clock WHERE kind = 'RESOLUTION' AND state = 'BREACHED' AND met_at IS NULL ORDER BY ticket_id LIMIT $1)
           UNION ALL (SELECT ticket_id FROM ticket_clock WHERE state IN ('RUNNING', 'AT_RISK', 'PAUSED') ORDER BY state, ticket_id LIMIT $1::int * 3)
           UNION ALL (SELECT ticket_id FROM ticket_event WHERE type = 'SLA_RESUMED' ORDER BY ticket_id LIMIT $1)
           UNION ALL (SELECT ticket_id FROM ticket_event WHERE type = 'SLA_AT_RISK' ORDER BY ticket_id LIMIT $1)
           UNION ALL (SELECT id FROM ticket WHERE reopen_count > 0 ORDER BY id LIMIT $1)
           UNION ALL (SELECT id FROM ticket WHERE transfer_count > 0 ORDER BY id LIMIT $1)
           UNION ALL (SELECT id FROM ticket WHERE status = 'REJECTED' ORDER BY id LIMIT $1)
           UNION ALL (SELECT id FROM ticket ORDER BY md5(id::text) LIMIT $1::int * 4)
         ) sample ORDER BY id`,
        [perGroup],
      )
    ).map((row) => row.id);

  beforeAll(async () => {
    policies = await db.prisma.slaPolicy.findMany({ where: { current: true } });
    calendars = await loadCalendarDirectory(db, await loadUnitTree(db));
    const rows = await db.sql.query<{ id: number; code: string; parentId: number | null }>(
      `SELECT id, code, parent_id AS "parentId" FROM category`,
    );
    categoryCodes = new Map(
      rows.map((row) => {
        const codes: string[] = [];
        for (let c: typeof row | undefined = row; c; c = rows.find((p) => p.id === c?.parentId)) codes.push(c.code);
        return [row.id, codes];
      }),
    );
  });

  it("gives every seeded ticket its two clocks, and a complaint under the file stages its answer clock", async () => {
    // The seeded history has no file events: of the stage clocks only the answer on the file (from receipt) runs.
    const fileAnswers = await n(
      `SELECT count(*)::int AS n FROM ticket t JOIN ticket_clock c ON c.ticket_id = t.id AND c.kind = 'RESOLUTION'
       JOIN sla_policy p ON p.id = c.policy_id WHERE p.stages @> '[{"kind": "FILE_ANSWER"}]'`,
    );
    expect(fileAnswers).toBeGreaterThan(0);
    expect(seeded.clocksInserted).toBe(2 * seeded.ticketsInserted + fileAnswers);
    expect(await count("ticket_clock")).toBe(2 * seeded.ticketsInserted + fileAnswers);
    expect(
      await n(`SELECT count(*)::int AS n FROM ticket t
               WHERE (SELECT count(DISTINCT c.kind) FROM ticket_clock c WHERE c.ticket_id = t.id
                      AND c.kind IN ('FIRST_RESPONSE', 'RESOLUTION')) <> 2`),
    ).toBe(0);
    expect(await n(`SELECT count(*)::int AS n FROM ticket_clock WHERE kind = 'FILE_ANSWER'`)).toBe(fileAnswers);
    expect(await n(`SELECT count(*)::int AS n FROM ticket_clock WHERE kind IN ('FILE_LAPSE', 'EXAMINATION')`)).toBe(0);
    expect(
      await n(`SELECT count(*)::int AS n FROM ticket_clock c WHERE NOT EXISTS (SELECT 1 FROM ticket t WHERE t.id = c.ticket_id)
                 OR NOT EXISTS (SELECT 1 FROM sla_policy p WHERE p.id = c.policy_id AND p.current)`),
    ).toBe(0);
  });

  it("stores what the clock engine computes from each ticket's events", async () => {
    const ids = await sampleTickets(20);
    expect(ids.length).toBeGreaterThan(150);
    for (const id of ids) {
      const [ticket] = await db.sql.query<{
        kind: TicketKind;
        channel: Channel;
        priority: Priority;
        categoryId: number | null;
      }>(`SELECT kind, channel, priority, category_id AS "categoryId" FROM ticket WHERE id = $1`, [id]);
      if (!ticket) throw new Error(`ticket ${id} is gone`);
      const policy = matchPolicy(policies, {
        ...ticket,
        categoryCodes: ticket.categoryId === null ? [] : (categoryCodes.get(ticket.categoryId) ?? []),
      });
      if (!policy) throw new Error(`no policy for ticket ${id}`);
      const histories = clockHistories((await eventsOf(id)) as TimelineEvent[], policy.pauseStatuses, (unitId) =>
        calendars.calendarFor(unitId),
      );
      const expected = clockKindsOf(policy).flatMap((kind) => {
        const history = histories[kind];
        // A stage clock exists once its start event happened.
        if (!history) return [];
        const evaluation = evaluateClock(specOf(policy, kind), history, NOW);
        const next = evaluation.nextTransitionAt;
        return {
          kind,
          policyId: policy.id,
          startedAt: history.startedAt,
          dueAt: evaluation.dueAt,
          atRiskAt: evaluation.atRiskAt,
          state: evaluation.state,
          elapsedMinutes: evaluation.elapsedMinutes,
          budgetMinutes: evaluation.elapsedMinutes + evaluation.remainingMinutes,
          pausedMinutes: evaluation.pausedMinutes,
          extendedAt: history.extendedAt ?? null,
          metAt: evaluation.metAt,
          breachedAt: evaluation.breachedAt,
          nextCheckAt: next && next <= NOW ? new Date(NOW.getTime() + 1_000) : next,
        };
      });
      expect(await clocksOf(id), id).toEqual(expected);
    }
  });

  it("meets most clocks and breaches a believable minority", async () => {
    const rows = await db.sql.query<{ policy: string; kind: string; total: number; met: number; breached: number }>(
      `SELECT coalesce(p.code, 'all') AS policy, c.kind::text AS kind, count(*)::int AS total,
         count(*) FILTER (WHERE c.state = 'MET')::int AS met, count(*) FILTER (WHERE c.state = 'BREACHED')::int AS breached
       FROM ticket_clock c JOIN sla_policy p ON p.id = c.policy_id
       GROUP BY GROUPING SETS ((c.kind), (p.code, c.kind)) ORDER BY 1, 2`,
    );
    console.table(
      rows.map((row) => ({
        ...row,
        "met %": ((100 * row.met) / row.total).toFixed(1),
        "breached %": ((100 * row.breached) / row.total).toFixed(1),
      })),
    );
    // The two clocks every ticket has. A complaint's answer on its file runs 14 days from receipt and is
    // stopped only by the resolution in a history without file events, so more of them are still running.
    for (const row of rows.filter(
      (r) => r.policy === "all" && (r.kind === "FIRST_RESPONSE" || r.kind === "RESOLUTION"),
    )) {
      expect(row.met / row.total, row.kind).toBeGreaterThan(0.8);
      expect(row.breached / row.total, row.kind).toBeGreaterThan(0.04);
      expect(row.breached / row.total, row.kind).toBeLessThan(0.2);
    }
    // No policy is absurd: every one is mostly met, and the busy ones all see some breaches.
    for (const row of rows.filter((r) => r.policy !== "all")) {
      expect(row.met / row.total, `${row.policy} ${row.kind}`).toBeGreaterThan(0.7);
      expect(row.breached / row.total, `${row.policy} ${row.kind}`).toBeLessThan(0.2);
      if (row.total > 1000) expect(row.breached, `${row.policy} ${row.kind}`).toBeGreaterThan(0);
    }
  });

  it("logs each clock's at-risk, breach and met at most once, unless a reopening starts it again", async () => {
    const repeated = await db.sql.query<{ clock: string; type: string; n: number; reopens: number }>(
      `SELECT e.data->>'clock' AS clock, e.type::text AS type, count(*)::int AS n, min(t.reopen_count)::int AS reopens
       FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id
       WHERE e.type IN ('SLA_AT_RISK', 'SLA_BREACHED', 'SLA_MET')
       GROUP BY e.ticket_id, e.type, e.data->>'clock' HAVING count(*) > 1`,
    );
    // As in the live engine: a reopened ticket's resolution clock runs on and can turn at risk and be
    // met once more; a breach is final.
    for (const row of repeated) {
      expect(row.clock).toBe("RESOLUTION");
      expect(row.type).not.toBe("SLA_BREACHED");
      expect(row.n).toBeLessThanOrEqual(1 + row.reopens);
    }
    expect(repeated.length).toBeLessThan(await n("SELECT count(*)::int AS n FROM ticket WHERE reopen_count > 0"));
    expect(
      await n(`SELECT count(*)::int AS n FROM ticket_event
               WHERE type::text LIKE 'SLA_%' AND (actor_id IS NOT NULL OR actor_label <> 'system'
                 OR NOT (data ? 'clock' AND data ? 'policyCode' AND data ? 'dueAt'))`),
    ).toBe(0);
  });

  it("logs the breach of every breached clock at the instant it ran out, and the met at the goal", async () => {
    for (const [state, type, column] of [
      ["BREACHED", "SLA_BREACHED", "breached_at"],
      ["MET", "SLA_MET", "met_at"],
    ]) {
      expect(
        await n(`SELECT count(*)::int AS n FROM ticket_clock c WHERE c.state = '${state}' AND NOT EXISTS (
                   SELECT 1 FROM ticket_event e WHERE e.ticket_id = c.ticket_id AND e.type = '${type}'
                     AND e.data->>'clock' = c.kind::text AND e.at = c.${column})`),
      ).toBe(0);
    }
    expect(
      await n(`SELECT count(*)::int AS n FROM ticket_event e JOIN ticket_clock c
                 ON c.ticket_id = e.ticket_id AND c.kind::text = e.data->>'clock'
               WHERE e.type = 'SLA_BREACHED' AND (c.breached_at IS NULL OR e.at <> c.breached_at
                 OR (e.data->>'breachedAt')::timestamptz <> c.breached_at)`),
    ).toBe(0);
    // A clock turns at risk on its way to a breach, never after it.
    expect(
      await n(`SELECT count(*)::int AS n FROM ticket_event r JOIN ticket_event b ON b.ticket_id = r.ticket_id
                 AND b.data->>'clock' = r.data->>'clock' AND b.type = 'SLA_BREACHED'
               WHERE r.type = 'SLA_AT_RISK' AND r.sequence > b.sequence`),
    ).toBe(0);
  });

  it("writes the same SLA events as the live engine replaying each ticket's log", async () => {
    const engine = new ClockEngine({ db, units: () => new UnitTree([]), calendars: () => calendars });
    const ids = await sampleTickets(3);
    expect(ids.length).toBeGreaterThan(25);
    class Rollback extends Error {}
    for (const [index, id] of ids.entries()) {
      const log = await eventsOf(id);
      const sla = (event: { type: TicketEventType }) => event.type.startsWith("SLA_");
      // A copy of the ticket gets its log event by event, each followed by the engine's recompute, and
      // between events the detection loop wakes whenever a clock is due; then everything is rolled back.
      const replayed = await db.prisma
        .$transaction(
          async (tx) => {
            const { id: _original, ...facts } = await tx.ticket.findUniqueOrThrow({ where: { id } });
            const copy = await tx.ticket.create({ data: { ...facts, number: `UJI-${index}` } });
            const work = log.filter((event) => !sla(event));
            for (const [i, event] of work.entries()) {
              await tx.ticketEvent.create({ data: { ...event, ticketId: copy.id } });
              await engine.recompute(tx, copy.id, event.at);
              const until = new Date(work[i + 1]?.at.getTime() ?? NOW.getTime() + 1);
              for (;;) {
                const due = await tx.ticketClock.findFirst({
                  where: { ticketId: copy.id, nextCheckAt: { lt: until } },
                  orderBy: { nextCheckAt: "asc" },
                });
                if (!due?.nextCheckAt) break;
                await engine.recompute(tx, copy.id, due.nextCheckAt);
              }
            }
            const events = await tx.ticketEvent.findMany({
              where: { ticketId: copy.id },
              orderBy: { sequence: "asc" },
              select: { type: true, at: true, unitId: true, actorId: true, actorLabel: true, data: true },
            });
            throw new Rollback(JSON.stringify(events.filter(sla)));
          },
          { timeout: 60_000 },
        )
        .catch((error: unknown) => {
          if (error instanceof Rollback) return JSON.parse(error.message) as unknown;
          throw error;
        });
      expect(replayed, id).toEqual(JSON.parse(JSON.stringify(log.filter(sla))));
    }
  }, 120_000);

  it("places SLA events after the event that caused them", async () => {
    // Time order over all events is checked above; among events of one instant the cause comes first.
    const caused = (order: string) =>
      n(`SELECT count(*)::int AS n FROM ticket_event e JOIN ticket_event x ON x.ticket_id = e.ticket_id
         WHERE e.type::text LIKE 'SLA_%' AND x.type::text NOT LIKE 'SLA_%' AND x.at = e.at AND x.sequence ${order} e.sequence`);
    expect(await caused("<")).toBeGreaterThan(seeded.ticketsInserted);
    expect(await caused(">")).toBe(0);
    expect(
      await n(`SELECT count(*)::int AS n FROM ticket t JOIN LATERAL (
                 SELECT type FROM ticket_event e WHERE e.ticket_id = t.id ORDER BY sequence LIMIT 1) first ON true
               WHERE first.type <> 'CREATED'`),
    ).toBe(0);
  });

  it("leaves open clocks due for the live detection loop, which takes them over", async () => {
    expect(
      await n(`SELECT count(*)::int AS n FROM ticket_clock WHERE
                 CASE state WHEN 'RUNNING' THEN next_check_at IS DISTINCT FROM at_risk_at
                            WHEN 'AT_RISK' THEN next_check_at IS DISTINCT FROM due_at
                            ELSE next_check_at IS NOT NULL END
                 OR next_check_at <= '${NOW.toISOString()}'`),
    ).toBe(0);
    const due = await db.sql.query<{ ticketId: string; kind: string; state: string; nextCheckAt: Date }>(
      `SELECT ticket_id AS "ticketId", kind::text AS kind, state::text AS state, next_check_at AS "nextCheckAt"
       FROM ticket_clock WHERE next_check_at IS NOT NULL ORDER BY next_check_at LIMIT 1`,
    );
    const first = due[0];
    if (!first) throw new Error("no open clock in the seeded history");
    expect(["RUNNING", "AT_RISK"]).toContain(first.state);
    const engine = new ClockEngine({ db, units: () => new UnitTree([]), calendars: () => calendars });
    const handled = await detectDueClocks({
      db,
      engine,
      logger: createLogger("silent"),
      now: () => first.nextCheckAt,
    });
    expect(handled).toBeGreaterThanOrEqual(1);
    const [after] = await db.sql.query<{ state: string }>(
      "SELECT state::text AS state FROM ticket_clock WHERE ticket_id = $1 AND kind = $2",
      [first.ticketId, first.kind],
    );
    expect(after?.state).toBe(first.state === "RUNNING" ? "AT_RISK" : "BREACHED");
    const [event] = await db.sql.query<{ type: string; at: Date }>(
      `SELECT type::text AS type, at FROM ticket_event WHERE ticket_id = $1 AND data->>'clock' = $2
       ORDER BY sequence DESC LIMIT 1`,
      [first.ticketId, first.kind],
    );
    expect(event).toEqual({ type: first.state === "RUNNING" ? "SLA_AT_RISK" : "SLA_BREACHED", at: first.nextCheckAt });
  });
});

describe("seedDemo on a seeded database", () => {
  it("adds no history, renews the key and takes a changed password", async () => {
    const tickets = await count("ticket");
    const again = await seedDemo(db, { ...DEMO, password: "kata-sandi-baru" });
    expect(again).toMatchObject({ accounts: seeded.accounts, ticketsInserted: 0, eventsInserted: 0 });
    expect(await count("ticket")).toBe(tickets);
    expect(again.apiKey).not.toBe(seeded.apiKey);
    const keys = await db.sql.query<{ hash: string }>(
      "SELECT key_hash AS hash FROM api_key WHERE name = $1 AND revoked_at IS NULL",
      [DEMO_API_KEY_NAME],
    );
    expect(keys).toEqual([{ hash: sha256Hex(again.apiKey) }]);
    const hashes = await db.sql.query<{ hash: string }>(
      "SELECT DISTINCT password_hash AS hash FROM app_user WHERE email LIKE '%@pantau.demo'",
    );
    expect(hashes).toHaveLength(1);
    expect(await verifyPassword("kata-sandi-baru", hashes[0]?.hash ?? "")).toBe(true);
  });

  it("recreates a demo account that was removed", async () => {
    // The regional head acts on no generated ticket, so the row can go without breaking references.
    await db.sql.query("DELETE FROM app_user WHERE email = 'kanwil.jatim@pantau.demo'");
    await seedDemo(db, DEMO);
    const [row] = await db.sql.query<{ role: string }>(
      "SELECT role FROM app_user WHERE email = 'kanwil.jatim@pantau.demo'",
    );
    expect(row?.role).toBe("REGIONAL_HEAD");
  });
});
