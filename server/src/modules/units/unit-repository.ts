import type { Database } from "../../db/database.js";
import { UnitTree } from "./unit-tree.js";

export async function loadUnitTree(db: Database): Promise<UnitTree> {
  const rows = await db.prisma.unit.findMany({
    select: { id: true, code: true, name: true, type: true, parentId: true, timeZone: true },
  });
  return new UnitTree(rows);
}

/**
 * One unit's row. Prisma batches the findUnique calls of one tick into one query, so the many
 * resolvers that name a unit (overview rows, streamed events, queue snapshots) share it.
 */
export async function unitRow(db: Database, id: number) {
  const unit = await db.prisma.unit.findUnique({ where: { id } });
  if (!unit) throw new Error(`unit ${id} does not exist`);
  return unit;
}
