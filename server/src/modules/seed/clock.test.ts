import { describe, expect, it } from "vitest";
import {
  addWorkingDays,
  addWorkingMinutes,
  dayNumberOf,
  type LocalCalendar,
  nextWorkingInstant,
  offsetMinutes,
} from "./clock.js";

const jakarta: LocalCalendar = { offset: 420, holidays: new Set([dayNumberOf("2026-01-16")]) };
// Local wall-clock time in Jakarta, as a UTC instant.
const wib = (local: string) => Date.parse(`${local}+07:00`);

describe("offsetMinutes", () => {
  it.each([
    ["Asia/Jakarta", 420],
    ["Asia/Pontianak", 420],
    ["Asia/Makassar", 480],
    ["Asia/Jayapura", 540],
  ])("%s is UTC+%i minutes", (zone, offset) => {
    expect(offsetMinutes(zone)).toBe(offset);
  });
});

describe("working time", () => {
  it.each([
    ["inside office hours", "2026-01-14T10:00:00", "2026-01-14T10:00:00"],
    ["before opening", "2026-01-14T05:00:00", "2026-01-14T07:30:00"],
    ["after closing", "2026-01-14T19:00:00", "2026-01-15T07:30:00"],
    ["on a holiday, then the weekend", "2026-01-16T09:00:00", "2026-01-19T07:30:00"],
    ["on Saturday", "2026-01-17T09:00:00", "2026-01-19T07:30:00"],
  ])("moves an instant %s to the next opening", (_, from, to) => {
    expect(nextWorkingInstant(wib(from), jakarta)).toBe(wib(to));
  });

  it("carries minutes over closing time, weekends and holidays", () => {
    expect(addWorkingMinutes(wib("2026-01-14T15:00:00"), 30, jakarta)).toBe(wib("2026-01-14T15:30:00"));
    expect(addWorkingMinutes(wib("2026-01-14T15:30:00"), 60, jakarta)).toBe(wib("2026-01-15T08:00:00"));
    expect(addWorkingMinutes(wib("2026-01-15T15:30:00"), 60, jakarta)).toBe(wib("2026-01-19T08:00:00"));
    expect(addWorkingDays(wib("2026-01-14T10:00:00"), 2, jakarta)).toBe(wib("2026-01-19T10:00:00"));
  });
});
