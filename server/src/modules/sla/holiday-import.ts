import type { Database } from "../../db/database.js";
import { ValidationError } from "../../errors.js";
import type { Holiday } from "../../generated/prisma/client.js";
import { type AuditActor, writeAudit } from "../audit/audit-log.js";
import { parseHolidayDate } from "./sla-admin-service.js";

/** The kinds an SKB lists; regional days are declared one by one (addHoliday), with their reason. */
const DECREE_KINDS = ["NATIONAL", "CUTI_BERSAMA"] as const;
type DecreeKind = (typeof DECREE_KINDS)[number];

export type HolidayListFormat = "JSON" | "CSV";

export interface HolidayListEntry {
  date: string;
  name: string;
  kind: DecreeKind;
}

/** An SKB holds about thirty days; a list far longer is not one year's decree. */
const MAX_DAYS = 100;
const MAX_CONTENT = 200_000;
const MAX_DECREE = 500;
const MAX_SOURCE = 2_000;

/**
 * Splits CSV text (RFC 4180: fields in double quotes may hold commas, quotes doubled and line breaks)
 * into rows of fields.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === "") quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += char;
  }
  if (quoted) throw new ValidationError("content: a quoted CSV field is not closed", "content");
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((cells) => cells.some((cell) => cell.trim() !== ""));
}

/**
 * The days of a list, in either format: JSON as an array of `{ date, name, kind }` or an object with such a
 * `holidays` array (the shape of prisma/data/holidays.json); CSV with a header naming the columns `date`,
 * `name` and `kind`. Checks the shape only; `checkedList` checks the days.
 */
export function readHolidayList(content: string, format: HolidayListFormat): unknown[] {
  if (content.length > MAX_CONTENT) {
    throw new ValidationError(`content: at most ${MAX_CONTENT.toLocaleString("en")} characters`, "content");
  }
  if (format === "JSON") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      throw new ValidationError("content: not valid JSON", "content");
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { holidays?: unknown } | null)?.holidays;
    if (!Array.isArray(list)) {
      throw new ValidationError("content: a JSON array of days, or an object with a holidays array", "content");
    }
    return list;
  }
  const [header, ...rows] = parseCsv(content);
  const columns = (header ?? []).map((cell) => cell.trim().toLowerCase());
  const at = (name: string) => columns.indexOf(name);
  if (at("date") < 0 || at("name") < 0 || at("kind") < 0) {
    throw new ValidationError("content: the CSV header names the columns date, name and kind", "content");
  }
  return rows.map((cells) => ({ date: cells[at("date")], name: cells[at("name")], kind: cells[at("kind")] }));
}

/** Every day checked: a calendar date of the decree's year, listed once, named, of a decree's kind. */
export function checkedList(year: number, entries: readonly unknown[]): HolidayListEntry[] {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new ValidationError("year: between 2000 and 2100", "year");
  }
  if (entries.length === 0) throw new ValidationError("content: the list holds no days", "content");
  if (entries.length > MAX_DAYS) throw new ValidationError(`content: at most ${MAX_DAYS} days`, "content");
  const seen = new Map<string, number>();
  return entries.map((raw, index) => {
    const field = (name: string) => `holidays[${index}].${name}`;
    const entry = (raw ?? {}) as Record<string, unknown>;
    const date = typeof entry.date === "string" ? entry.date.trim() : "";
    try {
      parseHolidayDate(date);
    } catch {
      throw new ValidationError(`${field("date")}: "${date}" is not a calendar date (YYYY-MM-DD)`, field("date"));
    }
    if (Number(date.slice(0, 4)) !== year) {
      throw new ValidationError(`${field("date")}: ${date} is not in ${year}, the decree's year`, field("date"));
    }
    const earlier = seen.get(date);
    if (earlier !== undefined) {
      throw new ValidationError(`${field("date")}: ${date} is listed twice (also holidays[${earlier}])`, field("date"));
    }
    seen.set(date, index);
    const name = typeof entry.name === "string" ? entry.name.trim() : "";
    if (!name || name.length > 200) throw new ValidationError(`${field("name")}: 1–200 characters`, field("name"));
    const kind = typeof entry.kind === "string" ? entry.kind.trim().toUpperCase() : "";
    if (!(DECREE_KINDS as readonly string[]).includes(kind)) {
      throw new ValidationError(`${field("kind")}: ${DECREE_KINDS.join(" or ")}`, field("kind"));
    }
    return { date, name, kind: kind as DecreeKind };
  });
}

