import { readFileSync } from "node:fs";
import type { Database, Sql } from "../../db/database.js";
import type { OfficeClass, Role, UnitType } from "../../generated/prisma/enums.js";
import { referenceDataFile } from "../../paths.js";
import { Timings } from "../../timings.js";
import { hashPassword, needsRehash, verifyPassword } from "../auth/password.js";
import { newApiKey } from "../auth/tokens.js";
import { streamAsHistory } from "../realtime/stream-store.js";
import { loadCalendarDirectory } from "../sla/calendar-directory.js";
import { dropSearchIndexes } from "../tickets/search-indexes.js";
import { loadUnitTree } from "../units/unit-repository.js";
import {
  insertClocks,
  insertEvents,
  insertJson,
  insertMessages,
  insertTickets,
  withoutSecondaryIndexes,
} from "./bulk.js";
import { CATEGORIES } from "./categories.js";
import { type EventRow, generateHistory, type HistoryUnit } from "./history.js";
import { Random, WeightedTable } from "./random.js";
import { categoryPaths, computeSlaHistory } from "./sla-history.js";
import { FIRST_NAMES, LAST_NAMES } from "./templates.js";
import { loadUnits, unitWeight } from "./units.js";

export interface DemoAccount {
  email: string;
  role: Role;
  unitCode: string;
}

export interface SeedDemoOptions {
  password: string;
  seed: number;
  days: number;
  ticketsPerDay: number;
  now: Date;
  /**
   * The hash the demo accounts carry, from `demoPasswordHash` when the caller started it earlier; scrypt runs
   * off the main thread, so a start-up can let it work while it writes the reference data.
   */
  passwordHash?: Promise<string>;
}

export interface SeedDemoResult {
  accounts: DemoAccount[];
  /** A fresh third-party key; shown once, only its hash is stored. */
  apiKey: string;
  ticketsInserted: number;
  /** Including the SLA events of the history. */
  eventsInserted: number;
  clocksInserted: number;
  /** Wall time per step of the history's load, when one was loaded. */
  steps?: Timings["report"];
}

const DEMO_DOMAIN = "@pantau.demo";
export const DEMO_API_KEY_NAME = "Demo pihak ketiga";
const DEMO_API_KEY_SCOPES = ["tickets:read", "metrics:read"];

const DEMO_ACCOUNTS: (DemoAccount & { name: string })[] = [
  { email: "direktorat@pantau.demo", role: "DIRECTORATE", unitCode: "IMI", name: "Rina Kusumawardani" },
  { email: "kanwil.jatim@pantau.demo", role: "REGIONAL_HEAD", unitCode: "KANWIL-JI", name: "Bambang Sutrisno" },
  { email: "kanim.malang@pantau.demo", role: "UNIT_SUPERVISOR", unitCode: "KANIM-MALANG", name: "Dewi Anggraini" },
  { email: "agen.malang@pantau.demo", role: "AGENT", unitCode: "KANIM-MALANG", name: "Yusuf Pratama" },
];

const HOLIDAYS_URL = referenceDataFile("holidays.json");

/**
 * Inserts the units and categories that are missing, by code. Existing rows are never touched: the
 * directory is edited in the running system and a restart must not undo those edits.
 */
export async function seedReferenceData(db: Database): Promise<{ unitsInserted: number; categoriesInserted: number }> {
  return db.transaction(async (sql) => ({
    unitsInserted: await insertTree(sql, INSERT_UNITS, loadUnits()),
    categoriesInserted: await insertTree(sql, INSERT_CATEGORIES, CATEGORIES),
  }));
}

// Rows whose code exists are filtered out before the insert so that they do not consume ids;
// ON CONFLICT still covers two processes seeding at once.
const INSERT_UNITS = `
INSERT INTO unit (code, name, type, office_class, parent_id, province_code, province_name, city, time_zone,
  latitude, longitude, source, uncertainty)
SELECT r.code, r.name, r.type, r."officeClass", (SELECT p.id FROM unit p WHERE p.code = r."parentCode"),
  r."provinceCode", r."provinceName", r.city, r."timeZone", r.latitude, r.longitude, r.source, r.uncertainty
FROM ROWS FROM (json_to_recordset($1::json) AS (code text, name text, type "UnitType", "officeClass" "OfficeClass",
  "parentCode" text, "provinceCode" text, "provinceName" text, city text, "timeZone" text, latitude float8,
  longitude float8, source text, uncertainty text)) WITH ORDINALITY AS r
WHERE NOT EXISTS (SELECT 1 FROM unit u WHERE u.code = r.code)
ORDER BY r.ordinality
ON CONFLICT (code) DO NOTHING
RETURNING 1`;

