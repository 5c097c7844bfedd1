import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "./instances.js";

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of the test's own, on a spare port under a temporary folder, that a fault test
 * may stop, restart or kill. The machine's own PostgreSQL is never touched.
 */
export interface PrivatePostgres {
  readonly port: number;
  /** A URL of a database in this cluster. */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster for good and removes its folder. */
  destroy(): Promise<void>;
}

function binaries(): string | null {
  if (process.env.TEST_POSTGRES_BIN) return process.env.TEST_POSTGRES_BIN;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : null;
}

/** Null when a private cluster can be made here, otherwise why not. */
export async function privatePostgresUnavailableReason(): Promise<string | null> {
  const bin = binaries();
  if (!bin) return "no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql; set TEST_POSTGRES_BIN";
  if (process.getuid?.() === 0) {
    try {
      await run("id", ["-u", "postgres"]);
    } catch {
      return "running as root and there is no postgres user to run initdb as";
    }
  }
  return null;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binaries();
  if (!bin) throw new Error("no PostgreSQL server binaries");
  const root = mkdtempSync(join(tmpdir(), "pantau-pg-"));
  const data = join(root, "data");
  const log = join(root, "server.log");
  // initdb refuses to run as root: the cluster then belongs to the postgres user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
    const gid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
    chownSync(root, uid, gid);
  }
  const tool = (name: string, args: string[], timeout = 60_000) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", join(bin, name), ...args], { timeout })
      : run(join(bin, name), args, { timeout });
  await tool("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  const serverOptions = [
    `-p ${port}`,
    `-k ${root}`,
    "-c listen_addresses=127.0.0.1",
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=200",
  ].join(" ");
  const ctl = (action: string, extra: string[] = []) =>
    tool("pg_ctl", [action, "-D", data, "-l", log, "-w", "-t", "30", ...extra]);
  const start = async () => {
    await ctl("start", ["-o", serverOptions]);
  };
  await start();
  const url = (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase(name) {
      const admin = new pg.Client({ connectionString: url() });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    restart: async () => {
      await ctl("restart", ["-m", "fast", "-o", serverOptions]);
    },
    stop: async () => {
      await ctl("stop", ["-m", "fast"]);
    },
    start,
    async destroy() {
      await ctl("stop", ["-m", "immediate"]).catch(() => {});
      rmSync(root, { recursive: true, force: true });
    },
  };
}
