/**
 * SLA detection and recompute at scale, in this process against PostgreSQL: one million open tickets
 * (each with its CREATED event and its two clocks) generated in SQL, then
 * - detection passes (`detectDueClocks` with a real `ClockEngine`) over 0, 100 and 1,000 due clocks,
 *   next to the bare index read of the due rows;
 * - `recomputeOpenClocks` over the 100,000 open tickets of one regional office's subtree after a national
 *   holiday is added, with a `SELECT 1` probe every 50 ms on its own connection to show whether other
 *   work still gets through.
 */
import { execFileSync } from "node:child_process";
import pg from "pg";
import { openDatabase } from "../server/src/db/database.js";
import { migrate } from "../server/src/db/migrator.js";
import { createLogger } from "../server/src/logger.js";
import { seedReferenceData } from "../server/src/modules/seed/seed.js";
import { type CalendarDirectory, loadCalendarDirectory } from "../server/src/modules/sla/calendar-directory.js";
import { ClockEngine } from "../server/src/modules/sla/clock-engine.js";
import { detectDueClocks } from "../server/src/modules/sla/detector.js";
import { matchPolicy } from "../server/src/modules/sla/policy-matcher.js";
import { recomputeOpenClocks } from "../server/src/modules/sla/recompute.js";
import { seedSlaReferenceData } from "../server/src/modules/sla/sla-reference-data.js";
import { loadUnitTree } from "../server/src/modules/units/unit-repository.js";
import { deferCleanup, isEntryPoint, runAsScript, stopping } from "./lib/cleanup.js";
import { createBenchDatabase, foreignActivity } from "./lib/database.js";
import { coresUsed, cpuSnapshot } from "./lib/processes.js";
import { banner, machineInfo, writeResult } from "./lib/report.js";
import { median, round, summarize } from "./lib/stats.js";
import { CHANNELS, KINDS, PRIORITIES, weighted } from "./lib/ticket-mix.js";

const TICKETS = Number(process.env.BENCH_SLA_TICKETS ?? 1_000_000);
const RECOMPUTE_TICKETS = Number(process.env.BENCH_SLA_RECOMPUTE_TICKETS ?? 100_000);
const RECOMPUTE_UNIT = process.env.BENCH_SLA_RECOMPUTE_UNIT ?? "KANWIL-JI";
const REPS_SMALL = Number(process.env.BENCH_SLA_DETECT_REPS ?? 50);
const REPS_LARGE = Number(process.env.BENCH_SLA_DETECT_REPS_LARGE ?? 20);
const WARMUP_PASSES = 5;
const PROBE_INTERVAL_MS = 50;
const IDLE_PROBE_MS = 5_000;
/** The detector's default; the batch statement below is explained with it. */
const DETECT_BATCH = 200;
/** recompute.ts's default batch: one transaction, and that many ticket locks, per batch. */
const RECOMPUTE_BATCH = 500;
/** Tickets whose two clocks fall due at one instant, to see how far one pass gets. */
const BOTH_CLOCKS_DUE = 300;

const DAY_MS = 86_400_000;

// --- Shapes of the generated tickets: the shared mix; the statuses only have to exercise every policy.

// Waiting on the citizen is the pause status of every default policy: those tickets get PAUSED clocks.
const STATUSES = weighted([
  ["NEW", 15],
  ["TRIAGED", 10],
  ["ASSIGNED", 25],
  ["IN_PROGRESS", 35],
  ["WAITING_ON_CITIZEN", 15],
] as const);
const ALL_KINDS = [...new Set(KINDS)];
const ALL_CHANNELS = [...new Set(CHANNELS)];
const ALL_PRIORITIES = [...new Set(PRIORITIES)];

// --- Statement counting. The server's pool and this file share one `pg`, so wrapping its Client shows
// how many statements a pass sends, without touching the server code. Installed only while this measure
// runs, so that the other measures of run-all see the plain client.

const ownClients = new WeakSet<object>();
let serverStatements = 0;
/** When set, the text of every statement the server modules send, to list what one re-evaluation costs. */
let captured: string[] | null = null;

function countStatements(): () => void {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: object, ...args: unknown[]) {
    if (!ownClients.has(this)) {
      serverStatements += 1;
      const first = args[0];
      const text = typeof first === "string" ? first : (first as { text?: string } | undefined)?.text;
      captured?.push((text ?? "?").replace(/\s+/g, " ").trim().slice(0, 160));
    }
    return original.apply(this, args);
  };
  return () => {
    proto.query = original;
  };
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  ownClients.add(client);
  await client.connect();
  return client;
}

