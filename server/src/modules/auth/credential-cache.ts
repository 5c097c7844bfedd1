import type { AuthenticatedViewer } from "./viewer.js";

interface Entry {
  viewer: AuthenticatedViewer;
  /** The reading is used until this instant, never past the credential's own expiry. */
  until: number;
}

/**
 * Recently verified credentials of HTTP callers, so that a busy client does not cost one database round
 * trip per request. A reading is kept for at most `ttlMs` (the bound within which a change made directly
 * in the database is seen) and is dropped on every instance as soon as any instance announces a logout,
 * a revocation or a change of access. Refusals are never kept: a bad credential is always re-read.
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(options: { ttlMs: number; maxEntries?: number }) {
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  get(credential: string, now: number): AuthenticatedViewer | undefined {
    const entry = this.entries.get(credential);
    if (!entry) return undefined;
    if (entry.until > now) return entry.viewer;
    this.entries.delete(credential);
    return undefined;
  }

  set(credential: string, viewer: AuthenticatedViewer, now: number, expiresAt: Date | null): void {
    if (this.ttlMs <= 0) return;
    const until = Math.min(now + this.ttlMs, expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
    if (until <= now) return;
    // Oldest first: a Map iterates in insertion order.
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.delete(credential);
    this.entries.set(credential, { viewer, until });
  }

  /** After a logout, a revocation or a change of someone's access anywhere. */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
