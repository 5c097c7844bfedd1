/**
 * Live subscriptions over graphql-ws: the real server in a child process on a fresh PostgreSQL
 * database, every client a real graphql-ws socket in worker processes (lib/subscribers.ts), changes
 * from an open-loop createTicket generator in a process of its own (lib/change-generator.ts), all on
 * loopback. Three phases, each on its own server:
 * - latency: ticketEvents subscribers spread evenly over immigration offices while tickets are created
 *   across those offices at a fixed rate; every delivery is checked against the stream in the database;
 * - idle: how many idle authenticated subscriptions one node holds, and its resident memory with them;
 * - sharing: queue snapshot computations and messages per second as watchers of one unit multiply.
 */
import { readFileSync } from "node:fs";
import pg from "pg";
import { type ChangeGenerator, type ChangeRun, startChangeGenerator } from "./lib/change-generator.js";
import { deferCleanup, isEntryPoint, runAsScript } from "./lib/cleanup.js";
import { createBenchDatabase, foreignActivity } from "./lib/database.js";
import { DEMO_PASSWORD, graphql, login } from "./lib/graphql.js";
import { DURATION_S, ROUNDS, WARMUP_S } from "./lib/load.js";
import {
  type ChildServer,
  coresUsed,
  cpuSnapshot,
  freePort,
  processTicks,
  startPantau,
  ticksPerSecond,
} from "./lib/processes.js";
import { banner, printTable, writeResult } from "./lib/report.js";
import { median, percentile, round } from "./lib/stats.js";
import { type ExpectedEvents, type OpenResult, type SubscriberPool, startSubscriberPool } from "./lib/subscribers.js";
import { type CommitCheck, checkCommitted } from "./lib/verify.js";

const numberList = (value: string) =>
  value
    .split(",")
    .map((item) => Number(item.trim()))
    .filter((item) => Number.isFinite(item) && item > 0);

const PHASES = (process.env.BENCH_RT_PHASES ?? "latency,idle,sharing").split(",").map((phase) => phase.trim());
const WORKERS = Number(process.env.BENCH_RT_WORKERS ?? 4);
/** The server accepts 25 subscriptions per socket; a dashboard tab holds a handful, a wallboard more. */
const PER_CONNECTION = Number(process.env.BENCH_RT_PER_CONNECTION ?? 20);
/** Requests of the change generator waiting at one time; beyond it a due request is skipped and counted. */
const MAX_IN_FLIGHT = Number(process.env.BENCH_RT_MAX_IN_FLIGHT ?? 64);

const SUBSCRIBERS = Number(process.env.BENCH_RT_SUBSCRIBERS ?? 1_000);
const UNITS = Number(process.env.BENCH_RT_UNITS ?? 50);
const RATE = Number(process.env.BENCH_RT_RATE ?? 500);
/**
 * Who makes the changes of the latency phase: "api" (createTicket over HTTP to the measured server) or
 * "sql" (tickets with their CREATED events committed straight into PostgreSQL, as by other instances),
 * which loads the event pipeline alone, beyond the createTicket rate one server thread accepts.
 */
const WRITER = (process.env.BENCH_RT_WRITER ?? "api") as "api" | "sql";
if (WRITER !== "api" && WRITER !== "sql") throw new Error(`BENCH_RT_WRITER must be api or sql, not ${WRITER}`);
/** How long subscribers may take to receive the last event of a window once the relay published it. */
const CATCH_UP_MS = Number(process.env.BENCH_RT_CATCH_UP_MS ?? 30_000);

const IDLE_TARGET = Number(process.env.BENCH_RT_IDLE ?? 10_000);
const IDLE_STEPS = numberList(
  process.env.BENCH_RT_IDLE_STEPS ?? [IDLE_TARGET / 4, IDLE_TARGET / 2, IDLE_TARGET].map(Math.round).join(","),
).sort((a, b) => a - b);
const IDLE_PER_CONNECTION = Number(process.env.BENCH_RT_IDLE_PER_CONNECTION ?? PER_CONNECTION);
/** Long enough for the heap to settle after a burst of sockets; RSS read any sooner includes garbage. */
const SETTLE_MS = Number(process.env.BENCH_RT_SETTLE_MS ?? 3_000);

