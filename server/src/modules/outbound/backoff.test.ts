import { describe, expect, it } from "vitest";
import { afterFailure, type RetryPolicy } from "./backoff.js";

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 6_000 };

describe("afterFailure", () => {
  it.each([
    // attempt, random, expected
    [1, 0, { retry: true, delayMs: 500 }],
    [1, 0.999999, { retry: true, delayMs: 1_000 }],
    [2, 0, { retry: true, delayMs: 1_000 }],
    [2, 0.5, { retry: true, delayMs: 1_500 }],
    [3, 0, { retry: true, delayMs: 2_000 }],
    [3, 1, { retry: true, delayMs: 4_000 }],
    // capped: 8 s would be the step, the cap is 6 s
    [4, 0, { retry: true, delayMs: 3_000 }],
    [4, 1, { retry: true, delayMs: 6_000 }],
    // the fifth failure of five attempts is the last
    [5, 0, { retry: false }],
    [6, 0.3, { retry: false }],
  ])("attempt %i with draw %d → %j", (attempt, random, expected) => {
    expect(afterFailure(policy, attempt, random)).toEqual(expected);
  });

  it("grows with the attempt whatever the draws, never past the cap", () => {
    const long: RetryPolicy = { maxAttempts: 40, baseDelayMs: 30_000, maxDelayMs: 3_600_000 };
    let previousFloor = 0;
    for (let attempt = 1; attempt < long.maxAttempts; attempt++) {
      const low = afterFailure(long, attempt, 0);
      const high = afterFailure(long, attempt, 0.999);
      if (!low.retry || !high.retry) throw new Error("expected a retry");
      expect(low.delayMs).toBeGreaterThanOrEqual(previousFloor);
      expect(high.delayMs).toBeLessThanOrEqual(long.maxDelayMs);
      expect(high.delayMs).toBeGreaterThanOrEqual(low.delayMs);
      previousFloor = low.delayMs;
    }
  });

  it("dead-letters at once when only one attempt is allowed", () => {
    expect(afterFailure({ ...policy, maxAttempts: 1 }, 1, 0.5)).toEqual({ retry: false });
  });

  it("keeps a draw outside [0, 1) within the step", () => {
    expect(afterFailure(policy, 1, -3)).toEqual({ retry: true, delayMs: 500 });
    expect(afterFailure(policy, 1, 7)).toEqual({ retry: true, delayMs: 1_000 });
  });
});
