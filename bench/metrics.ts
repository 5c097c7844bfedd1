/**
 * National metrics at scale. A dataset of BENCH_METRICS_TICKETS tickets (10 million by default) over three
 * years across every office, with their events, clocks, stream positions and rollups, is generated in
 * PostgreSQL (bench/lib/metrics-dataset.ts). Then, against the real server in a child process
 * (NODE_ENV=production), one request at a time:
 * - nationalOverview over the last 30 days (target p99 ≤ 100 ms);
 * - unitMetrics of the largest regional office with its UPTs, daily buckets over 90 days (p99 ≤ 100 ms);
 * - a page of 50 open tickets of that office's subtree with a clock at risk or breached, newest first,
 *   through GraphQL and as the equivalent SQL from `pg`, interleaved (p99 ≤ 50 ms; GraphQL within 1.5× of
 *   the SQL);
 * - where the time of the two metrics queries goes: the server's statements timed one by one in this
 *   process, and their plans;
 * - rollup upkeep under a steady createTicket load: events and tickets the relay rolls up per second, the
 *   lag from an event's instant to its rollup, and the cost of `metric_roll_up` per call.
 * BENCH_KEEP_DB=1 keeps the database; BENCH_METRICS_REUSE=<database> measures a kept one again without
 * generating anything.
 */
import pg from "pg";
import { type Database, openDatabase } from "../server/src/db/database.js";
import { newSessionToken, sha256Hex } from "../server/src/modules/auth/tokens.js";
import { bucketsFor } from "../server/src/modules/metrics/buckets.js";
import { computeFigures, subtreeGroup } from "../server/src/modules/metrics/metrics-service.js";
import { loadUnitTree } from "../server/src/modules/units/unit-repository.js";
import type { UnitNode, UnitTree } from "../server/src/modules/units/unit-tree.js";
import { startChangeGenerator } from "./lib/change-generator.js";
import { deferCleanup, isEntryPoint, runAsScript, stopping } from "./lib/cleanup.js";
import { createBenchDatabase, existingBenchDatabase, foreignActivity, postgresSettings } from "./lib/database.js";
import type { GraphQLResponse } from "./lib/graphql.js";
import {
  type GenerationResult,
  generateDataset,
  loadUnitRows,
  officeWeights,
  type UnitRow,
} from "./lib/metrics-dataset.js";
import { type ChildServer, coresUsed, cpuSnapshot, freePort, startPantau } from "./lib/processes.js";
import { banner, machineInfo, printTable, writeResult } from "./lib/report.js";
import { round, summarize } from "./lib/stats.js";

const TICKETS = Number(process.env.BENCH_METRICS_TICKETS ?? 10_000_000);
const REUSE = process.env.BENCH_METRICS_REUSE || null;
const KEEP = process.env.BENCH_KEEP_DB === "1";
const UNIT = process.env.BENCH_METRICS_UNIT || null;
const SAMPLES = Number(process.env.BENCH_METRICS_SAMPLES ?? 100);
const WARMUP = Number(process.env.BENCH_METRICS_WARMUP ?? 10);
/** Per query: sampling stops at this wall time even with fewer than SAMPLES samples. */
const QUERY_BUDGET_S = Number(process.env.BENCH_METRICS_QUERY_BUDGET_S ?? 180);
const DIAGNOSTIC_REPS = Number(process.env.BENCH_METRICS_DIAGNOSTIC_REPS ?? 3);
/** Offered createTicket rates, one round each: one the server sustains, then the write target of 500/s. */
const WRITE_RATES = (process.env.BENCH_METRICS_WRITE_RATES ?? "100,500").split(",").map(Number);
const WRITE_S = Number(process.env.BENCH_METRICS_WRITE_S ?? 30);
const WRITE_WARMUP_S = Number(process.env.BENCH_METRICS_WRITE_WARMUP_S ?? 5);
const MAX_IN_FLIGHT = 64;
/** Bounds any one statement of the generation (the largest are a batch's inserts and the final VACUUM). */
const STATEMENT_TIMEOUT_S = Number(process.env.BENCH_METRICS_STATEMENT_TIMEOUT_S ?? 3_600);

const TARGETS = { nationalP99Ms: 100, unitP99Ms: 100, pageP99Ms: 50, pageGraphqlOverSql: 1.5 };
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** One slow request must not hang the measure; a p99 of this order would be a finding in itself. */
const REQUEST_TIMEOUT_MS = 120_000;
const QUIESCE_TIMEOUT_MS = 300_000;
const DRAIN_TIMEOUT_MS = 60_000;
const OPEN = ["NEW", "TRIAGED", "ASSIGNED", "IN_PROGRESS", "WAITING_ON_CITIZEN"];
const ALERTED = ["AT_RISK", "BREACHED"];
const BENCH_USER = "bench.metrics@bench.pantau.invalid";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- The three reads, as a dashboard sends them.

const NATIONAL_QUERY = `query($from: DateTime!, $to: DateTime!) {
  nationalOverview(from: $from, to: $to) {
    unit { code provinceCode } status rank
    figures { created resolved slaCompliancePercent breaches backlog { open } }
    careIndex { score }
  }
}`;

const FIGURES = "created resolved backlog { open } slaCompliancePercent firstResponse { wall { median } }";
const UNIT_QUERY = `query($code: String!, $from: DateTime!, $to: DateTime!) {
  unitMetrics(code: $code, from: $from, to: $to, granularity: DAY) {
    totals { ${FIGURES} }
    buckets { start figures { ${FIGURES} } }
  }
}`;

/** What the two metrics queries above select, as the resolvers read it from the selection. */
const NATIONAL_WANTS = { ageBands: false, durations: false };
const UNIT_WANTS = { ageBands: false, durations: true };