/** Kernel clock ticks per second, the unit of the PostgreSQL CPU times read from /proc. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- The due-row statements. DETECT_SQL is the detector's batch select as written in detector.ts.

const DETECT_SQL = `
  SELECT t.id FROM ticket t
  WHERE t.id IN (SELECT c.ticket_id FROM ticket_clock c WHERE c.next_check_at <= $1::timestamptz
                 ORDER BY c.next_check_at LIMIT $2::int)
  FOR UPDATE OF t SKIP LOCKED`;
/** The floor: every due clock read from the index, no ticket lock, no re-evaluation. */
const DUE_ROWS_SQL = `
  SELECT c.ticket_id FROM ticket_clock c WHERE c.next_check_at <= $1::timestamptz ORDER BY c.next_check_at`;
/** recompute.ts's batch select, for its plan with a unit filter. */
const RECOMPUTE_BATCH_SQL = `
  SELECT t.id FROM ticket t
  WHERE t.id > $1::uuid
    AND ($2::int[] IS NULL OR t.unit_id = ANY($2::int[]))
    AND EXISTS (SELECT 1 FROM ticket_clock c WHERE c.ticket_id = t.id AND c.state IN ('RUNNING', 'PAUSED', 'AT_RISK'))
  ORDER BY t.id LIMIT ${RECOMPUTE_BATCH}
  FOR UPDATE OF t SKIP LOCKED`;

/** EXPLAIN ANALYZE runs the statement, and these take row locks: rolled back so nothing stays locked. */
async function explain(client: pg.Client, sql: string, params: unknown[]): Promise<string[]> {
  await client.query("BEGIN");
  try {
    const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    return rows.map((row) => row["QUERY PLAN"]);
  } finally {
    await client.query("ROLLBACK");
  }
}

async function one<T>(client: pg.Client, sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await client.query(sql, params);
  return rows[0] as T;
}

/** SELECT 1 on a connection of its own at a fixed cadence; missed slots are skipped, not bunched up. */
function startProbe(client: pg.Client) {
  const roundTripMs: number[] = [];
  const fromScheduleMs: number[] = [];
  const startedAt = performance.now();
  let slot = 0;
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      slot = Math.max(slot + 1, Math.floor((performance.now() - startedAt) / PROBE_INTERVAL_MS));
      const scheduled = startedAt + slot * PROBE_INTERVAL_MS;
      const wait = scheduled - performance.now();
      if (wait > 0) await sleep(wait);
      if (stop) break;
      const sent = performance.now();
      await client.query("SELECT 1");
      const answered = performance.now();
      roundTripMs.push(answered - sent);
      // What a request arriving at that instant would wait, the lateness of this process's timers included.
      fromScheduleMs.push(answered - Math.min(scheduled, sent));
    }
  })();
  return async () => {
    stop = true;
    await loop;
    return { roundTrip: summarize(roundTripMs), fromSchedule: summarize(fromScheduleMs) };
  };
}

