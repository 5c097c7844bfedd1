import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import pg from "pg";
import type { DatabaseOptions } from "./database.js";

const run = promisify(execFile);

export class BackupError extends Error {}

/**
 * A whole-database backup into one file: `pg_dump` in its custom format for PostgreSQL (restored with
 * `pg_restore`), PGlite's own dump of its data folder (a gzipped tar) for the embedded database. The
 * PostgreSQL dump is a consistent snapshot taken while the servers run; a PGlite folder belongs to one
 * process, so the server is stopped first.
 */
export async function backup(database: DatabaseOptions, file: string): Promise<{ bytes: number }> {
  if ("databaseUrl" in database) {
    const { url, env } = withoutPassword(database.databaseUrl);
    await tool("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", `--file=${file}`, url], env);
  } else {
    if (!existsSync(database.dataDir)) throw new BackupError(`No PGlite data folder at ${database.dataDir}`);
    const pglite = await PGlite.create(database.dataDir, { extensions: { pg_trgm } });
    try {
      const dump = await pglite.dumpDataDir("gzip");
      await writeFile(file, Buffer.from(await dump.arrayBuffer()));
    } finally {
      await pglite.close();
    }
  }
  return { bytes: (await readFile(file)).byteLength };
}

/**
 * Restores a backup into an empty database: a PostgreSQL database without tables, or a PGlite data
 * folder that does not exist yet. Restoring over data is refused, never merged; on PostgreSQL the restore
 * is one transaction, so a failed one leaves the database empty.
 */
export async function restore(database: DatabaseOptions, file: string): Promise<void> {
  if (!existsSync(file)) throw new BackupError(`No backup file at ${file}`);
  if ("databaseUrl" in database) {
    const client = new pg.Client({ connectionString: database.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'",
      );
      if ((rows[0]?.n ?? 0) > 0) {
        throw new BackupError("The database is not empty: restore into a new, empty database (createdb).");
      }
    } finally {
      await client.end();
    }
    const { url, env } = withoutPassword(database.databaseUrl);
    await tool(
      "pg_restore",
      ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", `--dbname=${url}`, file],
      env,
    );
    return;
  }
  if (existsSync(database.dataDir) && readdirSync(database.dataDir).length > 0) {
    throw new BackupError(`${database.dataDir} is not empty: restore into a new folder (PANTAU_DATA_DIR).`);
  }
  const pglite = await PGlite.create(database.dataDir, {
    extensions: { pg_trgm },
    loadDataDir: new Blob([await readFile(file)]),
  });
  await pglite.close();
}

/** The password goes to the tool in its environment, not on a command line every user can list with ps. */
function withoutPassword(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = "";
  return { url: url.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

async function tool(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(name, args, { maxBuffer: 16 * 1024 * 1024, env });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === "ENOENT") {
      throw new BackupError(`${name} is not on the PATH: install the PostgreSQL client of the server's version.`);
    }
    throw new BackupError(`${name} failed: ${(failure.stderr ?? failure.message).trim()}`);
  }
}