const WATCHERS = numberList(process.env.BENCH_RT_WATCHERS ?? "1,10,100,1000");
const WATCH_UNIT = process.env.BENCH_RT_WATCH_UNIT ?? "KANIM-MALANG";
const WATCH_RATE = Number(process.env.BENCH_RT_WATCH_RATE ?? 50);
const WATCH_S = Number(process.env.BENCH_RT_WATCH_S ?? 10);
/** The queue board's minimum interval between two computations of one unit. */
const SNAPSHOT_INTERVAL_MS = 250;

const DIRECTORATE = "direktorat@pantau.demo";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- Shared plumbing.

interface BenchNode {
  server: ChildServer;
  databaseUrl: string;
  databaseName: string;
  sql: pg.Client;
  /** A directorate session: its scope is the whole tree, so it may watch and file in any unit. */
  token: string;
  stop(): Promise<void>;
}

async function startNode(label: string): Promise<BenchNode> {
  const db = await createBenchDatabase(`rt_${label}`);
  // A small seeded history: few clocks of old tickets can fall due and add SLA events during the run.
  const server = await startPantau(
    { DATABASE_URL: db.url, PANTAU_SEED_DAYS: "1", PANTAU_SEED_TICKETS_PER_DAY: "10", DEMO_PASSWORD },
    { port: await freePort() },
  );
  console.log(`server ready in ${Math.round(server.readyMs)} ms at ${server.url} (pid ${server.pid}, ${db.name})`);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  const endSql = deferCleanup(() => sql.end());
  const token = await login(server.url, DIRECTORATE, DEMO_PASSWORD);
  return {
    server,
    databaseUrl: db.url,
    databaseName: db.name,
    sql,
    token,
    async stop() {
      await endSql();
      await server.stop();
      await db.drop();
    },
  };
}

async function unitCodes(node: BenchNode, type?: string): Promise<string[]> {
  const { body } = await graphql<{ units: { code: string }[] }>(
    node.server.url,
    type ? `{ units(type: ${type}) { code } }` : "{ units { code } }",
    {},
    node.token,
  );
  if (!body.data) throw new Error(`units query failed: ${JSON.stringify(body.errors)}`);
  return body.data.units.map((unit) => unit.code).sort();
}

/**
 * The stream head once everything committed has been ordered and published: the outbox is empty,
 * the relay's published mark is at the head, and the head stayed put for a moment.
 */
async function drainedHead(sql: pg.Client, timeoutMs = 30_000): Promise<{ head: number; drained: boolean }> {
  const deadline = performance.now() + timeoutMs;
  let last = -1;
  let stableSince = 0;
  for (;;) {
    const { rows } = await sql.query<{ pending: number; head: string; published: string }>(
      `SELECT (SELECT count(*)::int FROM event_outbox) AS pending,
              (SELECT coalesce(max(position), 0) FROM event_stream)::text AS head,
              (SELECT published_through FROM event_relay WHERE id = 1)::text AS published`,
    );
    const row = rows[0];
    const head = Number(row?.head ?? 0);
    const settled = row?.pending === 0 && row.head === row.published;
    if (settled && head === last) {
      if (performance.now() - stableSince >= 300) return { head, drained: true };
    } else {
      last = settled ? head : -1;
      stableSince = performance.now();
    }
    if (performance.now() > deadline) return { head, drained: false };
    await sleep(50);
  }
}

/** The stream positions of (lo, hi] that each watched unit's subscribers must receive. */
async function streamWindow(sql: pg.Client, lo: number, hi: number, units: readonly string[]) {
  const { rows } = await sql.query<{ code: string; position: string; type: string; streamed_ms: number }>(
    // A subscription covers the unit's subtree, and a transfer is also an event of the unit it left.
    `WITH RECURSIVE watched AS (
       SELECT id AS unit_id, code FROM unit WHERE code = ANY($3::text[])
       UNION ALL
       SELECT u.id, w.code FROM unit u JOIN watched w ON u.parent_id = w.unit_id
     )
     SELECT DISTINCT w.code, s.position, s.type::text AS type,
            (extract(epoch FROM s.streamed_at) * 1000)::float8 AS streamed_ms
     FROM event_stream s JOIN watched w ON w.unit_id = s.unit_id OR w.unit_id = s.from_unit_id
     WHERE s.position > $1::bigint AND s.position <= $2::bigint
     ORDER BY w.code, s.position`,
    [lo, hi, units],
  );
  const expected: Record<string, ExpectedEvents> = {};
  const types: Record<string, number> = {};
  const positions = new Set<string>();
  for (const row of rows) {
    const events = expected[row.code] ?? { positions: [], streamedAt: [] };
    expected[row.code] = events;
    events.positions.push(Number(row.position));
    events.streamedAt.push(row.streamed_ms);
    if (!positions.has(row.position)) {
      positions.add(row.position);
      types[row.type] = (types[row.type] ?? 0) + 1;
    }
  }
  return { expected, events: positions.size, types };
}

