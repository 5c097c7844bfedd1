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
  it.each([
    [0, "id", "0d"],
    [59, "en", "59s"],
    [61, "en", "1m 1s"],
    [3_600, "id", "1j"],
    [3_660, "id", "1j 1m"],
    [90_061, "id", "1h 1j"],
    [90_061, "en", "1d 1h"],
    [-125, "en", "−2m 5s"],
    [172_800 + 59, "en", "2d"],
  ] as const)("%s s in %s → %s", (seconds, language, expected) => {
    expect(formatSeconds(seconds, language)).toBe(expected);
  });
  it("minutes go through seconds", () => {
    expect(formatMinutes(125, "en")).toBe("2h 5m");
    expect(formatMinutes(null, "en")).toBe("–");
  });
  it("secondsUntil counts down and goes negative", () => {
    const due = "2026-11-23T00:10:00Z";
    expect(secondsUntil(due, Date.parse("2026-11-23T00:00:00Z"))).toBe(600);
    expect(secondsUntil(due, Date.parse("2026-11-23T00:10:30Z"))).toBe(-30);
  });
});