export async function benchSlaDetection() {
  banner(`SLA detection and recompute: ${TICKETS.toLocaleString("en")} open tickets`);
  const startedAt = performance.now();
  const uncount = deferCleanup(countStatements());
  const db = await createBenchDatabase("sla");
  const logger = createLogger("warn");
  const database = await openDatabase({ databaseUrl: db.url });
  const closeDatabase = deferCleanup(async () => {
    // An interrupted pass may still hold a client; the database is dropped WITH (FORCE) right after.
    await Promise.race([database.close(), sleep(5_000)]);
  });
  const sql = await connect(db.url);
  const endSql = deferCleanup(() => sql.end());
  const probeClient = await connect(db.url);
  const endProbe = deferCleanup(() => probeClient.end());

  // 1. Schema and reference data, as the server prepares them on start.
  const t0 = performance.now();
  await migrate(database);
  const reference = await seedReferenceData(database);
  const slaReference = await seedSlaReferenceData(database);
  const tree = await loadUnitTree(database);
  let calendars: CalendarDirectory = await loadCalendarDirectory(database, tree);
  const engine = new ClockEngine({ db: database, units: () => tree, calendars: () => calendars });
  const prepareMs = performance.now() - t0;
  console.log(
    `migrated and seeded in ${Math.round(prepareMs)} ms: ${reference.unitsInserted} units, ${reference.categoriesInserted} categories, ${slaReference.policies} policies, ${slaReference.holidays} holidays`,
  );

  // 2. Generated data.
  const recomputeRoot = tree.byCode(RECOMPUTE_UNIT);
  if (!recomputeRoot) throw new Error(`unit ${RECOMPUTE_UNIT} is missing`);
  const subset = [...tree.subtree(recomputeRoot.id)].sort((a, b) => a - b);
  const units = await database.prisma.unit.findMany({ select: { id: true, parentId: true } });
  const others = units
    .filter((unit) => unit.parentId !== null && !subset.includes(unit.id))
    .map((unit) => unit.id)
    .sort((a, b) => a - b);
  // Every stride-th ticket belongs to the subtree, so exactly TICKETS / stride are recomputed below.
  const stride = Math.max(1, Math.floor(TICKETS / RECOMPUTE_TICKETS));
  const generation = await generate(sql, database, { subset, others, stride });
  const recomputeSet = Math.floor(TICKETS / stride);

  // 3. Detection passes.
  const detection = await measureDetection(sql, database, engine, logger, subset);

  // 4. Recompute after a holiday change.
  const recompute = await measureRecompute(sql, probeClient, database, tree, engine, logger, subset, recomputeSet, {
    setCalendars: (directory) => {
      calendars = directory;
    },
  });

  const otherActiveSessions = await foreignActivity(db.name);
  await endProbe();
  await endSql();
  await closeDatabase();
  await db.drop();
  await uncount();

  const summary = {
    measure: "SLA detection pass and holiday recompute",
    machine: machineInfo(),
    tickets: TICKETS,
    prepareMs: Math.round(prepareMs),
    generation,
    detection,
    recompute,
    otherActiveSessionsAtEnd: otherActiveSessions,
    elapsedS: Math.round((performance.now() - startedAt) / 1000),
  };
  console.log(`\nfinished in ${summary.elapsedS} s; written ${writeResult("sla-detection", summary)}`);
  return summary;
}

/**
 * One million tickets, their CREATED events and their two clocks, each as one INSERT … SELECT. The
 * policy of each combination of ticket facts is chosen by the server's own matcher, so a recompute keeps
 * the policy the clocks were generated with.
 */