/** CPU of the client processes, which coresUsed() would otherwise book under "others". */
function clientTicks(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (processTicks(pid)?.ticks ?? 0), 0);
}

function cores(server: ChildServer, clientPids: readonly number[]) {
  const before = cpuSnapshot(server.pid);
  const clientsBefore = clientTicks(clientPids);
  return () => {
    const after = cpuSnapshot(server.pid);
    const used = coresUsed(before, after);
    const clients = round(
      (clientTicks(clientPids) - clientsBefore) / ticksPerSecond() / ((after.at - before.at) / 1000),
    );
    return { ...used, clients, others: round(Math.max(0, used.others - clients)) };
  };
}

function logDelta(server: ChildServer) {
  const before = server.log.snapshot();
  return () => {
    const after = server.log.snapshot();
    return {
      warn: after.warn - before.warn,
      error: after.error - before.error,
      fatal: after.fatal - before.fatal,
      unstructured: after.unstructured - before.unstructured,
    };
  };
}

function distribution(samples: Float64Array) {
  const values = Array.from(samples).sort((a, b) => a - b);
  return {
    samples: values.length,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values.length ? (values[values.length - 1] as number) : Number.NaN,
    mean: values.length ? round(values.reduce((sum, value) => sum + value, 0) / values.length, 1) : Number.NaN,
  };
}

function changeSummary(run: ChangeRun) {
  const { samples: _samples, startedAt: _startedAt, endedAt: _endedAt, ...rest } = run;
  return rest;
}

// --- 1. Delivery latency and completeness.

export interface LatencyRound {
  round: number;
  changes: ReturnType<typeof changeSummary>;
  committed: CommitCheck;
  window: { afterPosition: number; throughPosition: number; drained: boolean };
  /** Distinct stream events of the watched units in the window, by type. */
  streamEvents: number;
  eventTypes: Record<string, number>;
  expected: number;
  delivered: number;
  missing: number;
  duplicates: number;
  outOfOrder: number;
  unexpected: number;
  startedLate: number;
  withoutSequence: number;
  endedSubscriptions: number;
  caughtUp: boolean;
  catchUpWaitMs: number;
  lossless: boolean;
  deliveriesPerSecond: number;
  /**
   * Receive time minus the event's `at`. The server takes `at` from its own clock as createTicket begins
   * its transaction, so this includes the transaction's statements and the commit as well as the relay
   * and the delivery: it overstates commit-to-screen by that much. Same machine, same clock.
   */
  latencyMs: ReturnType<typeof distribution>;
  /** Receive time minus event_stream.streamed_at (the relay's ordering, after the commit): a lower bound. */
  afterOrderingMs: ReturnType<typeof distribution>;
  cores: ReturnType<ReturnType<typeof cores>>;
  serverLog: ReturnType<ReturnType<typeof logDelta>>;
  subscriptionErrors: Record<string, number>;
  socketCloses: Record<string, number>;
  otherActiveSessions: number;
  samples: string[];
}

