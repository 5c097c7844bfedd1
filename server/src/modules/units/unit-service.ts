import type { Database } from "../../db/database.js";
import { UnitCycleError, UnknownUnitError, ValidationError } from "../../errors.js";
import type { Unit } from "../../generated/prisma/client.js";
import type { OfficeClass, UnitType } from "../../generated/prisma/enums.js";
import { auditActorOf, writeAudit } from "../audit/audit-log.js";
import type { AuthenticatedViewer } from "../auth/viewer.js";
import { STREAM_LOCK_KEY } from "../realtime/stream-store.js";
import type { UnitTree } from "./unit-tree.js";

/** The zones Indonesian units keep their hours in: WIB (two names), WITA, WIT. */
export const UNIT_TIME_ZONES = ["Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura"] as const;

/** Codes are part of the public API: upper case, digits and hyphens, as the directory's are. */
const CODE = /^[A-Z][A-Z0-9-]{1,63}$/;
const MAX_NAME = 200;
const MAX_TEXT = 1000;
/** Indonesia with its outer islands; a coordinate outside is a typo. */
const LATITUDE = { min: -11.5, max: 6.5 };
const LONGITUDE = { min: 94, max: 141.5 };
/** Units that sit under a Kantor Wilayah and may be added or moved between them. */
const UPT_TYPES: readonly UnitType[] = ["IMMIGRATION_OFFICE", "DETENTION_CENTER"];

const audited = (unit: Unit, tree: UnitTree) => ({
  code: unit.code,
  name: unit.name,
  type: unit.type,
  officeClass: unit.officeClass,
  parentCode: unit.parentId === null ? null : (tree.get(unit.parentId)?.code ?? null),
  provinceCode: unit.provinceCode,
  city: unit.city,
  timeZone: unit.timeZone,
  latitude: unit.latitude,
  longitude: unit.longitude,
  uncertainty: unit.uncertainty,
});

function checkedName(value: string): string {
  const name = value.trim();
  if (!name || name.length > MAX_NAME) throw new ValidationError(`name: 1–${MAX_NAME} characters`, "name");
  return name;
}

function checkedTimeZone(value: string): string {
  if (!(UNIT_TIME_ZONES as readonly string[]).includes(value)) {
    throw new ValidationError(`timeZone: one of ${UNIT_TIME_ZONES.join(", ")}`, "timeZone");
  }
  return value;
}

function checkedText(value: string | null | undefined, field: string): string | null {
  const text = value?.trim() || null;
  if (text && text.length > MAX_TEXT) throw new ValidationError(`${field}: at most ${MAX_TEXT} characters`, field);
  return text;
}

function checkedCoordinates(latitude: number | null | undefined, longitude: number | null | undefined) {
  if ((latitude == null) !== (longitude == null)) {
    throw new ValidationError(
      "latitude and longitude: give both or neither",
      latitude == null ? "latitude" : "longitude",
    );
  }
  if (latitude == null || longitude == null) return null;
  if (!(latitude >= LATITUDE.min && latitude <= LATITUDE.max)) {
    throw new ValidationError(`latitude: ${LATITUDE.min}–${LATITUDE.max} (Indonesia)`, "latitude");
  }
  if (!(longitude >= LONGITUDE.min && longitude <= LONGITUDE.max)) {
    throw new ValidationError(`longitude: ${LONGITUDE.min}–${LONGITUDE.max} (Indonesia)`, "longitude");
  }
  return { latitude, longitude };
}

function checkedClass(type: UnitType, officeClass: OfficeClass | null | undefined): OfficeClass | null {
  if (officeClass && type !== "IMMIGRATION_OFFICE") {
    throw new ValidationError("officeClass: only a Kantor Imigrasi has an office class", "officeClass");
  }
  return officeClass ?? null;
}

export interface CreateUnitInput {
  code: string;
  name: string;
  type: UnitType;
  parentCode: string;
  officeClass?: OfficeClass | null;
  city?: string | null;
  timeZone?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  source?: string | null;
  uncertainty?: string | null;
}

/**
 * Adds a Kantor Imigrasi or a Rudenim under a Kantor Wilayah. It takes its province from the regional
 * office and, unless given, its time zone.
 */
