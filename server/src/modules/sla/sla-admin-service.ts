import type { Database } from "../../db/database.js";
import { NotFoundError, UnknownUnitError, ValidationError } from "../../errors.js";
import type { Holiday, Prisma, SlaPolicy } from "../../generated/prisma/client.js";
import type {
  Channel,
  Counting,
  HolidayKind,
  Priority,
  TargetBasis,
  TargetUnit,
  TicketKind,
  TicketStatus,
} from "../../generated/prisma/enums.js";
import { auditActorOf, writeAudit } from "../audit/audit-log.js";
import type { AuthenticatedViewer } from "../auth/viewer.js";
import type { UnitTree } from "../units/unit-tree.js";
import { CalendarError, createCalendar, type WeekInput } from "./clock/calendar.js";
import { isStageKind, STAGE_KINDS, type StageKind, type StageTarget } from "./stages.js";

export interface TargetInput {
  amount: number;
  unit: TargetUnit;
  counting: Counting;
  /** LEGAL needs a source naming the rule and its article; without a basis a target is INTERNAL. */
  basis?: TargetBasis | null;
  source?: string | null;
}

const MAX_SOURCE = 1000;

export interface PolicyInput {
  code: string;
  name: string;
  position: number;
  matchKinds: TicketKind[];
  matchChannels: Channel[];
  matchCategories: string[];
  matchPriorities: Priority[];
  firstResponse: TargetInput;
  resolution: TargetInput;
  extensionAmount: number | null;
  pauseStatuses: TicketStatus[];
  atRiskRatio: number;
  legalSource: string;
  /** Stage clocks (a complaint's file stages); empty for none. */
  stages?: { kind: string; target: TargetInput }[];
}

const FINAL_STATUSES: TicketStatus[] = ["RESOLVED", "CLOSED", "REJECTED"];

function checkTarget(target: TargetInput, field: string) {
  if (!Number.isFinite(target.amount) || target.amount <= 0) {
    throw new ValidationError(`${field}.amount: must be greater than zero`, `${field}.amount`);
  }
  if (target.unit === "WORKING_DAYS" && target.counting !== "BUSINESS_HOURS") {
    throw new ValidationError(`${field}.counting: working days count business hours`, `${field}.counting`);
  }
  if (target.unit === "DAYS" && target.counting !== "ALL_HOURS") {
    throw new ValidationError(`${field}.counting: calendar days count all hours`, `${field}.counting`);
  }
  if (target.unit !== "MINUTES" && !Number.isInteger(target.amount)) {
    throw new ValidationError(`${field}.amount: days are whole numbers`, `${field}.amount`);
  }
  const source = target.source?.trim() ?? "";
  if (target.basis === "LEGAL" && !source) {
    throw new ValidationError(
      `${field}.source: a legal target names the rule and its article it comes from`,
      `${field}.source`,
    );
  }
  if (source.length > MAX_SOURCE) {
    throw new ValidationError(`${field}.source: at most ${MAX_SOURCE} characters`, `${field}.source`);
  }
}

export function validatePolicy(input: PolicyInput): void {
  if (!/^[A-Z][A-Z0-9_]{1,63}$/.test(input.code)) {
    throw new ValidationError("code: 2–64 of A–Z, 0–9 and _, starting with a letter", "code");
  }
  if (!input.name.trim() || input.name.length > 200) throw new ValidationError("name: 1–200 characters", "name");
  if (!input.legalSource.trim())
    throw new ValidationError("legalSource: name the rule the targets come from", "legalSource");
  checkTarget(input.firstResponse, "firstResponse");
  checkTarget(input.resolution, "resolution");
  if (input.extensionAmount !== null && !(input.extensionAmount > 0)) {
    throw new ValidationError("extensionAmount: must be greater than zero", "extensionAmount");
  }
  if (!(input.atRiskRatio > 0 && input.atRiskRatio < 1)) {
    throw new ValidationError("atRiskRatio: must be between 0 and 1", "atRiskRatio");
  }
  if (input.pauseStatuses.some((status) => FINAL_STATUSES.includes(status))) {
    throw new ValidationError("pauseStatuses: a finished ticket has no running clock to pause", "pauseStatuses");
  }
  const stages = input.stages ?? [];
  const seen = new Set<string>();
  stages.forEach((stage, index) => {
    if (!isStageKind(stage.kind) || seen.has(stage.kind)) {
      throw new ValidationError(
        `stages[${index}].kind: one of ${STAGE_KINDS.join(", ")}, each at most once`,
        `stages[${index}].kind`,
      );
    }
    seen.add(stage.kind);
    checkTarget(stage.target, `stages[${index}].target`);
  });
  if (stages.length > 0 && !seen.has("FILE_ANSWER")) {
    // The file is declared complete or incomplete by the answer FILE_ANSWER times; the other stages start from it.
    throw new ValidationError("stages: the file stages start with FILE_ANSWER", "stages");
  }
}