export interface HolidayImportResult {
  year: number;
  decree: string;
  source: string | null;
  added: number;
  updated: number;
  removed: number;
  holidays: Holiday[];
}

const dayOf = (holiday: Pick<Holiday, "date" | "name" | "kind">) => ({
  date: holiday.date.toISOString().slice(0, 10),
  name: holiday.name,
  kind: holiday.kind,
});

/**
 * Makes a year's national holidays and cuti bersama those of its SKB, in one transaction with its audit
 * record: days the list adds are added, days it names differently are renamed, days it no longer holds
 * (a revision dropped them) are removed; regional days stay. The year is then marked as imported, so the
 * shipped directory adds nothing to it at the next start. A bad list writes nothing.
 */
export async function importHolidays(
  db: Database,
  actor: AuditActor,
  input: { year: number; decree: string; source?: string | null; format: HolidayListFormat; content: string },
): Promise<HolidayImportResult> {
  const decree = input.decree.trim();
  if (!decree || decree.length > MAX_DECREE) {
    throw new ValidationError(`decree: the SKB's number and title, 1–${MAX_DECREE} characters`, "decree");
  }
  const source = input.source?.trim() || null;
  if (source && source.length > MAX_SOURCE) {
    throw new ValidationError(`source: at most ${MAX_SOURCE} characters`, "source");
  }
  const days = checkedList(input.year, readHolidayList(input.content, input.format));
  const stamp = source ? `${decree} | ${source}` : decree;
  const from = new Date(Date.UTC(input.year, 0, 1));
  const to = new Date(Date.UTC(input.year + 1, 0, 1));
  return db.prisma.$transaction(async (tx) => {
    // Two imports of one year at once would each see the other's days missing.
    await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtext($1))", `holiday_import:${input.year}`);
    const existing = await tx.holiday.findMany({
      where: { unitId: null, date: { gte: from, lt: to } },
      orderBy: [{ date: "asc" }, { id: "asc" }],
    });
    const byDate = new Map(existing.map((holiday) => [dayOf(holiday).date, holiday]));
    const listed = new Set(days.map((day) => day.date));
    let added = 0;
    let updated = 0;
    for (const day of days) {
      const current = byDate.get(day.date);
      if (!current) {
        await tx.holiday.create({
          data: { date: parseHolidayDate(day.date), name: day.name, kind: day.kind, source: stamp },
        });
        added += 1;
      } else if (current.name !== day.name || current.kind !== day.kind || current.source !== stamp) {
        await tx.holiday.update({ where: { id: current.id }, data: { name: day.name, kind: day.kind, source: stamp } });
        updated += 1;
      }
    }
    const dropped = existing.filter((holiday) => !listed.has(dayOf(holiday).date));
    if (dropped.length) await tx.holiday.deleteMany({ where: { id: { in: dropped.map((holiday) => holiday.id) } } });
    const previous = await tx.holidayImport.findUnique({ where: { year: input.year } });
    await tx.holidayImport.upsert({
      where: { year: input.year },
      create: { year: input.year, decree, source },
      update: { decree, source, importedAt: new Date() },
    });
    const holidays = await tx.holiday.findMany({
      where: { unitId: null, date: { gte: from, lt: to } },
      orderBy: [{ date: "asc" }, { id: "asc" }],
    });
    await writeAudit(tx, {
      actor,
      entityType: "Holiday",
      entityId: `year:${input.year}`,
      action: "import",
      before: { decree: previous?.decree ?? null, days: existing.map(dayOf) },
      after: { decree, source, added, updated, removed: dropped.length, days: holidays.map(dayOf) },
      unitId: null,
    });
    return { year: input.year, decree, source, added, updated, removed: dropped.length, holidays };
  });
}
