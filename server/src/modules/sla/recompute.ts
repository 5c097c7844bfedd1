import type { Database } from "../../db/database.js";
import type { Logger } from "../../logger.js";
import type { ClockEngine } from "./clock-engine.js";

export interface RecomputeOptions {
  db: Database;
  engine: ClockEngine;
  logger: Logger;
  /** Only tickets owned by these units; all when omitted. */
  unitIds?: readonly number[];
  batchSize?: number;
  now?: () => Date;
}

/**
 * Re-evaluates the clocks of open tickets after a calendar or holiday change, in batches of their own
 * transactions, so the API keeps serving between batches. Finished clocks (met, breached) are history
 * and are not touched. Tickets locked by a concurrent change are skipped: that change recomputes them.
 */
export async function recomputeOpenClocks(options: RecomputeOptions): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  const unitFilter = options.unitIds ? [...options.unitIds] : null;
  let after = "00000000-0000-0000-0000-000000000000";
  let total = 0;
  for (;;) {
    const now = options.now?.() ?? new Date();
    const ids = await options.db.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT t.id FROM ticket t
        WHERE t.id > ${after}::uuid
          AND (${unitFilter}::int[] IS NULL OR t.unit_id = ANY(${unitFilter}::int[]))
          AND EXISTS (SELECT 1 FROM ticket_clock c WHERE c.ticket_id = t.id AND c.state IN ('RUNNING', 'PAUSED', 'AT_RISK'))
        ORDER BY t.id LIMIT ${batchSize}
        FOR UPDATE OF t SKIP LOCKED`;
      for (const { id } of rows) await options.engine.recompute(tx, id, now);
      return rows.map((row) => row.id);
    });
    total += ids.length;
    const last = ids.at(-1);
    if (!last || ids.length < batchSize) break;
    after = last;
    // Let queued API work run between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  options.logger.info({ tickets: total }, "open SLA clocks recomputed");
  return total;
}
