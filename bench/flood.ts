/**
 * One API key flooding search counts and long-range metrics at its budget, while a second caller runs a
 * simple ticket page and something polls /health: the latency the others see, and the server's CPU per
 * request. On PostgreSQL and on PGlite, with the demo history (22,000 tickets over 90 days).
 *
 * The flooding key is the demo's third-party key on its real STANDARD budget (2,000 points, 20 a second):
 * it sends as fast as the server answers, and after a RATE_LIMITED waits what Retry-After says (at most
 * 1 s), which is what spending a budget as fast as it refills means.
 *
 * BENCH_FLOOD_TARGETS (postgres,pglite), BENCH_FLOOD_S (20 s a round), BENCH_FLOOD_ROUNDS (3),
 * BENCH_FLOOD_PG_DATABASE (reuse a seeded database, never dropped), BENCH_FLOOD_DATA_DIR (reuse a seeded
 * PGlite folder).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isEntryPoint, runAsScript } from "./lib/cleanup.js";
import { backendCpuMeter, createBenchDatabase, existingBenchDatabase } from "./lib/database.js";
import { DEMO_PASSWORD, login } from "./lib/graphql.js";
import { type ChildServer, freePort, processTicks, startPantau, ticksPerSecond } from "./lib/processes.js";
import { banner, printTable, writeResult } from "./lib/report.js";
import { median, percentile, round } from "./lib/stats.js";

const SECONDS = Number(process.env.BENCH_FLOOD_S ?? 20);
const ROUNDS = Number(process.env.BENCH_FLOOD_ROUNDS ?? 3);
const TARGETS = (process.env.BENCH_FLOOD_TARGETS ?? "postgres,pglite").split(",").filter(Boolean);
const FLOODERS = 4;
const HEALTH_EVERY_MS = 50;

const DAY_MS = 86_400_000;
const longRange = () => ({ from: new Date(Date.now() - 3 * 365 * DAY_MS).toISOString(), to: new Date().toISOString() });

/** The operations of the issue: each cheap-looking before costs followed the database's work. */
const FLOOD: { name: string; query: string; variables: () => Record<string, unknown> }[] = [
  {
    name: "20 aliases of an unindexed search's totalCount",
    query: `{ ${Array.from({ length: 20 }, (_, i) => `s${i}: tickets(first: 0, filter: { search: "zzqqxx${i}" }) { totalCount }`).join(" ")} }`,
    variables: () => ({}),
  },
  {
    name: "national overview over three years",
    query: `query($from: DateTime, $to: DateTime) { nationalOverview(from: $from, to: $to) {
      unit { code } figures { created resolved slaCompliancePercent backlog { open } } } }`,
    variables: longRange,
  },
  {
    name: "directorate metrics by day over three years",
    query: `query($from: DateTime!, $to: DateTime!) { unitMetrics(code: "IMI", from: $from, to: $to, granularity: DAY) {
      totals { created resolved } buckets { start figures { created resolved } } } }`,
    variables: longRange,
  },
];

const SIMPLE = `{ tickets(first: 10) { edges { node { number status } } } }`;

interface Round {
  healthMs: number[];
  simpleMs: number[];
  simpleErrors: number;
  flood: { answered: number; rateLimited: number; otherErrors: number };
  requests: number;
  serverCpuMs: number;
  /** CPU of the database's PostgreSQL backends; null on PGlite, whose work is the server's own. */
  postgresCpuMs: number | null;
  seconds: number;
}

async function post(url: string, token: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: { extensions?: { code?: string; retryAfter?: number } }[] };
  return { status: response.status, body };
}

async function floodRound(server: ChildServer, apiKey: string, staff: string, database: string | null): Promise<Round> {
  const started = performance.now();
  const until = started + SECONDS * 1000;
  const round: Round = {
    healthMs: [],
    simpleMs: [],
    simpleErrors: 0,
    flood: { answered: 0, rateLimited: 0, otherErrors: 0 },
    requests: 0,
    serverCpuMs: 0,
    postgresCpuMs: null,
    seconds: SECONDS,
  };
  const hz = ticksPerSecond();
  const ticksBefore = processTicks(server.pid)?.ticks ?? 0;
  const postgresCpu = database ? await backendCpuMeter(database) : null;

  const flooder = async (offset: number) => {
    for (let i = offset; performance.now() < until; i++) {
      const operation = FLOOD[i % FLOOD.length] as (typeof FLOOD)[number];
      const { status, body } = await post(server.url, apiKey, operation.query, operation.variables()).catch(() => ({
        status: 0,
        body: {} as Awaited<ReturnType<typeof post>>["body"],
      }));
      round.requests += 1;
      const code = body.errors?.[0]?.extensions?.code;
      if (status === 429 || code === "RATE_LIMITED") {
        round.flood.rateLimited += 1;
        const wait = Math.min(1_000, (body.errors?.[0]?.extensions?.retryAfter ?? 1) * 1000);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(wait, until - performance.now()))));
      } else if (code || status !== 200) round.flood.otherErrors += 1;
      else round.flood.answered += 1;
    }
  };
  const second = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      const { body } = await post(server.url, staff, SIMPLE, {});
      round.simpleMs.push(performance.now() - started);
      round.requests += 1;
      if (body.errors?.length) round.simpleErrors += 1;
    }
  };
  const health = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      const response = await fetch(`${server.url}/health`);
      await response.arrayBuffer();
      const took = performance.now() - started;
      round.healthMs.push(took);
      round.requests += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, HEALTH_EVERY_MS - took)));
    }
  };
  await Promise.all([...Array.from({ length: FLOODERS }, (_, i) => flooder(i)), second(), health()]);
  round.serverCpuMs = (((processTicks(server.pid)?.ticks ?? 0) - ticksBefore) / hz) * 1000;
  if (postgresCpu) round.postgresCpuMs = (await postgresCpu()) * 1000;
  // An answer that came late (a frozen server) makes the round longer than planned.
  round.seconds = (performance.now() - started) / 1000;
  return round;
}

