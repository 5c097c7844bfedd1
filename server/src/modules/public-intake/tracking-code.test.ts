import { describe, expect, it } from "vitest";
import { hashTrackingCode, newTrackingCode, normaliseTrackingCode, sameHash } from "./tracking-code.js";

describe("tracking codes", () => {
  it("are 20 characters of Crockford's base32 in groups of four", () => {
    const code = newTrackingCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    expect(newTrackingCode()).not.toBe(code);
  });

  it("encode every bit of the random bytes", () => {
    expect(newTrackingCode(() => Buffer.alloc(13, 0))).toBe("0000-0000-0000-0000-0000");
    expect(newTrackingCode(() => Buffer.alloc(13, 0xff))).toBe("ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ");
  });

  it.each([
    ["abcd-efgh-jkmn-pqrs-tvwx", "ABCDEFGHJKMNPQRSTVWX"],
    [" ABCD EFGH-JKMN pqrs tvwx ", "ABCDEFGHJKMNPQRSTVWX"],
    ["O0Il-1111-0000-0000-0000", "00111111000000000000"],
  ])("read %j as %j", (typed, normal) => {
    expect(normaliseTrackingCode(typed)).toBe(normal);
    expect(hashTrackingCode(typed)).toBe(hashTrackingCode(normal));
  });

  it.each([
    [hashTrackingCode("A"), hashTrackingCode("A"), true],
    [hashTrackingCode("A"), hashTrackingCode("B"), false],
    [hashTrackingCode("A"), "abc", false],
    ["", "", false],
  ])("compare %s and %s: %s", (a, b, same) => {
    expect(sameHash(a, b)).toBe(same);
  });
});
