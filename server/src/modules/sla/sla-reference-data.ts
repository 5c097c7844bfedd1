import { readFileSync } from "node:fs";
import type { Database } from "../../db/database.js";
import { referenceDataFile } from "../../paths.js";
import { DEFAULT_WEEK } from "./clock/calendar.js";
import { DEFAULT_POLICIES } from "./default-policies.js";

/** Office hours of Indonesian government offices, the calendar every unit inherits unless it sets its own. */
export const DEFAULT_OFFICE_WEEK = DEFAULT_WEEK;

interface HolidayEntry {
  date: string;
  name: string;
  kind: "NATIONAL" | "CUTI_BERSAMA";
  source: string;
  note?: string;
}

export function loadHolidayDirectory(): HolidayEntry[] {
  const file = referenceDataFile("holidays.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { holidays: HolidayEntry[] }).holidays;
}

/**
 * National holidays and cuti bersama from the decrees, the default office week at the directorate and
 * the default policies. Only what is missing is added, so edits made in the running system survive.
 */
export async function seedSlaReferenceData(db: Database): Promise<{ holidays: number; policies: number }> {
  return db.transaction(async (sql) => {
    const holidays = loadHolidayDirectory();
    const inserted = await sql.query<{ id: number }>(
      `INSERT INTO holiday (date, name, kind, source)
       SELECT h.date::date, h.name, h.kind::"HolidayKind", h.source
       FROM json_to_recordset($1::json) AS h(date text, name text, kind text, source text)
       WHERE NOT EXISTS (SELECT 1 FROM holiday x WHERE x.date = h.date::date AND x.unit_id IS NULL)
       RETURNING id`,
      [
        JSON.stringify(
          holidays.map((h) => ({
            date: h.date,
            name: h.name,
            kind: h.kind,
            source: h.note ? `${h.source} (${h.note})` : h.source,
          })),
        ),
      ],
    );
    await sql.query(
      `INSERT INTO business_calendar (unit_id, week)
       SELECT id, $1::jsonb FROM unit WHERE parent_id IS NULL
       ON CONFLICT (unit_id) DO NOTHING`,
      [JSON.stringify(DEFAULT_OFFICE_WEEK)],
    );
    const policies = await sql.query<{ id: number }>(
      `INSERT INTO sla_policy (code, version, current, name, position, match_kinds, match_channels, match_categories,
         match_priorities, first_response_amount, first_response_unit, first_response_counting, resolution_amount,
         resolution_unit, resolution_counting, extension_amount, pause_statuses, at_risk_ratio, legal_source)
       SELECT p.code, 1, true, p.name, p.position, p.match_kinds::"TicketKind"[], p.match_channels::"Channel"[],
         p.match_categories, p.match_priorities::"Priority"[], p.fr_amount, p.fr_unit::"TargetUnit",
         p.fr_counting::"Counting", p.res_amount, p.res_unit::"TargetUnit", p.res_counting::"Counting",
         p.extension_amount, p.pause_statuses::"TicketStatus"[], p.at_risk_ratio, p.legal_source
       FROM json_to_recordset($1::json) AS p(code text, name text, position int, match_kinds text[], match_channels text[],
         match_categories text[], match_priorities text[], fr_amount float8, fr_unit text, fr_counting text,
         res_amount float8, res_unit text, res_counting text, extension_amount float8, pause_statuses text[],
         at_risk_ratio float8, legal_source text)
       WHERE NOT EXISTS (SELECT 1 FROM sla_policy x WHERE x.code = p.code)
       RETURNING id`,
      [
        JSON.stringify(
          DEFAULT_POLICIES.map((p, index) => ({
            code: p.code,
            name: p.name,
            position: (index + 1) * 10,
            match_kinds: p.matchKinds,
            match_channels: p.matchChannels,
            match_categories: p.matchCategories,
            match_priorities: p.matchPriorities,
            fr_amount: p.firstResponse.amount,
            fr_unit: p.firstResponse.unit,
            fr_counting: p.firstResponse.counting,
            res_amount: p.resolution.amount,
            res_unit: p.resolution.unit,
            res_counting: p.resolution.counting,
            extension_amount: p.extensionAmount,
            pause_statuses: p.pauseStatuses,
            at_risk_ratio: p.atRiskRatio,
            legal_source: p.legalSource,
          })),
        ),
      ],
    );
    return { holidays: inserted.length, policies: policies.length };
  });
}