export async function createUnit(
  db: Database,
  tree: UnitTree,
  viewer: AuthenticatedViewer,
  input: CreateUnitInput,
): Promise<Unit> {
  const code = input.code.trim();
  if (!CODE.test(code)) {
    throw new ValidationError("code: 2–64 characters, A–Z, 0–9 and -, starting with a letter", "code");
  }
  if (!UPT_TYPES.includes(input.type)) {
    throw new ValidationError("type: an IMMIGRATION_OFFICE or a DETENTION_CENTER (under a Kantor Wilayah)", "type");
  }
  const name = checkedName(input.name);
  const officeClass = checkedClass(input.type, input.officeClass);
  const place = checkedCoordinates(input.latitude, input.longitude);
  const city = checkedText(input.city, "city");
  const source = checkedText(input.source, "source");
  const uncertainty = checkedText(input.uncertainty, "uncertainty");
  const parentNode = tree.byCode(input.parentCode);
  if (!parentNode) throw new UnknownUnitError(input.parentCode);
  if (parentNode.type !== "REGIONAL_OFFICE") {
    throw new ValidationError("parentCode: offices and detention centres sit under a Kantor Wilayah", "parentCode");
  }
  return db.prisma.$transaction(async (tx) => {
    const parent = await tx.unit.findUniqueOrThrow({ where: { id: parentNode.id } });
    const timeZone = checkedTimeZone(input.timeZone ?? parent.timeZone);
    if (await tx.unit.findUnique({ where: { code }, select: { id: true } })) {
      throw new ValidationError(`code: ${code} is taken`, "code");
    }
    const unit = await tx.unit.create({
      data: {
        code,
        name,
        type: input.type,
        officeClass,
        parentId: parent.id,
        provinceCode: parent.provinceCode,
        provinceName: parent.provinceName,
        city,
        timeZone,
        latitude: place?.latitude ?? null,
        longitude: place?.longitude ?? null,
        source,
        uncertainty,
      },
    });
    await writeAudit(tx, {
      actor: auditActorOf(viewer),
      entityType: "Unit",
      entityId: unit.code,
      action: "create",
      before: null,
      after: audited(unit, tree),
      unitId: unit.id,
    });
    return unit;
  });
}

export interface UpdateUnitInput {
  code: string;
  name?: string | null;
  officeClass?: OfficeClass | null;
  timeZone?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  uncertainty?: string | null;
}

/**
 * Changes a unit's name, class, time zone or coordinates; what is left out stays. A new time zone
 * moves the unit's office hours and its own daily figures to the new zone, so its duration sketches
 * are counted again in the same transaction.
 */
export async function updateUnit(
  db: Database,
  tree: UnitTree,
  viewer: AuthenticatedViewer,
  input: UpdateUnitInput,
): Promise<{ unit: Unit; timeZoneChanged: boolean }> {
  const node = tree.byCode(input.code);
  if (!node) throw new UnknownUnitError(input.code);
  const name = input.name == null ? undefined : checkedName(input.name);
  const officeClass = input.officeClass == null ? undefined : checkedClass(node.type, input.officeClass);
  const timeZone = input.timeZone == null ? undefined : checkedTimeZone(input.timeZone);
  const place =
    input.latitude == null && input.longitude == null ? undefined : checkedCoordinates(input.latitude, input.longitude);
  const uncertainty = input.uncertainty === undefined ? undefined : checkedText(input.uncertainty, "uncertainty");
  if ([name, officeClass, timeZone, place, uncertainty].every((value) => value === undefined)) {
    throw new ValidationError("give at least one of name, officeClass, timeZone, latitude/longitude, uncertainty");
  }
  return db.prisma.$transaction(async (tx) => {
    const before = await tx.unit.findUniqueOrThrow({ where: { id: node.id } });
    const after = await tx.unit.update({
      where: { id: node.id },
      data: {
        name,
        officeClass,
        timeZone,
        uncertainty,
        ...(place ? { latitude: place.latitude, longitude: place.longitude } : {}),
        updatedAt: new Date(),
      },
    });
    const timeZoneChanged = after.timeZone !== before.timeZone;
    if (timeZoneChanged) {
      await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock($1)", STREAM_LOCK_KEY);
      await tx.$executeRawUnsafe("SELECT metric_duration_sketch_rebuild_roots($1::int[])", [node.id]);
    }
    await writeAudit(tx, {
      actor: auditActorOf(viewer),
      entityType: "Unit",
      entityId: after.code,
      action: "update",
      before: audited(before, tree),
      after: audited(after, tree),
      unitId: after.id,
    });
    return { unit: after, timeZoneChanged };
  });
}

