import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { importWithRetry, retryingImport } from "./retrying-import.js";

describe("importWithRetry", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("tries again with back-off until the chunk loads", async () => {
    const load = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new TypeError("Failed to fetch dynamically imported module"))
      .mockRejectedValueOnce(new TypeError("Failed to fetch dynamically imported module"))
      .mockResolvedValue("charts");
    const loaded = importWithRetry(load);
    await vi.advanceTimersByTimeAsync(999);
    expect(load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(load).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(loaded).resolves.toBe("charts");
    expect(load).toHaveBeenCalledTimes(3);
  });

  it("gives up after the time allowed and says why", async () => {
    const load = vi.fn<() => Promise<string>>().mockRejectedValue(new TypeError("gone"));
    const loaded = importWithRetry(load, { giveUpAfterMs: 30_000 });
    const outcome = loaded.catch((error: Error) => error.message);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await outcome).toBe("gone");
    // 1 + 2 + 4 + 8 + 10 s of waits fit in 30 s; the next 10 s would not.
    expect(load).toHaveBeenCalledTimes(6);
  });

  it("shares one attempt among loaders, and starts afresh after a final failure", async () => {
    const load = vi.fn<() => Promise<string>>().mockRejectedValueOnce(new TypeError("gone")).mockResolvedValue("ok");
    const shared = retryingImport(load, { giveUpAfterMs: 0 });
    await expect(Promise.all([shared(), shared()])).rejects.toThrow("gone");
    expect(load).toHaveBeenCalledTimes(1);
    await expect(shared()).resolves.toBe("ok");
    expect(load).toHaveBeenCalledTimes(2);
  });
});
