import type { Logger } from "../../logger.js";
import { ANONYMOUS, type Viewer } from "../auth/viewer.js";

interface Entry {
  viewer: Viewer;
  holders: number;
  checkedAt: number;
  refreshing: boolean;
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
    else this.entries.set(authorization, { viewer, holders: 1, checkedAt: Date.now(), refreshing: false });
  }

  release(authorization: string): void {
    const entry = this.entries.get(authorization);
    if (entry && --entry.holders <= 0) this.entries.delete(authorization);
  }

  /** The latest known viewer; starts a re-check in the background when the last one is too old. */
  current(authorization: string): Viewer {
    const entry = this.entries.get(authorization);
    if (!entry) return ANONYMOUS;
    if (Date.now() - entry.checkedAt > (this.options.ttlMs ?? 5_000)) void this.refresh(authorization, entry);
    return entry.viewer;
  }

  /** Re-reads every held credential now (after a logout or revocation anywhere). */
  async refreshAll(): Promise<void> {
    await Promise.all([...this.entries].map(([authorization, entry]) => this.refresh(authorization, entry, true)));
  }

  private refresh(authorization: string, entry: Entry, force = false): Promise<void> {
    if (entry.refreshing && !force) return Promise.resolve();
    entry.refreshing = true;
    return this.options
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
        entry.refreshing = false;
      });
  }
}
