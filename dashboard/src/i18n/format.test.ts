import { describe, expect, it } from "vitest";
import {
  formatDateTime,
  formatMinutes,
  formatNumber,
  formatPercent,
  formatSeconds,
  secondsUntil,
  zoneAbbreviation,
} from "./format.js";

describe("zoneAbbreviation", () => {
  it.each([
    ["Asia/Jakarta", "WIB"],
    ["Asia/Pontianak", "WIB"],
    ["Asia/Makassar", "WITA"],
    ["Asia/Jayapura", "WIT"],
    ["Europe/Amsterdam", "Europe/Amsterdam"],
  ])("%s → %s", (zone, expected) => expect(zoneAbbreviation(zone)).toBe(expected));
});

describe("formatDateTime", () => {
  const instant = "2026-11-23T07:05:00Z";
  it.each([
    ["Asia/Jakarta", "id", "23 Nov 2026 14.05 WIB"],
    ["Asia/Makassar", "id", "23 Nov 2026 15.05 WITA"],
    ["Asia/Jayapura", "id", "23 Nov 2026 16.05 WIT"],
    ["Asia/Jakarta", "en", "23 Nov 2026 14:05 WIB"],
  ] as const)("in %s (%s)", (zone, language, expected) => {
    expect(formatDateTime(instant, zone, language)).toBe(expected);
  });
  it("crosses midnight by zone", () => {
    expect(formatDateTime("2026-11-23T16:30:00Z", "Asia/Jayapura", "id")).toBe("24 Nov 2026 01.30 WIT");
  });
});

describe("numbers", () => {
  it.each([
    [1234567, "id", 0, "1.234.567"],
    [1234567, "en", 0, "1,234,567"],
    [92.345, "id", 1, "92,3"],
    [null, "id", 0, "–"],
  ] as const)("%s in %s", (value, language, digits, expected) => {
    expect(formatNumber(value, language, digits)).toBe(expected);
  });
  it("percent", () => {
    expect(formatPercent(87.25, "id")).toBe("87,3%");
    expect(formatPercent(null, "en")).toBe("–");
  });
});

describe("durations", () => {
  // Written with plain spaces; the formatter keeps each number and its unit together with U+00A0.
  const read = (text: string) => text.replaceAll("\u00a0", " ");
  it.each([
    [0, "id", "0 dtk"],
    [0, "en", "0 s"],
    [6, "id", "6 dtk"],
    [59, "en", "59 s"],
    [61, "id", "1 mnt 1 dtk"],
    [61, "en", "1 min 1 s"],
    [3_600, "id", "1 jam"],
    [3_660, "id", "1 jam 1 mnt"],
    [10_200, "id", "2 jam 50 mnt"],
    [10_200, "en", "2 h 50 min"],
    [90_061, "id", "1 hari 1 jam"],
    [90_061, "en", "1 d 1 h"],
    [83 * 86_400 + 14 * 3_600 + 59, "id", "83 hari 14 jam"],
    [83 * 86_400 + 14 * 3_600 + 59, "en", "83 d 14 h"],
    [-125, "en", "−2 min 5 s"],
    [-6, "id", "−6 dtk"],
    [172_800 + 59, "en", "2 d"],
    [172_800 + 59, "id", "2 hari"],
  ] as const)("%s s in %s → %s", (seconds, language, expected) => {
    expect(read(formatSeconds(seconds, language))).toBe(expected);
  });
  it("never writes a unit as a single letter Indonesian readers take for another", () => {
    for (const seconds of [6, 61, 3_660, 90_061, 7_200_000]) {
      expect(formatSeconds(seconds, "id")).not.toMatch(/\d\s?[hjmd]\b/);
    }
  });
  it("minutes go through seconds", () => {
    expect(read(formatMinutes(125, "en"))).toBe("2 h 5 min");
    expect(read(formatMinutes(125, "id"))).toBe("2 jam 5 mnt");
    expect(formatMinutes(null, "en")).toBe("–");
  });
  it("secondsUntil counts down and goes negative", () => {
    const due = "2026-11-23T00:10:00Z";
    expect(secondsUntil(due, Date.parse("2026-11-23T00:00:00Z"))).toBe(600);
    expect(secondsUntil(due, Date.parse("2026-11-23T00:10:30Z"))).toBe(-30);
  });
});
