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
import { cleanupAll, isEntryPoint, onInterrupt, runAsScript, stopping } from "./lib/cleanup.js";
import { DEMO_PASSWORD, login } from "./lib/graphql.js";
import type { LoadPlan } from "./lib/load.js";
import { REPO_ROOT } from "./lib/processes.js";
import { timeQueueComputation, timeQueueSnapshots } from "./lib/queue-snapshot.js";
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
/**
 * A measure still to start after this many seconds is skipped, and a fresh start not ready by then is
 * given up (its figure is then "more than"), so that the whole run stays within about three minutes.
 */
const BUDGET_S = env("BENCH_QUICK_BUDGET_S", 150);
/**
 * Past this, the run stops itself and prints what it has, before CI's `timeout` (240 s) would: pnpm,
 * stopped by a signal, takes its script's processes down with it before they can print anything.
 */
const HARD_LIMIT_S = env("BENCH_QUICK_HARD_LIMIT_S", 210);

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

\`pnpm bench:quick\` (\`bench/quick.ts\`, at most about 3 minutes) measures the request path's main figures in
one run with short load plans, so that a change can quote its before and after; \`pnpm bench:quick -- --append\`
adds the run below. Each figure comes from the same function as its full benchmark (sections 1–3 and 6),
with shorter rounds: read the trend, and use the full benchmark for a figure to keep. A measure that would
start after 150 s is skipped, and a fresh start not ready by then (or within 30 s) is given up ("> N s"). CI (\`.ci/run\`)
prints a run after the tests and never fails on it.

The machine is shared, and under load every figure moves, server CPU per request included (the bare
floor's doubled at a load average of 17). The "others' cores" column is what other processes on the
machine used meanwhile (of 2): compare runs with similar values, and read the same-run ratios
(signed-in ÷ bare floor, createTicket ÷ raw insert, GraphQL ÷ SQL) before the absolute figures.

- **bare Yoga floor**: \`{ ok }\` on a bare graphql-yoga server (\`bench/yoga-floor.ts\`), 32 connections.
- **signed-in floor**: \`{ __typename }\` with a signed-in agent's bearer token on the real server on
  PostgreSQL (\`bench/create-ticket.ts\`): HTTP, Yoga, every plugin and the session lookup, no resolver work.
  In brackets its server CPU per request over the bare floor's.
- **createTicket**: committed tickets per second at 32 connections, each checked in the database with its
  CREATED event; server CPU per ticket, and the CPU of the bench database's own PostgreSQL backends.
- **raw SQL insert**: the same transaction straight from \`pg\` (\`bench/insert-baseline.ts\`); PostgreSQL CPU per
  insert (own backends; in brackets every postgres process, background writers and other databases included).
- **ticket page**: a page of 50 open tickets of KANWIL-JI through GraphQL against the same page and count in
  raw SQL (\`bench/ticket-page.ts\`), one request at a time, on a 10-day seed of 400 tickets a day (section 2:
  90 days of 1,000).
- **queue snapshot**: from opening a \`queue(unitCode:)\` subscription (nobody else watching the unit) to its
  first snapshot; on PostgreSQL on the ticket page's history, and in brackets the same snapshot computed in
  the bench process (\`computeQueueSnapshot\`, one connection); on PGlite on the demo history of the warm start
  (default seed, about 22,000 tickets).
- **fresh / warm start**: PGlite, spawn → \`/ready\` (\`bench/startup.ts\`): a new data folder, with migrations
  and the default 90-day demo history, then the same folder again; "database ready" is the server's own log.

Figures are medians of the rounds shown; p99 is the median of the rounds' p99 (of single requests for the
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

type QueueTimes = Awaited<ReturnType<typeof timeQueueSnapshots>>;

/** What the run measured so far: null until a measure has run (or when it failed or was skipped). */
interface Results {
  yoga: Awaited<ReturnType<typeof measureYogaFloor>> | null;
  create: {
    tickets: Awaited<ReturnType<typeof measureCreateTicket>>;
    floor: Awaited<ReturnType<typeof measureSignedInFloor>>;
  } | null;
  insert: Awaited<ReturnType<typeof measureInsertBaseline>> | null;
  page: Awaited<ReturnType<typeof measureTicketPage>> | null;
  postgresQueue: { subscription: QueueTimes; direct: Awaited<ReturnType<typeof timeQueueComputation>> } | null;
  pgliteQueue: QueueTimes | null;
  startup: Awaited<ReturnType<typeof measureStartup>> | null;
  /** Why a measure has no figure: failed (with the error) or skipped (over the time budget). */
  missing: Record<string, string>;
}

interface Row {
  measure: string;
  runs: string;
  figure: string;
  p99: string;
  cpu: string;
  others: string;
  target: string;
}

const errorLine = (error: unknown) => String((error as Error)?.message ?? error).split("\n")[0] ?? "";

function render(r: Results, header: string, elapsedS: number, note = ""): string {
  const median = <T>(rounds: readonly T[], pick: (x: T) => number) => medianOf(rounds.map(pick));
  const others = (rounds: readonly { cores: { others: number } }[]) =>
    fmt(
      median(rounds, (x) => x.cores.others),
      2,
    );
  const missing = (measure: string, key: string, target = ""): Row => ({
    measure,
    runs: r.missing[key] ? (r.missing[key].split(":")[0] ?? "") : "not run",
    figure: "–",
    p99: "–",
    cpu: "",
    others: "",
    target,
  });
  const rows: Row[] = [];
  const floorRow = (
    name: string,
    key: string,
    floor: { summary: FloorSummary; rounds: { cores: { others: number } }[] } | null | undefined,
    target: string,
    extra = "",
  ) =>
    rows.push(
      floor
        ? {
            measure: name,
            runs: `${floor.rounds.length} × ${FLOOR_PLAN.durationS} s`,
            figure: `${fmt(floor.summary.requestsPerSecond, 0)} req/s`,
            p99: `${fmt(floor.summary.latencyP99Ms)} ms`,
            cpu: `server ${fmt(floor.summary.serverCpuMsPerRequest, 3)} ms/req${extra}`,
            others: others(floor.rounds),
            target,
          }
        : missing(name, key, target),
    );
  const yogaCpu = r.yoga?.summary.serverCpuMsPerRequest;
  const signedCpu = r.create?.floor.summary.serverCpuMsPerRequest;
  floorRow("bare Yoga floor `{ ok }`", "yoga", r.yoga, "");
  floorRow(
    "signed-in floor `{ __typename }`",
    "create",
    r.create?.floor,
    `≤ ${TARGETS.floorCpuMs} ms CPU/req${signedCpu === undefined ? "" : check(signedCpu <= TARGETS.floorCpuMs)}`,
    yogaCpu && signedCpu !== undefined ? ` (${fmt(signedCpu / yogaCpu, 1)}× bare)` : "",
  );

  const createTarget = `≥ ${TARGETS.createPerSecond}/s, ≤ ${TARGETS.createCpuMs} ms CPU/ticket`;
  if (r.create) {
    const s = r.create.tickets.summary;
    rows.push({
      measure: "createTicket (PostgreSQL)",
      runs: `${s.rounds} × ${s.durationS} s`,
      figure: `${fmt(s.medianCommittedPerSecond, 0)} tickets/s${s.allConsistent ? "" : " (INCONSISTENT)"}`,
      p99: `${fmt(s.medianLatencyP99Ms)} ms`,
      cpu: `server ${fmt(s.medianServerCpuMsPerTicket, 2)} ms/ticket, PostgreSQL ${fmt(s.medianBackendCpuMsPerTicket, 2)}`,
      others: others(r.create.tickets.rounds),
      target:
        `≥ ${TARGETS.createPerSecond}/s${check(s.medianCommittedPerSecond >= TARGETS.createPerSecond)}, ` +
        `≤ ${TARGETS.createCpuMs} ms${check(s.medianServerCpuMsPerTicket <= TARGETS.createCpuMs)}`,
    });
  } else rows.push(missing("createTicket (PostgreSQL)", "create", createTarget));

  const insertTarget = `≤ ${TARGETS.insertPgCpuMs} ms PG CPU`;
  if (r.insert) {
    const s = r.insert.summary;
    const ratio = r.create
      ? `; createTicket ${fmt(r.create.tickets.summary.medianCommittedPerSecond / s.medianCommittedPerSecond, 2)}× its rate`
      : "";
    rows.push({
      measure: "raw SQL insert (pg)",
      runs: `${s.rounds} × ${s.durationS} s`,
      figure: `${fmt(s.medianCommittedPerSecond, 0)} inserts/s${ratio}`,
      p99: `${fmt(s.medianLatencyP99Ms)} ms`,
      cpu: `PostgreSQL ${fmt(s.medianBackendCpuMsPerInsert, 3)} ms/insert (all postgres ${fmt(s.medianPostgresCpuMsPerInsert, 3)})`,
      others: fmt(
        median(r.insert.rounds, (x) => x.cores.others),
        2,
      ),
      target: `${insertTarget}${check(s.medianBackendCpuMsPerInsert <= TARGETS.insertPgCpuMs)}`,
    });
  } else rows.push(missing("raw SQL insert (pg)", "insert", insertTarget));

  if (r.page) {
    const s = r.page.summary;
    rows.push({
      measure: `ticket page GraphQL ÷ SQL (${fmt(s.tickets, 0)} tickets)`,
      runs: `${s.graphql.samples} pages`,
      figure: `${fmt(s.ratioMedian, 2)}× (${fmt(s.graphql.medianMs, 2)} / ${fmt(s.sql.medianMs, 2)} ms)`,
      p99: `${fmt(s.ratioP99, 2)}× (${fmt(s.graphql.p99Ms, 2)} / ${fmt(s.sql.p99Ms, 2)} ms)`,
      cpu: "",
      others: "",
      target: s.samePageAndCount ? "" : "page differs from SQL!",
    });
  } else rows.push(missing("ticket page GraphQL ÷ SQL", "page"));

  const queueTarget = `≤ ${TARGETS.queueSnapshotMs} ms`;
  const q = r.postgresQueue;
  rows.push(
    q
      ? {
          measure: `queue snapshot ${q.subscription.unitCode}, PostgreSQL (page seed, ${fmt(q.subscription.open, 0)} open)`,
          runs: `${q.subscription.samples} + ${q.direct.samples}`,
          figure: `${fmt(q.subscription.medianMs, 1)} ms (in-process ${fmt(q.direct.medianMs, 1)} ms)`,
          p99: `${fmt(q.subscription.p99Ms, 1)} ms (${fmt(q.direct.p99Ms, 1)} ms)`,
          cpu: "",
          others: "",
          target: `${queueTarget}${check(q.subscription.medianMs <= TARGETS.queueSnapshotMs)}`,
        }
      : missing(`queue snapshot ${QUEUE_UNIT}, PostgreSQL`, "postgresQueue", queueTarget),
  );
  const p = r.pgliteQueue;
  rows.push(
    p
      ? {
          measure: `queue snapshot ${p.unitCode}, PGlite (demo history, ${fmt(p.open, 0)} open)`,
          runs: `${p.samples}`,
          figure: `${fmt(p.medianMs, 1)} ms`,
          p99: `${fmt(p.p99Ms, 1)} ms`,
          cpu: "",
          others: "",
          target: `${queueTarget}${check(p.medianMs <= TARGETS.queueSnapshotMs)}`,
        }
      : missing(`queue snapshot ${QUEUE_UNIT}, PGlite`, "pgliteQueue", queueTarget),
  );

  const freshTarget = `≤ ${TARGETS.freshStartMs / 1000} s`;
  const warmTarget = `≤ ${TARGETS.warmStartMs / 1000} s`;
  if (r.startup) {
    const s = r.startup.summary;
    const own = (values: (number | null)[]) => values.map((v) => (v === null ? "?" : fmt(v / 1000, 1))).join(", ");
    rows.push(
      {
        measure: `fresh start, PGlite (${fmt(s.fresh.ticketsSeeded, 0)} tickets seeded)`,
        runs: `${s.fresh.allMs.length}`,
        figure: `${fmt(s.fresh.medianMs / 1000, 1)} s`,
        p99: "",
        cpu: `database ready after ${own(s.fresh.databaseReadyMs)} s`,
        others: "",
        target: `${freshTarget}${check(s.fresh.medianMs <= TARGETS.freshStartMs)}`,
      },
      {
        measure: "warm start, PGlite",
        runs: `${s.warm.allMs.length}`,
        figure: `${fmt(s.warm.medianMs / 1000, 2)} s`,
        p99: "",
        cpu: `all ${s.warm.allMs.map((v) => fmt(v / 1000, 2)).join(", ")} s`,
        others: "",
        target: `${warmTarget}${check(s.warm.medianMs <= TARGETS.warmStartMs)}`,
      },
    );
  } else {
    // A fresh start given up at the budget still says something: it took longer than that.
    const gaveUp = /^failed: fresh start: .*no 200 from \/ready within (\d+) ms/.exec(r.missing.startup ?? "")?.[1];
    const fresh = missing("fresh start, PGlite", "startup", freshTarget);
    if (gaveUp) {
      Object.assign(fresh, {
        runs: "1, given up",
        figure: `> ${fmt(Number(gaveUp) / 1000, 0)} s`,
        target: `${freshTarget} ✗`,
      });
    }
    const warm = missing("warm start, PGlite", "startup", warmTarget);
    if (/^failed: fresh start/.test(r.missing.startup ?? "")) warm.runs = "not run";
    rows.push(fresh, warm);
  }

  const loadRounds = [
    ...(r.yoga?.rounds ?? []),
    ...(r.create?.tickets.rounds ?? []),
    ...(r.create?.floor.rounds ?? []),
    ...(r.insert?.rounds ?? []),
  ];
  const busiest = loadRounds.length ? Math.max(...loadRounds.map((x) => x.cores.others)) : 0;
  const busy =
    busiest >= 0.5
      ? ` **Busy machine**: other processes used up to ${fmt(busiest, 2)} of the 2 cores during the load rounds, which inflates every figure here; read the ratios.`
      : "";
  const lines = [
    header,
    "",
    `Finished in ${elapsedS} s${note}; load average now ${loadavg()
      .map((v) => v.toFixed(2))
      .join(" ")}.${busy}`,
    "",
    "| measure | runs | median | p99 | CPU | others' cores | target |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((x) => `| ${x.measure} | ${x.runs} | ${x.figure} | ${x.p99} | ${x.cpu} | ${x.others} | ${x.target} |`),
  ];
  const problems = Object.entries(r.missing);
  if (problems.length) lines.push("", ...problems.map(([key, why]) => `- ${key}: ${why}`));
  return `${lines.join("\n")}\n`;
}

export async function benchQuick(options: { append?: boolean } = {}) {
  const startedAt = performance.now();
  const elapsedS = () => Math.round((performance.now() - startedAt) / 1000);
  const commit = git(["rev-parse", "--short=10", "HEAD"]);
  const commitDate = git(["log", "-1", "--format=%cI", "HEAD"]);
  const subject = git(["log", "-1", "--format=%s", "HEAD"]).replace(/[`|]/g, "'");
  const dirty = git(["status", "--porcelain", "--untracked-files=no"]) !== "";
  const machine = machineInfo();
  const header = [
    `### ${machine.date.slice(0, 16).replace("T", " ")} UTC, commit \`${commit}\`${dirty ? " with uncommitted changes" : ""} (${commitDate})`,
    "",
    `"${subject}". ${machine.nproc} cores (${machine.cpuModel}), Node ${machine.node}, ${machine.psql}; ` +
      `load average at the start ${machine.loadAverage.join(" ")}.`,
  ].join("\n");
  const r: Results = {
    yoga: null,
    create: null,
    insert: null,
    page: null,
    postgresQueue: null,
    pgliteQueue: null,
    startup: null,
    missing: {},
  };

  // Stopped from outside (CI's timeout, Ctrl-C): print what was measured, once the servers have stopped.
  const cancelPartial = onInterrupt(() => console.log(`\n${render(r, header, elapsedS(), ", interrupted")}`));
  const hardStop = setTimeout(() => {
    console.error(`bench:quick: still running after ${HARD_LIMIT_S} s, stopping`);
    process.kill(process.pid, "SIGTERM");
  }, HARD_LIMIT_S * 1000);

  /** Runs one measure unless the budget is spent; a failure is recorded and the next measure still runs. */
  const step = async <K extends keyof Omit<Results, "missing">>(
    key: K,
    title: string,
    work: () => Promise<Results[K]>,
  ) => {
    // Being stopped: the cleanup is under way, and nothing new may start (a database created now would stay).
    if (stopping()) return;
    if (elapsedS() > BUDGET_S) {
      r.missing[key] = `skipped: ${elapsedS()} s were spent, over the ${BUDGET_S} s budget`;
      return;
    }
    banner(title);
    try {
      r[key] = await work();
    } catch (error) {
      r.missing[key] = `failed: ${errorLine(error)}`;
      console.error(`${title} failed:`, error);
    } finally {
      // A failed measure's server or database must be gone before the next one starts measuring.
      await cleanupAll();
    }
  };
  /** A measure nested in another's server: its failure must not stop that server. */
  const inner = async <K extends "postgresQueue" | "pgliteQueue">(key: K, work: () => Promise<Results[K]>) => {
    try {
      r[key] = await work();
    } catch (error) {
      r.missing[key] = `failed: ${errorLine(error)}`;
      console.error(`${key} failed:`, error);
    }
  };

  await step("yoga", "bare Yoga floor", async () => {
    const server = await startYogaFloor();
    const measured = await measureYogaFloor(server, FLOOR_PLAN);
    await server.stop();
    return measured;
  });

  await step("create", "createTicket, then the signed-in floor (PostgreSQL)", async () => {
    const bench = await startCreateTicketServer();
    const tickets = await measureCreateTicket(bench, CREATE_PLAN);
    const floor = await measureSignedInFloor(bench.server, bench.token, FLOOR_PLAN);
    await bench.stop();
    return { tickets, floor };
  });

  await step("insert", "raw SQL insert baseline (PostgreSQL)", async () => {
    const baseline = await startInsertBaseline(INSERT_PLAN.connections);
    const measured = await measureInsertBaseline(baseline, INSERT_PLAN);
    await baseline.stop();
    return measured;
  });

  await step(
    "page",
    `ticket page and queue snapshot (PostgreSQL, seed ${PAGE_SEED.days} days × ${PAGE_SEED.ticketsPerDay}/day)`,
    async () => {
      const bench = await startTicketPage(PAGE_SEED);
      const measured = await measureTicketPage(bench, PAGE_SAMPLES);
      // The queue board on the same history: through the subscription, then computed in this process.
      await inner("postgresQueue", async () => {
        const token = await login(bench.server.url, "direktorat@pantau.demo", DEMO_PASSWORD);
        const subscription = await timeQueueSnapshots({
          url: bench.server.url,
          token,
          unitCode: QUEUE_UNIT,
          samples: QUEUE_SAMPLES,
        });
        const direct = await timeQueueComputation({
          databaseUrl: bench.db.url,
          unitCode: QUEUE_UNIT,
          samples: QUEUE_SAMPLES,
        });
        return { subscription, direct };
      });
      await bench.stop();
      return measured;
    },
  );
  if (!r.page && !r.missing.postgresQueue) r.missing.postgresQueue = "not run: the ticket page's server did not run";

  await step(
    "startup",
    `start-up on PGlite: 1 fresh, ${WARM_STARTS} warm; queue snapshot of ${QUEUE_UNIT} on the last warm server`,
    () =>
      measureStartup({
        deadline: startedAt + BUDGET_S * 1000,
        rounds: 1,
        warmPerRound: WARM_STARTS,
        withLastWarm: (server) =>
          inner("pgliteQueue", async () => {
            const token = await login(server.url, "direktorat@pantau.demo", DEMO_PASSWORD);
            return timeQueueSnapshots({ url: server.url, token, unitCode: QUEUE_UNIT, samples: QUEUE_SAMPLES });
          }),
      }),
  );
  if (!r.startup && !r.missing.pgliteQueue) r.missing.pgliteQueue = "not run: the warm start did not run";

  cancelPartial();
  clearTimeout(hardStop);
  const markdown = render(r, header, elapsedS());
  console.log(`\n${markdown}`);
  writeResult("quick", { commit, commitDate, dirty, machine, elapsedS: elapsedS(), results: r, markdown });
  if (options.append) console.log(`appended to ${appendToBenchmarks(markdown)}`);
  return { markdown, missing: r.missing };
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
