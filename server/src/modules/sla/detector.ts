import type { Database } from "../../db/database.js";
import type { TicketEventType } from "../../generated/prisma/enums.js";
import type { Logger } from "../../logger.js";
import type { ClockEngine } from "./clock-engine.js";

export interface DetectorOptions {
  db: Database;
  engine: ClockEngine;
  logger: Logger;
  now?: () => Date;
  intervalMs?: number;
  batchSize?: number;
  /** Told after a pass commits re-evaluated clocks (which may have written at-risk or breach events). */
  committed?: () => void;
  /** Told, after each pass commits, the type of every SLA event it wrote. */
  wrote?: (types: readonly TicketEventType[]) => void;
}

/**
 * One pass: re-evaluates the tickets whose next clock transition is due. Only rows due by now are read
 * (index on next_check_at), and each ticket is taken with FOR UPDATE SKIP LOCKED, so any number of
 * server instances can run this at once without two of them handling one ticket.
 */
export async function detectDueClocks(options: DetectorOptions): Promise<number> {
  const { db, engine } = options;
  const batchSize = options.batchSize ?? 200;
  let handled = 0;
  // Bounded so that clocks a buggy evaluation keeps due cannot hold the loop; the next tick continues.
  for (let pass = 0; pass < 100; pass++) {
    const now = options.now?.() ?? new Date();
    const { count, written } = await db.prisma.$transaction(async (tx) => {
      // The limit applies after SKIP LOCKED, so instances share the backlog instead of queueing on the same rows.
      const due = await tx.$queryRaw<{ id: string }[]>`
        SELECT t.id FROM ticket t
        WHERE t.id IN (SELECT c.ticket_id FROM ticket_clock c WHERE c.next_check_at <= ${now})
        LIMIT ${batchSize}
        FOR UPDATE OF t SKIP LOCKED`;
      const written = await engine.recomputeMany(
        tx,
        due.map((row) => row.id),
        now,
      );
      return { count: due.length, written };
    });
    handled += count;
    if (count === 0) break;
    if (written.length) options.wrote?.(written);
    options.committed?.();
  }
  return handled;
}

/** Runs the detection pass every interval until stopped; a failing pass is logged and retried. */
export function startDetector(options: DetectorOptions): () => Promise<void> {
  const intervalMs = options.intervalMs ?? 1_000;
  let running: Promise<void> | null = null;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = detectDueClocks(options)
      .then((handled) => {
        if (handled > 0) options.logger.debug({ handled }, "SLA clocks re-evaluated");
      })
      .catch((error: unknown) => options.logger.warn({ err: error }, "SLA detection pass failed"))
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