const INSERT_CATEGORIES = `
INSERT INTO category (code, name, name_en, parent_id, position)
SELECT r.code, r.name, r."nameEn", (SELECT p.id FROM category p WHERE p.code = r."parentCode"), r.position
FROM ROWS FROM (json_to_recordset($1::json) AS (code text, name text, "nameEn" text, "parentCode" text,
  position int)) WITH ORDINALITY AS r
WHERE NOT EXISTS (SELECT 1 FROM category c WHERE c.code = r.code)
ORDER BY r.ordinality
ON CONFLICT (code) DO NOTHING
RETURNING 1`;

/**
 * Inserts a tree level by level, so that every parent exists before its children look it up.
 * `rows` list parents before children.
 */
async function insertTree(
  sql: Sql,
  statement: string,
  rows: readonly { code: string; parentCode: string | null }[],
): Promise<number> {
  const depth = new Map<string, number>();
  const levels: (typeof rows)[number][][] = [];
  for (const row of rows) {
    const level = row.parentCode === null ? 0 : (depth.get(row.parentCode) ?? -1) + 1;
    depth.set(row.code, level);
    const bucket = levels[level] ?? [];
    bucket.push(row);
    levels[level] = bucket;
  }
  let inserted = 0;
  for (const level of levels) if (level) inserted += await insertJson(sql, statement, level);
  return inserted;
}

interface UnitRow {
  id: number;
  code: string;
  name: string;
  type: UnitType;
  officeClass: OfficeClass | null;
  parentId: number | null;
  city: string | null;
  timeZone: string;
}

/**
 * Demo accounts, a fresh third-party key and, on an empty database, a generated history with its SLA
 * clocks. Runs on every start of the demo: accounts are ensured and take the configured password, and
 * the key is replaced so that the one printed at start-up always works. The SLA reference data (policies,
 * holidays, calendars) must be seeded before, or the history gets no clocks.
 */
export async function seedDemo(db: Database, options: SeedDemoOptions): Promise<SeedDemoResult> {
  const units = await db.sql.query<UnitRow>(
    `SELECT id, code, name, type, office_class AS "officeClass", parent_id AS "parentId", city,
       time_zone AS "timeZone"
     FROM unit WHERE active ORDER BY id`,
  );
  for (const account of DEMO_ACCOUNTS) {
    if (!units.some((unit) => unit.code === account.unitCode)) {
      throw new Error(`Unit ${account.unitCode} is missing; run seedReferenceData first`);
    }
  }
  const passwordHash = await (options.passwordHash ?? demoPasswordHash(db, options.password));
  await ensureAccounts(db, [...DEMO_ACCOUNTS, ...generatedAgents(units, options.seed)], passwordHash);
  await refreshPasswords(db, options.password, passwordHash);
  const apiKey = await renewApiKey(db);
  const accounts = DEMO_ACCOUNTS.map(({ email, role, unitCode }) => ({ email, role, unitCode }));

  const [existing] = await db.sql.query<{ any: boolean }>("SELECT EXISTS (SELECT 1 FROM ticket) AS any");
  if (existing?.any || options.ticketsPerDay <= 0 || options.days <= 0) {
    return { accounts, apiKey, ticketsInserted: 0, eventsInserted: 0, clocksInserted: 0 };
  }
  const inserted = await insertHistory(db, units, options);
  return { accounts, apiKey, ...inserted };
}

/** A few agents per unit, more in busy offices, so that every ticket of the history has an assignee. */
function generatedAgents(units: readonly UnitRow[], seed: number): (DemoAccount & { name: string })[] {
  const random = new Random(seed ^ 0x5eed);
  return units.flatMap((unit) => {
    const count = Math.min(6, 2 + Math.floor(unitWeight(unit)));
    return Array.from({ length: count }, (_, index) => ({
      email: `agen.${unit.code.toLowerCase()}.${index + 1}${DEMO_DOMAIN}`,
      role: "AGENT" as const,
      unitCode: unit.code,
      name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
    }));
  });
}

