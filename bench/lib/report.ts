import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { BENCH_DIR } from "./processes.js";

export const RESULTS_DIR = `${BENCH_DIR}/results`;

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: "utf8" }).trim();
  } catch {
    return "unavailable";
  }
}

export function machineInfo() {
  const cpuinfo = (() => {
    try {
      return readFileSync("/proc/cpuinfo", "utf8");
    } catch {
      return "";
    }
  })();
  return {
    date: new Date().toISOString(),
    nproc: Number(run("nproc", [])) || cpus().length,
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    psql: run("psql", ["--version"]),
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

/**
 * Writes `results/<name>.json` (the latest) and a dated copy under `results/history/`, so that runs on
 * a noisy machine can be compared afterwards. The directory is git-ignored.
 */
export function writeResult(name: string, data: unknown): string {
  mkdirSync(`${RESULTS_DIR}/history`, { recursive: true });
  const text = `${JSON.stringify(data, null, 2)}\n`;
  const path = `${RESULTS_DIR}/${name}.json`;
  writeFileSync(path, text);
  writeFileSync(`${RESULTS_DIR}/history/${new Date().toISOString().replace(/[:.]/g, "-")}-${name}.json`, text);
  return path;
}

export function printTable(title: string, rows: Record<string, unknown>[]): void {
  console.log(`\n${title}`);
  console.table(rows);
}

export function banner(text: string): void {
  console.log(
    `\n=== ${text} (load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(" ")}) ===`,
  );
}
