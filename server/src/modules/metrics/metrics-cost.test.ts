import { describe, expect, it } from "vitest";
import { MAX_RANGE_DAYS, metricsPoints, ROWS_PER_POINT, rollupRows, seriesRead } from "./metrics-cost.js";

const DAY_MS = 86_400_000;
const from = new Date("2026-01-01T00:00:00Z");
const days = (n: number) => new Date(from.getTime() + n * DAY_MS);
const counts = new Set(["totals", "created"]);

describe("metrics pricing", () => {
  it.each([
    ["counts only", ["created", "resolved"], 1],
    ["with a duration", ["created", "resolution", "wall", "median"], 2],
    ["with an age band", ["backlog", "age7to30d"], 2],
    ["the backlog total is a count", ["backlog", "open"], 1],
    ["with the breakdown", ["breakdown", "key"], 2],
    ["everything", ["firstResponse", "ageOver30d", "breakdown"], 4],
  ])("reads %s as %i series", (_label, selected, series) => {
    expect(seriesRead(new Set(selected))).toBe(series);
  });

  it.each([
    ["one unit, one day", 1, 1, "DAY", 1],
    ["one unit, 90 days", 1, 90, "DAY", 90],
    ["193 units, 90 days", 193, 90, "DAY", 193 * 90],
    ["weeks and months read daily rollups", 193, 90, "MONTH", 193 * 90],
    ["hourly buckets read hourly rollups", 10, 90, "HOUR", 10 * 90 * 24],
    ["three years", 1, MAX_RANGE_DAYS, "DAY", MAX_RANGE_DAYS],
    ["a range beyond three years is refused unread", 193, 5 * 365, "DAY", 193],
    ["more hours than buckets allowed is refused unread", 193, 92, "HOUR", 193],
    ["a range that is not one is refused unread", 1, -5, "DAY", 1],
  ] as const)("%s: %i rows", (_label, units, span, granularity, rows) => {
    expect(rollupRows({ units, from, to: days(span), granularity, selected: counts })).toBe(rows);
  });

  it("is a point per thousand rows, rounded up", () => {
    const read = (units: number) => ({ units, from, to: days(100), granularity: "DAY" as const, selected: counts });
    expect(metricsPoints(read(1))).toBe(1);
    expect(metricsPoints(read(10))).toBe(1);
    expect(metricsPoints(read(11))).toBe(2);
    expect(metricsPoints(read(193))).toBe(Math.ceil((193 * 100) / ROWS_PER_POINT));
  });
});
