import { describe, expect, it } from "vitest";
import { parseLaporSettings } from "./lapor-config.js";
import { parseReport, reportsOf } from "./lapor-report.js";

const REPORT = { trackingId: "LAPOR-2026-0001", title: "Antrean paspor", content: "Antrean terlalu panjang." };

describe("parseReport", () => {
  it.each([
    [REPORT, true],
    [{ ...REPORT, unitCode: "KANIM-MALANG", classification: "ASPIRASI", anonymous: true }, true],
    [{ ...REPORT, submittedAt: "2026-12-08T07:00:00+07:00" }, true],
    [{ ...REPORT, trackingId: "" }, "trackingId"],
    [{ ...REPORT, trackingId: "a b" }, "trackingId"],
    [{ ...REPORT, trackingId: "x".repeat(65) }, "trackingId"],
    [{ ...REPORT, title: "ab" }, "title"],
    [{ ...REPORT, content: "" }, "content"],
    [{ ...REPORT, submittedAt: "kemarin" }, "submittedAt"],
    [{ ...REPORT, reporter: { email: "bukan-email" } }, "reporter.email"],
    [null, "report"],
  ])("%j → %s", (value, expected) => {
    const parsed = parseReport(value);
    if (expected === true) expect(parsed.ok).toBe(true);
    else expect(parsed.ok ? "accepted" : parsed.reason.split(":")[0]).toBe(expected);
  });

  it("keeps the tracking id of a report it refuses, when it has one", () => {
    expect(parseReport({ ...REPORT, title: "" })).toMatchObject({ ok: false, trackingId: "LAPOR-2026-0001" });
  });
});

describe("reportsOf", () => {
  it.each([
    [REPORT, 1],
    [{ reports: [REPORT, REPORT] }, 2],
    [{ reports: [] }, 0],
    [[REPORT], null],
    ["text", null],
  ])("%j → %j", (body, count) => {
    expect(reportsOf(body)?.length ?? null).toBe(count);
  });
});

describe("parseLaporSettings", () => {
  it("is off without variables, and reports what is missing or malformed together", () => {
    expect(parseLaporSettings({})).toEqual({ settings: null, issues: [] });
    expect(parseLaporSettings({ PANTAU_LAPOR_API_URL: "ftp://x" }).issues).toHaveLength(3);
    expect(
      parseLaporSettings({ PANTAU_LAPOR_SECRET: "rahasia-bersama-16+", PANTAU_LAPOR_UNIT: "KANWIL-JI" }).settings,
    ).toMatchObject({ unitCode: "KANWIL-JI", apiUrl: null, apiToken: null });
  });
});
