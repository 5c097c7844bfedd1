import type { Database } from "../../db/database.js";
import { UnitTree } from "./unit-tree.js";

export async function loadUnitTree(db: Database): Promise<UnitTree> {
  const rows = await db.prisma.unit.findMany({
    select: { id: true, code: true, name: true, type: true, parentId: true, timeZone: true },
  });
  return new UnitTree(rows);
}