/** The stages as stored (`sla_policy.stages`), in the order given. */
function storedStages(input: PolicyInput): StageTarget[] {
  return (input.stages ?? []).map((stage) => ({
    kind: stage.kind as StageKind,
    amount: stage.target.amount,
    unit: stage.target.unit,
    counting: stage.target.counting,
    basis: stage.target.basis ?? "INTERNAL",
    source: stage.target.source?.trim() ?? "",
  }));
}

/**
 * Adds a version of a policy (or its first version). The previous version stays attached to the
 * tickets that matched it: a change is never retroactive.
 */
export async function saveSlaPolicy(db: Database, viewer: AuthenticatedViewer, input: PolicyInput): Promise<SlaPolicy> {
  validatePolicy(input);
  return db.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`sla_policy:${input.code}`}))`;
    const latest = await tx.slaPolicy.findFirst({ where: { code: input.code }, orderBy: { version: "desc" } });
    await tx.slaPolicy.updateMany({ where: { code: input.code, current: true }, data: { current: false } });
    const saved = await tx.slaPolicy.create({
      data: {
        code: input.code,
        version: (latest?.version ?? 0) + 1,
        current: true,
        name: input.name.trim(),
        position: input.position,
        matchKinds: input.matchKinds,
        matchChannels: input.matchChannels,
        matchCategories: input.matchCategories,
        matchPriorities: input.matchPriorities,
        firstResponseAmount: input.firstResponse.amount,
        firstResponseUnit: input.firstResponse.unit,
        firstResponseCounting: input.firstResponse.counting,
        firstResponseBasis: input.firstResponse.basis ?? "INTERNAL",
        firstResponseSource: input.firstResponse.source?.trim() ?? "",
        resolutionAmount: input.resolution.amount,
        resolutionUnit: input.resolution.unit,
        resolutionCounting: input.resolution.counting,
        resolutionBasis: input.resolution.basis ?? "INTERNAL",
        resolutionSource: input.resolution.source?.trim() ?? "",
        extensionAmount: input.extensionAmount,
        pauseStatuses: input.pauseStatuses,
        atRiskRatio: input.atRiskRatio,
        legalSource: input.legalSource.trim(),
        stages: storedStages(input) as unknown as Prisma.InputJsonValue,
      },
    });
    await writeAudit(tx, {
      actor: auditActorOf(viewer),
      entityType: "SlaPolicy",
      entityId: saved.code,
      action: latest ? "new-version" : "create",
      before: latest ? auditedPolicy(latest) : null,
      after: auditedPolicy(saved),
      unitId: null,
    });
    return saved;
  });
}

const auditedPolicy = ({ id: _id, createdAt: _createdAt, current: _current, ...content }: SlaPolicy) => content;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseHolidayDate(value: string): Date {
  const match = DATE.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!match || !date || date.toISOString().slice(0, 10) !== value) {
    throw new ValidationError("date: not a calendar date (YYYY-MM-DD)", "date");
  }
  const year = date.getUTCFullYear();
  if (year < 2000 || year > 2100) throw new ValidationError("date: the year must be between 2000 and 2100", "date");
  return date;
}

const MAX_REASON = 500;

/**
 * National days are the directorate's. A regional day is the directorate's or the regional office's, for a
 * unit in their scope, with its reason: it moves the deadlines of every open ticket below the unit, so the
 * offices whose compliance it changes do not set it themselves. A date already listed for the same scope is
 * refused rather than listed twice. The change and its audit record commit together.
 */
export async function addHoliday(
  db: Database,
  tree: UnitTree,
  viewer: AuthenticatedViewer,
  input: {
    date: string;
    name: string;
    kind: HolidayKind;
    unitCode?: string | null;
    source?: string | null;
    reason?: string | null;
  },
): Promise<Holiday> {
  const date = parseHolidayDate(input.date);
  const name = input.name.trim();
  if (!name || name.length > 200) throw new ValidationError("name: 1–200 characters", "name");
  const regional = input.kind === "REGIONAL";
  if (regional !== Boolean(input.unitCode)) {
    throw new ValidationError("unitCode: a regional day needs a unit, a national day has none", "unitCode");
  }
  const reason = input.reason?.trim() || null;
  if (regional && !reason) {
    throw new ValidationError("reason: say why the region has a day off (e.g. the decree or the event)", "reason");
  }
  if (reason && reason.length > MAX_REASON)
    throw new ValidationError(`reason: at most ${MAX_REASON} characters`, "reason");
  let unitId: number | null = null;
  if (input.unitCode) {
    const unit = tree.byCode(input.unitCode);
    if (!unit || !viewer.unitIds.has(unit.id)) throw new UnknownUnitError(input.unitCode);
    unitId = unit.id;
  }
  return db.prisma.$transaction(async (tx) => {
    const clash = await tx.holiday.findFirst({ where: { date, unitId } });
    if (clash) throw new ValidationError(`date: ${input.date} is already listed (${clash.name})`, "date");
    const holiday = await tx.holiday.create({
      data: { date, name, kind: input.kind, unitId, source: input.source?.trim() || null, reason },
    });
    await writeAudit(tx, {
      actor: auditActorOf(viewer),
      entityType: "Holiday",
      entityId: holiday.id,
      action: "create",
      before: null,
      after: auditedHoliday(holiday, tree),
      unitId,
    });
    return holiday;
  });
}

const auditedHoliday = (holiday: Holiday, tree: UnitTree) => ({
  date: holiday.date.toISOString().slice(0, 10),
  name: holiday.name,
  kind: holiday.kind,
  unitCode: holiday.unitId === null ? null : (tree.get(holiday.unitId)?.code ?? null),
  source: holiday.source,
  reason: holiday.reason,
});

export async function removeHoliday(
  db: Database,
  tree: UnitTree,
  viewer: AuthenticatedViewer,
  id: number,
): Promise<Holiday> {
  const holiday = await db.prisma.holiday.findUnique({ where: { id } });
  if (!holiday || (holiday.unitId !== null && !viewer.unitIds.has(holiday.unitId))) {
    throw new NotFoundError("No such holiday in your scope.");
  }
  return db.prisma.$transaction(async (tx) => {
    // Removed by someone else meanwhile: nothing to record.
    const { count } = await tx.holiday.deleteMany({ where: { id } });
    if (count === 0) throw new NotFoundError("No such holiday in your scope.");
    await writeAudit(tx, {
      actor: auditActorOf(viewer),
      entityType: "Holiday",
      entityId: holiday.id,
      action: "remove",
      before: auditedHoliday(holiday, tree),
      after: null,
      unitId: holiday.unitId,
    });
    return holiday;
  });
}

/** Sets a unit's office week after checking it makes a valid calendar in the unit's time zone. */
export async function setBusinessHours(
  db: Database,
  tree: UnitTree,
  viewer: AuthenticatedViewer,
  input: { unitCode: string; week: WeekInput },
): Promise<void> {
  const unit = tree.byCode(input.unitCode);
  if (!unit || !viewer.unitIds.has(unit.id)) throw new UnknownUnitError(input.unitCode);
  try {
    createCalendar({ timeZone: unit.timeZone, week: input.week });
  } catch (error) {
    if (error instanceof CalendarError)
      throw new ValidationError(`${error.field}: ${error.message} (${error.code})`, error.field);
    throw error;
  }
  await db.prisma.$transaction(async (tx) => {
    const before = await tx.businessCalendar.findUnique({ where: { unitId: unit.id } });
    await tx.businessCalendar.upsert({
      where: { unitId: unit.id },
      create: { unitId: unit.id, week: input.week as object },
      update: { week: input.week as object, updatedAt: new Date() },
    });
    await writeAudit(tx, {
      actor: auditActorOf(viewer),
      entityType: "BusinessCalendar",
      entityId: unit.code,
      action: before ? "update" : "create",
      before: before ? { unitCode: unit.code, week: before.week } : null,
      after: { unitCode: unit.code, week: input.week },
      unitId: unit.id,
    });
  });
}
