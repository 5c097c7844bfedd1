import { describe, expect, it } from "vitest";
import { isAfter } from "./sequence.js";

describe("isAfter", () => {
  it.each([
    ["1", null, true],
    ["2", "1", true],
    ["1", "1", false],
    ["9", "10", false],
    ["9007199254740993", "9007199254740992", true],
  ] as const)("%s after %s → %s", (sequence, last, expected) => {
    expect(isAfter(sequence, last)).toBe(expected);
  });
});