const PAGE_QUERY = `query($unit: String!) {
  tickets(first: 50, filter: { unitCode: $unit, status: [${OPEN.join(", ")}], slaState: [${ALERTED.join(", ")}] },
          orderBy: { field: CREATED_AT, direction: DESC }) {
    edges { node { id number status createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

// What the tickets resolver asks of the database (ticket-filter.ts: the subtree, the statuses, a clock in
// one of the states; newest first with id as tie-breaker), written by hand: the page plus one row.
const PAGE_SQL = `
  SELECT t.id, t.number, t.status, t.created_at
  FROM ticket t
  WHERE t.unit_id = ANY($1::int[]) AND t.status = ANY($2::"TicketStatus"[])
    AND EXISTS (SELECT 1 FROM ticket_clock c WHERE c.ticket_id = t.id AND c.state = ANY($3::"ClockState"[]))
  ORDER BY t.created_at DESC, t.id DESC
  LIMIT 51`;

interface NationalData {
  nationalOverview: {
    unit: { code: string };
    status: string;
    rank: number | null;
    figures: { created: number; resolved: number; slaCompliancePercent: number | null; backlog: { open: number } };
    careIndex: { score: number | null };
  }[];
}
interface UnitData {
  unitMetrics: {
    totals: { created: number; resolved: number; slaCompliancePercent: number | null; backlog: { open: number } };
    buckets: unknown[];
  };
}
interface PageData {
  tickets: { edges: { node: { id: string; number: string; status: string } }[]; pageInfo: { hasNextPage: boolean } };
}

export async function benchMetrics() {
  const startedAt = performance.now();
  banner(
    REUSE
      ? `national metrics on the kept database ${REUSE}`
      : `national metrics: ${TICKETS.toLocaleString("en")} tickets over three years`,
  );
  const db = REUSE ? await existingBenchDatabase(REUSE) : await createBenchDatabase("metrics", { keep: KEEP });
  console.log(`database ${db.name}${REUSE || KEEP ? " (kept at the end)" : ""}`);

  // 1. Schema and reference data, by the real server on its first start in production mode.
  let prepareMs: number | null = null;
  if (!REUSE) {
    const first = await startPantau(
      { DATABASE_URL: db.url, NODE_ENV: "production" },
      { port: await freePort(), readyTimeoutMs: 300_000 },
    );
    prepareMs = Math.round(first.readyMs);
    await first.stop();
    console.log(`migrated and seeded by the server in ${prepareMs} ms`);
  }

  const database = await openDatabase({ databaseUrl: db.url, poolSize: 4 });
  const closeDatabase = deferCleanup(async () => {
    await Promise.race([database.close(), sleep(5_000)]);
  });

  // 2. The dataset, on a connection of its own: the load changes session settings (memory, replica role)
  // and leaves temporary tables, none of which the measuring connection below should carry.
  let generation: GenerationResult | null = null;
  if (!REUSE) {
    banner(`generating ${TICKETS.toLocaleString("en")} tickets`);
    const load = new pg.Client({ connectionString: db.url });
    await load.connect();
    const endLoad = deferCleanup(() => load.end());
    await load.query(`SET statement_timeout = '${STATEMENT_TIMEOUT_S}s'`);
    generation = await generateDataset(load, database, { tickets: TICKETS });
    await endLoad();
  }
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  const endSql = deferCleanup(() => sql.end());
  // metric_roll_up's calls and time, for the cost per call under load (sessions opened from now on).
  await sql.query(`ALTER DATABASE "${db.name}" SET track_functions = 'pl'`);
  if (generation) {
    await sql.query(
      "CREATE TABLE IF NOT EXISTS bench_dataset (id int PRIMARY KEY, generation jsonb NOT NULL, prepare_ms int)",
    );
    await sql.query(
      `INSERT INTO bench_dataset VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET generation = EXCLUDED.generation, prepare_ms = EXCLUDED.prepare_ms`,
      [JSON.stringify(generation), prepareMs],
    );
    printGeneration(generation);
  } else {
    // The figures of the run that generated it, when it recorded them.
    const stored = await sql
      .query<{ generation: GenerationResult; prepare_ms: number | null }>(
        "SELECT generation, prepare_ms FROM bench_dataset WHERE id = 1",
      )
      .catch(() => ({ rows: [] }));
    generation = stored.rows[0]?.generation ?? null;
    prepareMs = stored.rows[0]?.prepare_ms ?? null;
  }
  const size = await databaseSize(sql);
  console.log(`database size ${size.pretty}`);
  console.table(size.tables);

  const tree = await loadUnitTree(database);
  const units = await loadUnitRows(sql);
  const { target, writeTo } = chooseRegions(tree, units);
  const subtree = [...tree.subtree(target.id)].sort((a, b) => a - b);
  const volume = (
    await sql.query<{ tickets: number; open: number; alerted: number; fromApi: number }>(
      `SELECT count(*)::int AS tickets,
         count(*) FILTER (WHERE t.idempotency_key IS NOT NULL)::int AS "fromApi",
         count(*) FILTER (WHERE t.status = ANY($2::"TicketStatus"[]))::int AS open,
         count(*) FILTER (WHERE t.status = ANY($2::"TicketStatus"[]) AND EXISTS (
           SELECT 1 FROM ticket_clock c WHERE c.ticket_id = t.id AND c.state = ANY($3::"ClockState"[])))::int AS alerted
       FROM ticket t WHERE t.unit_id = ANY($1::int[])`,
      [subtree, OPEN, ALERTED],
    )
  ).rows[0];
  // Tickets created through the API by earlier runs on a kept database (generated ones have no key).
  const fromApi = (
    await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM ticket WHERE idempotency_key IS NOT NULL")
  ).rows[0]?.n;
  console.log(
    `${target.code}: ${subtree.length} units, ${volume?.tickets.toLocaleString("en")} tickets, ${volume?.open.toLocaleString("en")} open, ${volume?.alerted.toLocaleString("en")} open with a clock at risk or breached; ${fromApi} tickets in all from earlier runs' write loads`,
  );

  // 3. The real server, and a directorate session made directly in the database: production has no demo
  // accounts, and a session is what a sign-in would have stored (the SHA-256 of the bearer token).
  const server = await startPantau(
    { DATABASE_URL: db.url, NODE_ENV: "production" },
    { port: await freePort(), readyTimeoutMs: 300_000 },
  );
  console.log(`server ready in ${Math.round(server.readyMs)} ms at ${server.url}`);
  const token = await directorateSession(sql);
  const quiet = await quiesce(sql);

  const queries = await measureQueries(server, token, sql, target, subtree, db.name, db.url);
  const diagnostics = await explainMetrics(database, sql, tree, target);
  const writeLoad = await measureWriteLoad(server, token, sql, tree, writeTo);

  const serverLog = server.log.snapshot();
  const firstProblems = server.log.firstProblems;
  await server.stop();
  const sizeAfter = await databaseSize(sql);
  await endSql();
  await closeDatabase();
  if (!REUSE && !KEEP) await db.drop();

  const summary = {
    measure: "national metrics at scale",
    machine: machineInfo(),
    postgres: await postgresSettings(),
    database: db.name,
    databaseKept: Boolean(REUSE || KEEP),
    reused: Boolean(REUSE),
    config: {
      tickets: generation?.tickets ?? null,
      samples: SAMPLES,
      warmup: WARMUP,
      queryBudgetS: QUERY_BUDGET_S,
      writeRates: WRITE_RATES,
      writeS: WRITE_S,
    },
    targets: TARGETS,
    prepareMs,
    generation,
    databaseSize: size,
    databaseSizeAfter: { bytes: sizeAfter.bytes, pretty: sizeAfter.pretty },
    region: { code: target.code, units: subtree.length, ...volume },
    writeRegion: writeTo.code,
    ticketsFromEarlierWriteLoads: fromApi,
    quiesce: quiet,
    queries: queries.summary,
    diagnostics,
    writeLoad,
    serverLog,
    serverProblems: firstProblems,
    elapsedS: Math.round((performance.now() - startedAt) / 1000),
  };
  printTargets(summary.queries);
  console.log(
    `\nfinished in ${summary.elapsedS} s; database ${db.name} ${summary.databaseKept ? "kept" : "dropped"}; written ${writeResult("metrics", { ...summary, samples: queries.samples })}`,
  );
  return summary;
}

