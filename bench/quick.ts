/**
 * `pnpm bench:quick`: the request path's figures in one table, in under three minutes, each from the same
 * functions as its full benchmark with a shorter load plan. `--append` adds the table to BENCHMARKS.md.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import {
  type FloorSummary,
  measureCreateTicket,
  measureSignedInFloor,
  startCreateTicketServer,
} from "./create-ticket.js";
import { measureInsertBaseline, startInsertBaseline } from "./insert-baseline.js";
import { cleanupAll, isEntryPoint, runAsScript } from "./lib/cleanup.js";
import { DEMO_PASSWORD, login } from "./lib/graphql.js";
import type { LoadPlan } from "./lib/load.js";
import { REPO_ROOT } from "./lib/processes.js";
import { timeQueueSnapshots } from "./lib/queue-snapshot.js";
import { banner, machineInfo, writeResult } from "./lib/report.js";
import { median as medianOf } from "./lib/stats.js";
import { measureStartup } from "./startup.js";
import { measureTicketPage, startTicketPage } from "./ticket-page.js";
import { measureYogaFloor, startYogaFloor } from "./yoga-floor.js";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CONNECTIONS = env("BENCH_CONNECTIONS", 32);
const FLOOR_PLAN: LoadPlan = {
  connections: CONNECTIONS,
  durationS: env("BENCH_QUICK_FLOOR_S", 2),
  warmupS: 1,
  rounds: env("BENCH_QUICK_ROUNDS", 3),
};
const CREATE_PLAN: LoadPlan = {
  connections: CONNECTIONS,
  durationS: env("BENCH_QUICK_CREATE_S", 3),
  warmupS: 1,
  rounds: env("BENCH_QUICK_ROUNDS", 3),
};
const INSERT_PLAN: LoadPlan = { ...FLOOR_PLAN };
const PAGE_SEED = {
  days: env("BENCH_QUICK_PAGE_SEED_DAYS", 10),
  ticketsPerDay: env("BENCH_QUICK_PAGE_SEED_PER_DAY", 400),
};
const PAGE_SAMPLES = { samples: env("BENCH_QUICK_PAGE_SAMPLES", 200), warmup: 30 };
const WARM_STARTS = env("BENCH_QUICK_WARM_STARTS", 3);
const QUEUE_UNIT = process.env.BENCH_QUICK_QUEUE_UNIT ?? "KANIM-MALANG";
const QUEUE_SAMPLES = env("BENCH_QUICK_QUEUE_SAMPLES", 5);

const TARGETS = {
  floorCpuMs: 0.25,
  createPerSecond: 500,
  createCpuMs: 1.8,
  /** 1.5 × the 22 Nov PostgreSQL cost of one raw insert, 0.27 ms. */
  insertPgCpuMs: 0.405,
  freshStartMs: 15_000,
  warmStartMs: 2_000,
  queueSnapshotMs: 10,
};

export const QUICK_SECTION = "## 16q. Quick benchmark runs";

const SECTION_INTRO = `${QUICK_SECTION}

\`pnpm bench:quick\` (\`bench/quick.ts\`, about 2–3 minutes) measures the request path's main figures in one
run with short load plans, so that a change can quote its before and after; \`pnpm bench:quick -- --append\`
adds the run below. Each figure comes from the same function as its full benchmark (sections 1–3 and 6),
with shorter rounds: read the trend and the CPU per request, and use the full benchmark for a figure to keep.
The machine is shared: server CPU per request moves far less with other work than throughput does, and the
"others" column is the cores other processes on the machine used meanwhile.

- **bare Yoga floor**: \`{ ok }\` on a bare graphql-yoga server (\`bench/yoga-floor.ts\`), 32 connections.
- **signed-in floor**: \`{ __typename }\` with a signed-in agent's bearer token on the real server on
  PostgreSQL (\`bench/create-ticket.ts\`): HTTP, Yoga, every plugin and the session lookup, no resolver work.
  The ratio is its server CPU per request over the bare floor's.
- **createTicket**: committed tickets per second at 32 connections, each checked in the database with its
  CREATED event; server CPU and the PostgreSQL CPU of the bench database's own backends per ticket.
- **raw SQL insert**: the same transaction straight from \`pg\` (\`bench/insert-baseline.ts\`); PostgreSQL CPU per
  insert (own backends; in brackets every postgres process, background writers included).
- **ticket page**: a page of 50 open tickets of KANWIL-JI through GraphQL against the same page and count in
  raw SQL (\`bench/ticket-page.ts\`), sequential, on a smaller seed than section 2's.
- **queue snapshot**: time from opening a \`queue(unitCode:)\` subscription to its first snapshot, nobody
  else watching the unit, on the PGlite demo history of the warm start (default seed, about 22,000 tickets).
- **fresh / warm start**: PGlite, spawn → \`/ready\` (\`bench/startup.ts\`), a new data folder with the
  default 90-day demo history, then the same folder again.

Figures are medians of the rounds shown; p99 is the median of the rounds' p99 (single requests' for the
page and the snapshot). ✓/✗ compare with the issue 16 targets.
`;

