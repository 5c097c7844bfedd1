import { type Change, CriticalityLevel, diff } from "@graphql-inspector/core";
import { buildSchema, type GraphQLSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from "graphql";

/** Third parties get at least this long between a deprecation and the removal. */
export const MIN_NOTICE_DAYS = 90;

/** A breaking change made on purpose, listed in schema.breaking-allowed.json with why. */
export interface AllowedBreak {
  type: string;
  path: string;
  reason: string;
}

export interface CompatReport {
  /** Breaking changes that are neither listed nor removals of expired deprecations: these fail. */
  breaking: Change[];
  /** Breaking changes that are allowed, with why. */
  accepted: { change: Change; why: string }[];
  /** Changes that may affect clients (a new enum value, a new union member). */
  dangerous: Change[];
  safe: Change[];
  /** Deprecations whose reason does not follow the policy. */
  deprecationProblems: string[];
}

const DEPRECATION = /since (\d{4}-\d{2}-\d{2}).*removal not before (\d{4}-\d{2}-\d{2})/i;
const DAY_MS = 24 * 60 * 60 * 1000;

interface Deprecated {
  path: string;
  reason: string;
}

/** Every deprecated field, argument, input field and enum value of a schema, by path (Type.field.arg). */
export function deprecations(schema: GraphQLSchema): Deprecated[] {
  const found: Deprecated[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__")) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        const path = `${type.name}.${field.name}`;
        if (field.deprecationReason) found.push({ path, reason: field.deprecationReason });
        for (const arg of field.args) {
          if (arg.deprecationReason) found.push({ path: `${path}.${arg.name}`, reason: arg.deprecationReason });
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (field.deprecationReason)
          found.push({ path: `${type.name}.${field.name}`, reason: field.deprecationReason });
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (value.deprecationReason)
          found.push({ path: `${type.name}.${value.name}`, reason: value.deprecationReason });
      }
    }
  }
  return found;
}

/** Why a deprecation reason breaks the policy, or null when it follows it. */
export function deprecationProblem(reason: string): string | null {
  const match = DEPRECATION.exec(reason);
  if (!match) return 'must read "… since YYYY-MM-DD … removal not before YYYY-MM-DD"';
  const since = Date.parse(`${match[1]}T00:00:00Z`);
  const removal = Date.parse(`${match[2]}T00:00:00Z`);
  if (Number.isNaN(since) || Number.isNaN(removal)) return "has a date that does not exist";
  if (removal - since < MIN_NOTICE_DAYS * DAY_MS) return `gives less than ${MIN_NOTICE_DAYS} days of notice`;
  return null;
}

/**
 * Compares the schema the code prints with the released contract. A breaking change passes only when it
 * is listed as deliberate, or when it removes something the contract had deprecated and whose announced
 * removal date has come.
 */
export async function compareSchemas(
  releasedSdl: string,
  currentSdl: string,
  allowed: readonly AllowedBreak[],
  today = new Date(),
): Promise<CompatReport> {
  const released = buildSchema(releasedSdl);
  const current = buildSchema(currentSdl);
  const changes = await diff(released, current);
  const expired = new Map(
    deprecations(released).flatMap(({ path, reason }) => {
      const removal = DEPRECATION.exec(reason)?.[2];
      return removal && Date.parse(`${removal}T00:00:00Z`) <= today.getTime() ? [[path, removal] as const] : [];
    }),
  );
  const report: CompatReport = { breaking: [], accepted: [], dangerous: [], safe: [], deprecationProblems: [] };
  for (const change of changes) {
    const level = change.criticality.level;
    if (level === CriticalityLevel.Dangerous) report.dangerous.push(change);
    else if (level !== CriticalityLevel.Breaking) report.safe.push(change);
    else {
      const listed = allowed.find((entry) => entry.type === change.type && entry.path === change.path);
      const removal = change.path ? expired.get(change.path) : undefined;
      if (listed) report.accepted.push({ change, why: listed.reason });
      else if (removal) report.accepted.push({ change, why: `deprecated, removal announced for ${removal}` });
      else report.breaking.push(change);
    }
  }
  for (const { path, reason } of deprecations(current)) {
    const problem = deprecationProblem(reason);
    if (problem) report.deprecationProblems.push(`${path}: the deprecation reason ${problem}`);
  }
  return report;
}
