import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { deferCleanup, trackChild } from "./cleanup.js";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SERVER_DIR = `${REPO_ROOT}server`;
export const BENCH_DIR = `${REPO_ROOT}bench`;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const PINO_LEVELS: Record<number, "warn" | "error" | "fatal"> = { 40: "warn", 50: "error", 60: "fatal" };

/** Keeps what the child printed, so that errors under load can be counted and quoted. */
export class LogTap {
  readonly counts = { warn: 0, error: 0, fatal: 0, unstructured: 0 };
  readonly firstProblems: string[] = [];
  private tail: string[] = [];
  private partial = "";

  feed(chunk: Buffer | string) {
    const lines = (this.partial + chunk.toString()).split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.line(line);
  }

  private line(line: string) {
    if (!line.trim()) return;
    this.tail.push(line);
    if (this.tail.length > 200) this.tail.shift();
    const level = /^\{"level":(\d+)/.exec(line)?.[1];
    const name = level ? PINO_LEVELS[Number(level)] : undefined;
    if (name) {
      this.counts[name] += 1;
      if (name !== "warn" && this.firstProblems.length < 5) this.firstProblems.push(line.slice(0, 2000));
    } else if (!level && /error|exception/i.test(line)) {
      this.counts.unstructured += 1;
      if (this.firstProblems.length < 5) this.firstProblems.push(line.slice(0, 2000));
    }
  }

  snapshot() {
    return { ...this.counts };
  }

  lastLines(n = 30): string {
    return this.tail.slice(-n).join("\n");
  }
}

export interface ChildServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** From spawn() until GET /ready answered 200. */
  readonly readyMs: number;
  readonly log: LogTap;
  stop(): Promise<void>;
}

// The child must see only what the measure sets, not whatever the shell running the bench exports.
const APP_ENV = /^(PANTAU_|DATABASE_|REDIS_URL$|PORT$|HOST$|LOG_LEVEL$|NODE_ENV$|DEMO_PASSWORD$)/;

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !APP_ENV.test(key)));
  return { ...base, ...env };
}

/**
 * Starts `node <script>` (through the tsx loader for a `.ts` script) and waits for `/ready`. The process is stopped on cleanup, and
 * killed outright if the bench itself exits first.
 */
