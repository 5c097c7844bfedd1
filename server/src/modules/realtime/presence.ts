import type { Database } from "../../db/database.js";
import type { Logger } from "../../logger.js";

/** How recently an agent must have been seen at work to count as active on a queue board. */
export const PRESENCE_WINDOW_MINUTES = 15;

export interface PresenceOptions {
  db: Database;
  logger: Logger;
  /** A person already written within this interval is not written again. */
  minIntervalMs?: number;
  /** How often what was seen is written, in one statement. */
  flushMs?: number;
  /** People to mark as seen on every flush: those holding live subscriptions on this instance. */
  holders?: () => Iterable<string>;
}

/**
 * When each person was last seen at work: acting on a ticket, or holding a live subscription open.
 * Sightings are kept in memory and written in one upsert per flush, each person at most once per
 * `minIntervalMs` (a minute by default), so the request path pays a map lookup, never a query, and a
 * queue board counts active agents from a few hundred rows instead of the event log.
 */
export class Presence {
  private readonly pending = new Map<string, number>();
  private readonly written = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: PresenceOptions) {}

  private get minIntervalMs() {
    return this.options.minIntervalMs ?? 60_000;
  }

  /** Notes that the person was at work at `at` (now by default). */
  seen(userId: string, at = Date.now()): void {
    const last = this.written.get(userId);
    if (last !== undefined && at - last < this.minIntervalMs) return;
    const pending = this.pending.get(userId);
    if (pending === undefined || pending < at) this.pending.set(userId, at);
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.flushMs ?? 10_000);
    this.timer.unref();
  }

  /** Writes what was seen since the last flush; resolves when it is in the database. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    const now = Date.now();
    for (const userId of this.options.holders?.() ?? []) this.seen(userId, now);
    if (!this.pending.size) return;
    const batch = [...this.pending];
    this.pending.clear();
    try {
      await this.options.db.sql.query(
        `INSERT INTO user_presence AS p (user_id, last_seen_at)
         SELECT s.user_id, s.at FROM unnest($1::uuid[], $2::timestamptz[]) AS s(user_id, at)
         JOIN app_user u ON u.id = s.user_id
         ON CONFLICT (user_id) DO UPDATE SET last_seen_at = greatest(p.last_seen_at, EXCLUDED.last_seen_at)`,
        [batch.map(([userId]) => userId), batch.map(([, at]) => new Date(at))],
      );
      for (const [userId, at] of batch) this.written.set(userId, at);
      // Forget people not seen for a while, so the map holds only those at work.
      if (this.written.size > 10_000) {
        for (const [userId, at] of this.written) if (now - at > this.minIntervalMs) this.written.delete(userId);
      }
    } catch (error) {
      for (const [userId, at] of batch) this.seen(userId, at);
      this.options.logger.warn({ err: error }, "recording presence failed; retrying on the next flush");
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
