import { describe, expect, it } from "vitest";
import { BucketRangeError, bucketsFor, type Granularity, wholeRollupDays, wholeWeeks } from "./buckets.js";

const iso = (d: Date) => d.toISOString();

describe("bucketsFor", () => {
  it.each<[string, string, string, Granularity, string, [string, string][]]>([
    [
      "a WIB day starts at 17:00 UTC the day before",
      "2026-03-02T00:00:00+07:00",
      "2026-03-04T00:00:00+07:00",
      "DAY",
      "Asia/Jakarta",
      [
        ["2026-03-01T17:00:00.000Z", "2026-03-02T17:00:00.000Z"],
        ["2026-03-02T17:00:00.000Z", "2026-03-03T17:00:00.000Z"],
      ],
    ],
    [
      "a WIT day starts at 15:00 UTC; a partial first day is widened to the whole day",
      "2026-03-02T10:00:00+09:00",
      "2026-03-03T00:00:00+09:00",
      "DAY",
      "Asia/Jayapura",
      [["2026-03-01T15:00:00.000Z", "2026-03-02T15:00:00.000Z"]],
    ],
    [
      "ISO weeks start on Monday in WITA",
      "2026-03-04T12:00:00+08:00",
      "2026-03-10T00:00:00+08:00",
      "WEEK",
      "Asia/Makassar",
      [
        ["2026-03-01T16:00:00.000Z", "2026-03-08T16:00:00.000Z"],
        ["2026-03-08T16:00:00.000Z", "2026-03-15T16:00:00.000Z"],
      ],
    ],
    [
      "months have their own lengths",
      "2026-01-15T00:00:00+07:00",
      "2026-03-01T00:00:00+07:00",
      "MONTH",
      "Asia/Jakarta",
      [
        ["2025-12-31T17:00:00.000Z", "2026-01-31T17:00:00.000Z"],
        ["2026-01-31T17:00:00.000Z", "2026-02-28T17:00:00.000Z"],
      ],
    ],
    [
      "hours",
      "2026-03-02T08:30:00+07:00",
      "2026-03-02T10:00:00+07:00",
      "HOUR",
      "Asia/Jakarta",
      [
        ["2026-03-02T01:00:00.000Z", "2026-03-02T02:00:00.000Z"],
        ["2026-03-02T02:00:00.000Z", "2026-03-02T03:00:00.000Z"],
      ],
    ],
  ])("%s", (_name, from, to, granularity, zone, expected) => {
    expect(bucketsFor(new Date(from), new Date(to), granularity, zone).map((b) => [iso(b.start), iso(b.end)])).toEqual(
      expected,
    );
  });

  it("refuses an empty or reversed range and too many buckets", () => {
    const at = new Date("2026-03-02T00:00:00Z");
    expect(() => bucketsFor(at, at, "DAY", "Asia/Jakarta")).toThrow(BucketRangeError);
    expect(() => bucketsFor(at, new Date("2027-03-02T00:00:00Z"), "HOUR", "Asia/Jakarta")).toThrow(BucketRangeError);
  });
});

