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
    const batch = await options.db.prisma.$transaction(async (tx) => {
      const candidates = await tx.$queryRaw<{ ticket_id: string }[]>`
        SELECT DISTINCT c.ticket_id FROM ticket_clock c
        WHERE c.ticket_id > ${after}::uuid AND c.state IN ('RUNNING', 'PAUSED', 'AT_RISK')
        ORDER BY c.ticket_id LIMIT ${batchSize}`;
      const ids = candidates.map((row) => row.ticket_id);
      const locked = ids.length
        ? await tx.$queryRaw<{ id: string }[]>`
            SELECT t.id FROM ticket t
            WHERE t.id = ANY(${ids}::uuid[]) AND (${unitFilter}::int[] IS NULL OR t.unit_id = ANY(${unitFilter}::int[]))
            FOR UPDATE OF t SKIP LOCKED`
        : [];
      await options.engine.recomputeMany(
        tx,
        locked.map((row) => row.id),
        now,
      );
      return {
        scanned: ids.length,
        last: ids.at(-1),
        recomputed: locked.length,
        recomputedIds: locked.map((row) => row.id),
      };
    });
    // A recompute may take a clock out of the at-risk zone without an event (a longer calendar): the
    // queue figures re-count these tickets themselves, after the commit that released their rows.
    if (batch.recomputedIds.length) {
      await options.db.sql.query("SELECT queue_figures_refresh($1::uuid[])", [batch.recomputedIds]);
    }
    total += batch.recomputed;
    if (!batch.last || batch.scanned < batchSize) break;
    after = batch.last;
    // Let queued API work run between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  options.logger.info({ tickets: total }, "open SLA clocks recomputed");
  return total;
}
