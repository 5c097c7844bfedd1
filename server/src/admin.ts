// Operator commands run on the server against the configured database (PGlite folder or DATABASE_URL):
//   pnpm admin create-user --email <e-mail> --name <name> --role <ROLE> --unit <UNIT CODE>
//   pnpm admin reset-password --email <e-mail>
//   pnpm admin backup --to <file>        pnpm admin restore --from <file>
//   pnpm admin import-holidays --file <list.json|list.csv> [--year <year>] [--decree <SKB>] [--source <where from>]
// The first two print a one-time link to set the password; no password is ever printed or accepted here.
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "./config/env.js";
import { BackupError, backup, restore } from "./db/backup.js";
import { type DatabaseOptions, openDatabase } from "./db/database.js";
import { migrate, pendingMigrations } from "./db/migrator.js";
import { DomainError } from "./errors.js";
import { Role } from "./generated/prisma/enums.js";
import { createLogger } from "./logger.js";
import type { AuditActor } from "./modules/audit/audit-log.js";
import { seedReferenceData } from "./modules/seed/seed.js";
import { loadCalendarDirectory } from "./modules/sla/calendar-directory.js";
import { ClockEngine } from "./modules/sla/clock-engine.js";
import { importHolidays } from "./modules/sla/holiday-import.js";
import { recomputeOpenClocks } from "./modules/sla/recompute.js";
import { reissueSetupLink } from "./modules/staff/setup-link.js";
import { createUser } from "./modules/staff/staff-service.js";
import { loadUnitTree } from "./modules/units/unit-repository.js";

const USAGE = `Usage:
  pnpm admin create-user --email <e-mail> --name <name> --role <${Object.values(Role).join("|")}> --unit <unit code>
  pnpm admin reset-password --email <e-mail>
  pnpm admin backup --to <file>
  pnpm admin restore --from <file>     (into an empty database or a new PGlite folder)
  pnpm admin import-holidays --file <list.json|list.csv> [--year <year>] [--decree <SKB number and title>] [--source <where from>]
                                       (a JSON object may carry year, decree and source itself; a CSV needs --year and --decree)`;

class UsageError extends Error {}

/** The database a command acts on, without its password. */
function describe(database: DatabaseOptions): string {
  if (!("databaseUrl" in database)) return `the PGlite folder ${database.dataDir}`;
  const url = new URL(database.databaseUrl);
  url.password = "";
  return url.toString();
}

function options(args: string[], required: readonly string[]) {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: "string" },
      name: { type: "string" },
      role: { type: "string" },
      unit: { type: "string" },
      to: { type: "string" },
      from: { type: "string" },
      file: { type: "string" },
      year: { type: "string" },
      decree: { type: "string" },
      source: { type: "string" },
    },
    strict: true,
  });
  const missing = required.filter((name) => !values[name as keyof typeof values]);
  if (missing.length) throw new UsageError(`missing ${missing.map((name) => `--${name}`).join(", ")}`);
  // Checked above: every option a command reads is present.
  return values as { email: string; name: string; role: string; unit: string; to: string; from: string } & {
    file?: string;
    year?: string;
    decree?: string;
    source?: string;
  };
}

