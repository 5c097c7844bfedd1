import type { Database } from "../../db/database.js";
import { UnknownCategoryError, ValidationError } from "../../errors.js";
import type { Category } from "../../generated/prisma/client.js";
import { auditActorOf, writeAudit } from "../audit/audit-log.js";
import type { AuthenticatedViewer } from "../auth/viewer.js";

/** Codes are what integrations and SLA policies match on: upper case, digits and underscores. */
const CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
const MAX_NAME = 120;

function checkedName(value: string, field: "name" | "nameEn"): string {
  const name = value.trim();
  if (!name || name.length > MAX_NAME) throw new ValidationError(`${field}: 1–${MAX_NAME} characters`, field);
  return name;
}

const audited = (category: Category) => ({
  code: category.code,
  name: category.name,
  nameEn: category.nameEn,
  parentId: category.parentId,
  position: category.position,
  retiredAt: category.retiredAt?.toISOString() ?? null,
});

/**
 * Adds a category, at the top of the tree or under a parent that is not retired, last among its
 * siblings unless a position is given.
 */
export async function createCategory(
  db: Database,
  viewer: AuthenticatedViewer,
  input: { code: string; name: string; nameEn: string; parentCode?: string | null; position?: number | null },
): Promise<Category> {
  const code = input.code.trim();
  if (!CODE.test(code))
    throw new ValidationError("code: 2–64 characters, A–Z, 0–9 and _, starting with a letter", "code");
  const name = checkedName(input.name, "name");
  const nameEn = checkedName(input.nameEn, "nameEn");
  if (input.position != null && (input.position < 0 || input.position > 10_000)) {
    throw new ValidationError("position: 0–10,000", "position");
  }
  return db.prisma.$transaction(async (tx) => {
    let parentId: number | null = null;
    if (input.parentCode) {
      const parent = await tx.category.findUnique({ where: { code: input.parentCode } });
      if (!parent || parent.retiredAt) throw new UnknownCategoryError(input.parentCode);
      parentId = parent.id;
    }
    if (await tx.category.findUnique({ where: { code }, select: { id: true } })) {
      throw new ValidationError(`code: ${code} is taken (retired categories keep their code)`, "code");
    }
    const last = await tx.category.aggregate({ where: { parentId }, _max: { position: true } });
    const category = await tx.category.create({
      data: { code, name, nameEn, parentId, position: input.position ?? (last._max.position ?? -1) + 1 },
    });
    await writeAudit(tx, {
      actor: auditActorOf(viewer),
      entityType: "Category",
      entityId: category.id,
      action: "create",
      before: null,
      after: audited(category),
      unitId: null,
    });
    return category;
  });
}

/** Renames a category in Indonesian, English or both; its code never changes. */
export async function renameCategory(
  db: Database,
  viewer: AuthenticatedViewer,
  input: { code: string; name?: string | null; nameEn?: string | null },
): Promise<Category> {
  const name = input.name == null ? undefined : checkedName(input.name, "name");
  const nameEn = input.nameEn == null ? undefined : checkedName(input.nameEn, "nameEn");
  if (name === undefined && nameEn === undefined) {
    throw new ValidationError("name or nameEn: give at least one", "name");
  }
  return db.prisma.$transaction(async (tx) => {
    const before = await tx.category.findUnique({ where: { code: input.code } });
    if (!before) throw new UnknownCategoryError(input.code);
    const after = await tx.category.update({ where: { id: before.id }, data: { name, nameEn } });
    if (after.name !== before.name || after.nameEn !== before.nameEn) {
      await writeAudit(tx, {
        actor: auditActorOf(viewer),
        entityType: "Category",
        entityId: after.id,
        action: "rename",
        before: audited(before),
        after: audited(after),
        unitId: null,
      });
    }
    return after;
  });
}

/**
 * Retires a category and every category below it: tickets already filed keep them, new tickets and
 * triage can no longer choose them, and lists leave them out unless asked.
 */
export async function retireCategory(db: Database, viewer: AuthenticatedViewer, code: string): Promise<Category> {
  return db.prisma.$transaction(async (tx) => {
    const before = await tx.category.findUnique({ where: { code } });
    if (!before) throw new UnknownCategoryError(code);
    if (before.retiredAt) throw new ValidationError(`code: ${code} is already retired`, "code");
    const now = new Date();
    const retired = await tx.$queryRaw<{ id: number }[]>`
      WITH RECURSIVE below AS (
        SELECT id FROM category WHERE id = ${before.id}
        UNION ALL SELECT c.id FROM category c JOIN below ON c.parent_id = below.id
      )
      UPDATE category SET retired_at = ${now} WHERE id IN (SELECT id FROM below) AND retired_at IS NULL
      RETURNING id`;
    const after = await tx.category.findUniqueOrThrow({ where: { id: before.id } });
    await writeAudit(tx, {
      actor: auditActorOf(viewer),
      entityType: "Category",
      entityId: after.id,
      action: "retire",
      before: audited(before),
      after: { ...audited(after), retiredWithIt: retired.length - 1 },
      unitId: null,
    });
    return after;
  });
}
