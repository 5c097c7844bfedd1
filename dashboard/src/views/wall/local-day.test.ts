import { describe, expect, it } from "vitest";
import { localDay, zoneOffsetMs } from "./local-day.js";

describe("localDay", () => {
  it.each([
    // Jakarta (UTC+7): 23:59 on 1 Dec is 16:59 UTC; the day began at 17:00 UTC on 30 Nov.
    {
      now: "2026-12-01T16:59:00Z",
      zone: "Asia/Jakarta",
      from: "2026-11-30T17:00:00.000Z",
      to: "2026-12-01T17:00:00.000Z",
    },
    // One minute later it is 2 Dec in Jakarta.
    {
      now: "2026-12-01T17:00:00Z",
      zone: "Asia/Jakarta",
      from: "2026-12-01T17:00:00.000Z",
      to: "2026-12-02T17:00:00.000Z",
    },
    // Makassar (UTC+8) and Jayapura (UTC+9) turn the day an hour and two hours earlier.
    {
      now: "2026-12-01T16:30:00Z",
      zone: "Asia/Makassar",
      from: "2026-12-01T16:00:00.000Z",
      to: "2026-12-02T16:00:00.000Z",
    },
    {
      now: "2026-12-01T14:59:59Z",
      zone: "Asia/Jayapura",
      from: "2026-11-30T15:00:00.000Z",
      to: "2026-12-01T15:00:00.000Z",
    },
    // A zone that changes its clocks: the day of the change is 23 hours long.
    {
      now: "2026-03-08T12:00:00Z",
      zone: "America/New_York",
      from: "2026-03-08T05:00:00.000Z",
      to: "2026-03-09T04:00:00.000Z",
    },
    { now: "2026-12-01T00:00:00Z", zone: "UTC", from: "2026-12-01T00:00:00.000Z", to: "2026-12-02T00:00:00.000Z" },
  ])("$now in $zone is [$from, $to)", ({ now, zone, from, to }) => {
    const day = localDay(new Date(now), zone);
    expect(day.from.toISOString()).toBe(from);
    expect(day.to.toISOString()).toBe(to);
  });

  it.each([
    { zone: "Asia/Jakarta", hours: 7 },
    { zone: "Asia/Makassar", hours: 8 },
    { zone: "Asia/Jayapura", hours: 9 },
  ])("$zone is $hours hours ahead of UTC", ({ zone, hours }) => {
    expect(zoneOffsetMs(new Date("2026-06-01T12:34:56.789Z"), zone)).toBe(hours * 3_600_000);
  });
});