/**
 * The regional office measured (the one whose offices receive the largest share of tickets, unless one
 * is named) and the one the write load goes to: the smallest, so that the tickets it adds to a kept
 * database change the measured office's pages and figures as little as possible when it is measured again.
 */
function chooseRegions(tree: UnitTree, units: readonly UnitRow[]): { target: UnitNode; writeTo: UnitNode } {
  const weights = officeWeights(units);
  const regions = units
    .filter((unit) => unit.type === "REGIONAL_OFFICE")
    .map((unit) => {
      let weight = 0;
      for (const id of tree.subtree(unit.id)) weight += weights.get(id) ?? 0;
      return { node: tree.get(unit.id) as UnitNode, weight };
    })
    .filter((region) => region.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.node.code.localeCompare(b.node.code));
  const target = UNIT ? tree.byCode(UNIT) : regions[0]?.node;
  if (!target) throw new Error(`unit ${UNIT ?? "(largest regional office)"} is missing`);
  const writeTo = regions.filter((region) => region.node.id !== target.id).at(-1)?.node ?? target;
  return { target, writeTo };
}

async function directorateSession(sql: pg.Client): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO app_user (email, name, role, unit_id, password_hash)
     SELECT $1, 'Pengukuran metrik', 'DIRECTORATE', id, '!' FROM unit WHERE code = 'IMI'
     ON CONFLICT (email) DO UPDATE SET active = true
     RETURNING id`,
    [BENCH_USER],
  );
  const userId = rows[0]?.id;
  if (!userId) throw new Error("no directorate unit");
  const token = newSessionToken();
  await sql.query(
    "INSERT INTO session (token_hash, user_id, expires_at) VALUES ($1, $2, now() + interval '12 hours')",
    [sha256Hex(token), userId],
  );
  return token;
}

/**
 * Waits until the server has nothing of its own to do: clocks that fell due while the dataset was built
 * (or since a kept database was last used) are evaluated by the detector, and their events rolled up.
 */
async function quiesce(sql: pg.Client) {
  const t0 = performance.now();
  const pending = async () =>
    (
      await sql.query<{ due: number; outbox: number }>(
        `SELECT (SELECT count(*) FROM ticket_clock WHERE next_check_at <= now())::int AS due,
           (SELECT count(*) FROM event_outbox)::int AS outbox`,
      )
    ).rows[0] ?? { due: -1, outbox: -1 };
  const atStart = await pending();
  let now = atStart;
  while ((now.due > 0 || now.outbox > 0) && performance.now() - t0 < QUIESCE_TIMEOUT_MS && !stopping()) {
    await sleep(1_000);
    now = await pending();
  }
  const result = { dueClocksAtStart: atStart.due, left: now, waitedMs: Math.round(performance.now() - t0) };
  console.log(
    `detector and relay settled in ${result.waitedMs} ms (${atStart.due} clocks were due; left ${now.due} due, ${now.outbox} in the outbox)`,
  );
  return result;
}

/**
 * Sequential rounds of every path in turn, after warm-up; bounded by SAMPLES and the time budget. The
 * order rotates from round to round: a request runs in the wake of the one before it (the server
 * finishing its response, a parallel worker exiting), and no path should always follow the same one.
 */
async function repeat(label: string, paths: Record<string, () => Promise<void>>) {
  const names = Object.keys(paths);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const budgetMs = QUERY_BUDGET_S * 1000;
  const t0 = performance.now();
  let warmed = 0;
  // A slow query must not spend the whole budget warming up.
  while (warmed < WARMUP && performance.now() - t0 < budgetMs / 4 && !stopping()) {
    for (const name of names) await paths[name]?.();
    warmed += 1;
  }
  let turn = 0;
  const sampling = performance.now();
  let lastReport = sampling;
  while ((samples[names[0] as string]?.length ?? 0) < SAMPLES && performance.now() - t0 < budgetMs && !stopping()) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + turn) % names.length] as string;
      const start = performance.now();
      await paths[name]?.();
      samples[name]?.push(performance.now() - start);
    }
    turn += 1;
    if (performance.now() - lastReport > 15_000) {
      lastReport = performance.now();
      console.log(`  ${label}: ${samples[names[0] as string]?.length} samples`);
    }
  }
  const taken = samples[names[0] as string]?.length ?? 0;
  const complete = taken >= SAMPLES;
  console.log(
    `${label}: ${warmed} warm-up rounds, ${taken} samples in ${Math.round((performance.now() - sampling) / 1000)} s${complete ? "" : " (time budget reached)"}`,
  );
  return { samples, warmup: warmed, complete };
}

async function measureQueries(
  server: ChildServer,
  token: string,
  sql: pg.Client,
  target: UnitNode,
  subtree: number[],
  databaseName: string,
  databaseUrl: string,
) {
  banner(`metrics queries: up to ${SAMPLES} sequential requests each after ${WARMUP} warm-up, ${target.code}`);
  const now = new Date();
  const last30 = { from: new Date(now.getTime() - 30 * DAY_MS).toISOString(), to: now.toISOString() };
  const last90 = { from: new Date(now.getTime() - 90 * DAY_MS).toISOString(), to: now.toISOString() };
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
  const request = async <T>(body: string): Promise<T> => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers,
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const json = (await response.json()) as GraphQLResponse<T>;
    if (response.status !== 200 || json.errors || !json.data) {
      throw new Error(`unexpected answer: ${response.status} ${JSON.stringify(json).slice(0, 500)}`);
    }
    return json.data;
  };
  const otherActiveSessions: Record<string, number> = {};

  // (a) The national view.
  const regionCount = (
    await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM unit WHERE type = 'REGIONAL_OFFICE'")
  ).rows[0]?.n;
  const nationalBody = JSON.stringify({ query: NATIONAL_QUERY, variables: last30 });
  let national: NationalData | undefined;
  otherActiveSessions.national = await foreignActivity(databaseName);
  // The server shares the national figures for a few seconds; a window shifted by whole days on every call
  // is never shared, which is what the aggregate itself costs.
  let shift = 0;
  const nationalRun = await repeat("nationalOverview, last 30 days", {
    graphql: async () => {
      national = await request<NationalData>(nationalBody);
      if (national.nationalOverview.length !== regionCount) {
        throw new Error(`${national.nationalOverview.length} regional rows, expected ${regionCount}`);
      }
    },
    computed: async () => {
      shift = (shift % 300) + 1;
      const end = now.getTime() - shift * DAY_MS;
      const window = { from: new Date(end - 30 * DAY_MS).toISOString(), to: new Date(end).toISOString() };
      await request<NationalData>(JSON.stringify({ query: NATIONAL_QUERY, variables: window }));
    },
  });

  // (b) One regional office with its UPTs, day by day.
  const unitBody = JSON.stringify({ query: UNIT_QUERY, variables: { code: target.code, ...last90 } });
  let unit: UnitData | undefined;
  otherActiveSessions.unit = await foreignActivity(databaseName);
  const unitRun = await repeat(`unitMetrics ${target.code}, 90 days by day`, {
    graphql: async () => {
      unit = await request<UnitData>(unitBody);
      if (unit.unitMetrics.buckets.length < 90) throw new Error(`${unit.unitMetrics.buckets.length} buckets`);
    },
  });

  // (c) A page of alerted open tickets, through GraphQL and as SQL, interleaved so that both see the same
  // background load and cache state; with the signed-in `{ __typename }`, what any request costs.
  const pageBody = JSON.stringify({ query: PAGE_QUERY, variables: { unit: target.code } });
  const floorBody = JSON.stringify({ query: "{ __typename }" });
  // A connection that runs nothing else, as a pooled connection mostly is: in a session that has just run a
  // large correlated count (such as the region's volume above), this page's parallel plan waits 25–30 ms
  // longer for its worker on this machine, which would be no cost of the query itself.
  const pageClient = new pg.Client({ connectionString: databaseUrl });
  await pageClient.connect();
  const endPageClient = deferCleanup(() => pageClient.end());
  let page: PageData | undefined;
  let sqlIds: string[] = [];
  otherActiveSessions.page = await foreignActivity(databaseName);
  const pageRun = await repeat(`tickets page, ${target.code}, open and at risk or breached`, {
    graphql: async () => {
      page = await request<PageData>(pageBody);
    },
    sql: async () => {
      const { rows } = await pageClient.query<{ id: string }>(PAGE_SQL, [subtree, OPEN, ALERTED]);
      sqlIds = rows.slice(0, 50).map((row) => row.id);
    },
    floor: async () => {
      await request<{ __typename: string }>(floorBody);
    },
  });
  const graphqlIds = page?.tickets.edges.map((edge) =>
    Buffer.from(edge.node.id, "base64")
      .toString("utf8")
      .replace(/^Ticket:/, ""),
  );
  const samePage = JSON.stringify(graphqlIds) === JSON.stringify(sqlIds);
  const pagePlan = (
    await pageClient.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${PAGE_SQL}`, [subtree, OPEN, ALERTED])
  ).rows.map((row) => row["QUERY PLAN"]);
  await endPageClient();

  const nationalStats = summarize(nationalRun.samples.graphql ?? []);
  const nationalComputed = summarize(nationalRun.samples.computed ?? []);
  const unitStats = summarize(unitRun.samples.graphql ?? []);
  const pageGraphql = summarize(pageRun.samples.graphql ?? []);
  const pageSql = summarize(pageRun.samples.sql ?? []);
  const floor = summarize(pageRun.samples.floor ?? []);
  const rows = national?.nationalOverview ?? [];
  const summary = {
    window: { last30, last90 },
    national: {
      ...nationalStats,
      computed: nationalComputed,
      complete: nationalRun.complete,
      regions: rows.length,
      createdInWindow: rows.reduce((sum, row) => sum + row.figures.created, 0),
      openAtEnd: rows.reduce((sum, row) => sum + row.figures.backlog.open, 0),
      statuses: rows.reduce<Record<string, number>>((acc, row) => {
        acc[row.status] = (acc[row.status] ?? 0) + 1;
        return acc;
      }, {}),
      top: rows.slice(0, 3).map((row) => ({
        code: row.unit.code,
        rank: row.rank,
        score: row.careIndex.score,
        compliance: row.figures.slaCompliancePercent,
      })),
      targetP99Ms: TARGETS.nationalP99Ms,
      met: nationalStats.p99Ms <= TARGETS.nationalP99Ms,
    },
    unit: {
      ...unitStats,
      complete: unitRun.complete,
      code: target.code,
      buckets: unit?.unitMetrics.buckets.length,
      totals: unit?.unitMetrics.totals,
      targetP99Ms: TARGETS.unitP99Ms,
      met: unitStats.p99Ms <= TARGETS.unitP99Ms,
    },
    page: {
      graphql: pageGraphql,
      sql: pageSql,
      signedInTypename: floor,
      complete: pageRun.complete,
      rows: page?.tickets.edges.length,
      hasNextPage: page?.tickets.pageInfo.hasNextPage,
      samePage,
      ratioMedian: round(pageGraphql.medianMs / pageSql.medianMs, 2),
      ratioP99: round(pageGraphql.p99Ms / pageSql.p99Ms, 2),
      targetP99Ms: TARGETS.pageP99Ms,
      targetRatio: TARGETS.pageGraphqlOverSql,
      met: pageGraphql.p99Ms <= TARGETS.pageP99Ms,
      ratioMet: {
        median: pageGraphql.medianMs / pageSql.medianMs <= TARGETS.pageGraphqlOverSql,
        p99: pageGraphql.p99Ms / pageSql.p99Ms <= TARGETS.pageGraphqlOverSql,
      },
      plan: pagePlan,
    },
    otherActiveSessions,
  };
  printTable("metrics queries (ms)", [
    { query: "nationalOverview, 30 days (shared)", ...nationalStats },
    { query: "nationalOverview, 30 days (computed each call)", ...nationalComputed },
    { query: `unitMetrics ${target.code}, 90 days by day`, ...unitStats },
    { query: "tickets page, GraphQL", ...pageGraphql },
    { query: "tickets page, raw SQL", ...pageSql },
    { query: "signed-in { __typename }", ...floor },
  ]);
  console.log(
    `page: GraphQL/SQL median ${summary.page.ratioMedian}×, p99 ${summary.page.ratioP99}×; same page: ${samePage}; SQL plan: ${pagePlan.at(-1)}`,
  );
  return {
    summary,
    samples: {
      national: nationalRun.samples.graphql,
      nationalComputed: nationalRun.samples.computed,
      unit: unitRun.samples.graphql,
      pageGraphql: pageRun.samples.graphql,
      pageSql: pageRun.samples.sql,
      signedInTypename: pageRun.samples.floor,
    },
  };
}