async function ensureAccounts(db: Database, accounts: readonly (DemoAccount & { name: string })[], hash: string) {
  await insertJson(
    db.sql,
    `INSERT INTO app_user (email, name, role, unit_id, password_hash)
     SELECT r.email, r.name, r.role, u.id, $2
     FROM json_to_recordset($1::json) AS r(email text, name text, role "Role", "unitCode" text)
     JOIN unit u ON u.code = r."unitCode"
     ON CONFLICT (email) DO NOTHING
     RETURNING 1`,
    accounts,
    [hash],
  );
}

/**
 * The hash all demo accounts share. scrypt is deliberately slow: a restart keeps the stored hash when the
 * configured password still verifies against it (one scrypt), and hashes anew only when it does not.
 */
export async function demoPasswordHash(db: Database, password: string): Promise<string> {
  const stored = await db.sql.query<{ hash: string }>(
    `SELECT password_hash AS hash FROM app_user WHERE email = $1 AND password_hash IS NOT NULL`,
    [DEMO_ACCOUNTS[0]?.email],
  );
  const current = stored[0]?.hash;
  if (current && !needsRehash(current) && (await verifyPassword(password, current))) return current;
  return hashPassword(password);
}

/** Demo accounts whose stored hash does not match the configured password get the new hash. */
async function refreshPasswords(db: Database, password: string, hash: string) {
  const stored = await db.sql.query<{ hash: string }>(
    `SELECT DISTINCT password_hash AS hash FROM app_user WHERE email LIKE $1 AND password_hash <> $2`,
    [`%${DEMO_DOMAIN}`, hash],
  );
  for (const { hash: old } of stored) {
    if (await verifyPassword(password, old)) continue;
    await db.sql.query("UPDATE app_user SET password_hash = $1 WHERE email LIKE $2 AND password_hash = $3", [
      hash,
      `%${DEMO_DOMAIN}`,
      old,
    ]);
  }
}

/** Revokes earlier demo keys and issues a new one on the directorate. */
async function renewApiKey(db: Database): Promise<string> {
  const { key, prefix, keyHash } = newApiKey();
  await db.transaction(async (sql) => {
    await sql.query("UPDATE api_key SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL", [
      DEMO_API_KEY_NAME,
    ]);
    await sql.query(
      `INSERT INTO api_key (name, prefix, key_hash, scopes, unit_id, rate_tier)
       SELECT $1, $2, $3, ARRAY(SELECT json_array_elements_text($4::json)), id, 'STANDARD' FROM unit WHERE code = 'IMI'`,
      [DEMO_API_KEY_NAME, prefix, keyHash, JSON.stringify(DEMO_API_KEY_SCOPES)],
    );
  });
  return key;
}

