import { describe, expect, it } from "vitest";
import { careIndex, consistencyOf, overallCompliance, percent, rank, statusOf } from "./formulas.js";
import { emptyFigures, type Figures } from "./metrics-service.js";

const figures = (
  patch: Partial<Figures>,
  clocks: [number, number, number?][] = [
    [0, 0],
    [0, 0],
  ],
): Figures => ({
  ...emptyFigures(),
  ...patch,
  clocks: [
    {
      clock: "FIRST_RESPONSE",
      met: clocks[0]?.[0] ?? 0,
      breached: clocks[0]?.[1] ?? 0,
      judged: (clocks[0]?.[0] ?? 0) + (clocks[0]?.[1] ?? 0),
      rejected: 0,
    },
    {
      clock: "RESOLUTION",
      met: clocks[1]?.[0] ?? 0,
      breached: clocks[1]?.[1] ?? 0,
      judged: (clocks[1]?.[0] ?? 0) + (clocks[1]?.[1] ?? 0),
      rejected: clocks[1]?.[2] ?? 0,
    },
  ],
});

describe("metric formulas", () => {
  it.each([
    [1, 3, 33.3],
    [0, 0, null],
    [2, 2, 100],
  ])("percent(%i, %i) = %s", (part, whole, expected) => {
    expect(percent(part, whole)).toBe(expected);
  });

  it.each([
    [null, "NO_DATA"],
    [95, "GREEN"],
    [90, "GREEN"],
    [89.9, "AMBER"],
    [75, "AMBER"],
    [74.9, "RED"],
  ] as const)("status of %s is %s", (value, status) => {
    expect(statusOf(value)).toBe(status);
  });

  it.each([
    ["no rejections", [9, 1, 0], 90],
    ["rejections leave compliance where it was", [9, 1, 40], 90],
    ["only rejections: nothing judged", [0, 0, 5], null],
  ] as const)("resolution compliance with %s", (_why, [met, breached, rejected], expected) => {
    const totals = figures({}, [
      [0, 0],
      [met, breached, rejected],
    ]);
    expect(overallCompliance(totals)).toBe(expected);
    expect(careIndex(totals, []).slaCompliance).toBe(expected);
  });

  it("adds both clocks for overall compliance", () => {
    expect(
      overallCompliance(
        figures({}, [
          [9, 1],
          [3, 7],
        ]),
      ),
    ).toBe(60);
  });

  it.each([
    [[80, 80, 80], 100],
    [[100, 50], 66.7],
    [[50, null, 50], 100],
    [[90], null],
    [[0, 0], 0],
  ] as const)("consistency of %j is %s", (daily, expected) => {
    expect(consistencyOf(daily)).toBe(expected);
  });

  it("weighs the components and gives a missing one's weight to the others", () => {
    const totals = figures({ created: 100, resolved: 80 }, [
      [90, 10],
      [70, 30],
    ]);
    const index = careIndex(totals, [80, 80]);
    expect(index).toMatchObject({
      responsiveness: 90,
      slaCompliance: 70,
      resolution: 80,
      satisfaction: null,
      consistency: 100,
    });
    // (90×.25 + 70×.25 + 80×.2 + 100×.15) / .85
    expect(index.score).toBe(83.5);
    expect(careIndex(figures({}), []).score).toBeNull();
  });

  it("caps resolution at 100% when more is resolved than received", () => {
    expect(careIndex(figures({ created: 10, resolved: 25 }), []).resolution).toBe(100);
  });

  it("ranks with ties and leaves rows without a score unranked", () => {
    expect(rank([70, 90, 70, null, 50], (v) => v)).toEqual([2, 1, 2, null, 4]);
  });
});