// --- Where the time of a metrics query goes. The server's pool and this file share one `pg`, so wrapping
// its Client times every statement the metrics service sends, without touching the server code.

type StatementKind = "flows" | "openNow" | "durations" | "durationDays" | "backlogAges" | "breakdown";

function statementKind(text: string): StatementKind | null {
  if (text.includes("FROM metric_hourly")) return "flows";
  if (text.includes("metric_open")) return "openNow";
  if (text.includes("JOIN metric_duration_day ")) return "durationDays";
  if (text.includes("metric_duration_sketch")) return "durations";
  if (text.includes("lead(e.at) OVER")) return "backlogAges";
  if (text.includes("('CHANNEL', t.channel::text)")) return "breakdown";
  return null;
}

interface Timed {
  kind: StatementKind;
  text: string;
  values: unknown[];
  ms: number;
}

function timeMetricStatements(records: Timed[]): () => void {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: object, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === "string" ? first : ((first as { text?: string } | undefined)?.text ?? "");
    const kind = statementKind(text);
    if (!kind) return original.apply(this, args);
    const values = (Array.isArray(args[1]) ? args[1] : (first as { values?: unknown[] })?.values) ?? [];
    const start = performance.now();
    const done = () => records.push({ kind, text, values, ms: performance.now() - start });
    // The pool passes a callback; a bare client returns a promise.
    const callbackAt = args.findIndex((arg) => typeof arg === "function");
    if (callbackAt >= 0) {
      const callback = args[callbackAt] as (...result: unknown[]) => unknown;
      args[callbackAt] = (...result: unknown[]) => {
        done();
        return callback(...result);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result instanceof Promise) result.then(done, () => {});
    return result;
  };
  return () => {
    proto.query = original;
  };
}