async function generate(
  sql: pg.Client,
  database: Awaited<ReturnType<typeof openDatabase>>,
  options: { subset: number[]; others: number[]; stride: number },
) {
  banner(`generating ${TICKETS.toLocaleString("en")} tickets`);
  const generatedAt = new Date();
  const policies = await database.prisma.slaPolicy.findMany({ where: { current: true } });
  const categories = await database.prisma.category.findMany({ select: { id: true, code: true, parentId: true } });
  const byId = new Map(categories.map((c) => [c.id, c]));
  const pathOf = (id: number) => {
    const codes: string[] = [];
    for (let c = byId.get(id); c; c = c.parentId === null ? undefined : byId.get(c.parentId)) codes.push(c.code);
    return codes;
  };
  const policyRows: { kind: string; channel: string; priority: string; categoryId: number; policyId: number }[] = [];
  for (const kind of ALL_KINDS)
    for (const channel of ALL_CHANNELS)
      for (const priority of ALL_PRIORITIES)
        for (const categoryId of [0, ...categories.map((c) => c.id)]) {
          const policy = matchPolicy(policies, {
            kind,
            channel,
            priority,
            categoryCodes: categoryId ? pathOf(categoryId) : [],
          });
          if (policy) policyRows.push({ kind, channel, priority, categoryId, policyId: policy.id });
        }
  await sql.query(
    `CREATE TEMP TABLE bench_policy AS
     SELECT kind::"TicketKind", channel::"Channel", priority::"Priority", "categoryId" AS category_id, "policyId" AS policy_id
     FROM json_to_recordset($1::json) AS r(kind text, channel text, priority text, "categoryId" int, "policyId" int)`,
    [JSON.stringify(policyRows)],
  );
  await sql.query("ANALYZE bench_policy");
  // A fixed seed gives every run the same mix of ticket facts; ids are random UUIDs, and the due instants
  // hashed from them differ slightly from run to run.
  await sql.query("SELECT setseed(0.4242)");

  const steps: Record<string, number> = {};
  const timed = async (name: string, text: string, params: unknown[] = []) => {
    const start = performance.now();
    const result = await sql.query(text, params);
    steps[name] = Math.round(performance.now() - start);
    console.log(`${name}: ${steps[name]} ms (${result.rowCount ?? 0} rows)`);
  };

  // Ticket g is created at generatedAt − 30 days + g/N of 30 days, so event order follows creation.
  await timed(
    "tickets",
    `INSERT INTO ticket (number, subject, description, kind, channel, category_id, priority, status, unit_id,
       created_at, updated_at)
     SELECT 'BENCH-' || lpad(g::text, 7, '0'),
       'Pertanyaan layanan keimigrasian ' || g,
       'Tiket yang dibuat untuk pengukuran deteksi SLA, dengan panjang isi yang wajar untuk sebuah laporan warga.',
       ($1::text[])[1 + floor(random() * cardinality($1::text[]))::int]::"TicketKind",
       ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int]::"Channel",
       CASE WHEN random() < 0.05 THEN NULL ELSE ($3::int[])[1 + floor(random() * cardinality($3::int[]))::int] END,
       ($4::text[])[1 + floor(random() * cardinality($4::text[]))::int]::"Priority",
       ($5::text[])[1 + floor(random() * cardinality($5::text[]))::int]::"TicketStatus",
       CASE WHEN g % $7 = 0 THEN ($8::int[])[1 + (g / $7) % cardinality($8::int[])]
            ELSE ($9::int[])[1 + floor(random() * cardinality($9::int[]))::int] END,
       $10::timestamptz - interval '30 days' + (g::float8 / $6) * interval '30 days',
       $10::timestamptz - interval '30 days' + (g::float8 / $6) * interval '30 days'
     FROM generate_series(1, $6::int) AS g`,
    [
      KINDS,
      CHANNELS,
      categories.map((c) => c.id),
      PRIORITIES,
      STATUSES,
      TICKETS,
      options.stride,
      options.subset,
      options.others,
      generatedAt,
    ],
  );
  await timed(
    "events",
    `INSERT INTO ticket_event (ticket_id, unit_id, type, actor_label, at, data)
     SELECT id, unit_id, 'CREATED', 'warga', created_at, jsonb_build_object('status', 'NEW', 'channel', channel)
     FROM ticket ORDER BY created_at, id`,
  );
  // Due instants from 1 hour to 3 days (first response) or 4 weeks (resolution) ahead, pseudo-random per
  // clock (a hash, so that every use of it in the row agrees); at risk at 75 % of the span since creation.
  // Nothing falls due by itself while the bench runs: every next_check_at is at least an hour away.
  await timed(
    "clocks",
    `INSERT INTO ticket_clock (ticket_id, kind, policy_id, started_at, due_at, at_risk_at, state, elapsed_minutes,
       budget_minutes, paused_minutes, next_check_at, updated_at)
     SELECT t.id, k.kind, p.policy_id, t.created_at, d.due, d.risk, s.state,
       extract(epoch FROM $1::timestamptz - t.created_at) / 60,
       extract(epoch FROM d.due - t.created_at) / 60,
       0,
       CASE s.state WHEN 'RUNNING' THEN d.risk WHEN 'AT_RISK' THEN d.due END,
       $1::timestamptz
     FROM ticket t
     JOIN bench_policy p ON p.kind = t.kind AND p.channel = t.channel AND p.priority = t.priority
       AND p.category_id = coalesce(t.category_id, 0)
     CROSS JOIN (VALUES ('FIRST_RESPONSE'::"ClockKind", interval '3 days'), ('RESOLUTION', interval '28 days'))
       AS k(kind, horizon)
     CROSS JOIN LATERAL (
       SELECT $1::timestamptz + interval '1 hour'
         + (abs(hashtext(t.id::text || k.kind::text))::float8 / 2147483647) * k.horizon AS due) AS d0
     CROSS JOIN LATERAL (SELECT d0.due, t.created_at + (d0.due - t.created_at) * 0.75 AS risk) AS d
     CROSS JOIN LATERAL (
       SELECT CASE WHEN t.status = 'WAITING_ON_CITIZEN' THEN 'PAUSED'
                   WHEN d.risk <= $1::timestamptz + interval '1 hour' THEN 'AT_RISK'
                   ELSE 'RUNNING' END::"ClockState" AS state) AS s`,
    [generatedAt],
  );
  await sql.query("DROP TABLE bench_policy");
  // A production table has been vacuumed and analysed; a freshly bulk-loaded one has neither hint bits
  // nor statistics, which would make the first passes pay for work that is not theirs.
  await timed("vacuumAnalyze", "VACUUM (ANALYZE) ticket, ticket_event, ticket_clock");

  const counts = await one<{ tickets: number; events: number; clocks: number }>(
    sql,
    `SELECT (SELECT count(*) FROM ticket)::int AS tickets, (SELECT count(*) FROM ticket_event)::int AS events,
       (SELECT count(*) FROM ticket_clock)::int AS clocks`,
  );
  if (counts.tickets !== TICKETS || counts.clocks !== 2 * TICKETS) {
    throw new Error(`generated ${JSON.stringify(counts)}; a ticket fact combination has no policy?`);
  }
  const states = (
    await sql.query<{ kind: string; state: string; n: number }>(
      "SELECT kind, state, count(*)::int AS n FROM ticket_clock GROUP BY 1, 2 ORDER BY 1, 2",
    )
  ).rows;
  const nextCheck = await one<{ first: Date; last: Date; nulls: number }>(
    sql,
    `SELECT min(next_check_at) AS first, max(next_check_at) AS last, count(*) FILTER (WHERE next_check_at IS NULL)::int AS nulls
     FROM ticket_clock`,
  );
  const size = await one<{ database: string; bytes: string }>(
    sql,
    "SELECT pg_size_pretty(pg_database_size(current_database())) AS database, pg_database_size(current_database())::text AS bytes",
  );
  const tables = (
    await sql.query<{ table: string; total: string; heap: string; indexes: string }>(
      `SELECT c.relname AS table, pg_size_pretty(pg_total_relation_size(c.oid)) AS total,
         pg_size_pretty(pg_relation_size(c.oid)) AS heap, pg_size_pretty(pg_indexes_size(c.oid)) AS indexes
       FROM pg_class c WHERE c.relname IN ('ticket', 'ticket_event', 'ticket_clock') ORDER BY c.relname`,
    )
  ).rows;
  const indexSize = await one<{ size: string }>(
    sql,
    "SELECT pg_size_pretty(pg_relation_size('ticket_clock_next_check_at_idx')) AS size",
  );
  const insertMs = (steps.tickets ?? 0) + (steps.events ?? 0) + (steps.clocks ?? 0);
  console.log(`generated in ${insertMs} ms + ${steps.vacuumAnalyze} ms VACUUM ANALYZE; database ${size.database}`);
  console.table(tables);
  console.table(states);
  return {
    generatedAt: generatedAt.toISOString(),
    stepsMs: steps,
    insertMs,
    ...counts,
    recomputeSubsetUnits: options.subset.length,
    otherUnits: options.others.length,
    clockStates: states,
    nextCheckAt: {
      first: nextCheck.first.toISOString(),
      last: nextCheck.last.toISOString(),
      nulls: nextCheck.nulls,
    },
    databaseSize: size.database,
    databaseBytes: Number(size.bytes),
    tables,
    nextCheckIndexSize: indexSize.size,
  };
}

