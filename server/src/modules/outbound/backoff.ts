/** How retries of one outbound message are spaced. */
export interface RetryPolicy {
  /** Attempts in all, the first included; after the last failure the message is dead-lettered. */
  maxAttempts: number;
  /** Delay before the second attempt; each later one doubles it. */
  baseDelayMs: number;
  /** No wait is longer than this. */
  maxDelayMs: number;
}

export type AfterFailure = { retry: true; delayMs: number } | { retry: false };

/**
 * What follows the failure of attempt number `attempt` (1 for the first): another attempt after an
 * exponentially growing delay, or the dead letter once `maxAttempts` have failed. The delay is "equal
 * jitter": half of the exponential step is fixed and half drawn at random, so messages that failed
 * together (a peer that went down) do not come back together, and no retry comes sooner than half its
 * step. `random` is a draw in [0, 1).
 */
export function afterFailure(policy: RetryPolicy, attempt: number, random: number): AfterFailure {
  if (attempt >= policy.maxAttempts) return { retry: false };
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return { retry: true, delayMs: Math.round(step / 2 + (step / 2) * Math.min(Math.max(random, 0), 1)) };
}
