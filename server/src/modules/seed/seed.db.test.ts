import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../db/database.js";
import { verifyPassword } from "../auth/password.js";
import { sha256Hex } from "../auth/tokens.js";
import { DEMO_API_KEY_NAME, type SeedDemoResult, seedDemo, seedReferenceData } from "./seed.js";

const MIGRATION = new URL("../../../../prisma/migrations/20261122000000_init/migration.sql", import.meta.url);
const NOW = new Date("2026-02-11T04:00:00Z");
const DEMO = { password: "rahasia-demo", seed: 20261122, days: 90, ticketsPerDay: 250, now: NOW };

let db: Database;
let seeded: SeedDemoResult;

const count = async (table: string) =>
  Number((await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n);

beforeAll(async () => {
  db = await openDatabase({ dataDir: "memory://" });
  await db.sql.exec(readFileSync(MIGRATION, "utf8"));
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
    const started = performance.now();
    seeded = await seedDemo(db, DEMO);
    const ms = Math.round(performance.now() - started);
    console.log(
      `seedDemo (${DEMO.days} days × ${DEMO.ticketsPerDay}/day) took ${ms} ms on PGlite: ` +
        `${seeded.ticketsInserted} tickets, ${seeded.eventsInserted} events`,
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
    const types = events.map((event) => event.type);
    expect(types[0]).toBe("CREATED");
    expect(types.slice(1, 4)).toEqual(["TRIAGED", "ASSIGNED", "REPLIED"]);
    expect(types).toContain("REPLIED");
    expect(types.at(-2)).toBe("RESOLVED");
    expect(types.at(-1)).toBe("CLOSED");
    expect(events[0]?.at).toEqual(ticket?.created_at);
    expect(events.at(-1)?.at).toEqual(ticket?.closed_at);
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