export async function startChild(options: {
  cwd: string;
  script: string;
  env: Record<string, string>;
  port: number;
  readyTimeoutMs?: number;
}): Promise<ChildServer> {
  const url = `http://127.0.0.1:${options.port}`;
  const log = new LogTap();
  const startedAt = performance.now();
  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server under load.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const loader = options.script.endsWith(".ts") ? ["--import", "tsx"] : ["--enable-source-maps"];
  const child = spawn(process.execPath, [...nodeArgs, ...loader, options.script], {
    cwd: options.cwd,
    env: childEnv({ ...options.env, PORT: String(options.port), HOST: "127.0.0.1" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  trackChild(child);
  child.stdout?.on("data", (chunk: Buffer) => log.feed(chunk));
  child.stderr?.on("data", (chunk: Buffer) => log.feed(chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = deferCleanup(() => stopChild(child, exited));

  try {
    const readyMs = await waitReady(child, url, startedAt, options.readyTimeoutMs ?? 120_000);
    if (child.pid === undefined) throw new Error("child has no pid");
    return { url, port: options.port, pid: child.pid, readyMs, log, stop };
  } catch (error) {
    await stop();
    throw new Error(`${options.script} did not become ready: ${(error as Error).message}\n${log.lastLines()}`);
  }
}

async function waitReady(child: ChildProcess, url: string, startedAt: number, timeoutMs: number): Promise<number> {
  while (performance.now() - startedAt < timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited early (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    try {
      const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - startedAt;
    } catch {
      // not listening yet
    }
    // Short enough not to blur a start-up of a few seconds, long enough not to load the child.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no 200 from /ready within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess, exited: Promise<void>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  await exited;
  clearTimeout(timer);
}

// A load generator is one client spending far beyond any person's budget: every operation is still costed
// and charged, but never refused, so the figures are the server's and not the limiter's.
const BENCH_LIMITS = {
  ...Object.fromEntries(
    ["ANONYMOUS", "STAFF", "STANDARD", "PARTNER", "INTERNAL"].flatMap((tier) => [
      [`PANTAU_BUDGET_${tier}_CAPACITY`, "10000000"],
      [`PANTAU_BUDGET_${tier}_REFILL_PER_SECOND`, "1000000"],
    ]),
  ),
  // Every bench client connects from loopback, one address for thousands of sockets.
  PANTAU_WS_MAX_CONNECTIONS_PER_ADDRESS: "100000",
};

/**
 * Server settings to compare, e.g. BENCH_SERVER_ENV="PANTAU_SHARE_SUBSCRIPTION_RESULTS=off": space-separated
 * KEY=VALUE pairs given to every server a benchmark starts (the benchmark's own environment is not passed on).
 */
function serverEnvOverrides(): Record<string, string> {
  const pairs = (process.env.BENCH_SERVER_ENV ?? "").split(" ").filter(Boolean);
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf("=");
      if (at < 1) throw new Error(`BENCH_SERVER_ENV: "${pair}" is not KEY=VALUE`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

let built = false;
/** The server compiled from the working tree, once per bench process: what `pnpm start` runs. */
export function buildServer(): void {
  if (built) return;
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: SERVER_DIR, stdio: "ignore" });
  built = true;
}

/** The real Pantau server as `pnpm start` runs it: `node dist/main.js`, built from the working tree first. */
export function startPantau(env: Record<string, string>, options: { port: number; readyTimeoutMs?: number }) {
  buildServer();
  return startChild({
    cwd: SERVER_DIR,
    script: "dist/main.js",
    env: { LOG_LEVEL: "warn", PANTAU_SIMULATOR: "off", ...BENCH_LIMITS, ...env, ...serverEnvOverrides() },
    port: options.port,
    readyTimeoutMs: options.readyTimeoutMs,
  });
}

// --- CPU accounting: on two shared cores, who burns the CPU explains most of the throughput figures.

let clockTicks: number | undefined;
export function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export function processTicks(pid: number | string): { comm: string; ticks: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    return { comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

function postgresTicks(): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = processTicks(entry);
    if (stat?.comm === "postgres") total += stat.ticks;
  }
  return total;
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

export interface CpuSnapshot {
  at: number;
  server: number;
  postgres: number;
  bench: number;
  machine: { busy: number; total: number };
}

export function cpuSnapshot(serverPid: number | null): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    at: performance.now(),
    server: serverPid === null ? 0 : (processTicks(serverPid)?.ticks ?? 0),
    postgres: postgresTicks(),
    bench: (usage.user + usage.system) / 1e6,
    machine: machineTicks(),
  };
}

/** Average cores used by each party between two snapshots (2.0 = both cores of this machine). */
export function coresUsed(before: CpuSnapshot, after: CpuSnapshot) {
  const seconds = (after.at - before.at) / 1000;
  const hz = ticksPerSecond();
  const round = (value: number) => Math.round(value * 100) / 100;
  const machineTotal = after.machine.total - before.machine.total;
  const server = (after.server - before.server) / hz / seconds;
  const postgres = (after.postgres - before.postgres) / hz / seconds;
  const loadGenerator = (after.bench - before.bench) / seconds;
  const machineBusy = (after.machine.busy - before.machine.busy) / hz / seconds;
  return {
    server: round(server),
    postgres: round(postgres),
    loadGenerator: round(loadGenerator),
    machineBusyPercent: machineTotal > 0 ? round((100 * (after.machine.busy - before.machine.busy)) / machineTotal) : 0,
    /** Busy cores not accounted for by the three above: other work on this shared machine. */
    others: round(Math.max(0, machineBusy - server - postgres - loadGenerator)),
  };
}
