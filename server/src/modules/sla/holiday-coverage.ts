import type { Database } from "../../db/database.js";

const WIB_OFFSET_MS = 7 * 3_600_000;

/** Whether next year's days off are known yet, as the directorate needs to see it from 1 October on. */
export interface HolidayCoverage {
  /** The year checked: next year, in WIB. */
  year: number;
  nationalHolidays: number;
  cutiBersama: number;
  /** The SKB the year was imported from; null when its days come from the shipped directory, or there are none. */
  decree: string | null;
  /** 1 October of this year, 00:00 WIB: the SKB for next year is usually out by then. */
  noticeFrom: Date;
  /** From `noticeFrom` on, while `year` has no national holiday. */
  missing: boolean;
}

/**
 * Next year's national days as they stand at `now`. Without them a deadline that crosses 1 January counts
 * New Year's Day and every later holiday as a working day.
 */
export async function holidayCoverage(db: Database, now: Date): Promise<HolidayCoverage> {
  const thisYear = new Date(now.getTime() + WIB_OFFSET_MS).getUTCFullYear();
  const year = thisYear + 1;
  const noticeFrom = new Date(Date.UTC(thisYear, 9, 1) - WIB_OFFSET_MS);
  const [row] = await db.sql.query<{ national: number; cuti: number; decree: string | null }>(
    `SELECT count(*) FILTER (WHERE kind = 'NATIONAL')::int AS national,
            count(*) FILTER (WHERE kind = 'CUTI_BERSAMA')::int AS cuti,
            (SELECT decree FROM holiday_import WHERE year = $1) AS decree
     FROM holiday
     WHERE unit_id IS NULL AND date >= make_date($1, 1, 1) AND date < make_date($1 + 1, 1, 1)`,
    [year],
  );
  const nationalHolidays = row?.national ?? 0;
  return {
    year,
    nationalHolidays,
    cutiBersama: row?.cuti ?? 0,
    decree: row?.decree ?? null,
    noticeFrom,
    missing: now.getTime() >= noticeFrom.getTime() && nationalHolidays === 0,
  };
}

/** The start-up line, worded as what to do. */
export const coverageWarning = (coverage: HolidayCoverage) =>
  `No national holidays for ${coverage.year}: deadlines that cross 1 January will count its holidays as working days. ` +
  `Import its SKB with \`pnpm admin import-holidays --file <list>\` or the importHolidays mutation.`;