/**
 * Moves an office or a Rudenim to another Kantor Wilayah. Scope follows at once: the new regional office
 * handles its tickets from now on. The figures count the unit under its old parent up to the start of
 * today (WIB, the day of the daily rollups) and under the new one from then on, so no rollup row is split
 * between two regions and every earlier period of both regions reads as it did. The subtrees it left and
 * joined have their duration sketches counted again, and the tickets open in it at that instant are
 * recorded as the backlog the old region handed over. All under the stream lock, so no roll-up interleaves.
 */
export async function moveUnit(
  db: Database,
  tree: UnitTree,
  viewer: AuthenticatedViewer,
  input: { code: string; parentCode: string },
  options: { now?: Date } = {},
): Promise<{ unit: Unit; effectiveAt: Date }> {
  const node = tree.byCode(input.code);
  if (!node) throw new UnknownUnitError(input.code);
  const target = tree.byCode(input.parentCode);
  if (!target) throw new UnknownUnitError(input.parentCode);
  if (tree.isWithin(target.id, node.id)) throw new UnitCycleError(node.code, target.code);
  if (!UPT_TYPES.includes(node.type)) {
    throw new ValidationError("code: only an office or a detention centre moves between Kantor Wilayah", "code");
  }
  if (target.type !== "REGIONAL_OFFICE") {
    throw new ValidationError("parentCode: offices and detention centres sit under a Kantor Wilayah", "parentCode");
  }
  if (node.parentId === target.id) throw new ValidationError(`parentCode: ${node.code} is already there`, "parentCode");
  const oldRoots = tree.ancestry(node.parentId as number).map((unit) => unit.id);
  const newRoots = tree.ancestry(target.id).map((unit) => unit.id);
  const changedRoots = [
    ...oldRoots.filter((id) => !newRoots.includes(id)),
    ...newRoots.filter((id) => !oldRoots.includes(id)),
  ];
  return db.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock($1)", STREAM_LOCK_KEY);
    const before = await tx.unit.findUniqueOrThrow({ where: { id: node.id } });
    if (before.parentId === target.id)
      throw new ValidationError(`parentCode: ${node.code} is already there`, "parentCode");
    const [moment] = await tx.$queryRawUnsafe<{ effective_at: Date; open: number }[]>(
      `WITH e AS (SELECT date_trunc('day', coalesce($2::timestamptz, now()), 'Asia/Jakarta') AS at),
       last_state AS (
         SELECT DISTINCT ON (ev.ticket_id) ev.unit_id, ev.type
         FROM ticket_event ev, e
         WHERE ev.ticket_id IN (SELECT ticket_id FROM ticket_event WHERE unit_id = $1)
           AND ev.type IN ('CREATED', 'TRANSFERRED', 'REOPENED', 'RESOLVED', 'REJECTED', 'CLOSED') AND ev.at < e.at
         ORDER BY ev.ticket_id, ev.sequence DESC
       )
       SELECT e.at AS effective_at,
              (SELECT count(*) FROM last_state s
               WHERE s.unit_id = $1 AND s.type IN ('CREATED', 'TRANSFERRED', 'REOPENED'))::int AS open
       FROM e`,
      node.id,
      options.now ?? null,
    );
    if (!moment) throw new Error("no effective instant");
    await tx.unitMove.create({
      data: {
        unitId: node.id,
        fromParentId: before.parentId as number,
        toParentId: target.id,
        effectiveAt: moment.effective_at,
        openAtMove: moment.open,
      },
    });
    const after = await tx.unit.update({
      where: { id: node.id },
      data: { parentId: target.id, updatedAt: new Date() },
    });
    await tx.$executeRawUnsafe("SELECT metric_duration_sketch_rebuild_roots($1::int[])", changedRoots);
    await writeAudit(tx, {
      actor: auditActorOf(viewer),
      entityType: "Unit",
      entityId: after.code,
      action: "move",
      before: { parentCode: tree.get(before.parentId as number)?.code ?? null },
      after: {
        parentCode: target.code,
        countsUnderNewParentFrom: moment.effective_at.toISOString(),
        openTicketsHandedOver: moment.open,
      },
      unitId: after.id,
    });
    return { unit: after, effectiveAt: moment.effective_at };
  });
}
