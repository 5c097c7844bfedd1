import type { Database } from "../../db/database.js";
import type { Unit } from "../../generated/prisma/client.js";
import { type MembershipPeriod, UnitTree } from "./unit-tree.js";

/**
 * The units with their whole rows (a few hundred, read at start and again when one changes), and the
 * periods that moved units counted under their former parents.
 */
export async function loadUnitTree(db: Database): Promise<UnitTree<Unit>> {
  const [units, periods] = await Promise.all([
    db.prisma.unit.findMany(),
    db.sql.query<{
      unit_id: number;
      root_id: number;
      valid_from: Date | null;
      valid_to: Date | null;
      open_at_from: number | null;
      open_at_to: number | null;
    }>(
      `SELECT p.unit_id, p.root_id,
              CASE WHEN p.valid_from = '-infinity' THEN NULL ELSE p.valid_from END AS valid_from,
              CASE WHEN p.valid_to = 'infinity' THEN NULL ELSE p.valid_to END AS valid_to,
              (SELECT m.open_at_move FROM unit_move m WHERE m.unit_id = p.unit_id AND m.effective_at = p.valid_from
               ORDER BY m.id LIMIT 1) AS open_at_from,
              (SELECT m.open_at_move FROM unit_move m WHERE m.unit_id = p.unit_id AND m.effective_at = p.valid_to
               ORDER BY m.id LIMIT 1) AS open_at_to
       FROM unit_root_periods() p
       WHERE p.unit_id <> p.root_id AND (p.valid_from <> '-infinity' OR p.valid_to <> 'infinity')`,
    ),
  ]);
  return new UnitTree(
    units,
    periods.map(
      (row): MembershipPeriod => ({
        unitId: row.unit_id,
        rootId: row.root_id,
        from: row.valid_from === null ? null : new Date(row.valid_from),
        to: row.valid_to === null ? null : new Date(row.valid_to),
        openAtFrom: row.open_at_from ?? 0,
        openAtTo: row.open_at_to ?? 0,
      }),
    ),
  );
}

/**
 * A fingerprint of the unit tree: another instance's edit or move changes it, so each instance can
 * notice and reload without being told.
 */
export async function unitStamp(db: Database): Promise<string> {
  const [row] = await db.sql.query<{ stamp: string }>(
    `SELECT concat_ws('/', (SELECT count(*) FROM unit), (SELECT max(updated_at) FROM unit),
       (SELECT count(*) FROM unit_move)) AS stamp`,
  );
  return row?.stamp ?? "";
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