/** A holiday list file and what it says about itself: a JSON object may name its year, decree and source. */
function holidayFile(values: { file?: string; year?: string; decree?: string; source?: string }) {
  const path = values.file as string;
  let content: string;
  try {
    content = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const extension = extname(path).toLowerCase();
  const format = extension === ".csv" ? "CSV" : extension === ".json" || /^\s*[[{]/.test(content) ? "JSON" : "CSV";
  let own: { year?: unknown; decree?: unknown; source?: unknown } = {};
  if (format === "JSON") {
    try {
      const parsed = JSON.parse(content) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) own = parsed as typeof own;
    } catch {
      // importHolidays reports the malformed list.
    }
  }
  const year = values.year ?? (typeof own.year === "number" ? String(own.year) : undefined);
  const decree = values.decree ?? (typeof own.decree === "string" ? own.decree : undefined);
  const source = values.source ?? (typeof own.source === "string" ? own.source : undefined);
  if (!year || !/^\d{4}$/.test(year)) throw new UsageError("--year: the decree's year (or a year in the JSON file)");
  if (!decree) throw new UsageError("--decree: the SKB's number and title (or a decree in the JSON file)");
  return { year: Number(year), decree, source: source ?? null, format, content } as const;
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "backup" || command === "restore") {
    const { to, from } = options(rest, command === "backup" ? ["to"] : ["from"]);
    const config = loadConfig();
    if (command === "backup") {
      const { bytes } = await backup(config.database, to);
      process.stdout.write(`Backed up ${describe(config.database)} to ${to} (${bytes.toLocaleString("en")} bytes).\n`);
    } else {
      await restore(config.database, from);
      process.stdout.write(`Restored ${from} into ${describe(config.database)}.\n`);
    }
    return 0;
  }
  if (command !== "create-user" && command !== "reset-password" && command !== "import-holidays")
    throw new UsageError(`unknown command ${command ?? ""}`);
  const values = options(
    rest,
    command === "create-user"
      ? ["email", "name", "role", "unit"]
      : command === "import-holidays"
        ? ["file"]
        : ["email"],
  );
  const list = command === "import-holidays" ? holidayFile(values) : null;
  if (command === "create-user" && !(values.role in Role))
    throw new UsageError(`--role must be one of ${Object.values(Role).join(", ")}`);

  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    // The first command on a new install may come before the first start: bring the schema and the unit
    // directory up the way a start would.
    if (config.migrateOnStart) await migrate(db);
    else if ((await pendingMigrations(db)).length)
      throw new Error("Pending migrations and PANTAU_MIGRATE_ON_START=false");
    await seedReferenceData(db);
    const actor: AuditActor = { kind: "SYSTEM", name: `pnpm admin ${command}` };
    if (list) {
      const result = await importHolidays(db, actor, list);
      // Deadlines of open tickets move with the days off; no server may be running to move them.
      const tree = await loadUnitTree(db);
      const calendars = await loadCalendarDirectory(db, tree);
      const engine = new ClockEngine({ db, units: () => tree, calendars: () => calendars });
      const recomputed = await recomputeOpenClocks({ db, engine, logger: createLogger("warn") });
      const national = result.holidays.filter((holiday) => holiday.kind === "NATIONAL").length;
      process.stdout.write(
        `Imported ${result.year} from ${result.decree}: ${national} national holidays and ` +
          `${result.holidays.length - national} cuti bersama days (${result.added} added, ${result.updated} changed, ` +
          `${result.removed} removed); ${recomputed} open clocks recomputed. Running servers pick the list up ` +
          "within 10 seconds.\n",
      );
    } else if (command === "create-user") {
      const tree = await loadUnitTree(db);
      const { user, link } = await createUser(
        db,
        tree,
        actor,
        { email: values.email, name: values.name, role: values.role as Role, unitCode: values.unit },
        config.publicUrl,
      );
      process.stdout.write(
        `Created ${user.role} account ${user.email} at ${values.unit}.\n` +
          `Open this link once, before ${link.expiresAt.toISOString()}, to set the password:\n  ${link.url}\n`,
      );
    } else {
      const { email, link } = await reissueSetupLink(db, actor, values.email, config.publicUrl);
      process.stdout.write(
        `New password link for ${email}; earlier links stop working.\n` +
          `Open it once, before ${link.expiresAt.toISOString()}:\n  ${link.url}\n`,
      );
    }
    return 0;
  } finally {
    await db.close();
  }
}

try {
  process.exitCode = await run(process.argv.slice(2).filter((arg) => arg !== "--"));
} catch (error) {
  if (error instanceof UsageError || (error as Error).name === "TypeError") {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else if (error instanceof ConfigError || error instanceof DomainError || error instanceof BackupError) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