function git(args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

const fmt = (value: number | undefined | null, digits = 1) =>
  value === undefined || value === null || Number.isNaN(value)
    ? "–"
    : value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const check = (ok: boolean | null) => (ok === null ? "" : ok ? " ✓" : " ✗");

interface Row {
  measure: string;
  runs: string;
  figure: string;
  p99: string;
  cpu: string;
  others: string;
  target: string;
}

async function attempt<T>(name: string, failures: string[], work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    failures.push(`${name}: ${String((error as Error).message ?? error).split("\n")[0]}`);
    console.error(`${name} failed:`, error);
    return null;
  } finally {
    // A failed measure's server or database must be gone before the next one starts measuring.
    await cleanupAll();
  }
}

export async function benchQuick(options: { append?: boolean } = {}) {
  const startedAt = performance.now();
  const commit = git(["rev-parse", "--short=10", "HEAD"]);
  const commitDate = git(["log", "-1", "--format=%cI", "HEAD"]);
  const subject = git(["log", "-1", "--format=%s", "HEAD"]);
  const dirty = git(["status", "--porcelain", "--untracked-files=no"]) !== "";
  const machine = machineInfo();
  const failures: string[] = [];
  const median = <T>(rounds: readonly T[], pick: (r: T) => number) => medianOf(rounds.map(pick));

  banner("bare Yoga floor");
  const yoga = await attempt("bare Yoga floor", failures, async () => {
    const server = await startYogaFloor();
    const measured = await measureYogaFloor(server, FLOOR_PLAN);
    await server.stop();
    return measured;
  });

  banner("createTicket and the signed-in floor (PostgreSQL)");
  const create = await attempt("createTicket", failures, async () => {
    const bench = await startCreateTicketServer();
    const tickets = await measureCreateTicket(bench, CREATE_PLAN);
    const floor = await measureSignedInFloor(bench.server, bench.token, FLOOR_PLAN);
    await bench.stop();
    return { tickets, floor };
  });

  banner("raw SQL insert baseline (PostgreSQL)");
  const insert = await attempt("raw SQL insert", failures, async () => {
    const baseline = await startInsertBaseline(INSERT_PLAN.connections);
    const measured = await measureInsertBaseline(baseline, INSERT_PLAN);
    await baseline.stop();
    return measured;
  });

  banner(`ticket page (PostgreSQL, seed ${PAGE_SEED.days} days × ${PAGE_SEED.ticketsPerDay}/day)`);
  const page = await attempt("ticket page", failures, async () => {
    const bench = await startTicketPage(PAGE_SEED);
    const measured = await measureTicketPage(bench, PAGE_SAMPLES);
    await bench.stop();
    return measured;
  });

  banner(`start-up on PGlite: 1 fresh, ${WARM_STARTS} warm; queue snapshot of ${QUEUE_UNIT} on the warm server`);
  let queue: Awaited<ReturnType<typeof timeQueueSnapshots>> | null = null;
  const startup = await attempt("start-up", failures, () =>
    measureStartup({
      rounds: 1,
      warmPerRound: WARM_STARTS,
      withLastWarm: async (server) => {
        // Not through attempt(): its cleanup would stop this server under the start-up measure.
        try {
          const token = await login(server.url, "direktorat@pantau.demo", DEMO_PASSWORD);
          queue = await timeQueueSnapshots({ url: server.url, token, unitCode: QUEUE_UNIT, samples: QUEUE_SAMPLES });
        } catch (error) {
          failures.push(`queue snapshot: ${String((error as Error).message ?? error).split("\n")[0]}`);
          console.error("queue snapshot failed:", error);
        }
      },
    }),
  );
  const snapshot = queue as Awaited<ReturnType<typeof timeQueueSnapshots>> | null;
  const elapsedS = Math.round((performance.now() - startedAt) / 1000);

  // --- The table.
  const others = <T extends { cores: { others: number } }>(rounds: readonly T[]) =>
    `${fmt(
      median(rounds, (r) => r.cores.others),
      2,
    )}`;
  const floorRow = (
    name: string,
    floor: { summary: FloorSummary; rounds: { cores: { others: number } }[] } | null,
    target: string,
    extra = "",
  ): Row =>
    floor
      ? {
          measure: name,
          runs: `${floor.rounds.length} × ${FLOOR_PLAN.durationS} s`,
          figure: `${fmt(floor.summary.requestsPerSecond, 0)} req/s`,
          p99: `${fmt(floor.summary.latencyP99Ms)} ms`,
          cpu: `${fmt(floor.summary.serverCpuMsPerRequest, 3)} ms/req${extra}`,
          others: others(floor.rounds),
          target,
        }
      : { measure: name, runs: "failed", figure: "–", p99: "–", cpu: "–", others: "–", target };
  const yogaCpu = yoga?.summary.serverCpuMsPerRequest;
  const signedCpu = create?.floor.summary.serverCpuMsPerRequest;
  const rows: Row[] = [
    floorRow("bare Yoga floor `{ ok }`", yoga, ""),
    floorRow(
      "signed-in floor `{ __typename }`",
      create?.floor ?? null,
      `≤ ${TARGETS.floorCpuMs} ms CPU/req${signedCpu === undefined ? "" : check(signedCpu <= TARGETS.floorCpuMs)}`,
      yogaCpu && signedCpu !== undefined ? ` (${fmt(signedCpu / yogaCpu, 1)}× bare)` : "",
    ),
  ];
  if (create) {
    const s = create.tickets.summary;
    rows.push({
      measure: "createTicket (PostgreSQL)",
      runs: `${s.rounds} × ${s.durationS} s`,
      figure: `${fmt(s.medianCommittedPerSecond, 0)} tickets/s${s.allConsistent ? "" : " (INCONSISTENT)"}`,
      p99: `${fmt(s.medianLatencyP99Ms)} ms`,
      cpu: `server ${fmt(s.medianServerCpuMsPerTicket, 2)} ms/ticket, PostgreSQL ${fmt(s.medianBackendCpuMsPerTicket, 2)}`,
      others: others(create.tickets.rounds),
      target: `≥ ${TARGETS.createPerSecond}/s${check(s.medianCommittedPerSecond >= TARGETS.createPerSecond)}, ≤ ${TARGETS.createCpuMs} ms${check(s.medianServerCpuMsPerTicket <= TARGETS.createCpuMs)}`,
    });
  } else
    rows.push({
      measure: "createTicket (PostgreSQL)",
      runs: "failed",
      figure: "–",
      p99: "–",
      cpu: "–",
      others: "–",
      target: "",
    });
  if (insert) {
    const s = insert.summary;
    const ratio = create
      ? ` (createTicket ${fmt(create.tickets.summary.medianCommittedPerSecond / s.medianCommittedPerSecond, 2)}×)`
      : "";
    rows.push({
      measure: "raw SQL insert (pg)",
      runs: `${s.rounds} × ${s.durationS} s`,
      figure: `${fmt(s.medianCommittedPerSecond, 0)} inserts/s${ratio}`,
      p99: `${fmt(s.medianLatencyP99Ms)} ms`,
      cpu: `PostgreSQL ${fmt(s.medianBackendCpuMsPerInsert, 3)} ms/insert (all postgres ${fmt(s.medianPostgresCpuMsPerInsert, 3)})`,
      others: fmt(
        median(insert.rounds, (r) => r.cores.others),
        2,
      ),
      target: `≤ ${TARGETS.insertPgCpuMs} ms PG CPU${check(s.medianBackendCpuMsPerInsert <= TARGETS.insertPgCpuMs)}`,
    });
  } else
    rows.push({
      measure: "raw SQL insert (pg)",
      runs: "failed",
      figure: "–",
      p99: "–",
      cpu: "–",
      others: "–",
      target: "",
    });
  if (page) {
    const s = page.summary;
    rows.push({
      measure: `ticket page GraphQL ÷ SQL (${fmt(s.tickets, 0)} tickets)`,
      runs: `${s.graphql.samples} pages`,
      figure: `${fmt(s.ratioMedian, 2)}× (${fmt(s.graphql.medianMs, 2)} / ${fmt(s.sql.medianMs, 2)} ms)`,
      p99: `${fmt(s.ratioP99, 2)}× (${fmt(s.graphql.p99Ms, 2)} / ${fmt(s.sql.p99Ms, 2)} ms)`,
      cpu: "",
      others: "",
      target: s.samePageAndCount ? "" : "page differs from SQL!",
    });
  } else
    rows.push({
      measure: "ticket page GraphQL ÷ SQL",
      runs: "failed",
      figure: "–",
      p99: "–",
      cpu: "–",
      others: "",
      target: "",
    });
  rows.push(
    snapshot
      ? {
          measure: `queue snapshot ${snapshot.unitCode} (PGlite demo, ${fmt(snapshot.open, 0)} open)`,
          runs: `${snapshot.samples} snapshots`,
          figure: `${fmt(snapshot.medianMs, 1)} ms`,
          p99: `${fmt(snapshot.p99Ms, 1)} ms`,
          cpu: "",
          others: "",
          target: `≤ ${TARGETS.queueSnapshotMs} ms${check(snapshot.medianMs <= TARGETS.queueSnapshotMs)}`,
        }
      : {
          measure: `queue snapshot ${QUEUE_UNIT}`,
          runs: "failed",
          figure: "–",
          p99: "–",
          cpu: "",
          others: "",
          target: "",
        },
  );
  if (startup) {
    const s = startup.summary;
    const own = (values: (number | null)[]) => values.map((v) => (v === null ? "?" : fmt(v / 1000, 1))).join(", ");
    rows.push(
      {
        measure: `fresh start, PGlite (${fmt(s.fresh.ticketsSeeded, 0)} tickets seeded)`,
        runs: `${s.fresh.allMs.length}`,
        figure: `${fmt(s.fresh.medianMs / 1000, 1)} s`,
        p99: "",
        cpu: `database ready ${own(s.fresh.databaseReadyMs)} s`,
        others: "",
        target: `≤ ${TARGETS.freshStartMs / 1000} s${check(s.fresh.medianMs <= TARGETS.freshStartMs)}`,
      },
      {
        measure: "warm start, PGlite",
        runs: `${s.warm.allMs.length}`,
        figure: `${fmt(s.warm.medianMs / 1000, 2)} s`,
        p99: "",
        cpu: `all ${s.warm.allMs.map((v) => fmt(v / 1000, 2)).join(", ")} s`,
        others: "",
        target: `≤ ${TARGETS.warmStartMs / 1000} s${check(s.warm.medianMs <= TARGETS.warmStartMs)}`,
      },
    );
  } else
    rows.push({
      measure: "fresh / warm start, PGlite",
      runs: "failed",
      figure: "–",
      p99: "",
      cpu: "",
      others: "",
      target: "",
    });

  const lines = [
    `### ${machine.date.slice(0, 16).replace("T", " ")} UTC, commit \`${commit}\`${dirty ? " (with uncommitted changes)" : ""} of ${commitDate}`,
    "",
    `\`${subject.replace(/`/g, "'")}\`. ${machine.nproc} cores (${machine.cpuModel}), Node ${machine.node}, load average before ${machine.loadAverage.join(" ")}, after ${loadavg()
      .map((v) => v.toFixed(2))
      .join(" ")}; ${elapsedS} s.`,
    "",
    "| measure | runs | median | p99 | CPU | others' cores | target |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.measure} | ${r.runs} | ${r.figure} | ${r.p99} | ${r.cpu} | ${r.others} | ${r.target} |`),
  ];
  if (failures.length) lines.push("", ...failures.map((f) => `- failed: ${f}`));
  const markdown = `${lines.join("\n")}\n`;
  console.log(`\n${markdown}`);

  writeResult("quick", {
    commit,
    commitDate,
    dirty,
    machine,
    elapsedS,
    yoga,
    create,
    insert,
    page,
    queue: snapshot,
    startup,
    failures,
    markdown,
  });
  if (options.append) console.log(`appended to ${appendToBenchmarks(markdown)}`);
  return { markdown, failures };
}

/** Adds `markdown` at the end of the quick-run section of BENCHMARKS.md, creating the section once. */
export function appendToBenchmarks(markdown: string): string {
  const path = `${REPO_ROOT}BENCHMARKS.md`;
  let text = readFileSync(path, "utf8");
  if (!text.endsWith("\n")) text += "\n";
  const at = text.indexOf(`${QUICK_SECTION}\n`);
  if (at < 0) {
    text += `\n${SECTION_INTRO}\n${markdown}`;
  } else {
    // Before the next top-level section, if others were appended after this one.
    const next = text.indexOf("\n## ", at + QUICK_SECTION.length);
    const end = next < 0 ? text.length : next + 1;
    const before = text.slice(0, end).replace(/\n*$/, "\n");
    text = `${before}\n${markdown}${next < 0 ? "" : `\n${text.slice(end)}`}`;
  }
  writeFileSync(path, text);
  return path;
}

if (isEntryPoint(import.meta.url)) {
  runAsScript(() => benchQuick({ append: process.argv.slice(2).includes("--append") }));
}
