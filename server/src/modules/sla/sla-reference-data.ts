import { readFileSync } from "node:fs";
import type { Database, Sql } from "../../db/database.js";
import { referenceDataFile } from "../../paths.js";
import { writeAudit } from "../audit/audit-log.js";
import { DEFAULT_WEEK } from "./clock/calendar.js";
import { DEFAULT_POLICIES, type PolicyDefinition } from "./default-policies.js";
import { RETIRED_DEFAULTS_2026_11, type RetiredPolicyDefinition } from "./retired-default-policies.js";
import { RETIRED_DEFAULTS_2026_12 } from "./retired-defaults-2026-12.js";
import { policyStages, type StageTarget } from "./stages.js";

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
 * the default policies. Only what is missing is added, so edits made in the running system survive, and
 * nothing is added to a year imported from its decree (importHolidays), whose list is the decree's.
 */
export async function seedSlaReferenceData(
  db: Database,
): Promise<{ holidays: number; policies: number; revised: string[] }> {
  return db.transaction(async (sql) => {
    const holidays = loadHolidayDirectory();
    const inserted = await sql.query<{ id: number }>(
      `INSERT INTO holiday (date, name, kind, source)
       SELECT h.date::date, h.name, h.kind::"HolidayKind", h.source
       FROM json_to_recordset($1::json) AS h(date text, name text, kind text, source text)
       WHERE NOT EXISTS (SELECT 1 FROM holiday x WHERE x.date = h.date::date AND x.unit_id IS NULL)
         AND NOT EXISTS (SELECT 1 FROM holiday_import i WHERE i.year = extract(year FROM h.date::date))
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
    const revised = await reviseUntouchedDefaults(sql);
    const policies = await sql.query<{ id: number }>(
      `${INSERT_POLICIES}
       WHERE NOT EXISTS (SELECT 1 FROM sla_policy x WHERE x.code = p.code)
       RETURNING id`,
      [
        policiesPayload(
          DEFAULT_POLICIES.map((p, index) => ({ definition: p, position: (index + 1) * 10, version: 1 })),
        ),
      ],
    );
    return { holidays: inserted.length, policies: policies.length, revised };
  });
}

const INSERT_POLICIES = `INSERT INTO sla_policy (code, version, current, name, position, match_kinds, match_channels,
     match_categories, match_priorities, first_response_amount, first_response_unit, first_response_counting,
     first_response_basis, first_response_source, resolution_amount, resolution_unit, resolution_counting,
     resolution_basis, resolution_source, extension_amount, pause_statuses, at_risk_ratio, legal_source, stages)
   SELECT p.code, p.version, true, p.name, p.position, p.match_kinds::"TicketKind"[], p.match_channels::"Channel"[],
     p.match_categories, p.match_priorities::"Priority"[], p.fr_amount, p.fr_unit::"TargetUnit",
     p.fr_counting::"Counting", p.fr_basis::"TargetBasis", p.fr_source, p.res_amount, p.res_unit::"TargetUnit",
     p.res_counting::"Counting", p.res_basis::"TargetBasis", p.res_source, p.extension_amount,
     p.pause_statuses::"TicketStatus"[], p.at_risk_ratio, p.legal_source, p.stages
   FROM json_to_recordset($1::json) AS p(code text, version int, name text, position int, match_kinds text[],
     match_channels text[], match_categories text[], match_priorities text[], fr_amount float8, fr_unit text,
     fr_counting text, fr_basis text, fr_source text, res_amount float8, res_unit text, res_counting text,
     res_basis text, res_source text, extension_amount float8, pause_statuses text[], at_risk_ratio float8,
     legal_source text, stages jsonb)`;

function policiesPayload(rows: { definition: PolicyDefinition; position: number; version: number }[]): string {
  return JSON.stringify(
    rows.map(({ definition: p, position, version }) => ({
      code: p.code,
      version,
      name: p.name,
      position,
      match_kinds: p.matchKinds,
      match_channels: p.matchChannels,
      match_categories: p.matchCategories,
      match_priorities: p.matchPriorities,
      fr_amount: p.firstResponse.amount,
      fr_unit: p.firstResponse.unit,
      fr_counting: p.firstResponse.counting,
      fr_basis: p.firstResponse.basis,
      fr_source: p.firstResponse.source,
      res_amount: p.resolution.amount,
      res_unit: p.resolution.unit,
      res_counting: p.resolution.counting,
      res_basis: p.resolution.basis,
      res_source: p.resolution.source,
      extension_amount: p.extensionAmount,
      pause_statuses: p.pauseStatuses,
      at_risk_ratio: p.atRiskRatio,
      legal_source: p.legalSource,
      stages: p.stages,
    })),
  );
}

/** A stored policy version as the comparison with a shipped definition reads it. */
export interface StoredPolicyContent {
  code: string;
  name: string;
  position: number;
  matchKinds: string[];
  matchChannels: string[];
  matchCategories: string[];
  matchPriorities: string[];
  firstResponseAmount: number;
  firstResponseUnit: string;
  firstResponseCounting: string;
  firstResponseBasis: string;
  firstResponseSource: string;
  resolutionAmount: number;
  resolutionUnit: string;
  resolutionCounting: string;
  resolutionBasis: string;
  resolutionSource: string;
  extensionAmount: number | null;
  pauseStatuses: string[];
  atRiskRatio: number;
  legalSource: string;
  stages: unknown;
}

/** A default as an earlier release shipped it; targets without a basis were stored unlabelled. */
interface ShippedDefinition extends Omit<RetiredPolicyDefinition, "firstResponse" | "resolution"> {
  stages?: readonly StageTarget[];
  firstResponse: RetiredPolicyDefinition["firstResponse"] & { basis?: string; source?: string };
  resolution: RetiredPolicyDefinition["resolution"] & { basis?: string; source?: string };
}

/** The earlier releases' defaults, oldest first; each was shipped at positions 10, 20, … in its order. */
const SHIPPED_BEFORE: readonly (readonly ShippedDefinition[])[] = [RETIRED_DEFAULTS_2026_11, RETIRED_DEFAULTS_2026_12];

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((value, index) => value === [...b].sort()[index]);

/**
 * Whether a stored version is exactly a retired default as it was shipped, at its shipped position and with
 * no target labelled since: only then is it Pantau's to revise. Anything the directorate changed is theirs.
 */
export function isUntouchedShippedDefault(
  row: StoredPolicyContent,
  retired: ShippedDefinition,
  position: number,
): boolean {
  return (
    row.code === retired.code &&
    row.name === retired.name &&
    row.position === position &&
    sameList(row.matchKinds, retired.matchKinds) &&
    sameList(row.matchChannels, retired.matchChannels) &&
    sameList(row.matchCategories, retired.matchCategories) &&
    sameList(row.matchPriorities, retired.matchPriorities) &&
    row.firstResponseAmount === retired.firstResponse.amount &&
    row.firstResponseUnit === retired.firstResponse.unit &&
    row.firstResponseCounting === retired.firstResponse.counting &&
    row.resolutionAmount === retired.resolution.amount &&
    row.resolutionUnit === retired.resolution.unit &&
    row.resolutionCounting === retired.resolution.counting &&
    row.firstResponseBasis === (retired.firstResponse.basis ?? "INTERNAL") &&
    row.firstResponseSource === (retired.firstResponse.source ?? "") &&
    row.resolutionBasis === (retired.resolution.basis ?? "INTERNAL") &&
    row.resolutionSource === (retired.resolution.source ?? "") &&
    JSON.stringify(policyStages(row.stages)) === JSON.stringify(retired.stages ?? []) &&
    (row.extensionAmount ?? null) === retired.extensionAmount &&
    sameList(row.pauseStatuses, retired.pauseStatuses) &&
    row.atRiskRatio === retired.atRiskRatio &&
    row.legalSource === retired.legalSource
  );
}

/**
 * Replaces every shipped default still exactly as an earlier release shipped it with a new version of the current default
 * of its code (the old version stays with the tickets that matched it), each recorded in the audit log.
 * Returns the codes revised.
 */
async function reviseUntouchedDefaults(sql: Sql): Promise<string[]> {
  const rows = await sql.query<StoredPolicyContent & { id: number; version: number }>(
    `SELECT id, version, code, name, position, match_kinds::text[] AS "matchKinds",
       match_channels::text[] AS "matchChannels", match_categories AS "matchCategories",
       match_priorities::text[] AS "matchPriorities", first_response_amount AS "firstResponseAmount",
       first_response_unit::text AS "firstResponseUnit", first_response_counting::text AS "firstResponseCounting",
       first_response_basis::text AS "firstResponseBasis", first_response_source AS "firstResponseSource",
       resolution_amount AS "resolutionAmount", resolution_unit::text AS "resolutionUnit",
       resolution_counting::text AS "resolutionCounting", resolution_basis::text AS "resolutionBasis",
       resolution_source AS "resolutionSource", extension_amount AS "extensionAmount",
       pause_statuses::text[] AS "pauseStatuses", at_risk_ratio AS "atRiskRatio", legal_source AS "legalSource",
       stages
     FROM sla_policy WHERE current AND code = ANY($1::text[])
     FOR UPDATE`,
    [DEFAULT_POLICIES.map((p) => p.code)],
  );
  const untouched = (row: StoredPolicyContent) =>
    SHIPPED_BEFORE.some((shipped) => {
      const shippedAt = shipped.findIndex((p) => p.code === row.code);
      const retired = shipped[shippedAt];
      return retired !== undefined && isUntouchedShippedDefault(row, retired, (shippedAt + 1) * 10);
    });
  const revisions = rows.flatMap((row) => {
    const index = DEFAULT_POLICIES.findIndex((p) => p.code === row.code);
    const definition = DEFAULT_POLICIES[index];
    if (!definition || isUntouchedShippedDefault(row, definition, (index + 1) * 10) || !untouched(row)) return [];
    return [{ row, definition, position: (index + 1) * 10, version: row.version + 1 }];
  });
  if (revisions.length === 0) return [];
  await sql.query("UPDATE sla_policy SET current = false WHERE id = ANY($1::int[])", [revisions.map((r) => r.row.id)]);
  await sql.query(INSERT_POLICIES, [policiesPayload(revisions)]);
  for (const { row, definition, position, version } of revisions) {
    const { id: _id, ...before } = row;
    await writeAudit(sql, {
      actor: { kind: "SYSTEM", name: "Pantau reference data" },
      entityType: "SlaPolicy",
      entityId: row.code,
      action: "new-version",
      before,
      after: { ...definition, position, version },
      unitId: null,
    });
  }
  return revisions.map((r) => r.row.code);
}
