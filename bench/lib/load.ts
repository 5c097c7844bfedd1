import autocannon from "autocannon";
import { deferCleanup } from "./cleanup.js";
import { round } from "./stats.js";

export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
export const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
export const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 5);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** How hard and how long a throughput measure loads the server. */
export interface LoadPlan {
  connections: number;
  /** Seconds of each measured round. */
  durationS: number;
  /** Seconds of load before the first round, not measured. */
  warmupS: number;
  rounds: number;
}

/** The plan of the full benchmarks, from the BENCH_* knobs. */
export const DEFAULT_PLAN: LoadPlan = {
  connections: CONNECTIONS,
  durationS: DURATION_S,
  warmupS: WARMUP_S,
  rounds: ROUNDS,
};

export interface LoadSummary {
  durationS: number;
  connections: number;
  completed: number;
  requestsPerSecond: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  start: string;
  finish: string;
}

export function summarizeLoad(result: autocannon.Result, connections: number): LoadSummary {
  const completed = result.requests.total;
  return {
    durationS: round(result.duration, 3),
    connections,
    completed,
    // Completed over wall time: autocannon's per-second average drops the last partial second.
    requestsPerSecond: round(completed / result.duration, 1),
    latencyMs: {
      mean: round(result.latency.mean, 2),
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
    start: new Date(result.start).toISOString(),
    finish: new Date(result.finish).toISOString(),
  };
}

export async function runLoad(options: autocannon.Options & { connections: number; duration: number }) {
  const instance = autocannon({ timeout: 10, ...options });
  let finished = false;
  // On Ctrl-C the load must stop first, or the server being stopped keeps draining it for seconds.
  const stop = deferCleanup(() => {
    if (!finished) instance.stop();
  });
  try {
    const result = await instance;
    return summarizeLoad(result, options.connections);
  } finally {
    finished = true;
    await stop();
  }
}