/**
 * The two metrics queries as their resolvers build them, run in this process against the same database:
 * each statement's time (they run side by side on the pool, as in the server), then each plan once.
 */
async function explainMetrics(database: Database, sql: pg.Client, tree: UnitTree, target: UnitNode) {
  banner(`where the metrics time goes: ${DIAGNOSTIC_REPS} runs of each, statements timed one by one`);
  const now = new Date();
  const root = tree.byCode("IMI");
  const regions = [...tree.subtree(root?.id ?? -1)]
    .map((id) => tree.get(id) as UnitNode)
    .filter((unit) => unit.type === "REGIONAL_OFFICE")
    .sort((a, b) => a.code.localeCompare(b.code));
  const cases: { name: string; run: () => Promise<unknown> }[] = [
    {
      name: "nationalOverview",
      run: () => {
        const groups = regions.map((unit) => subtreeGroup(tree, unit));
        const buckets = bucketsFor(new Date(now.getTime() - 30 * DAY_MS), now, "DAY", "Asia/Jakarta");
        return computeFigures(database, { groups, buckets, now, want: NATIONAL_WANTS });
      },
    },
    {
      name: "unitMetrics",
      run: () => {
        const groups = [subtreeGroup(tree, target)];
        const buckets = bucketsFor(new Date(now.getTime() - 90 * DAY_MS), now, "DAY", target.timeZone);
        return computeFigures(database, { groups, buckets, now, want: UNIT_WANTS });
      },
    },
  ];
  const result: Record<string, unknown> = {};
  for (const c of cases) {
    const records: Timed[] = [];
    const restore = deferCleanup(timeMetricStatements(records));
    const totals: number[] = [];
    try {
      for (let i = 0; i < DIAGNOSTIC_REPS && !stopping(); i++) {
        const t0 = performance.now();
        await c.run();
        totals.push(performance.now() - t0);
      }
    } finally {
      await restore();
    }
    const byKind: Record<string, { medianMs: number; maxMs: number }> = {};
    for (const kind of new Set(records.map((r) => r.kind))) {
      const ms = records.filter((r) => r.kind === kind).map((r) => r.ms);
      const s = summarize(ms);
      byKind[kind] = { medianMs: round(s.medianMs, 1), maxMs: round(s.maxMs, 1) };
    }
    // Plans once per statement; EXPLAIN ANALYZE runs it, so this is bounded like a request.
    const plans: Record<string, { executionMs: number | null; plan: string[] }> = {};
    await sql.query(`SET statement_timeout = '${REQUEST_TIMEOUT_MS}ms'`);
    for (const kind of Object.keys(byKind)) {
      const record = records.find((r) => r.kind === kind);
      if (!record) continue;
      try {
        const { rows } = await sql.query<{ "QUERY PLAN": string }>(
          `EXPLAIN (ANALYZE, BUFFERS) ${record.text}`,
          record.values,
        );
        const plan = rows.map((row) => row["QUERY PLAN"]);
        const execution = plan.find((line) => line.startsWith("Execution Time"));
        plans[kind] = { executionMs: execution ? Number(/([\d.]+) ms/.exec(execution)?.[1]) : null, plan };
      } catch (error) {
        plans[kind] = { executionMs: null, plan: [String(error)] };
      }
    }
    await sql.query("RESET statement_timeout");
    result[c.name] = { runs: summarize(totals), statements: byKind, plans };
    printTable(
      `${c.name} in this process: ${summarize(totals).medianMs} ms median of ${totals.length}; per statement (ms)`,
      Object.entries(byKind).map(([kind, s]) => ({
        statement: kind,
        ...s,
        explainAnalyzeMs: plans[kind]?.executionMs ?? null,
      })),
    );
  }
  return result;
}

