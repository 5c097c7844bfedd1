/** Runs every measure in turn; one failing measure does not hide the others' figures. */
import { benchCreateTicket } from "./create-ticket.js";
import { benchInsertBaseline } from "./insert-baseline.js";
import { cleanupAll, runAsScript } from "./lib/cleanup.js";
import { postgresSettings } from "./lib/database.js";
import { CONNECTIONS, DURATION_S, ROUNDS, WARMUP_S } from "./lib/load.js";
import { machineInfo, writeResult } from "./lib/report.js";
import { benchMetrics } from "./metrics.js";
import { benchRealtime } from "./realtime.js";
import { benchSlaClock } from "./sla-clock.js";
import { benchSlaDetection } from "./sla-detection.js";
import { benchStartup } from "./startup.js";
import { benchTicketPage } from "./ticket-page.js";
import { benchYogaFloor } from "./yoga-floor.js";

const MEASURES = [
  ["createTicket", benchCreateTicket],
  ["insertBaseline", benchInsertBaseline],
  ["yogaFloor", benchYogaFloor],
  ["ticketPage", benchTicketPage],
  ["startup", benchStartup],
  ["slaClock", benchSlaClock],
  ["slaDetection", benchSlaDetection],
  ["realtime", benchRealtime],
] as const;

// The national metrics dataset (10 million tickets by default) takes hours to build on this machine, far
// beyond the ten minutes or so run-all is meant to take: only on request, with BENCH_RUN_ALL_METRICS=1.
const OPTIONAL = process.env.BENCH_RUN_ALL_METRICS === "1" ? ([["metrics", benchMetrics]] as const) : [];

async function main() {
  const startedAt = performance.now();
  const machine = machineInfo();
  const postgres = await postgresSettings();
  console.log("machine:", machine);
  console.log("postgres:", postgres);
  const results: Record<string, unknown> = {};
  const failures: string[] = [];
  for (const [name, measure] of [...MEASURES, ...OPTIONAL]) {
    try {
      results[name] = await measure();
    } catch (error) {
      failures.push(name);
      results[name] = { failed: String((error as Error).stack ?? error) };
      console.error(`${name} failed:`, error);
    }
    // A failed measure's server or database must be gone before the next one starts measuring.
    await cleanupAll();
  }
  const elapsedS = Math.round((performance.now() - startedAt) / 1000);
  const path = writeResult("run-all", {
    machine,
    postgres,
    load: { connections: CONNECTIONS, durationS: DURATION_S, warmupS: WARMUP_S, rounds: ROUNDS },
    elapsedS,
    results,
  });
  console.log(`\nall measures done in ${elapsedS} s; written ${path}`);
  if (failures.length) throw new Error(`failed: ${failures.join(", ")}`);
}

runAsScript(main);
