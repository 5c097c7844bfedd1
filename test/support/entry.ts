import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const SERVER_DIR = fileURLToPath(new URL("../../server/", import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a server-package entry point as its own process, the way `pnpm admin` and `pnpm start` do. */
export function runEntry(entry: string, args: string[], env: Record<string, string>, until?: string): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    cwd: SERVER_DIR,
    env: { ...process.env, LOG_LEVEL: "info", PORT: "0", HOST: "127.0.0.1", DATABASE_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    const out = { stdout: "", stderr: "" };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${entry} timed out:\n${out.stdout}\n${out.stderr}`));
    }, 240_000);
    child.stdout.on("data", (chunk: Buffer) => {
      out.stdout += chunk.toString();
      if (until && out.stdout.includes(until)) child.kill("SIGTERM");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      out.stderr += chunk.toString();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, ...out });
    });
  });
}
