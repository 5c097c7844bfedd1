import { describe, expect, it } from "vitest";
import {
  type ColourScale,
  colourOf,
  contrastRatio,
  domainOf,
  legendSteps,
  MAX_STEPS,
  MIN_STEPS,
  NO_DATA_COLOUR,
  niceStep,
  type PaletteName,
  paletteColours,
  quantizedScale,
  readableTextColour,
  relativeLuminance,
  STATUS_COLOURS,
  slaStatusScale,
  stepIndexOf,
  thresholdScale,
} from "./colour-scale";

const plain = (n: number) => String(n);
const edges = (scale: ColourScale) => scale.steps.map((s) => [s.from, s.to]);

describe("slaStatusScale follows the API's status rule", () => {
  const scale = slaStatusScale();
  it.each([
    [100, STATUS_COLOURS.good],
    [90, STATUS_COLOURS.good],
    [89.99, STATUS_COLOURS.warning],
    [75, STATUS_COLOURS.warning],
    [74.9, STATUS_COLOURS.critical],
    [0, STATUS_COLOURS.critical],
    [-5, STATUS_COLOURS.critical],
    [null, NO_DATA_COLOUR],
    [Number.NaN, NO_DATA_COLOUR],
  ])("%s → %s", (value, colour) => {
    expect(colourOf(scale, value)).toBe(colour);
  });

  it("labels its bands with open ends", () => {
    expect(legendSteps(scale, plain).map((s) => s.label)).toEqual(["< 75", "75 – 90", "≥ 90"]);
  });
});

describe("quantizedScale", () => {
  it.each<[string, Parameters<typeof quantizedScale>[0], (number | null)[][]]>([
    [
      "percent in five round bands",
      { domain: [3, 97.4], direction: "higherIsBetter" },
      [
        [0, 20],
        [20, 40],
        [40, 60],
        [60, 80],
        [80, 100],
      ],
    ],
    [
      "exact equal intervals",
      { domain: [0, 9], direction: "lowerIsBetter", steps: 3, nice: false },
      [
        [0, 3],
        [3, 6],
        [6, 9],
      ],
    ],
    [
      "counts never split below one",
      { domain: [0, 3], direction: "lowerIsBetter", integer: true },
      [
        [0, 1],
        [1, 2],
        [2, 3],
      ],
    ],
    [
      "round edges may give fewer bands",
      { domain: [0, 1234], direction: "lowerIsBetter", steps: 4, integer: true },
      [
        [0, 500],
        [500, 1000],
        [1000, 1500],
      ],
    ],
    [
      "decimals without float noise",
      { domain: [0.1, 0.7], direction: "higherIsBetter", steps: 3 },
      [
        [0, 0.25],
        [0.25, 0.5],
        [0.5, 0.75],
      ],
    ],
    [
      "a reversed domain is sorted",
      { domain: [50, 10], direction: "lowerIsBetter", steps: 4 },
      [
        [10, 20],
        [20, 30],
        [30, 40],
        [40, 50],
      ],
    ],
    ["a single value makes one band", { domain: [7, 7], direction: "lowerIsBetter" }, [[7, 7]]],
  ])("%s", (_, options, expected) => {
    expect(edges(quantizedScale(options))).toEqual(expected);
  });

  it.each([
    [1, MIN_STEPS],
    [20, MAX_STEPS],
  ])("clamps %s wanted steps to %s", (wanted, actual) => {
    expect(
      quantizedScale({ domain: [0, 1], direction: "lowerIsBetter", steps: wanted, nice: false }).steps,
    ).toHaveLength(actual);
  });

  it("rejects a non-finite domain", () => {
    expect(() => quantizedScale({ domain: [0, Number.POSITIVE_INFINITY], direction: "lowerIsBetter" })).toThrow();
  });

  it.each<[number | null, number | null]>([
    [-10, 0],
    [0, 0],
    [19.99, 0],
    [20, 1],
    [100, 4],
    [250, 4],
    [null, null],
  ])("places %s in band %s, clamping outside the domain", (value, index) => {
    expect(stepIndexOf(quantizedScale({ domain: [0, 100], direction: "higherIsBetter" }), value)).toBe(index);
  });

  it.each<[Parameters<typeof quantizedScale>[0]["direction"], "first" | "last"]>([
    ["higherIsBetter", "first"],
    ["lowerIsBetter", "last"],
  ])("%s: the worse end (%s band) is the darkest", (direction, darkest) => {
    const scale = quantizedScale({ domain: [0, 100], direction });
    const luminances = scale.steps.map((s) => relativeLuminance(s.colour));
    const min = Math.min(...luminances);
    expect(darkest === "first" ? luminances[0] : luminances.at(-1)).toBe(min);
  });
});