async function insertHistory(db: Database, units: readonly UnitRow[], options: SeedDemoOptions) {
  const timings = new Timings();
  const agents = await db.sql.query<{ id: string; unitId: number }>(
    `SELECT id, unit_id AS "unitId" FROM app_user
     WHERE role = 'AGENT' AND active AND email LIKE $1 ORDER BY email`,
    [`%${DEMO_DOMAIN}`],
  );
  const agentsByUnit = new Map<number, string[]>();
  for (const agent of agents) agentsByUnit.set(agent.unitId, [...(agentsByUnit.get(agent.unitId) ?? []), agent.id]);
  const historyUnits: HistoryUnit[] = units.map((unit) => {
    const agentIds = agentsByUnit.get(unit.id) ?? [];
    return { ...unit, weight: agentIds.length > 0 ? unitWeight(unit) : 0, agentIds };
  });
  const categories = await db.sql.query<{ id: number; code: string; parentId: number | null }>(
    `SELECT id, code, parent_id AS "parentId" FROM category`,
  );
  timings.mark("read");
  const history = generateHistory({ ...options, units: historyUnits, categories, holidays: holidayDates() });
  timings.mark("generate");
  // Clocks come from the same policies, calendars and engine the running server uses.
  const [policies, calendars] = await Promise.all([
    db.prisma.slaPolicy.findMany({ where: { current: true } }),
    loadUnitTree(db).then((tree) => loadCalendarDirectory(db, tree)),
  ]);
  const paths = categoryPaths(categories);
  const sla = computeSlaHistory(history, {
    policies,
    categoryCodes: (categoryId) => (categoryId === null ? [] : (paths.get(categoryId) ?? [])),
    calendarFor: (unitId) => calendars.calendarFor(unitId),
    now: options.now,
  });
  timings.mark("sla");

  const result = await db.transaction(async (sql) => {
    // Every reference in the generated rows points at a row read or written just above, so the
    // per-row foreign-key triggers only cost time: on the embedded database (always superuser) they
    // are skipped for this transaction, which halves the load time. PostgreSQL keeps checking them.
    if (db.kind === "pglite") await sql.exec("SET LOCAL session_replication_role = replica");
    const [log] = await sql.query<{ last: string }>(
      "SELECT coalesce(max(sequence), 0)::text AS last FROM ticket_event",
    );
    // On the embedded database nothing else can be reading these tables meanwhile; on PostgreSQL another
    // instance may be, and dropping its indexes would lock it out until the load commits. The search
    // indexes are built last, after everything that writes tickets.
    const buildSearchIndexes = db.kind === "pglite" ? await dropSearchIndexes(sql) : async () => {};
    const rebuildIndexes =
      db.kind === "pglite"
        ? await withoutSecondaryIndexes(sql, ["ticket", "ticket_event", "message", "ticket_clock"])
        : async () => {};
    timings.mark("drop indexes");
    const ticketsInserted = await timings.step("tickets", () => insertTickets(sql, history.tickets, sla.nextDue));
    await timings.step("messages", () => insertMessages(sql, history.messages));
    const events = withRatings(history.tickets, sla.events, options);
    const eventsInserted = await timings.step("events", () => insertEvents(sql, events));
    const clocksInserted = await timings.step("clocks", () => insertClocks(sql, sla.clocks));
    await timings.step("build indexes", rebuildIndexes);
    // The roll-up looks rows up by their keys only, so the read indexes of what it fills can wait too.
    const rebuildDerivedIndexes =
      db.kind === "pglite"
        ? await withoutSecondaryIndexes(sql, [
            "event_stream",
            "metric_duration",
            "metric_duration_sketch",
            "metric_duration_sketch_week",
            "metric_staff_daily",
            "metric_staff_duration",
          ])
        : async () => {};
    // After the clocks: the metrics rollups read the clock each response or resolution stopped.
    timings.mark("drop derived indexes");
    await streamAsHistory(sql, BigInt(log?.last ?? "0"), timings);
    await timings.step("build derived indexes", rebuildDerivedIndexes);
    await timings.step("search indexes", buildSearchIndexes);
    if (history.lastNumber > 0) {
      await sql.query("SELECT setval('ticket_number_seq', GREATEST($1::bigint, last_value)) FROM ticket_number_seq", [
        history.lastNumber,
      ]);
    }
    return { ticketsInserted, eventsInserted, clocksInserted };
  });
  timings.mark("commit");
  return { ...result, steps: timings.report };
}

/** 1–5 ratings and how often each is given, skewed towards satisfied as public-service surveys are. */
const RATINGS = new WeightedTable<number>([
  [5, 0.45],
  [4, 0.3],
  [3, 0.13],
  [2, 0.07],
  [1, 0.05],
]);
const SURVEY_RESPONSE_RATE = 0.35;

/**
 * About a third of citizens answer the satisfaction survey sent at resolution, within two days. The
 * ratings join the log in time order.
 */
function withRatings(
  tickets: readonly { id: string; unitId: number; resolvedAt: Date | null }[],
  events: readonly EventRow[],
  options: { seed: number; now: Date },
): EventRow[] {
  const random = new Random(options.seed + 5);
  const ratings: EventRow[] = [];
  for (const ticket of tickets) {
    if (!ticket.resolvedAt || !random.chance(SURVEY_RESPONSE_RATE)) continue;
    const at = new Date(ticket.resolvedAt.getTime() + random.int(10, 48 * 60) * 60_000);
    if (at.getTime() >= options.now.getTime()) continue;
    const rating = RATINGS.draw(random);
    ratings.push({
      ticketId: ticket.id,
      unitId: ticket.unitId,
      type: "RATED",
      actorId: null,
      actorLabel: "survey",
      at,
      data: { rating: String(rating), source: "SURVEY_CHANNEL" },
    });
  }
  return [...events, ...ratings].sort((a, b) => a.at.getTime() - b.at.getTime());
}

function holidayDates(): string[] {
  const file = JSON.parse(readFileSync(HOLIDAYS_URL, "utf8")) as { holidays: { date: string }[] };
  return file.holidays.map((holiday) => holiday.date);
}
