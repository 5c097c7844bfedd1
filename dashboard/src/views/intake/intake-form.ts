import type { MessageKey } from "../../i18n/messages.js";

/** The channels staff record by hand: the others arrive through their own intake. */
export const STAFF_CHANNELS = ["PHONE", "WALK_IN", "LETTER"] as const;
export type StaffChannel = (typeof STAFF_CHANNELS)[number];

export const KINDS = [
  "COMPLAINT",
  "INFORMATION_REQUEST",
  "ASPIRATION",
  "APPRECIATION",
  "VIOLATION_REPORT",
  "WHISTLEBLOWING",
] as const;
export const PRIORITIES = ["LOW", "NORMAL", "HIGH", "URGENT"] as const;

export interface TreeUnit {
  code: string;
  name: string;
  type: string;
  active: boolean;
  parent: { code: string } | null;
}

export interface UnitGroup<U extends TreeUnit = TreeUnit> {
  /** The regional office (or the directorate) heading the group; null for units whose parent is out of scope. */
  head: U | null;
  units: U[];
}

/**
 * The active units of a scope as the tree reads: the directorate, then each regional office followed by
 * its offices and detention centres, in name order. A unit whose parent is outside the list stands alone.
 */
export function unitGroups<U extends TreeUnit>(units: readonly U[]): UnitGroup<U>[] {
  const active = units.filter((unit) => unit.active);
  const byName = (a: U, b: U) => a.name.localeCompare(b.name, "id");
  const heads = active
    .filter((unit) => unit.type === "DIRECTORATE" || unit.type === "REGIONAL_OFFICE")
    .sort((a, b) => Number(b.type === "DIRECTORATE") - Number(a.type === "DIRECTORATE") || byName(a, b));
  const headCodes = new Set(heads.map((unit) => unit.code));
  const rest = active.filter((unit) => !headCodes.has(unit.code));
  const loose = rest.filter((unit) => !unit.parent || !headCodes.has(unit.parent.code)).sort(byName);
  const groups: UnitGroup<U>[] = loose.length ? [{ head: null, units: loose }] : [];
  for (const head of heads) {
    groups.push({ head, units: [head, ...rest.filter((unit) => unit.parent?.code === head.code).sort(byName)] });
  }
  return groups;
}

/** Which unit the form starts on: the one the link asked for if the caller may act for it, else their own office. */
export function initialUnit(
  units: readonly TreeUnit[],
  asked: string | null,
  viewerUnit: { code: string; type: string } | null,
): { code: string; refused: string | null } {
  const usable = new Set(units.filter((unit) => unit.active).map((unit) => unit.code));
  if (asked && usable.has(asked)) return { code: asked, refused: null };
  const own = viewerUnit && viewerUnit.type !== "DIRECTORATE" && usable.has(viewerUnit.code) ? viewerUnit.code : "";
  return { code: own, refused: asked ? asked : null };
}

export interface IntakeValues {
  channel: StaffChannel;
  unitCode: string;
  kind: string;
  category: string;
  priority: string;
  subject: string;
  description: string;
  reporterName: string;
  reporterPhone: string;
  reporterEmail: string;
}

export type IntakeField = "unitCode" | "subject" | "description";

/** What the form refuses before asking the server: the fields nobody may leave empty. */
export function missingFields(values: IntakeValues): Partial<Record<IntakeField, MessageKey>> {
  const missing: Partial<Record<IntakeField, MessageKey>> = {};
  if (!values.unitCode) missing.unitCode = "requiredUnit";
  if (!values.subject.trim()) missing.subject = "requiredSubject";
  if (!values.description.trim()) missing.description = "requiredDescription";
  return missing;
}

/** createTicket's input; the key stays the same for every send of one form, so a resend is the same ticket. */
export function intakeInput(values: IntakeValues, idempotencyKey: string) {
  const optional = (value: string) => value.trim() || null;
  const reporter = {
    name: optional(values.reporterName),
    phone: optional(values.reporterPhone),
    email: optional(values.reporterEmail),
  };
  return {
    idempotencyKey,
    channel: values.channel,
    unitCode: values.unitCode,
    kind: values.kind,
    category: optional(values.category),
    priority: values.priority,
    subject: values.subject.trim(),
    description: values.description.trim(),
    reporter: reporter.name || reporter.phone || reporter.email ? reporter : null,
  };
}

/** A key for one form: random, in the characters createTicket accepts, without needing a secure context. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `intake-${[...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
