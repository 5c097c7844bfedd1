import pg from "pg";
import { deferCleanup } from "./cleanup.js";
import { processTicks, ticksPerSecond } from "./processes.js";

/** Base URL of the PostgreSQL server; the bench creates and drops its own databases on it. */
export const PG_BASE_URL = (process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432").replace(/\/+$/, "");

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${PG_BASE_URL}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A new empty database, dropped on cleanup even when the measure fails half-way. With `keep` it is
 * left in place (and `drop` does nothing), so that a dataset that took long to build can be measured
 * again with `existingBenchDatabase`.
 */
export async function createBenchDatabase(label: string, options: { keep?: boolean } = {}): Promise<BenchDatabase> {
  const name = `pantau_bench_${label}_${process.pid}_${Date.now().toString(36)}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_");
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = `${PG_BASE_URL}/${name}`;
  if (options.keep) return { name, url, drop: async () => {} };
  const drop = deferCleanup(async () => {
    // FORCE: a killed server may still hold connections, which would block a plain DROP.
    await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  });
  return { name, url, drop };
}

/** A database kept by an earlier run; it belongs to whoever kept it, so it is never dropped here. */
export async function existingBenchDatabase(name: string): Promise<BenchDatabase> {
  const found = await admin((client) => client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]));
  if (!found.rowCount) throw new Error(`database ${name} does not exist on ${PG_BASE_URL}`);
  return { name, url: `${PG_BASE_URL}/${name}`, drop: async () => {} };
}

export async function postgresSettings(): Promise<Record<string, string>> {
  return admin(async (client) => {
    const { rows } = await client.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings
       WHERE name IN ('server_version', 'max_connections', 'shared_buffers', 'synchronous_commit', 'fsync',
                      'wal_level', 'work_mem', 'effective_cache_size')
       ORDER BY name`,
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.unit ? `${r.setting} (${r.unit})` : r.setting]));
  });
}

/** Other sessions on the shared server would compete for the same two cores; the count is recorded. */
export async function foreignActivity(excludeDatabase?: string): Promise<number> {
  return admin(async (client) => {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend'
         AND datname IS DISTINCT FROM $1`,
      [excludeDatabase ?? null],
    );
    return rows[0]?.n ?? 0;
  });
}

/** Process ids of the PostgreSQL backends connected to one database. */
export async function backendPids(databaseName: string): Promise<number[]> {
  return admin(async (client) => {
    const { rows } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1", [
      databaseName,
    ]);
    return rows.map((row) => row.pid);
  });
}

/**
 * CPU seconds spent by the backends of one database from now until the returned function is called:
 * the database's own work, without the other databases on a shared server or its background writers.
 * A backend that exits in between takes its time with it, so pools should stay connected meanwhile.
 */
export async function backendCpuMeter(databaseName: string): Promise<() => Promise<number>> {
  const pids = await backendPids(databaseName);
  const before = new Map(pids.map((pid) => [pid, processTicks(pid)?.ticks ?? 0]));
  return async () => {
    // Read the known backends before the query that lists new ones, so that its latency is not counted.
    let ticks = 0;
    for (const [pid, start] of before) ticks += Math.max(0, (processTicks(pid)?.ticks ?? start) - start);
    for (const pid of await backendPids(databaseName)) {
      if (!before.has(pid)) ticks += processTicks(pid)?.ticks ?? 0;
    }
    return ticks / ticksPerSecond();
  };
}