// --- Rollup upkeep while tickets keep arriving.

interface Progress {
  atMs: number;
  committedEvents: number;
  committedTickets: number;
  rolledEvents: number;
  rolledTickets: number;
  outbox: number;
}

/**
 * createTicket at each offered rate in turn (a rate the server sustains, then the write target), each
 * round on the offices of one regional office so that its unitMetrics can be checked against the log.
 */
async function measureWriteLoad(server: ChildServer, token: string, sql: pg.Client, tree: UnitTree, region: UnitNode) {
  const offices = [...tree.subtree(region.id)]
    .map((id) => tree.get(id) as UnitNode)
    .filter((unit) => unit.type === "IMMIGRATION_OFFICE" || unit.type === "DETENTION_CENTER")
    .map((unit) => unit.code)
    .sort();
  banner(
    `rollup upkeep: createTicket at ${WRITE_RATES.join(" and ")}/s for ${WRITE_S} s each across the ${offices.length} offices of ${region.code}`,
  );
  const generator = startChangeGenerator();
  const stopGenerator = deferCleanup(() => generator.stop());
  const runId = Date.now().toString(36);
  // The first seconds of createTicket on a fresh server run unoptimised code; not measured.
  const warmup = await generator.run({
    url: server.url,
    token,
    rate: Math.max(...WRITE_RATES),
    seconds: WRITE_WARMUP_S,
    unitCodes: offices,
    prefix: `metrics-${runId}-warmup`,
    maxInFlight: MAX_IN_FLIGHT,
  });
  const settled = await quiesce(sql);
  console.log(`warm-up: ${warmup.succeeded} tickets in ${warmup.windowS} s, settled after ${settled.waitedMs} ms`);
  const rounds = [];
  for (const rate of WRITE_RATES) {
    if (stopping()) break;
    rounds.push(
      await writeRound({
        server,
        token,
        sql,
        tree,
        region,
        rate,
        offices,
        prefix: `metrics-${runId}-${rate}`,
        generator,
      }),
    );
    await quiesce(sql);
  }
  await stopGenerator();
  return { offices: offices.length, warmupS: WRITE_WARMUP_S, rounds };
}

