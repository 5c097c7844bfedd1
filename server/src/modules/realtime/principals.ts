import type { Logger } from "../../logger.js";
import { ANONYMOUS, type Viewer } from "../auth/viewer.js";

interface Entry {
  viewer: Viewer;
  holders: number;
  checkedAt: number;
  refreshing: Promise<void> | null;
}

/**
 * Who is behind each credential held by a live subscription, re-read from the database when older than
 * `ttlMs` while events flow, and at once on every instance when a session or key is revoked.
 * Every event is checked against what is known here, so a shrunk scope or a revoked token stops the
 * stream within that bound, without one query per event per subscriber.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: {
      authenticate: (authorization: string) => Promise<Viewer>;
      logger: Logger;
      ttlMs?: number;
    },
  ) {}

  /** Remembers the viewer a subscription was opened with; `release` when the subscription ends. */
  hold(authorization: string, viewer: Viewer): void {
    const entry = this.entries.get(authorization);
    if (entry) entry.holders += 1;
    else this.entries.set(authorization, { viewer, holders: 1, checkedAt: Date.now(), refreshing: null });
  }

  release(authorization: string): void {
    const entry = this.entries.get(authorization);
    if (entry && --entry.holders <= 0) this.entries.delete(authorization);
  }

  /** The people (not keys) behind the credentials held now: they are at work, watching a board or a ticket. */
  *heldUserIds(): Iterable<string> {
    for (const entry of this.entries.values()) if (entry.viewer.kind === "user") yield entry.viewer.userId;
  }

  /** The latest known viewer for the credential. */
  current(authorization: string): Viewer {
    return this.entries.get(authorization)?.viewer ?? ANONYMOUS;
  }

  /**
   * Re-reads, one query per credential, every reading older than the interval. The hub awaits this
   * before each delivery, so no event is judged against access read longer ago than that.
   */
  async refreshStale(): Promise<void> {
    const limit = Date.now() - (this.options.ttlMs ?? 5_000);
    const stale = [...this.entries].filter(([, entry]) => entry.checkedAt < limit);
    if (stale.length) await Promise.all(stale.map(([authorization, entry]) => this.refresh(authorization, entry)));
  }

  /** Re-reads every held credential now (after a logout or revocation anywhere). */
  async refreshAll(): Promise<void> {
    await Promise.all(
      [...this.entries].map(async ([authorization, entry]) => {
        // A reading already under way may predate the change; read once more after it.
        await entry.refreshing;
        await this.refresh(authorization, entry);
      }),
    );
  }

  private refresh(authorization: string, entry: Entry): Promise<void> {
    if (entry.refreshing) return entry.refreshing;
    entry.refreshing = this.options
      .authenticate(authorization)
      .then((viewer) => {
        entry.viewer = viewer;
      })
      .catch((error: unknown) => {
        if (error instanceof Error && error.name === "AuthenticationError") entry.viewer = ANONYMOUS;
        else
          this.options.logger.warn({ err: error }, "re-checking a subscriber's access failed; keeping the last answer");
      })
      .finally(() => {
        entry.checkedAt = Date.now();
        entry.refreshing = null;
      });
    return entry.refreshing;
  }
}
