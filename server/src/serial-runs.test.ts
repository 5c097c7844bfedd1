import { describe, expect, it } from "vitest";
import { SerialRuns } from "./serial-runs.js";

describe("serial runs", () => {
  it("runs one pass at a time, and a call during a pass asks for exactly one more", async () => {
    let active = 0;
    let most = 0;
    let passes = 0;
    let release: () => void = () => {};
    const runs = new SerialRuns(
      async () => {
        active += 1;
        most = Math.max(most, active);
        passes += 1;
        if (passes === 1) await new Promise<void>((resolve) => (release = resolve));
        active -= 1;
        return 1;
      },
      (a, b) => a + b,
      () => false,
    );
    const first = runs.run();
    const second = runs.run();
    const third = runs.run();
    expect(runs.running).not.toBeNull();
    release();
    expect(await Promise.all([first, second, third])).toEqual([2, 2, 2]);
    expect(passes).toBe(2);
    expect(most).toBe(1);
    expect(runs.running).toBeNull();
  });

  it("asks for no further pass once stopped", async () => {
    let stopped = false;
    let passes = 0;
    const runs = new SerialRuns(
      async () => {
        passes += 1;
        stopped = true;
        await Promise.resolve();
        return passes;
      },
      (a, b) => a + b,
      () => stopped,
    );
    const running = runs.run();
    void runs.run();
    expect(await running).toBe(1);
    expect(passes).toBe(1);
  });
});
