import type { ClockKind, Counting, TargetBasis, TargetUnit } from "../../generated/prisma/enums.js";

/** The clocks a policy may add to first response and resolution, each started and stopped by its own events. */
export const STAGE_KINDS = ["FILE_ANSWER", "FILE_LAPSE", "EXAMINATION"] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

export const isStageKind = (kind: ClockKind | string): kind is StageKind =>
  (STAGE_KINDS as readonly string[]).includes(kind);

/** One stage clock of a policy: its target and what the target rests on. */
export interface StageTarget {
  kind: StageKind;
  amount: number;
  unit: TargetUnit;
  counting: Counting;
  basis: TargetBasis;
  source: string;
}

const UNITS: readonly string[] = ["MINUTES", "WORKING_DAYS", "DAYS"];
const COUNTINGS: readonly string[] = ["BUSINESS_HOURS", "ALL_HOURS"];
const BASES: readonly string[] = ["LEGAL", "INTERNAL"];

/**
 * The stages stored on a policy (`sla_policy.stages`), read defensively: an entry that is not a valid stage
 * is ignored rather than trusted, since the column is JSON. What is saved through the API is checked first.
 */
export function policyStages(stored: unknown): StageTarget[] {
  if (!Array.isArray(stored)) return [];
  const seen = new Set<string>();
  const stages: StageTarget[] = [];
  for (const entry of stored as Record<string, unknown>[]) {
    if (!entry || typeof entry !== "object") continue;
    const { kind, amount, unit, counting, basis, source } = entry;
    if (
      typeof kind !== "string" ||
      !isStageKind(kind) ||
      seen.has(kind) ||
      typeof amount !== "number" ||
      !(amount > 0) ||
      typeof unit !== "string" ||
      !UNITS.includes(unit) ||
      typeof counting !== "string" ||
      !COUNTINGS.includes(counting)
    ) {
      continue;
    }
    seen.add(kind);
    stages.push({
      kind,
      amount,
      unit: unit as TargetUnit,
      counting: counting as Counting,
      basis: (typeof basis === "string" && BASES.includes(basis) ? basis : "INTERNAL") as TargetBasis,
      source: typeof source === "string" ? source : "",
    });
  }
  return stages;
}
