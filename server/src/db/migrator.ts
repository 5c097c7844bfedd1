import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PRISMA_DIR } from "../paths.js";
import type { Database } from "./database.js";

export const MIGRATIONS_DIR = `${join(PRISMA_DIR, "migrations")}/`;

// Prisma's own lock id, so this migrator and `prisma migrate deploy` never run at the same time.
const MIGRATION_LOCK_ID = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(`${dir}/${name}/migration.sql`, "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies pending migrations, each in its own transaction, and records them in `_prisma_migrations`
 * exactly as Prisma does, so `prisma migrate status` and `deploy` agree with what ran here.
 */
export async function migrate(db: Database, migrations = readMigrations()): Promise<string[]> {
  await db.sql.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`);
  if (await allApplied(db, migrations)) return [];
  const appliedNow: string[] = [];
  for (const migration of migrations) {
    const applied = await db.transaction(async (sql) => {
      await sql.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_ID]);
      const rows = await sql.query<AppliedRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"
         WHERE migration_name = $1 AND rolled_back_at IS NULL`,
        [migration.name],
      );
      const existing = rows[0];
      if (existing) {
        if (!existing.finished_at) {
          throw new MigrationError(`Migration ${migration.name} failed earlier and must be resolved by hand.`);
        }
        if (existing.checksum !== migration.checksum) {
          throw new MigrationError(`Migration ${migration.name} was edited after it was applied.`);
        }
        return false;
      }
      await sql.exec(migration.sql);
      await sql.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
         VALUES ($1, $2, now(), $3, now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      return true;
    });
    if (applied) appliedNow.push(migration.name);
  }
  return appliedNow;
}

/**
 * One read instead of a locked transaction per migration: on an up-to-date database (every start but the
 * first after a release) that is all there is to do. Anything not yet applied goes the locked way, which
 * also settles two instances starting at once.
 */
async function allApplied(db: Database, migrations: readonly Migration[]): Promise<boolean> {
  const rows = await db.sql.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  );
  const applied = new Map(rows.map((row) => [row.migration_name, row]));
  return migrations.every((migration) => {
    const row = applied.get(migration.name);
    return row?.finished_at && row.checksum === migration.checksum;
  });
}

export async function pendingMigrations(db: Database, migrations = readMigrations()): Promise<string[]> {
  const exists = await db.sql.query<{ present: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`,
  );
  if (!exists[0]?.present) return migrations.map((m) => m.name);
  const rows = await db.sql.query<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const done = new Set(rows.map((row) => row.migration_name));
  return migrations.map((m) => m.name).filter((name) => !done.has(name));
}