async function measureDetection(
  sql: pg.Client,
  database: Awaited<ReturnType<typeof openDatabase>>,
  engine: ClockEngine,
  logger: ReturnType<typeof createLogger>,
  subset: number[],
) {
  const cases = [
    { due: 0, reps: REPS_SMALL },
    { due: 100, reps: REPS_SMALL },
    { due: 1_000, reps: REPS_LARGE },
  ];
  banner(`detection passes: ${cases.map((c) => `${c.due} due × ${c.reps}`).join(", ")}`);
  // Old tickets outside the recompute subtree: their re-evaluated clocks are breached or due days away,
  // so a pass leaves nothing due behind it, and the recompute below starts from untouched tickets.
  const needed =
    WARMUP_PASSES * 100 + cases.reduce((sum, c) => sum + c.due * c.reps, 0) + BOTH_CLOCKS_DUE + cases.length * 1_000;
  const pool = (
    await sql.query<{ id: string }>(
      `SELECT id FROM ticket WHERE unit_id <> ALL($1::int[]) AND created_at < now() - interval '3 days'
       ORDER BY random() LIMIT $2`,
      [subset, needed],
    )
  ).rows.map((row) => row.id);
  let taken = 0;
  const take = (n: number) => {
    if (taken + n > pool.length) throw new Error("ran out of candidate tickets");
    const ids = pool.slice(taken, taken + n);
    taken += n;
    return ids;
  };
  /**
   * One clock of each ticket (the kind picked by a hash of its id) falls due between 1 s and 10 min ago;
   * with `bothClocks`, both clocks of each ticket fall due at the same instant.
   */
  const makeDue = async (ids: string[], bothClocks = false) => {
    await sql.query(
      `UPDATE ticket_clock SET next_check_at = ${
        bothClocks
          ? "$2::timestamptz - interval '1 minute'"
          : "$2::timestamptz - interval '1 second' - random() * interval '10 minutes'"
      }
       WHERE ticket_id = ANY($1::uuid[])
         AND ($3 OR kind = CASE WHEN hashtext(ticket_id::text) % 2 = 0 THEN 'FIRST_RESPONSE' ELSE 'RESOLUTION' END::"ClockKind")`,
      [ids, new Date(), bothClocks],
    );
  };
  const dueNow = async () =>
    (await one<{ n: number }>(sql, "SELECT count(*)::int AS n FROM ticket_clock WHERE next_check_at <= now()")).n;

  // The first passes pay for loading policies, categories and calendars into the engine, and Prisma's
  // first queries; not measured.
  for (let i = 0; i < WARMUP_PASSES; i++) {
    await makeDue(take(100));
    await detectDueClocks({ db: database, engine, logger });
  }

  // What one re-evaluation sends: one ticket due, every statement of the pass listed.
  await makeDue(take(1));
  captured = [];
  await detectDueClocks({ db: database, engine, logger });
  const oneTicketStatements = captured;
  captured = null;
  console.log(`statements of a pass over 1 due ticket (${oneTicketStatements.length}):`);
  for (const text of oneTicketStatements) console.log(`  ${text}`);

  const results = [];
  const plans: Record<string, { detectorBatch: string[]; dueRows: string[] }> = {};
  for (const { due, reps } of cases) {
    // Plans first, on their own set of due rows, so that no timed pass runs right after a cold EXPLAIN.
    {
      const ids = take(due === 0 ? 0 : Math.min(due, 1_000));
      await makeDue(ids);
      const now = new Date();
      plans[`${due}`] = {
        detectorBatch: await explain(sql, DETECT_SQL, [now, DETECT_BATCH]),
        dueRows: await explain(sql, DUE_ROWS_SQL, [now]),
      };
      await detectDueClocks({ db: database, engine, logger });
    }
    const passMs: number[] = [];
    const baselineMs: number[] = [];
    const handled: number[] = [];
    const statements: number[] = [];
    const dueBefore: number[] = [];
    let leftAfter = 0;
    let passCpu = { bench: 0, postgres: 0 };
    for (let rep = 0; rep < reps && !stopping(); rep++) {
      await makeDue(take(due));
      dueBefore.push(await dueNow());
      let start = performance.now();
      await sql.query(DUE_ROWS_SQL, [new Date()]);
      baselineMs.push(performance.now() - start);
      const statementsBefore = serverStatements;
      const cpuBefore = cpuSnapshot(null);
      start = performance.now();
      handled.push(await detectDueClocks({ db: database, engine, logger }));
      passMs.push(performance.now() - start);
      const cpuAfter = cpuSnapshot(null);
      passCpu = {
        bench: passCpu.bench + (cpuAfter.bench - cpuBefore.bench),
        postgres: passCpu.postgres + (cpuAfter.postgres - cpuBefore.postgres) / CLOCK_TICKS,
      };
      statements.push(serverStatements - statementsBefore);
      leftAfter += await dueNow();
    }
    const pass = summarize(passMs);
    const baseline = summarize(baselineMs);
    const row = {
      due,
      reps: passMs.length,
      dueBeforeEachPass: [Math.min(...dueBefore), Math.max(...dueBefore)],
      ticketsHandledPerPass: [Math.min(...handled), Math.max(...handled)],
      dueLeftAfterPasses: leftAfter,
      statementsPerPass: median(statements),
      // CPU of this process (Prisma, the engine) and of all PostgreSQL processes, per pass.
      cpuMsPerPass: {
        bench: round((passCpu.bench * 1000) / passMs.length, 1),
        postgres: round((passCpu.postgres * 1000) / passMs.length, 1),
      },
      pass,
      baseline,
      perTicketMs: due ? round(pass.medianMs / due, 3) : null,
    };
    results.push(row);
    console.log(
      `${due} due: pass median ${pass.medianMs} ms, p99 ${pass.p99Ms} ms; bare select median ${baseline.medianMs} ms, p99 ${baseline.p99Ms} ms; handled ${row.ticketsHandledPerPass.join("–")}, ${row.statementsPerPass} statements/pass; CPU per pass ${row.cpuMsPerPass.bench} ms here, ${row.cpuMsPerPass.postgres} ms PostgreSQL`,
    );
  }

  // Both clocks of each ticket due at the same instant: the batch's LIMIT counts clock rows, the pass
  // counts tickets, and stops when it got fewer tickets than the LIMIT.
  await makeDue(take(BOTH_CLOCKS_DUE), true);
  const bothDue = await dueNow();
  const firstPass = await detectDueClocks({ db: database, engine, logger });
  const leftAfterFirst = await dueNow();
  let extraPasses = 0;
  while ((await dueNow()) > 0 && extraPasses < 20) {
    await detectDueClocks({ db: database, engine, logger });
    extraPasses += 1;
  }
  const bothClocks = {
    tickets: BOTH_CLOCKS_DUE,
    dueClockRows: bothDue,
    ticketsHandledByFirstPass: firstPass,
    dueClockRowsLeftAfterFirstPass: leftAfterFirst,
    furtherPassesToClear: extraPasses,
  };
  console.log(
    `both clocks due on ${BOTH_CLOCKS_DUE} tickets: first pass handled ${firstPass}, left ${leftAfterFirst} due rows`,
  );

  for (const [due, plan] of Object.entries(plans)) {
    console.log(`\nplan, ${due} due — detector batch select:\n${plan.detectorBatch.join("\n")}`);
    console.log(`plan, ${due} due — bare select of due rows:\n${plan.dueRows.join("\n")}`);
  }
  console.log(
    "\n| due clocks | passes | pass median | pass p99 | bare select median | bare select p99 | statements/pass |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of results) {
    console.log(
      `| ${r.due} | ${r.reps} | ${r.pass.medianMs} ms | ${r.pass.p99Ms} ms | ${r.baseline.medianMs} ms | ${r.baseline.p99Ms} ms | ${r.statementsPerPass} |`,
    );
  }
  return {
    batchSize: DETECT_BATCH,
    warmupPasses: WARMUP_PASSES,
    oneTicketStatements,
    cases: results,
    plans,
    bothClocks,
  };
}

