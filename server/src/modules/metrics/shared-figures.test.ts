import { describe, expect, it } from "vitest";
import { SharedFigures } from "./shared-figures.js";

function setup() {
  let clock = 0;
  let computations = 0;
  const resolvers: ((value: number) => void)[] = [];
  const shared = new SharedFigures<number>({ freshMs: 5_000, staleMs: 60_000, maxEntries: 2, now: () => clock });
  const compute = () =>
    new Promise<number>((resolve) => {
      computations += 1;
      resolvers.push(resolve);
    });
  return {
    shared,
    compute,
    advance: (ms: number) => {
      clock += ms;
    },
    finish: (value: number) => resolvers.shift()?.(value),
    computations: () => computations,
  };
}

describe("SharedFigures", () => {
  it("shares one computation between callers that arrive together", async () => {
    const s = setup();
    const a = s.shared.get("k", s.compute);
    const b = s.shared.get("k", s.compute);
    s.finish(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    expect(s.computations()).toBe(1);
  });

  it("serves a fresh value without computing, then a stale one while recomputing behind it", async () => {
    const s = setup();
    const first = s.shared.get("k", s.compute);
    s.finish(1);
    await first;
    s.advance(4_000);
    expect(await s.shared.get("k", s.compute)).toBe(1);
    expect(s.computations()).toBe(1);

    s.advance(2_000);
    expect(await s.shared.get("k", s.compute)).toBe(1);
    expect(s.computations()).toBe(2);
    // Still the old value, and no second refresh, while the first is running.
    expect(await s.shared.get("k", s.compute)).toBe(1);
    expect(s.computations()).toBe(2);
    s.finish(2);
    await Promise.resolve();
    await Promise.resolve();
    expect(await s.shared.get("k", s.compute)).toBe(2);
  });

  it("makes the caller wait when the value is older than the stale limit", async () => {
    const s = setup();
    const first = s.shared.get("k", s.compute);
    s.finish(1);
    await first;
    s.advance(61_000);
    const waiting = s.shared.get("k", s.compute);
    s.finish(3);
    expect(await waiting).toBe(3);
  });

  it("keeps a failed first computation from being stored, and retries on the next call", async () => {
    const s = setup();
    await expect(s.shared.get("k", () => Promise.reject(new Error("database down")))).rejects.toThrow("database down");
    const retry = s.shared.get("k", s.compute);
    s.finish(5);
    expect(await retry).toBe(5);
  });

  it("keeps the stored value when a refresh fails", async () => {
    const s = setup();
    const first = s.shared.get("k", s.compute);
    s.finish(1);
    await first;
    s.advance(6_000);
    expect(await s.shared.get("k", () => Promise.reject(new Error("timeout")))).toBe(1);
    await Promise.resolve();
    expect(await s.shared.get("k", s.compute)).toBe(1);
  });

  it("keeps the key in use while one-off keys come and go", async () => {
    const s = setup();
    const first = s.shared.get("common", s.compute);
    s.finish(1);
    await first;
    for (const key of ["x", "y", "z"]) {
      expect(await s.shared.get("common", s.compute)).toBe(1);
      const once = s.shared.get(key, s.compute);
      s.finish(0);
      await once;
    }
    expect(await s.shared.get("common", s.compute)).toBe(1);
    expect(s.computations()).toBe(4);
  });

  it("forgets the least recently used key beyond its size", async () => {
    const s = setup();
    for (const key of ["a", "b", "c"]) {
      const pending = s.shared.get(key, s.compute);
      s.finish(key.charCodeAt(0));
      await pending;
    }
    const again = s.shared.get("a", s.compute);
    expect(s.computations()).toBe(4);
    s.finish(0);
    await again;
  });
});
