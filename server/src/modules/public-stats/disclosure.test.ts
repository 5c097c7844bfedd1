import { describe, expect, it } from "vitest";
import { MonthError, parseMonth, showCount, showFrom, showParts } from "./disclosure.js";

describe("showCount", () => {
  it.each([
    [0, 0],
    [1, null],
    [4, null],
    [5, 5],
    [1234, 1234],
  ])("%i is published as %s", (count, shown) => {
    expect(showCount(count)).toBe(shown);
  });
});

describe("showFrom", () => {
  it.each([
    [42.5, 4, null],
    [42.5, 5, 42.5],
    [null, 10, null],
  ])("%s from %i cases is %s", (value, cases, shown) => {
    expect(showFrom(value, cases)).toBe(shown);
  });
});

describe("showParts", () => {
  it.each([
    ["nothing small", [10, 20, 30], true, [10, 20, 30]],
    ["a single small part takes the smallest other with it", [3, 20, 9, 30], true, [null, 20, null, 30]],
    ["two small parts protect each other", [3, 2, 9, 30], true, [null, null, 9, 30]],
    ["zeros stay shown and are never the partner", [0, 3, 0, 40], true, [0, null, 0, null]],
    ["a withheld total withholds every non-zero part", [1, 0, 2], false, [null, 0, null]],
  ])("%s", (_name, counts, totalShown, shown) => {
    expect(showParts(counts as number[], totalShown as boolean)).toEqual(shown);
  });

  it("never leaves exactly one part withheld: the total minus the shown parts reveals nothing", () => {
    for (let seed = 1; seed < 500; seed += 1) {
      const counts = Array.from({ length: 1 + (seed % 7) }, (_, i) => ((seed * 31 + i * 17) % 13) - 2).map((n) =>
        Math.max(0, n),
      );
      const total = counts.reduce((sum, n) => sum + n, 0);
      if (showCount(total) === null) continue;
      const shown = showParts(counts, true);
      const withheld = shown.filter((value, i) => value === null && (counts[i] as number) > 0).length;
      expect(withheld === 1, JSON.stringify(counts)).toBe(false);
    }
  });
});

describe("parseMonth", () => {
  const now = new Date("2026-11-30T18:00:00Z"); // 1 December, 01:00 WIB
  it.each([
    ["2026-11", { year: 2026, month: 11 }],
    [" 2026-12 ", { year: 2026, month: 12 }],
    ["2020-01", { year: 2020, month: 1 }],
  ])("%s is %o", (text, parsed) => {
    expect(parseMonth(text, now, 7 * 60)).toEqual(parsed);
  });
  it.each([["2026-13"], ["2026-1"], ["november"], ["2027-01"], ["2019-12"]])("%s is refused", (text) => {
    expect(() => parseMonth(text, now, 7 * 60)).toThrow(MonthError);
  });
  it("the current month follows the unit's time zone", () => {
    expect(() => parseMonth("2026-12", now, 0)).toThrow(MonthError);
  });
});