async function latencyPhase(pool: SubscriberPool, generator: ChangeGenerator) {
  banner(
    `live delivery: ${SUBSCRIBERS} ticketEvents subscribers over ${UNITS} offices, ` +
      `${WRITER === "sql" ? "tickets committed in PostgreSQL" : "createTicket"} at ${RATE}/s, ` +
      `${ROUNDS} × ${DURATION_S} s after ${WARMUP_S} s warm-up`,
  );
  const node = await startNode("latency");
  const offices = (await unitCodes(node, "IMMIGRATION_OFFICE")).filter((code) => code.startsWith("KANIM-"));
  if (offices.length < UNITS) throw new Error(`only ${offices.length} immigration offices, ${UNITS} wanted`);
  const units = offices.slice(0, UNITS);
  const subscriberUnits = Array.from({ length: SUBSCRIBERS }, (_, i) => units[i % units.length] as string);
  const perUnit = Object.fromEntries(units.map((code) => [code, subscriberUnits.filter((u) => u === code).length]));
  const runId = Date.now().toString(36);
  const clientPids = [...pool.pids, generator.pid];

  const opened = await pool.open({
    set: "latency",
    kind: "events",
    url: node.server.url,
    token: node.token,
    unitCodes: subscriberUnits,
    perConnection: PER_CONNECTION,
    timeoutMs: 60_000 + SUBSCRIBERS * 20,
  });
  console.log(
    `opened ${opened.subscriptions} subscriptions on ${opened.sockets} sockets (${opened.connected} acknowledged) ` +
      `in ${opened.ms} ms; ${units.length} units, ${SUBSCRIBERS / units.length} subscribers each`,
  );

  const changes = (seconds: number, prefix: string) =>
    generator.run({
      url: node.server.url,
      token: node.token,
      rate: RATE,
      seconds,
      unitCodes: units,
      prefix,
      maxInFlight: MAX_IN_FLIGHT,
      via: WRITER,
      databaseUrl: node.databaseUrl,
    });

  // Warm-up doubles as the proof that every subscription is live: a window only counts as lossless
  // for subscribers that had received something before it opened.
  let { head: lo } = await drainedHead(node.sql);
  const warmupRun = await changes(WARMUP_S, `rt-${runId}-warmup`);
  let status = await pool.status("latency");
  for (let extra = 1; status.silent > 0 && extra <= 3; extra++) {
    console.log(`${status.silent} subscribers silent after warm-up; 2 s more`);
    await changes(2, `rt-${runId}-warmup${extra}`);
    status = await pool.status("latency");
  }
  let drained = await drainedHead(node.sql);
  const warmupWindow = await streamWindow(node.sql, lo, drained.head, units);
  const warmup = await pool.verify({
    set: "latency",
    lo,
    hi: drained.head,
    expected: warmupWindow.expected,
    waitMs: CATCH_UP_MS,
  });
  lo = drained.head;
  console.log(
    `warm-up: ${warmupRun.achievedPerSecond} changes/s, ${warmup.delivered} deliveries, ` +
      `latency p50 ${distribution(warmup.latencyFromAtMs).p50} ms; silent subscribers ${status.silent}`,
  );

  const rounds: LatencyRound[] = [];
  for (let index = 1; index <= ROUNDS; index++) {
    const prefix = `rt-${runId}-r${index}`;
    const otherActiveSessions = await foreignActivity(node.databaseName);
    const log = logDelta(node.server);
    const cpu = cores(node.server, clientPids);
    const run = await changes(DURATION_S, prefix);
    const usage = cpu();
    drained = await drainedHead(node.sql);
    const window = await streamWindow(node.sql, lo, drained.head, units);
    const check = await pool.verify({
      set: "latency",
      lo,
      hi: drained.head,
      expected: window.expected,
      waitMs: CATCH_UP_MS,
    });
    const committed = await checkCommitted(node.databaseUrl, prefix);
    const result: LatencyRound = {
      round: index,
      changes: changeSummary(run),
      committed,
      window: { afterPosition: lo, throughPosition: drained.head, drained: drained.drained },
      streamEvents: window.events,
      eventTypes: window.types,
      expected: check.expected,
      delivered: check.delivered,
      missing: check.missing,
      duplicates: check.duplicates,
      outOfOrder: check.outOfOrder,
      unexpected: check.unexpected,
      startedLate: check.startedLate,
      withoutSequence: check.withoutSequence,
      endedSubscriptions: check.ended,
      caughtUp: check.caughtUp,
      catchUpWaitMs: check.waitedMs,
      lossless:
        check.expected > 0 &&
        check.delivered === check.expected &&
        check.missing + check.duplicates + check.outOfOrder + check.unexpected + check.withoutSequence === 0 &&
        check.startedLate === 0 &&
        check.ended === 0,
      deliveriesPerSecond: round(check.delivered / run.windowS, 1),
      latencyMs: distribution(check.latencyFromAtMs),
      afterOrderingMs: distribution(check.latencyFromStreamedMs),
      cores: usage,
      serverLog: log(),
      subscriptionErrors: check.errors,
      socketCloses: check.closes,
      otherActiveSessions,
      samples: run.samples,
    };
    rounds.push(result);
    lo = drained.head;
    console.log(
      `round ${index}: ${run.achievedPerSecond} changes/s (${run.succeeded} ok, ${run.skipped} skipped, ` +
        `${run.errorPayloads + run.non2xx + run.socketErrors} failed), ${window.events} stream events, ` +
        `delivered ${check.delivered}/${check.expected} (missing ${check.missing}, duplicates ${check.duplicates}, ` +
        `out of order ${check.outOfOrder}), latency p50 ${result.latencyMs.p50} p99 ${result.latencyMs.p99} ` +
        `max ${result.latencyMs.max} ms; cores server ${usage.server} postgres ${usage.postgres} clients ${usage.clients}`,
    );
  }
  await pool.close("latency");
  await node.stop();

  const summary = {
    subscribers: SUBSCRIBERS,
    units: units.length,
    subscribersPerUnit: perUnit,
    perConnection: PER_CONNECTION,
    sockets: opened.sockets,
    targetChangesPerSecond: RATE,
    writer: WRITER,
    rounds: ROUNDS,
    durationS: DURATION_S,
    medianChangesPerSecond: median(rounds.map((r) => r.changes.achievedPerSecond)),
    medianDeliveriesPerSecond: median(rounds.map((r) => r.deliveriesPerSecond)),
    medianLatencyP50Ms: median(rounds.map((r) => r.latencyMs.p50)),
    medianLatencyP90Ms: median(rounds.map((r) => r.latencyMs.p90)),
    medianLatencyP99Ms: median(rounds.map((r) => r.latencyMs.p99)),
    worstLatencyP99Ms: Math.max(...rounds.map((r) => r.latencyMs.p99)),
    worstLatencyMaxMs: Math.max(...rounds.map((r) => r.latencyMs.max)),
    medianAfterOrderingP50Ms: median(rounds.map((r) => r.afterOrderingMs.p50)),
    medianAfterOrderingP99Ms: median(rounds.map((r) => r.afterOrderingMs.p99)),
    expected: rounds.reduce((n, r) => n + r.expected, 0),
    delivered: rounds.reduce((n, r) => n + r.delivered, 0),
    missing: rounds.reduce((n, r) => n + r.missing, 0),
    duplicates: rounds.reduce((n, r) => n + r.duplicates, 0),
    outOfOrder: rounds.reduce((n, r) => n + r.outOfOrder, 0),
    allLossless: rounds.every((r) => r.lossless),
    allCommitted: rounds.every((r) => r.committed.consistent),
    serverLogProblems: node.server.log.firstProblems,
  };
  printTable(
    `live delivery: ${SUBSCRIBERS} subscribers over ${units.length} units, target ${RATE} changes/s (latency in ms)`,
    rounds.map((r) => ({
      round: r.round,
      "changes/s": r.changes.achievedPerSecond,
      skipped: r.changes.skipped,
      "stream events": r.streamEvents,
      expected: r.expected,
      delivered: r.delivered,
      missing: r.missing,
      dup: r.duplicates,
      "out of order": r.outOfOrder,
      lossless: r.lossless,
      p50: r.latencyMs.p50,
      p90: r.latencyMs.p90,
      p99: r.latencyMs.p99,
      max: r.latencyMs.max,
      "p99 after ordering": r.afterOrderingMs.p99,
      "server cores": r.cores.server,
      "pg cores": r.cores.postgres,
      "client cores": r.cores.clients,
    })),
  );
  return {
    summary,
    opened,
    warmup: {
      changes: changeSummary(warmupRun),
      delivered: warmup.delivered,
      expected: warmup.expected,
      silentAfterWarmup: status.silent,
      latencyMs: distribution(warmup.latencyFromAtMs),
    },
    rounds,
  };
}