describe("thresholdScale", () => {
  it("makes one band more than thresholds, open at both ends", () => {
    const scale = thresholdScale({ thresholds: [1, 5, 10], direction: "lowerIsBetter", integer: true });
    expect(edges(scale)).toEqual([
      [null, 1],
      [1, 5],
      [5, 10],
      [10, null],
    ]);
    expect(legendSteps(scale, plain).map((s) => s.label)).toEqual(["≤ 0", "1 – 4", "5 – 9", "≥ 10"]);
    expect(colourOf(scale, 0)).toBe(scale.steps[0]!.colour);
    expect(colourOf(scale, 10)).toBe(scale.steps[3]!.colour);
  });

  it.each<[string, Parameters<typeof thresholdScale>[0]]>([
    ["no thresholds", { thresholds: [], direction: "lowerIsBetter" }],
    ["too many", { thresholds: [1, 2, 3, 4, 5, 6, 7], direction: "lowerIsBetter" }],
    ["not ascending", { thresholds: [5, 5], direction: "lowerIsBetter" }],
    ["wrong colour count", { thresholds: [5], direction: "lowerIsBetter", colours: ["#000000"] }],
  ])("rejects %s", (_, options) => {
    expect(() => thresholdScale(options)).toThrow();
  });
});

describe("legendSteps", () => {
  const percent = (n: number) => `${n * 100}%`;
  it.each<[string, ColourScale, (n: number) => string, string[]]>([
    [
      "formats with the caller's formatter",
      quantizedScale({ domain: [0, 1], direction: "higherIsBetter", steps: 2 }),
      percent,
      ["0% – 50%", "50% – 100%"],
    ],
    [
      "integer bands read inclusively, the top one whole",
      quantizedScale({ domain: [0, 30], direction: "lowerIsBetter", steps: 3, integer: true }),
      plain,
      ["0 – 9", "10 – 19", "20 – 30"],
    ],
    ["a single value is named once", quantizedScale({ domain: [4, 4], direction: "lowerIsBetter" }), plain, ["4"]],
  ])("%s", (_, scale, format, labels) => {
    const steps = legendSteps(scale, format);
    expect(steps.map((s) => s.label)).toEqual(labels);
    expect(steps.map((s) => s.colour)).toEqual(scale.steps.map((s) => s.colour));
  });
});

describe("palettes are colour-blind safe and distinguishable", () => {
  const palettes: PaletteName[] = ["severity", "blues", "purples"];
  const cases = palettes.flatMap((name) =>
    Array.from({ length: MAX_STEPS - MIN_STEPS + 1 }, (_, i) => [name, i + MIN_STEPS] as const),
  );

  it.each(cases)("%s with %i steps gets darker at every step, each clearly apart", (name, count) => {
    const colours = paletteColours(name, count);
    expect(colours).toHaveLength(count);
    for (let i = 1; i < colours.length; i++) {
      // Monotone lightness carries the order without relying on hue; 1.3:1 keeps neighbours apart.
      expect(relativeLuminance(colours[i]!)).toBeLessThan(relativeLuminance(colours[i - 1]!));
      expect(contrastRatio(colours[i]!, colours[i - 1]!)).toBeGreaterThan(1.3);
    }
    for (const colour of colours) expect(colour).not.toBe(NO_DATA_COLOUR);
  });

  it("status colours differ in lightness too, not only in hue", () => {
    const { good, warning, critical } = STATUS_COLOURS;
    expect(contrastRatio(good, warning)).toBeGreaterThan(1.5);
    expect(contrastRatio(good, critical)).toBeGreaterThan(1.5);
    expect(contrastRatio(warning, critical)).toBeGreaterThan(3);
  });
});

describe("helpers", () => {
  it.each([
    [0.3, false, 0.5],
    [3, false, 5],
    [2.2, false, 2.5],
    [20, false, 20],
    [0.3, true, 1],
    [0.25, true, 1],
    [0, false, 1],
  ])("niceStep(%s, integer %s) = %s", (raw, integer, step) => {
    expect(niceStep(raw, integer)).toBe(step);
  });

  it.each<[(number | null | undefined)[], [number, number] | null]>([
    [
      [3, null, 1, undefined, 9],
      [1, 9],
    ],
    [[5], [5, 5]],
    [[null, Number.NaN], null],
    [[], null],
  ])("domainOf(%j) = %j", (values, domain) => {
    expect(domainOf(values)).toEqual(domain);
  });

  it.each([
    ["#ffffff", "#000000", 21],
    ["#777777", "#777777", 1],
  ])("contrastRatio(%s, %s) = %s", (a, b, ratio) => {
    expect(contrastRatio(a, b)).toBeCloseTo(ratio, 5);
  });

  it.each([
    ["#fcefc0", "#000000"],
    ["#5e1a4a", "#ffffff"],
  ])("readable text on %s is %s", (background, text) => {
    expect(readableTextColour(background)).toBe(text);
  });
});
