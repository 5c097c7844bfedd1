import type { Database } from "../../db/database.js";
import type { UnitTree } from "../units/unit-tree.js";
import { type BusinessCalendar, createCalendar } from "./clock/calendar.js";
import { DEFAULT_OFFICE_WEEK } from "./sla-reference-data.js";

export type WeekDefinition = Parameters<typeof createCalendar>[0]["week"];

interface HolidayRow {
  date: string;
  unitId: number | null;
}

/**
 * The calendar that governs each unit: its own office week or its nearest ancestor's, in its own time
 * zone, with the national days off plus the regional ones of the unit and its ancestors.
 */
export class CalendarDirectory {
  private readonly cache = new Map<number, BusinessCalendar>();

  constructor(
    private readonly tree: UnitTree,
    private readonly weeks: ReadonlyMap<number, WeekDefinition>,
    private readonly holidays: readonly HolidayRow[],
  ) {}

  calendarFor(unitId: number): BusinessCalendar {
    const cached = this.cache.get(unitId);
    if (cached) return cached;
    const ancestry = this.tree.ancestry(unitId);
    const unit = ancestry.at(-1);
    if (!unit) throw new Error(`unknown unit ${unitId}`);
    const week = [...ancestry].reverse().find((u) => this.weeks.has(u.id));
    const ancestorIds = new Set(ancestry.map((u) => u.id));
    const calendar = createCalendar({
      timeZone: unit.timeZone,
      week: (week ? this.weeks.get(week.id) : undefined) ?? DEFAULT_OFFICE_WEEK,
      holidays: this.holidays.filter((h) => h.unitId === null || ancestorIds.has(h.unitId)).map((h) => h.date),
    });
    this.cache.set(unitId, calendar);
    return calendar;
  }
}

export async function loadCalendarDirectory(db: Database, tree: UnitTree): Promise<CalendarDirectory> {
  const [weeks, holidays] = await Promise.all([
    db.sql.query<{ unit_id: number; week: WeekDefinition }>("SELECT unit_id, week FROM business_calendar"),
    db.sql.query<{ date: string; unit_id: number | null }>(
      "SELECT to_char(date, 'YYYY-MM-DD') AS date, unit_id FROM holiday",
    ),
  ]);
  return new CalendarDirectory(
    tree,
    new Map(weeks.map((row) => [row.unit_id, row.week])),
    holidays.map((row) => ({ date: row.date, unitId: row.unit_id })),
  );
}

/**
 * A fingerprint of the calendar tables. Another instance's holiday or office-hours edit changes it, so
 * each instance can notice and reload without being told.
 */
export async function calendarStamp(db: Database): Promise<string> {
  const [row] = await db.sql.query<{ stamp: string }>(
    `SELECT concat_ws('/', (SELECT count(*) FROM holiday), (SELECT max(created_at) FROM holiday),
       (SELECT count(*) FROM business_calendar), (SELECT max(updated_at) FROM business_calendar)) AS stamp`,
  );
  return row?.stamp ?? "";
}