// --- 2. Idle subscribers and memory.

function memoryOf(pid: number): { rssKiB: number; hwmKiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssKiB: field("VmRSS"), hwmKiB: field("VmHWM") };
}

/** Whether the node still serves while holding its subscribers: /ready and a signed-in query. */
async function probe(node: BenchNode) {
  const readyStart = performance.now();
  const ready = await fetch(`${node.server.url}/ready`, { signal: AbortSignal.timeout(10_000) })
    .then(async (response) => {
      await response.arrayBuffer();
      return response.status;
    })
    .catch(() => 0);
  const readyMs = round(performance.now() - readyStart, 1);
  const times: number[] = [];
  let failures = 0;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    try {
      const { status, body } = await graphql<{ units: unknown[] }>(
        node.server.url,
        "{ units(type: IMMIGRATION_OFFICE) { code } }",
        {},
        node.token,
      );
      if (status !== 200 || !body.data?.units.length) failures += 1;
    } catch {
      failures += 1;
    }
    times.push(performance.now() - started);
  }
  return { readyStatus: ready, readyMs, queryMedianMs: round(median(times), 1), queryFailures: failures };
}

async function idlePhase(pool: SubscriberPool) {
  banner(
    `idle subscribers: up to ${IDLE_TARGET} queue subscriptions, ${IDLE_PER_CONNECTION} per socket, ` +
      `server RSS at ${[0, ...IDLE_STEPS].join(", ")}`,
  );
  const node = await startNode("idle");
  const units = await unitCodes(node);
  const MiB = 1024;
  // Start-up garbage (migrations, seed, compiled sources) and the first use of the subscription path
  // would otherwise land in the first step; a round of subscriptions opened and closed absorbs both.
  await pool.open({
    set: "idle-warmup",
    kind: "queue",
    url: node.server.url,
    token: node.token,
    unitCodes: units.slice(0, Math.min(200, IDLE_STEPS[0] ?? 200)),
    perConnection: IDLE_PER_CONNECTION,
    timeoutMs: 60_000,
  });
  await pool.close("idle-warmup");
  await sleep(SETTLE_MS * 2);
  const base = memoryOf(node.server.pid);
  const rows: {
    subscribers: number;
    acknowledged: number;
    sockets: number;
    connected: number;
    openMs: number;
    rssMiB: number;
    addedMiB: number;
    bytesPerSubscriber: number | null;
    probe: Awaited<ReturnType<typeof probe>>;
    serverCores: number;
  }[] = [];
  rows.push({
    subscribers: 0,
    acknowledged: 0,
    sockets: 0,
    connected: 0,
    openMs: 0,
    rssMiB: round(base.rssKiB / MiB, 1),
    addedMiB: 0,
    bytesPerSubscriber: null,
    probe: await probe(node),
    serverCores: 0,
  });
  let held = 0;
  let acknowledged = 0;
  let sockets = 0;
  let last: OpenResult | null = null;
  for (const target of IDLE_STEPS) {
    const add = target - held;
    if (add <= 0) continue;
    const cpu = cores(node.server, pool.pids);
    // Queue subscriptions answer at once with the current snapshot, which confirms the server holds
    // each one before its memory is read; ticketEvents would stay silent until something happened.
    last = await pool.open({
      set: "idle",
      kind: "queue",
      url: node.server.url,
      token: node.token,
      unitCodes: Array.from({ length: add }, (_, i) => units[(held + i) % units.length] as string),
      perConnection: IDLE_PER_CONNECTION,
      timeoutMs: 60_000 + add * 20,
    });
    const usage = cpu();
    held = target;
    acknowledged += last.acknowledged;
    sockets += last.sockets;
    await sleep(SETTLE_MS);
    const memory = memoryOf(node.server.pid);
    const row = {
      subscribers: target,
      acknowledged,
      sockets,
      connected: last.connected,
      openMs: last.ms,
      rssMiB: round(memory.rssKiB / MiB, 1),
      addedMiB: round((memory.rssKiB - base.rssKiB) / MiB, 1),
      bytesPerSubscriber: Math.round(((memory.rssKiB - base.rssKiB) * 1024) / Math.max(1, acknowledged)),
      probe: await probe(node),
      serverCores: usage.server,
    };
    rows.push(row);
    console.log(
      `${target} subscriptions (${acknowledged} acknowledged) on ${sockets} sockets, opened in ${last.ms} ms: ` +
        `RSS ${row.rssMiB} MiB (+${row.addedMiB}), ${row.bytesPerSubscriber} B/subscriber; /ready ${row.probe.readyStatus} ` +
        `in ${row.probe.readyMs} ms, query ${row.probe.queryMedianMs} ms`,
    );
  }
  await pool.close("idle");
  await sleep(SETTLE_MS);
  const afterClose = memoryOf(node.server.pid);
  const closedProbe = await probe(node);
  await node.stop();

  const top = rows[rows.length - 1];
  // Least squares over every step: one reading thrown off by a collection moves it less than a ratio.
  const meanX = rows.reduce((n, r) => n + r.acknowledged, 0) / rows.length;
  const meanY = rows.reduce((n, r) => n + r.rssMiB, 0) / rows.length;
  const sxx = rows.reduce((n, r) => n + (r.acknowledged - meanX) ** 2, 0);
  const sxy = rows.reduce((n, r) => n + (r.acknowledged - meanX) * (r.rssMiB - meanY), 0);
  const slopeBytesPerSubscriber = sxx > 0 ? Math.round((sxy / sxx) * 1024 * 1024) : null;
  const summary = {
    kind: "queue(unitCode) { computedAt open }",
    units: units.length,
    perConnection: IDLE_PER_CONNECTION,
    tokens: 1,
    target: IDLE_TARGET,
    held: top?.acknowledged ?? 0,
    sockets: top?.sockets ?? 0,
    baseRssMiB: round(base.rssKiB / MiB, 1),
    topRssMiB: top?.rssMiB ?? null,
    bytesPerSubscriberAtTop: top?.bytesPerSubscriber ?? null,
    slopeBytesPerSubscriber,
    peakRssMiB: round(afterClose.hwmKiB / MiB, 1),
    rssAfterCloseMiB: round(afterClose.rssKiB / MiB, 1),
    stillServing: rows.every((r) => r.probe.readyStatus === 200 && r.probe.queryFailures === 0),
    errors: last?.errors ?? {},
    closes: last?.closes ?? {},
    serverLogProblems: node.server.log.firstProblems,
  };
  console.log(`RSS slope ${slopeBytesPerSubscriber} B/subscriber; ${summary.rssAfterCloseMiB} MiB after closing all`);
  printTable(
    `idle subscribers (queue, ${IDLE_PER_CONNECTION} per socket): server memory and responsiveness`,
    rows.map((r) => ({
      subscribers: r.subscribers,
      acknowledged: r.acknowledged,
      sockets: r.sockets,
      "RSS MiB": r.rssMiB,
      "added MiB": r.addedMiB,
      "B/subscriber": r.bytesPerSubscriber,
      "open ms": r.openMs,
      "/ready": r.probe.readyStatus,
      "/ready ms": r.probe.readyMs,
      "query ms": r.probe.queryMedianMs,
      "query failures": r.probe.queryFailures,
    })),
  );
  return { summary, rows, afterClose: { rssMiB: summary.rssAfterCloseMiB, probe: closedProbe } };
}

