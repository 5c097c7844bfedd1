import type { Database } from "../../db/database.js";
import type { Unit } from "../../generated/prisma/client.js";
import { UnitTree } from "./unit-tree.js";

/** The units with their whole rows: a few hundred, read once at start. */
export async function loadUnitTree(db: Database): Promise<UnitTree<Unit>> {
  return new UnitTree(await db.prisma.unit.findMany());
}

/**
 * One unit's row, from the tree in memory: the many resolvers that name a unit (overview rows,
 * streamed events, queue snapshots) would otherwise each ask the database for reference data that
 * changes a few times a year and is already held there for the scope checks.
 */
export function unitRow(tree: UnitTree<Unit>, id: number): Unit {
  const unit = tree.get(id);
  if (!unit) throw new Error(`unit ${id} does not exist`);
  return unit;
}