async function writeRound(options: {
  server: ChildServer;
  token: string;
  sql: pg.Client;
  tree: UnitTree;
  region: UnitNode;
  rate: number;
  offices: string[];
  prefix: string;
  generator: ReturnType<typeof startChangeGenerator>;
}) {
  const { server, token, sql, tree, region, rate } = options;
  const [mark] = (
    await sql.query<{ sequence: string; position: string }>(
      `SELECT (SELECT coalesce(max(sequence), 0) FROM ticket_event)::text AS sequence,
         (SELECT coalesce(max(position), 0) FROM event_stream)::text AS position`,
    )
  ).rows;
  if (!mark) throw new Error("no log head");
  const fnStats = async () => {
    // Function statistics are read from a snapshot taken at the first read of a transaction.
    await sql.query("SELECT pg_stat_clear_snapshot()");
    const { rows } = await sql.query<{ calls: number; total: number; self: number }>(
      `SELECT coalesce(sum(calls), 0)::int AS calls, coalesce(sum(total_time), 0)::float8 AS total,
         coalesce(sum(self_time), 0)::float8 AS self
       FROM pg_stat_user_functions WHERE funcname = 'metric_roll_up'`,
    );
    return rows[0] ?? { calls: 0, total: 0, self: 0 };
  };
  const fnBefore = await fnStats();
  const progress = async (t0: number): Promise<Progress> => {
    const { rows } = await sql.query<Omit<Progress, "atMs">>(
      `SELECT
         (SELECT count(*) FROM ticket_event WHERE sequence > $1::bigint)::int AS "committedEvents",
         (SELECT count(*) FROM ticket_event WHERE sequence > $1::bigint AND type = 'CREATED')::int AS "committedTickets",
         (SELECT count(*) FROM event_stream WHERE position > $2::bigint)::int AS "rolledEvents",
         (SELECT count(*) FROM event_stream WHERE position > $2::bigint AND type = 'CREATED')::int AS "rolledTickets",
         (SELECT count(*) FROM event_outbox)::int AS outbox`,
      [mark.sequence, mark.position],
    );
    return { atMs: Math.round(performance.now() - t0), ...(rows[0] as Omit<Progress, "atMs">) };
  };

  // The relay orders events and rolls them up in one transaction, so a stream position is a rollup done.
  const series: Progress[] = [];
  const cpuBefore = cpuSnapshot(server.pid);
  const t0 = performance.now();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      series.push(await progress(t0));
      await sleep(500);
    }
  })();
  const run = await options.generator.run({
    url: server.url,
    token,
    rate,
    seconds: WRITE_S,
    unitCodes: options.offices,
    prefix: options.prefix,
    maxInFlight: MAX_IN_FLIGHT,
  });
  const loadEndMs = performance.now() - t0;
  const cores = coresUsed(cpuBefore, cpuSnapshot(server.pid));
  // Then until everything committed is rolled up.
  let drained = await progress(t0);
  while (
    (drained.outbox > 0 || drained.rolledEvents < drained.committedEvents) &&
    performance.now() - t0 - loadEndMs < DRAIN_TIMEOUT_MS
  ) {
    await sleep(100);
    drained = await progress(t0);
  }
  sampling = false;
  await sampler;
  series.push(drained);
  // Statistics reach the shared counters when a backend is idle for a second at most.
  await sleep(1_500);
  const fnAfter = await fnStats();

  // From the instant an event was written to the start of the relay transaction that rolled it up.
  const lags = (
    await sql.query<{ type: string; lag_ms: number; streamed_at: Date }>(
      `SELECT e.type::text AS type, extract(epoch FROM s.streamed_at - e.at)::float8 * 1000 AS lag_ms, s.streamed_at
       FROM event_stream s JOIN ticket_event e ON e.sequence = s.event_sequence
       WHERE s.position > $1::bigint`,
      [mark.position],
    )
  ).rows;
  const createdLags = lags.filter((row) => row.type === "CREATED").map((row) => row.lag_ms);
  const passes = new Set(lags.map((row) => row.streamed_at.getTime())).size;

  // The API must count exactly what was committed: unitMetrics over whole hours around the round.
  const from = new Date(Math.floor((Date.now() - (performance.now() - t0)) / HOUR_MS) * HOUR_MS);
  const to = new Date(Math.ceil(Date.now() / HOUR_MS) * HOUR_MS + HOUR_MS);
  const inLog = (
    await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ticket_event
       WHERE type = 'CREATED' AND at >= $1 AND at < $2 AND unit_id = ANY($3::int[])`,
      [from, to, [...tree.subtree(region.id)]],
    )
  ).rows[0]?.n;
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: `query($code: String!, $from: DateTime!, $to: DateTime!) {
        unitMetrics(code: $code, from: $from, to: $to, granularity: HOUR) { totals { created } } }`,
      variables: { code: region.code, from: from.toISOString(), to: to.toISOString() },
    }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const api = (await response.json()) as GraphQLResponse<{ unitMetrics: { totals: { created: number } } }>;
  const apiCreated = api.data?.unitMetrics.totals.created ?? null;

  const loadS = run.windowS;
  const lastInWindow = series.filter((p) => p.atMs <= loadEndMs).at(-1) ?? drained;
  const calls = fnAfter.calls - fnBefore.calls;
  const fnMs = fnAfter.total - fnBefore.total;
  const result = {
    offeredPerSecond: rate,
    seconds: WRITE_S,
    run,
    committed: { events: drained.committedEvents, tickets: drained.committedTickets },
    rolledUp: { events: drained.rolledEvents, tickets: drained.rolledTickets },
    // During the load window only: what the relay kept up with while tickets kept arriving.
    duringLoad: {
      committedTicketsPerSecond: round(lastInWindow.committedTickets / loadS, 1),
      rolledTicketsPerSecond: round(lastInWindow.rolledTickets / loadS, 1),
      rolledEventsPerSecond: round(lastInWindow.rolledEvents / loadS, 1),
      maxOutbox: Math.max(...series.map((p) => p.outbox)),
    },
    drainAfterLoadMs: Math.round(drained.atMs - loadEndMs),
    lagCreatedMs: summarize(createdLags),
    lagAllEventsMs: summarize(lags.map((row) => row.lag_ms)),
    relayTransactions: passes,
    eventsPerRelayTransaction: round(lags.length / Math.max(1, passes), 1),
    rollupFunction: {
      calls,
      totalMs: round(fnMs, 1),
      selfMs: round(fnAfter.self - fnBefore.self, 1),
      msPerCall: calls ? round(fnMs / calls, 3) : null,
      msPerEvent: drained.rolledEvents ? round(fnMs / drained.rolledEvents, 4) : null,
      // One backend doing nothing but roll-ups at this cost per event.
      capacityEventsPerSecond: fnMs ? Math.round(drained.rolledEvents / (fnMs / 1000)) : null,
    },
    cores,
    serverCpuMsPerTicket: round((cores.server * 1000 * loadS) / Math.max(1, lastInWindow.committedTickets), 2),
    api: { from: from.toISOString(), to: to.toISOString(), createdInLog: inLog, createdByApi: apiCreated },
    apiAgrees: apiCreated === inLog,
    series,
  };
  console.log(
    `${rate}/s offered: committed ${result.duringLoad.committedTicketsPerSecond} tickets/s (p50 ${run.responseMs.p50} ms, p99 ${run.responseMs.p99} ms, ${run.skipped} not sent); rolled up ${result.duringLoad.rolledTicketsPerSecond} tickets/s, ${result.duringLoad.rolledEventsPerSecond} events/s; outbox at most ${result.duringLoad.maxOutbox}, drained ${result.drainAfterLoadMs} ms after the load`,
  );
  console.log(
    `  lag from CREATED to its rollup: median ${result.lagCreatedMs.medianMs} ms, p90 ${result.lagCreatedMs.p90Ms} ms, p99 ${result.lagCreatedMs.p99Ms} ms, max ${result.lagCreatedMs.maxMs} ms; ${passes} relay transactions of ~${result.eventsPerRelayTransaction} events`,
  );
  console.log(
    `  metric_roll_up: ${calls} calls, ${result.rollupFunction.msPerCall} ms per call, ${result.rollupFunction.msPerEvent} ms per event; cores: server ${cores.server} (${result.serverCpuMsPerTicket} ms per ticket), PostgreSQL ${cores.postgres}, others ${cores.others}`,
  );
  console.log(`  unitMetrics ${region.code} created over the round's hours: API ${apiCreated}, log ${inLog}`);
  return result;
}