// --- 3. Shared queue snapshots.

async function sharingPhase(pool: SubscriberPool, generator: ChangeGenerator) {
  banner(
    `queue snapshots: ${WATCHERS.join(", ")} watchers of ${WATCH_UNIT}, createTicket at ${WATCH_RATE}/s into it, ` +
      `${WATCH_S} s each`,
  );
  const node = await startNode("sharing");
  const runId = Date.now().toString(36);
  const rows = [];
  for (const watchers of WATCHERS) {
    const set = `watch-${watchers}`;
    const opened = await pool.open({
      set,
      kind: "queue",
      url: node.server.url,
      token: node.token,
      unitCodes: Array.from({ length: watchers }, () => WATCH_UNIT),
      perConnection: PER_CONNECTION,
      timeoutMs: 60_000 + watchers * 20,
    });
    // The first snapshots of a new watcher set are not what is measured.
    await sleep(1_000);
    const cpu = cores(node.server, [...pool.pids, generator.pid]);
    const run = await generator.run({
      url: node.server.url,
      token: node.token,
      rate: WATCH_RATE,
      seconds: WATCH_S,
      unitCodes: [WATCH_UNIT],
      prefix: `rt-${runId}-w${watchers}`,
      maxInFlight: MAX_IN_FLIGHT,
    });
    const usage = cpu();
    // A snapshot on its way at the end of the window is counted only if it arrived inside it.
    await sleep(500);
    const counted = await pool.countSnapshots({ set, from: run.startedAt, to: run.endedAt });
    await pool.close(set);
    const windowS = (run.endedAt - run.startedAt) / 1000;
    const computations = counted.computedAt.length;
    const row = {
      watchers,
      acknowledged: opened.acknowledged,
      sockets: opened.sockets,
      changesPerSecond: run.achievedPerSecond,
      computationsPerSecond: round(computations / windowS, 2),
      messagesPerSecond: round(counted.messages / windowS, 1),
      messagesPerWatcherPerSecond: round(counted.messages / Math.max(1, counted.watchers) / windowS, 2),
      /** Watchers that received each computation: W when every snapshot was shared with everyone. */
      messagesPerComputation: computations ? round(counted.messages / computations, 1) : 0,
      minPerWatcher: counted.minPerWatcher,
      maxPerWatcher: counted.maxPerWatcher,
      silentWatchers: counted.silentWatchers,
      endedWatchers: counted.ended,
      cores: usage,
      errors: counted.errors,
      closes: counted.closes,
      changeFailures: run.errorPayloads + run.non2xx + run.socketErrors,
    };
    rows.push(row);
    console.log(
      `${watchers} watchers: ${row.computationsPerSecond} computations/s, ${row.messagesPerSecond} messages/s ` +
        `(${row.messagesPerComputation} per computation), ${run.achievedPerSecond} changes/s, server cores ${usage.server}`,
    );
  }
  await node.stop();
  const summary = {
    unit: WATCH_UNIT,
    changesPerSecond: WATCH_RATE,
    windowS: WATCH_S,
    perConnection: PER_CONNECTION,
    /** At most one computation per unit per interval, whatever the change rate. */
    computationsPerSecondCeiling: 1000 / SNAPSHOT_INTERVAL_MS,
    computationsPerSecond: Object.fromEntries(rows.map((r) => [r.watchers, r.computationsPerSecond])),
    messagesPerSecond: Object.fromEntries(rows.map((r) => [r.watchers, r.messagesPerSecond])),
    serverLogProblems: node.server.log.firstProblems,
  };
  printTable(
    `queue snapshots of ${WATCH_UNIT} at ${WATCH_RATE} changes/s (a computation is a distinct computedAt)`,
    rows.map((r) => ({
      watchers: r.watchers,
      sockets: r.sockets,
      "changes/s": r.changesPerSecond,
      "computations/s": r.computationsPerSecond,
      "messages/s": r.messagesPerSecond,
      "messages/watcher/s": r.messagesPerWatcherPerSecond,
      "messages/computation": r.messagesPerComputation,
      "min/watcher": r.minPerWatcher,
      "max/watcher": r.maxPerWatcher,
      silent: r.silentWatchers,
      "server cores": r.cores.server,
      "pg cores": r.cores.postgres,
    })),
  );
  return { summary, rows };
}

