interface Entry<T> {
  value?: T;
  computedAt: number;
  pending?: Promise<T>;
}

export interface SharedFiguresOptions {
  /** Younger than this, a stored value is served as it is. */
  freshMs: number;
  /** Up to this age a stored value is still served while a fresh one is computed behind it. */
  staleMs: number;
  /** Distinct keys kept; the least recently asked for goes first. */
  maxEntries: number;
  now?: () => number;
}

/**
 * Figures that many callers ask for at the same moment (every directorate screen shows the national view),
 * computed once and shared. A value is served for `freshMs`; after that the next caller still gets it at
 * once while one recomputation runs behind it, so no caller waits for the aggregate unless nothing asked
 * for it for `staleMs`. Concurrent first callers share one computation.
 */
export class SharedFigures<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly now: () => number;

  constructor(private readonly options: SharedFiguresOptions) {
    this.now = options.now ?? Date.now;
  }

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    const now = this.now();
    // Kept in order of use, so a stream of one-off windows cannot push out the one everybody asks for.
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    if (entry?.value !== undefined) {
      const age = now - entry.computedAt;
      if (age <= this.options.freshMs) return Promise.resolve(entry.value);
      if (age <= this.options.staleMs) {
        // A failed refresh keeps the stored value; the next caller after `freshMs` tries again.
        if (!entry.pending) this.start(key, entry, compute).catch(() => undefined);
        return Promise.resolve(entry.value);
      }
    }
    if (entry?.pending) return entry.pending;
    return this.start(key, entry ?? { computedAt: 0 }, compute);
  }

  private start(key: string, entry: Entry<T>, compute: () => Promise<T>): Promise<T> {
    const pending = compute().then(
      (value) => {
        entry.value = value;
        entry.computedAt = this.now();
        entry.pending = undefined;
        return value;
      },
      (error: unknown) => {
        entry.pending = undefined;
        throw error;
      },
    );
    entry.pending = pending;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return pending;
  }
}
