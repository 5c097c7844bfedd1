import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Migration, migrate, readMigrations } from "./migrator.js";

/**
 * A new PGlite data folder starts as a copy of a cached, already migrated empty one. Creating a data folder
 * (initdb inside WASM) costs about 7 s of CPU and the migrations another second or so; copying the
 * template about 0.2 s. The template is keyed by the PGlite version and every migration's name and
 * checksum, so a new or edited migration, or another PGlite build, makes a new one; the migrator still
 * runs after the copy and finds nothing to do.
 *
 * Returns whether the folder was filled from the template. A folder that already holds a database, or
 * any file at all, is left alone.
 */
export async function fillFromTemplate(
  dataDir: string,
  templateRoot: string,
  migrations: readonly Migration[] = readMigrations(),
): Promise<boolean> {
  if (dataDir === "memory://" || (existsSync(dataDir) && readdirSync(dataDir).length > 0)) return false;
  const template = join(templateRoot, `pglite-${templateKey(migrations)}`);
  if (!existsSync(join(template, "PG_VERSION"))) {
    await buildTemplate(template, migrations);
    pruneTemplates(templateRoot, template);
  }
  mkdirSync(dirname(dataDir), { recursive: true });
  cpSync(template, dataDir, { recursive: true });
  return true;
}

/** Templates of earlier migration sets are never used again; each is a few tens of MB. */
const PRUNE_AFTER_MS = 10 * 60_000;

/**
 * Removes the other templates under the root, once they have not changed for a while (a process that
 * started from one a moment ago may still be copying it).
 */
export function pruneTemplates(templateRoot: string, keep: string, now = Date.now()): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(templateRoot)) {
    const path = join(templateRoot, name);
    if (path === keep || !name.startsWith("pglite-") || name.includes(".building-")) continue;
    if (now - statSync(path).mtimeMs < PRUNE_AFTER_MS) continue;
    rmSync(path, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

export function templateKey(migrations: readonly Migration[]): string {
  const hash = createHash("sha256").update(`pglite ${pgliteVersion()}\n`);
  for (const migration of migrations) hash.update(`${migration.name} ${migration.checksum}\n`);
  return hash.digest("hex").slice(0, 16);
}

/**
 * Built beside its final place and renamed into it, so a reader never sees half a template; when two
 * processes build the same one at once, the first rename wins and the other's copy is discarded.
 */
async function buildTemplate(template: string, migrations: readonly Migration[]) {
  mkdirSync(dirname(template), { recursive: true });
  const building = mkdtempSync(`${template}.building-`);
  try {
    // Loaded here: filling a folder from the template needs none of the database client.
    const { openDatabase } = await import("./database.js");
    const db = await openDatabase({ dataDir: building });
    try {
      await migrate(db, [...migrations]);
    } finally {
      await db.close();
    }
    try {
      renameSync(building, template);
    } catch (error) {
      if (!existsSync(join(template, "PG_VERSION"))) throw error;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@electric-sql/pglite");
  // The package's own manifest, found upwards from its entry point (its exports hide package.json).
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
    if (parsed.name === "@electric-sql/pglite") return parsed.version ?? "unknown";
  }
  return "unknown";
}