async function databaseSize(sql: pg.Client) {
  const total = (
    await sql.query<{ bytes: string; pretty: string }>(
      "SELECT pg_database_size(current_database())::text AS bytes, pg_size_pretty(pg_database_size(current_database())) AS pretty",
    )
  ).rows[0];
  const tables = (
    await sql.query<{ table: string; total: string; heap: string; indexes: string }>(
      `SELECT c.relname AS table, pg_size_pretty(pg_total_relation_size(c.oid)) AS total,
         pg_size_pretty(pg_relation_size(c.oid)) AS heap, pg_size_pretty(pg_indexes_size(c.oid)) AS indexes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r'
       ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 10`,
    )
  ).rows;
  return { bytes: Number(total?.bytes), pretty: total?.pretty ?? "?", tables };
}

function printGeneration(g: GenerationResult) {
  console.log(
    `\ngenerated ${g.counts.tickets?.toLocaleString("en")} tickets, ${g.counts.events?.toLocaleString("en")} events, ${g.counts.clocks?.toLocaleString("en")} clocks in ${Math.round(g.totalMs / 1000)} s`,
  );
  console.table(g.stepsMs);
  console.log(
    `bulk rollups: ${g.rollup.events.toLocaleString("en")} events of ${g.rollup.tickets.toLocaleString("en")} tickets in ${g.rollup.ms} ms: ${g.rollup.eventsPerSecond.toLocaleString("en")} events/s, ${g.rollup.ticketsPerSecond.toLocaleString("en")} tickets/s (slowest call ${g.rollup.slowestCallMs} ms)`,
  );
  console.table(g.statuses);
  console.table(g.clockStates);
}

function printTargets(q: Awaited<ReturnType<typeof measureQueries>>["summary"]) {
  const verdict = (met: boolean) => (met ? "met" : "NOT met");
  console.log("\n| Query | samples | median | p90 | p99 | target | |\n| --- | ---: | ---: | ---: | ---: | --- | --- |");
  const line = (name: string, s: ReturnType<typeof summarize>, targetText: string, met: boolean) =>
    console.log(
      `| ${name} | ${s.samples} | ${s.medianMs} ms | ${s.p90Ms} ms | ${s.p99Ms} ms | ${targetText} | ${verdict(met)} |`,
    );
  line("nationalOverview, 30 days (shared)", q.national, `p99 ≤ ${TARGETS.nationalP99Ms} ms`, q.national.met);
  line(
    "nationalOverview, 30 days (computed each call)",
    q.national.computed,
    `p99 ≤ ${TARGETS.nationalP99Ms} ms`,
    q.national.computed.p99Ms <= TARGETS.nationalP99Ms,
  );
  line(`unitMetrics ${q.unit.code}, 90 days by day`, q.unit, `p99 ≤ ${TARGETS.unitP99Ms} ms`, q.unit.met);
  line("tickets page, GraphQL", q.page.graphql, `p99 ≤ ${TARGETS.pageP99Ms} ms`, q.page.met);
  line("tickets page, raw SQL", q.page.sql, "", true);
  console.log(
    `| GraphQL ÷ SQL | | ${q.page.ratioMedian}× | | ${q.page.ratioP99}× | ≤ ${TARGETS.pageGraphqlOverSql}× | median ${verdict(q.page.ratioMet.median)}, p99 ${verdict(q.page.ratioMet.p99)} |`,
  );
}

if (isEntryPoint(import.meta.url)) runAsScript(benchMetrics);
