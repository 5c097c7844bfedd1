/**
 * Start-up time on embedded PGlite: from spawn() until /ready answers 200, on a new empty data
 * folder (migrations and the default demo history are written) and again on the same folder.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deferCleanup, isEntryPoint, runAsScript } from "./lib/cleanup.js";
import { DEMO_PASSWORD } from "./lib/graphql.js";
import { type ChildServer, freePort, processTicks, startPantau, ticksPerSecond } from "./lib/processes.js";
import { banner, printTable, writeResult } from "./lib/report.js";
import { median } from "./lib/stats.js";

const ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 3);

export interface Start {
  readyMs: number;
  /** CPU the server process used (all its threads) from spawn until /ready: what a busy machine barely moves. */
  cpuMs: number | null;
  /** What the server itself reports: migrations, reference data and seed, without process boot. */
  databaseReadyMs: number | null;
  ticketsSeeded: number | null;
}

function logField(server: ChildServer, msg: string, field: string): number | null {
  for (const line of server.log.lastLines(200).split("\n")) {
    if (!line.includes(`"msg":"${msg}"`)) continue;
    const value = (JSON.parse(line) as Record<string, unknown>)[field];
    if (typeof value === "number") return value;
  }
  return null;
}

/** The server on PGlite in `dataDir`, with the default demo history; the start as the server and this process saw it. */
export async function startOnPglite(
  dataDir: string,
  readyTimeoutMs?: number,
): Promise<{ server: ChildServer; start: Start }> {
  // info, not warn: the server's own timing of its database preparation is logged at info.
  const server = await startPantau(
    { PANTAU_DATA_DIR: dataDir, DEMO_PASSWORD, LOG_LEVEL: "info" },
    { port: await freePort(), readyTimeoutMs },
  );
  const ticks = processTicks(server.pid)?.ticks;
  const start = {
    readyMs: Math.round(server.readyMs),
    cpuMs: ticks === undefined ? null : Math.round((ticks * 1000) / ticksPerSecond()),
    databaseReadyMs: logField(server, "database ready", "ms"),
    ticketsSeeded: logField(server, "demo history seeded", "tickets"),
  };
  return { server, start };
}

const labelled = (which: string) => (error: unknown) => {
  throw new Error(`${which}: ${(error as Error)?.message ?? error}`);
};

export function summarizeStartup(fresh: readonly Start[], warm: readonly Start[]) {
  return {
    measure: "start-up on PGlite (spawn → /ready 200)",
    rounds: fresh.length,
    fresh: {
      medianMs: median(fresh.map((s) => s.readyMs)),
      allMs: fresh.map((s) => s.readyMs),
      cpuMs: fresh.map((s) => s.cpuMs),
      databaseReadyMs: fresh.map((s) => s.databaseReadyMs),
      ticketsSeeded: fresh[0]?.ticketsSeeded ?? null,
    },
    warm: {
      medianMs: median(warm.map((s) => s.readyMs)),
      allMs: warm.map((s) => s.readyMs),
      cpuMs: warm.map((s) => s.cpuMs),
      databaseReadyMs: warm.map((s) => s.databaseReadyMs),
    },
  };
}

/**
 * `rounds` × (a fresh start on a new data folder, then `warmPerRound` warm starts on it). The last warm
 * server of the last round is handed to `withLastWarm` before it stops, e.g. to measure on the demo history.
 * With `deadline` (a `performance.now()` time), a fresh start still not ready then (or after 30 s, if
 * that is later) fails, a warm start may take 30 s, and after the first warm start no other begins once
 * the deadline has passed.
 */
export async function measureStartup(options: {
  rounds: number;
  warmPerRound: number;
  withLastWarm?: (server: ChildServer) => Promise<void>;
  deadline?: number;
}) {
  const freshTimeout = () =>
    options.deadline === undefined ? undefined : Math.max(30_000, Math.round(options.deadline - performance.now()));
  const warmTimeout = options.deadline === undefined ? undefined : 30_000;
  const pastDeadline = () => options.deadline !== undefined && performance.now() > options.deadline;
  const fresh: Start[] = [];
  const warm: Start[] = [];
  for (let index = 1; index <= options.rounds; index++) {
    const dataDir = mkdtempSync(join(tmpdir(), "pantau-bench-startup-"));
    const remove = deferCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startOnPglite(dataDir, freshTimeout()).catch(labelled("fresh start"));
    await first.server.stop();
    fresh.push(first.start);
    for (let w = 1; w <= options.warmPerRound; w++) {
      const again = await startOnPglite(dataDir, warmTimeout).catch(labelled("warm start"));
      warm.push(again.start);
      // At least one warm start per round, or the round has no warm figure at all.
      const last = w === options.warmPerRound || pastDeadline();
      if (index === options.rounds && last) await options.withLastWarm?.(again.server);
      await again.server.stop();
      if (last) break;
    }
    await remove();
    console.log(
      `round ${index}: fresh ${first.start.readyMs} ms (CPU ${first.start.cpuMs} ms), warm ${warm
        .slice(-options.warmPerRound)
        .map((s) => `${s.readyMs} ms (CPU ${s.cpuMs} ms)`)
        .join(", ")}`,
    );
  }
  return { summary: summarizeStartup(fresh, warm), fresh, warm };
}

export async function benchStartup() {
  banner(`start-up on PGlite: ${ROUNDS} × (fresh, warm), default seed volume`);
  const { summary, fresh, warm } = await measureStartup({ rounds: ROUNDS, warmPerRound: 1 });
  printTable("start-up (ms)", [
    {
      data: "fresh",
      median: summary.fresh.medianMs,
      all: summary.fresh.allMs.join(", "),
      CPU: summary.fresh.cpuMs.join(", "),
      "server's own": summary.fresh.databaseReadyMs.join(", "),
    },
    {
      data: "warm",
      median: summary.warm.medianMs,
      all: summary.warm.allMs.join(", "),
      CPU: summary.warm.cpuMs.join(", "),
      "server's own": summary.warm.databaseReadyMs.join(", "),
    },
  ]);
  console.log(`written ${writeResult("startup", { summary, fresh, warm })}`);
  return summary;
}

if (isEntryPoint(import.meta.url)) runAsScript(benchStartup);
