import { describe, expect, it } from "vitest";
import { BucketRangeError, bucketsFor, type Granularity } from "./buckets.js";

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
