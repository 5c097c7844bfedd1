/** How a failed import is tried again. */
export interface RetryOptions {
  firstDelayMs?: number;
  maxDelayMs?: number;
  giveUpAfterMs?: number;
}

/**
 * A dynamic import that a dropped connection does not break for good. React.lazy keeps the first
 * answer of its loader, a failure included, and a failed chunk throws out of the whole view; so the
 * import is tried again with back-off (1 s doubling to 10 s) until it loads, and fails only after
 * `giveUpAfterMs` (a chunk that is really gone, e.g. after a new release).
 */
export async function importWithRetry<T>(
  load: () => Promise<T>,
  { firstDelayMs = 1_000, maxDelayMs = 10_000, giveUpAfterMs = 300_000 }: RetryOptions = {},
): Promise<T> {
  const started = Date.now();
  let delay = firstDelayMs;
  for (;;) {
    try {
      return await load();
    } catch (error) {
      if (Date.now() - started + delay > giveUpAfterMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}

/** The same import shared by several loaders: one attempt in flight, and a fresh one after a final failure. */
export function retryingImport<T>(load: () => Promise<T>, options?: RetryOptions): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= importWithRetry(load, options).catch((error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}
