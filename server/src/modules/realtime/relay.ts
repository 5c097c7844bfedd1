import type { Database } from "../../db/database.js";
import type { Logger } from "../../logger.js";
import { SerialRuns } from "../../serial-runs.js";
import type { Bus } from "./bus.js";
import { markPublished, orderPending, readStream, relayCursor } from "./stream-store.js";

/**
 * A writer outside the application may `NOTIFY event_outbox` after it commits to wake every relay
 * sooner than the sweep. The outbox trigger does not: a notification serialises all commits.
 */
export const OUTBOX_CHANNEL = "event_outbox";

/**
 * When another instance's relay holds the stream lock, its ordering statement may have started before
 * this instance's writer committed, and then it does not see that event. The woken relay tries again
 * this soon, so an event is ordered within milliseconds rather than at the next sweep.
 */
const CONTENDED_RETRY_MS = 25;

/**
 * Bounds on the ordering transaction, which holds the stream lock. If its instance freezes (SIGSTOP, a
 * long pause) or is cut off while holding it, PostgreSQL ends the session once it has sat idle in the
 * transaction this long, and the lock passes to the next instance's relay (within its next pass, at
 * most a second later). What the frozen one did is rolled back; it finds its connection gone on waking
 * and simply runs its next pass. A healthy pass never idles between its few statements for that long.
 */
export const ORDERING_IDLE_TIMEOUT_MS = 2_000;
const ORDERING_STATEMENT_TIMEOUT_MS = 15_000;
const ORDERING_LIMITS = `SET LOCAL idle_in_transaction_session_timeout = ${ORDERING_IDLE_TIMEOUT_MS};
  SET LOCAL statement_timeout = ${ORDERING_STATEMENT_TIMEOUT_MS}`;

export interface RelayOptions {
  db: Database;
  bus: Bus;
  logger: Logger;
  /** Sweep for events committed by writers that did not wake this relay (other instances, SQL). */
  intervalMs?: number;
  batchSize?: number;
}

export interface Relay {
  /** Orders what is pending and publishes everything not yet published; resolves when done. */
  runOnce(): Promise<{ ordered: number; published: number }>;
  /** Starts a pass soon without waiting for it: called by writers after they commit. */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Moves committed events from the outbox into the stream (positions in commit order) and publishes
 * them. Nothing is published before its transaction commits: the relay only ever sees committed rows.
 * Every instance runs one; they coordinate through an advisory lock, and publishing is at-least-once
 * (the hubs drop duplicates by position), resumed from `event_relay.published_through` after a crash.
 */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const { db, bus, logger } = options;
  const batchSize = options.batchSize ?? 500;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;

  async function pass() {
    let ordered = 0;
    for (;;) {
      const count = await db.transaction(async (sql) => {
        if (db.kind === "postgres") await sql.exec(ORDERING_LIMITS);
        return orderPending(sql, batchSize, false);
      });
      if (count === null) {
        retry ??= setTimeout(() => {
          retry = null;
          kick();
        }, CONTENDED_RETRY_MS);
        break;
      }
      if (count === 0) break;
      ordered += count;
      if (count < batchSize) break;
    }
    let published = 0;
    const cursor = await relayCursor(db);
    let from = cursor.publishedThrough;
    const head = cursor.head;
    while (from < head) {
      const entries = await readStream(db, from, batchSize, { through: head });
      if (!entries.length) break;
      bus.publish("stream", entries);
      published += entries.length;
      from = entries[entries.length - 1]?.position ?? head;
      await markPublished(db, from);
    }
    return { ordered, published };
  }

  const runs = new SerialRuns(
    pass,
    (a, b) => ({ ordered: a.ordered + b.ordered, published: a.published + b.published }),
    () => stopped,
  );
  const runOnce = () => runs.run();

  const kick = () => {
    if (stopped) return;
    runOnce().catch((error: unknown) => logger.warn({ err: error }, "event relay pass failed; retrying"));
  };
  const unlisten = await db.listen(OUTBOX_CHANNEL, kick);
  const timer = setInterval(kick, options.intervalMs ?? 1_000);
  timer.unref();
  kick();
  return {
    runOnce,
    wake: kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (retry) clearTimeout(retry);
      await unlisten();
      await runs.running?.catch(() => {});
    },
  };
}