function apiKeyOf(server: ChildServer): string {
  const key = /ptk_[A-Za-z0-9_-]+/.exec(server.log.lastLines(200))?.[0];
  if (!key) throw new Error("the demo API key was not printed at start");
  return key;
}

async function startTarget(target: string): Promise<{ server: ChildServer; database: string | null }> {
  // The flooding key keeps its real budget; staff budgets stay out of the way of the second caller.
  const env: Record<string, string> = {
    DEMO_PASSWORD,
    LOG_LEVEL: "warn",
    PANTAU_BUDGET_STANDARD_CAPACITY: "2000",
    PANTAU_BUDGET_STANDARD_REFILL_PER_SECOND: "20",
  };
  let database: string | null = null;
  if (target === "postgres") {
    const name = process.env.BENCH_FLOOD_PG_DATABASE;
    const db = name ? await existingBenchDatabase(name) : await createBenchDatabase("flood");
    env.DATABASE_URL = db.url;
    database = db.name;
  } else {
    env.PANTAU_DATA_DIR = process.env.BENCH_FLOOD_DATA_DIR ?? mkdtempSync(join(tmpdir(), "pantau-flood-"));
  }
  // A fresh demo is seeded on the first start: give it the time a busy machine needs.
  const server = await startPantau(env, { port: await freePort(), readyTimeoutMs: 900_000 });
  return { server, database };
}

function summarize(target: string, rounds: Round[]) {
  const per = (pick: (r: Round) => number) => rounds.map(pick).map((v) => round(v, 1));
  return {
    target,
    rounds: rounds.length,
    "/health p99 ms (each round)": per((r) => percentile(r.healthMs, 99)).join(" / "),
    "/health p99 ms (median)": round(median(rounds.map((r) => percentile(r.healthMs, 99))), 1),
    "/health median ms": round(median(rounds.map((r) => median(r.healthMs))), 1),
    "second caller p99 ms (each round)": per((r) => percentile(r.simpleMs, 99)).join(" / "),
    "second caller p99 ms (median)": round(median(rounds.map((r) => percentile(r.simpleMs, 99))), 1),
    "second caller median ms": round(median(rounds.map((r) => median(r.simpleMs))), 1),
    "second caller errors": rounds.reduce((sum, r) => sum + r.simpleErrors, 0),
    "flood answered / rate-limited / other (per round, median)": [
      median(rounds.map((r) => r.flood.answered)),
      median(rounds.map((r) => r.flood.rateLimited)),
      median(rounds.map((r) => r.flood.otherErrors)),
    ].join(" / "),
    "server CPU ms per request (median)": round(median(rounds.map((r) => r.serverCpuMs / r.requests)), 2),
    "server cores used (median)": round(median(rounds.map((r) => r.serverCpuMs / 1000 / r.seconds)), 2),
    "PostgreSQL CPU ms per request (median)": rounds.every((r) => r.postgresCpuMs !== null)
      ? round(median(rounds.map((r) => (r.postgresCpuMs as number) / r.requests)), 2)
      : "n/a (in the server)",
    "round seconds (median)": round(median(rounds.map((r) => r.seconds)), 1),
  };
}

export async function benchFlood() {
  banner(`flood: one API key at its budget, ${ROUNDS} × ${SECONDS} s, on ${TARGETS.join(" and ")}`);
  const results = [];
  for (const target of TARGETS) {
    const { server, database } = await startTarget(target);
    try {
      const apiKey = apiKeyOf(server);
      const staff = await login(server.url, "agen.malang@pantau.demo", DEMO_PASSWORD);
      const rounds: Round[] = [];
      for (let i = 0; i < ROUNDS; i++) rounds.push(await floodRound(server, apiKey, staff, database));
      const summary = summarize(target, rounds);
      results.push({ summary, rounds: rounds.map((r) => ({ ...r, healthMs: undefined, simpleMs: undefined })) });
      printTable(`flood on ${target}`, [summary]);
    } finally {
      await server.stop();
    }
  }
  writeResult("flood", results);
  return results;
}

if (isEntryPoint(import.meta.url)) runAsScript(benchFlood);