describe("wholeRollupDays", () => {
  const now = new Date("2026-11-23T03:00:00Z"); // 10:00 WIB on 23 Nov
  const range = (from: string, to: string, granularity: Granularity, zone: string) => {
    const buckets = bucketsFor(new Date(from), new Date(to), granularity, zone);
    return [...buckets.map((b) => b.start), (buckets[buckets.length - 1] as { end: Date }).end];
  };
  it.each<[string, (Date | null)[], [string, string] | null]>([
    [
      "WIB days: every day is read from the daily rollups",
      range("2026-10-01T00:00:00+07:00", "2026-10-31T00:00:00+07:00", "DAY", "Asia/Jakarta"),
      ["2026-09-30T17:00:00.000Z", "2026-10-30T17:00:00.000Z"],
    ],
    [
      "WIB months: whole days inside each month",
      range("2026-01-01T00:00:00+07:00", "2026-04-01T00:00:00+07:00", "MONTH", "Asia/Jakarta"),
      ["2025-12-31T17:00:00.000Z", "2026-03-31T17:00:00.000Z"],
    ],
    [
      "WITA days cut every WIB day: hourly rows only",
      range("2026-10-01T00:00:00+08:00", "2026-10-31T00:00:00+08:00", "DAY", "Asia/Makassar"),
      null,
    ],
    [
      "hourly buckets: hourly rows only",
      range("2026-10-01T00:00:00+07:00", "2026-10-03T00:00:00+07:00", "HOUR", "Asia/Jakarta"),
      null,
    ],
    [
      "one bucket in WITA: the WIB days inside it, hours at both edges",
      [new Date("2026-10-01T00:00:00+08:00"), new Date("2026-10-31T00:00:00+08:00")],
      ["2026-09-30T17:00:00.000Z", "2026-10-29T17:00:00.000Z"],
    ],
    ["a period shorter than a day", [new Date("2026-10-01T03:00:00Z"), new Date("2026-10-01T20:00:00Z")], null],
    [
      "unbounded end: capped at the end of today (WIB)",
      [new Date("2026-11-20T17:00:00Z"), null],
      ["2026-11-20T17:00:00.000Z", "2026-11-23T17:00:00.000Z"],
    ],
    [
      "a period after now: nothing to read by day",
      [new Date("2026-12-01T17:00:00Z"), new Date("2026-12-05T17:00:00Z")],
      null,
    ],
  ])("%s", (_name, boundaries, expected) => {
    const days = wholeRollupDays(boundaries, now);
    expect(days && [iso(days.from), iso(days.to)]).toEqual(expected);
  });

  const WITA = 8 * 3_600_000;
  const WIT = 9 * 3_600_000;
  it.each<[string, (Date | null)[], number, [string, string] | null]>([
    [
      "WITA days by WITA days: every day",
      range("2026-10-01T00:00:00+08:00", "2026-10-31T00:00:00+08:00", "DAY", "Asia/Makassar"),
      WITA,
      ["2026-09-30T16:00:00.000Z", "2026-10-30T16:00:00.000Z"],
    ],
    [
      "WIT weeks by WIT days: whole weeks",
      range("2026-10-05T00:00:00+09:00", "2026-10-19T00:00:00+09:00", "WEEK", "Asia/Jayapura"),
      WIT,
      ["2026-10-04T15:00:00.000Z", "2026-10-18T15:00:00.000Z"],
    ],
    [
      "WIB days by WITA days: none fits",
      range("2026-10-01T00:00:00+07:00", "2026-10-31T00:00:00+07:00", "DAY", "Asia/Jakarta"),
      WITA,
      null,
    ],
    [
      "unbounded end in WIT: capped at the end of today there",
      [new Date("2026-11-20T15:00:00Z"), null],
      WIT,
      ["2026-11-20T15:00:00.000Z", "2026-11-23T15:00:00.000Z"],
    ],
  ])("in another zone: %s", (_name, boundaries, offsetMs, expected) => {
    const days = wholeRollupDays(boundaries, now, offsetMs);
    expect(days && [iso(days.from), iso(days.to)]).toEqual(expected);
  });

  it("every day it returns lies inside one bucket, and every bucket boundary outside it", () => {
    for (const [granularity, zone] of [
      ["DAY", "Asia/Jakarta"],
      ["WEEK", "Asia/Jakarta"],
      ["MONTH", "Asia/Jayapura"],
      ["WEEK", "Asia/Makassar"],
    ] as [Granularity, string][]) {
      const boundaries = range("2026-01-05T09:00:00Z", "2026-09-17T13:00:00Z", granularity, zone);
      const days = wholeRollupDays(boundaries, now);
      if (!days) continue;
      for (const b of boundaries) {
        const t = b.getTime();
        expect(t <= days.from.getTime() || t >= days.to.getTime() || (t - days.from.getTime()) % 86_400_000 === 0).toBe(
          true,
        );
      }
    }
  });
});

describe("wholeWeeks", () => {
  const at = (iso: string) => new Date(iso).getTime();
  const WIB = 7 * 3_600_000;
  const WIT = 9 * 3_600_000;
  it.each<[string, string, string, number, [string, string] | null]>([
    [
      "Monday to Monday in WIB",
      "2026-11-01T17:00:00Z", // Monday 2 Nov 00:00 WIB
      "2026-11-15T17:00:00Z",
      WIB,
      ["2026-11-01T17:00:00.000Z", "2026-11-15T17:00:00.000Z"],
    ],
    [
      "days on both sides are left out",
      "2026-10-29T17:00:00Z", // Friday
      "2026-11-18T17:00:00Z", // Thursday
      WIB,
      ["2026-11-01T17:00:00.000Z", "2026-11-15T17:00:00.000Z"],
    ],
    ["less than a week", "2026-11-03T17:00:00Z", "2026-11-08T17:00:00Z", WIB, null],
    [
      "WIT Mondays start at 15:00 UTC",
      "2026-11-01T15:00:00Z",
      "2026-11-08T15:00:00Z",
      WIT,
      ["2026-11-01T15:00:00.000Z", "2026-11-08T15:00:00.000Z"],
    ],
  ])("%s", (_name, from, to, offsetMs, expected) => {
    const weeks = wholeWeeks(at(from), at(to), offsetMs);
    expect(weeks && [iso(new Date(weeks.from)), iso(new Date(weeks.to))]).toEqual(expected);
  });
});