async function measureRecompute(
  sql: pg.Client,
  probeClient: pg.Client,
  database: Awaited<ReturnType<typeof openDatabase>>,
  tree: Awaited<ReturnType<typeof loadUnitTree>>,
  engine: ClockEngine,
  logger: ReturnType<typeof createLogger>,
  subset: number[],
  expected: number,
  hooks: { setCalendars: (directory: CalendarDirectory) => void },
) {
  banner(`recompute after a national holiday: ${RECOMPUTE_UNIT} subtree, ${subset.length} units`);
  const open = await one<{ n: number }>(
    sql,
    `SELECT count(*)::int AS n FROM ticket t WHERE t.unit_id = ANY($1::int[])
       AND EXISTS (SELECT 1 FROM ticket_clock c WHERE c.ticket_id = t.id AND c.state IN ('RUNNING', 'PAUSED', 'AT_RISK'))`,
    [subset],
  );
  if (open.n !== expected) console.warn(`expected ${expected} open tickets in the subtree, found ${open.n}`);

  // A weekday at least a week ahead that is not yet a day off: inside most open clocks' remaining span.
  const listed = new Set(
    (
      await sql.query<{ d: string }>("SELECT to_char(date, 'YYYY-MM-DD') AS d FROM holiday WHERE unit_id IS NULL")
    ).rows.map((r) => r.d),
  );
  let day = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + 7 * DAY_MS);
  while ([0, 6].includes(day.getUTCDay()) || listed.has(day.toISOString().slice(0, 10))) {
    day = new Date(day.getTime() + DAY_MS);
  }
  const holidayDate = day.toISOString().slice(0, 10);
  // The same insert addHoliday makes; the directory is then rebuilt as calendarsChanged does.
  await database.prisma.holiday.create({
    data: { date: day, name: "Hari libur nasional (pengukuran)", kind: "NATIONAL", unitId: null, source: null },
  });
  let start = performance.now();
  const directory = await loadCalendarDirectory(database, tree);
  const calendarReloadMs = round(performance.now() - start, 1);
  hooks.setCalendars(directory);

  const firstBatchPlan = await explain(sql, RECOMPUTE_BATCH_SQL, ["00000000-0000-0000-0000-000000000000", subset]);
  const slaEventsSql = "SELECT count(*)::int AS n FROM ticket_event WHERE type::text LIKE 'SLA_%'";
  const eventsBefore = (await one<{ n: number }>(sql, slaEventsSql)).n;

  // The probe alone first: what "not blocked" looks like on this machine.
  let stopProbe = startProbe(probeClient);
  await sleep(IDLE_PROBE_MS);
  const idle = await stopProbe();

  stopProbe = startProbe(probeClient);
  const statementsBefore = serverStatements;
  const cpuBefore = cpuSnapshot(null);
  start = performance.now();
  const total = await recomputeOpenClocks({ db: database, engine, logger, unitIds: subset });
  const totalMs = performance.now() - start;
  const cores = coresUsed(cpuBefore, cpuSnapshot(null));
  const statements = serverStatements - statementsBefore;
  const during = await stopProbe();

  const eventsAfter = (await one<{ n: number }>(sql, slaEventsSql)).n;
  const states = (
    await sql.query<{ kind: string; state: string; n: number }>(
      `SELECT c.kind, c.state, count(*)::int AS n FROM ticket_clock c JOIN ticket t ON t.id = c.ticket_id
       WHERE t.unit_id = ANY($1::int[]) GROUP BY 1, 2 ORDER BY 1, 2`,
      [subset],
    )
  ).rows;
  const batches = Math.ceil(total / RECOMPUTE_BATCH);
  const result = {
    unit: RECOMPUTE_UNIT,
    subsetUnits: subset.length,
    openTicketsInSubset: open.n,
    holidayDate,
    calendarReloadMs,
    ticketsRecomputed: total,
    totalMs: Math.round(totalMs),
    ticketsPerSecond: round(total / (totalMs / 1000), 1),
    perTicketMs: round(totalMs / total, 3),
    batches,
    meanBatchTransactionMs: round(totalMs / batches, 1),
    statementsPerTicket: round(statements / total, 2),
    slaEventsWritten: eventsAfter - eventsBefore,
    clockStatesAfter: states,
    probeIdle: idle,
    probeDuringRecompute: during,
    // The probe runs in this process too, so its own CPU share is in "bench".
    cores: { bench: cores.loadGenerator, postgres: cores.postgres, others: cores.others },
    cpuMsPerTicket: {
      bench: round((cores.loadGenerator * totalMs) / total, 3),
      postgres: round((cores.postgres * totalMs) / total, 3),
    },
    firstBatchPlan,
    extrapolatedAllTicketsS: round(((totalMs / total) * TICKETS) / 1000, 0),
  };
  console.log(`\nplan of the first recompute batch:\n${firstBatchPlan.join("\n")}`);
  console.log(
    `\nrecomputed ${total} tickets in ${result.totalMs} ms (${result.ticketsPerSecond}/s, ${result.statementsPerTicket} statements/ticket, ${batches} batches of ~${result.meanBatchTransactionMs} ms); ${result.slaEventsWritten} SLA events written`,
  );
  console.log("\n| SELECT 1 every 50 ms | samples | median | p99 | max |\n| --- | ---: | ---: | ---: | ---: |");
  for (const [name, probe] of [
    ["idle, round trip", idle.roundTrip],
    ["idle, from scheduled instant", idle.fromSchedule],
    ["during recompute, round trip", during.roundTrip],
    ["during recompute, from scheduled instant", during.fromSchedule],
  ] as const) {
    console.log(`| ${name} | ${probe.samples} | ${probe.medianMs} ms | ${probe.p99Ms} ms | ${probe.maxMs} ms |`);
  }
  console.log(
    `cores during recompute: ${cores.loadGenerator} this process, ${cores.postgres} PostgreSQL, ${cores.others} other work`,
  );
  console.table(states);
  return result;
}

if (isEntryPoint(import.meta.url)) runAsScript(benchSlaDetection);