export async function benchRealtime() {
  const unknown = PHASES.filter((phase) => !["latency", "idle", "sharing"].includes(phase));
  if (unknown.length) throw new Error(`unknown BENCH_RT_PHASES entries: ${unknown.join(", ")}`);
  const pool = startSubscriberPool(WORKERS);
  const generator = startChangeGenerator();
  const data: Record<string, unknown> = {
    config: {
      workers: WORKERS,
      perConnection: PER_CONNECTION,
      maxInFlight: MAX_IN_FLIGHT,
      subscribers: SUBSCRIBERS,
      units: UNITS,
      rate: RATE,
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      rounds: ROUNDS,
      idleSteps: IDLE_STEPS,
      idlePerConnection: IDLE_PER_CONNECTION,
      watchers: WATCHERS,
      watchUnit: WATCH_UNIT,
      watchRate: WATCH_RATE,
      watchS: WATCH_S,
    },
  };
  const summary: Record<string, unknown> = { measure: "live subscriptions over graphql-ws" };
  if (PHASES.includes("latency")) {
    const latency = await latencyPhase(pool, generator);
    data.latency = latency;
    summary.latency = latency.summary;
  }
  if (PHASES.includes("idle")) {
    const idle = await idlePhase(pool);
    data.idle = idle;
    summary.idle = idle.summary;
  }
  if (PHASES.includes("sharing")) {
    const sharing = await sharingPhase(pool, generator);
    data.sharing = sharing;
    summary.sharing = sharing.summary;
  }
  await generator.stop();
  await pool.stop();
  console.log(`written ${writeResult("realtime", { summary, ...data })}`);
  return summary;
}

if (isEntryPoint(import.meta.url)) runAsScript(benchRealtime);
