import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binOf, binValue, DurationSketch, GAMMA, RELATIVE_ACCURACY, ZERO_BIN } from "./duration-sketch.js";

const sketchOf = (values: readonly number[]) => {
  const sketch = new DurationSketch();
  for (const value of values) sketch.add(binOf(value));
  return sketch;
};
const atRank = (values: readonly number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))] as number;

describe("duration bins", () => {
  it.each<[string, number, number]>([
    ["under a second is the zero bin", 0, ZERO_BIN],
    ["half a second", 0.5 / 60, ZERO_BIN],
    ["one minute is γ^0", 1, 0],
    ["just over a minute", 1.0001, 1],
    ["γ² minutes closes bin 2", GAMMA ** 2 * (1 - 1e-12), 2],
    ["an hour", 60, Math.ceil(Math.log(60) / Math.log(GAMMA))],
    ["under a minute is a negative bin", 0.5, -Math.floor(Math.log(2) / Math.log(GAMMA))],
  ])("%s", (_name, minutes, bin) => {
    expect(binOf(minutes)).toBe(bin);
  });

  it("reports every value of a bin within the relative accuracy", () => {
    fc.assert(
      fc.property(fc.double({ min: 1 / 60, max: 3 * 366 * 1440, noNaN: true }), (minutes) => {
        const reported = binValue(binOf(minutes));
        expect(Math.abs(reported - minutes) / minutes).toBeLessThanOrEqual(RELATIVE_ACCURACY + 1e-12);
      }),
    );
  });
});

describe("DurationSketch", () => {
  it("has no quantiles without values", () => {
    expect(new DurationSketch().quantile(0.5)).toBeNull();
  });

  it.each<[string, number[], number, number]>([
    ["one value", [42], 0.5, 42],
    ["the lower middle of an even count", [10, 20, 30, 1000], 0.5, 20],
    ["p90 of ten values is the ninth", [1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 0.9, 9],
    ["durations under a second count as zero", [0, 0.001, 5], 0.5, 0],
  ])("%s", (_name, values, q, expected) => {
    const reported = sketchOf(values).quantile(q) as number;
    expect(Math.abs(reported - expected)).toBeLessThanOrEqual(expected * RELATIVE_ACCURACY);
  });

  it("gives the duration at the rank within the relative accuracy, for any durations", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1 / 60, max: 100_000, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(0, 0.5, 0.9, 1),
        (values, q) => {
          const exact = atRank(values, q);
          const reported = sketchOf(values).quantile(q) as number;
          expect(Math.abs(reported - exact) / exact).toBeLessThanOrEqual(RELATIVE_ACCURACY + 1e-12);
        },
      ),
    );
  });

  it("merges to what one sketch of all the durations gives", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: 0, max: 50_000, noNaN: true }), { maxLength: 60 }), { maxLength: 8 }),
        (parts) => {
          const merged = new DurationSketch();
          for (const part of parts) merged.merge(sketchOf(part));
          const whole = sketchOf(parts.flat());
          expect(merged.count).toBe(whole.count);
          for (const q of [0, 0.5, 0.9, 1]) expect(merged.quantile(q)).toBe(whole.quantile(q));
        },
      ),
    );
  });
});
