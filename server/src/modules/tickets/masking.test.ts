import { describe, expect, it } from "vitest";
import { maskEmail, maskName, maskPhone } from "./masking.js";

describe("personal data masks", () => {
  it.each([
    ["Budi Santoso", "B*** S******"],
    ["Ani", "A**"],
    [null, null],
  ])("name %j → %j", (input, expected) => expect(maskName(input)).toBe(expected));

  it.each([
    ["budi.santoso@gmail.com", "b***@gmail.com"],
    ["x@y.id", "x***@y.id"],
    ["nonsense", "***"],
    [null, null],
  ])("e-mail %j → %j", (input, expected) => expect(maskEmail(input)).toBe(expected));

  it.each([
    ["+62 812-3456-7890", "**********890"],
    ["0341", "***341"],
    [null, null],
  ])("phone %j → %j", (input, expected) => expect(maskPhone(input)).toBe(expected));

  it("never leaks the middle of a phone number", () => {
    expect(maskPhone("+6281234567890")).not.toContain("3456");
  });
});
