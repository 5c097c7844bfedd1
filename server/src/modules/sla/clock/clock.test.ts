import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BusinessCalendar } from "./calendar.js";
import {
  type ClockEvaluation,
  type ClockHistory,
  ClockInputError,
  type ClockSpec,
  type ClockState,
  evaluateClock,
} from "./clock.js";
import { at, calendarArbitrary, instantArbitrary, JAKARTA, JAYAPURA, MAKASSAR } from "./clock-test-support.js";

const d = (iso: string) => new Date(at(iso));

const businessMinutes = (amount: number): ClockSpec => ({
  amount,
  unit: "MINUTES",
  counting: "BUSINESS_HOURS",
  atRiskRatio: 0.75,
});
const workingDays = (amount: number, extensionAmount?: number): ClockSpec => ({
  amount,
  unit: "WORKING_DAYS",
  counting: "BUSINESS_HOURS",
  atRiskRatio: 0.75,
  ...(extensionAmount === undefined ? {} : { extensionAmount }),
});
const calendarDays = (amount: number): ClockSpec => ({
  amount,
  unit: "DAYS",
  counting: "ALL_HOURS",
  atRiskRatio: 0.75,
});
const wallMinutes = (amount: number): ClockSpec => ({
  amount,
  unit: "MINUTES",
  counting: "ALL_HOURS",
  atRiskRatio: 0.75,
});

interface HistoryInput {
  startedAt: string;
  calendar?: BusinessCalendar;
  transfers?: [string, BusinessCalendar][];
  pauses?: [string, string | null][];
  stoppedAt?: string;
  rejected?: boolean;
  extendedAt?: string;
}

function history(input: HistoryInput): ClockHistory {
  return {
    startedAt: d(input.startedAt),
    calendars: [
      { from: d(input.startedAt), calendar: input.calendar ?? JAKARTA },
      ...(input.transfers ?? []).map(([from, calendar]) => ({ from: d(from), calendar })),
    ],
    pauses: (input.pauses ?? []).map(([from, to]) => ({ from: d(from), to: to === null ? null : d(to) })),
    stoppedAt: input.stoppedAt ? d(input.stoppedAt) : null,
    ...(input.rejected ? { stoppedByRejection: true } : {}),
    extendedAt: input.extendedAt ? d(input.extendedAt) : null,
  };
}

interface Expected {
  state: ClockState;
  dueAt?: string;
  atRiskAt?: string;
  elapsedMinutes?: number;
  remainingMinutes?: number;
  pausedMinutes?: number;
  metAt?: string | null;
  breachedAt?: string | null;
  nextTransitionAt?: string | null;
}

function expectEvaluation(actual: ClockEvaluation, expected: Expected): void {
  const instant = (value: string | null) => (value === null ? null : d(value).toISOString());
  const shown = {
    state: actual.state,
    ...(expected.dueAt !== undefined ? { dueAt: actual.dueAt.toISOString() } : {}),
    ...(expected.atRiskAt !== undefined ? { atRiskAt: actual.atRiskAt.toISOString() } : {}),
    ...(expected.elapsedMinutes !== undefined ? { elapsedMinutes: actual.elapsedMinutes } : {}),
    ...(expected.remainingMinutes !== undefined ? { remainingMinutes: actual.remainingMinutes } : {}),
    ...(expected.pausedMinutes !== undefined ? { pausedMinutes: actual.pausedMinutes } : {}),
    ...(expected.metAt !== undefined ? { metAt: actual.metAt?.toISOString() ?? null } : {}),
    ...(expected.breachedAt !== undefined ? { breachedAt: actual.breachedAt?.toISOString() ?? null } : {}),
    ...(expected.nextTransitionAt !== undefined
      ? { nextTransitionAt: actual.nextTransitionAt?.toISOString() ?? null }
      : {}),
  };
  expect(shown).toEqual({
    ...expected,
    ...(expected.dueAt !== undefined ? { dueAt: instant(expected.dueAt) } : {}),
    ...(expected.atRiskAt !== undefined ? { atRiskAt: instant(expected.atRiskAt) } : {}),
    ...(expected.metAt !== undefined ? { metAt: instant(expected.metAt) } : {}),
    ...(expected.breachedAt !== undefined ? { breachedAt: instant(expected.breachedAt) } : {}),
    ...(expected.nextTransitionAt !== undefined ? { nextTransitionAt: instant(expected.nextTransitionAt) } : {}),
  });
}

describe("evaluateClock", () => {
  // Each row: the story, spec, history, now, what the evaluation must say.
  const rows: [string, ClockSpec, ClockHistory, string, Expected][] = [
    [
      "first response 60 business min from Fri 15:30 WIB; Mon 08:10: 40 counted, at risk at 08:15, due 08:30",
      businessMinutes(60),
      history({ startedAt: "2026-03-13T15:30+07:00" }),
      "2026-03-16T08:10+07:00",
      {
        state: "RUNNING",
        elapsedMinutes: 40,
        remainingMinutes: 20,
        dueAt: "2026-03-16T08:30+07:00",
        atRiskAt: "2026-03-16T08:15+07:00",
        nextTransitionAt: "2026-03-16T08:15+07:00",
        metAt: null,
        breachedAt: null,
      },
    ],
    [
      "… at 08:20 it is at risk and next changes at the due instant",
      businessMinutes(60),
      history({ startedAt: "2026-03-13T15:30+07:00" }),
      "2026-03-16T08:20+07:00",
      { state: "AT_RISK", elapsedMinutes: 50, nextTransitionAt: "2026-03-16T08:30+07:00" },
    ],
    [
      "… at 09:00 it is breached since 08:30",
      businessMinutes(60),
      history({ startedAt: "2026-03-13T15:30+07:00" }),
      "2026-03-16T09:00+07:00",
      {
        state: "BREACHED",
        elapsedMinutes: 90,
        remainingMinutes: -30,
        breachedAt: "2026-03-16T08:30+07:00",
        dueAt: "2026-03-16T08:30+07:00",
        nextTransitionAt: null,
        metAt: null,
      },
    ],
    [
      "… at the due instant itself, unanswered, it is breached",
      businessMinutes(60),
      history({ startedAt: "2026-03-13T15:30+07:00" }),
      "2026-03-16T08:30+07:00",
      { state: "BREACHED", breachedAt: "2026-03-16T08:30+07:00" },
    ],
    [
      "answered Mon 08:20: met with 10 minutes to spare",
      businessMinutes(60),
      history({ startedAt: "2026-03-13T15:30+07:00", stoppedAt: "2026-03-16T08:20+07:00" }),
      "2026-03-17T12:00+07:00",
      {
        state: "MET",
        elapsedMinutes: 50,
        remainingMinutes: 10,
        metAt: "2026-03-16T08:20+07:00",
        breachedAt: null,
        dueAt: "2026-03-16T08:30+07:00",
        nextTransitionAt: null,
      },
    ],
    [
      "answered exactly at the due instant: met",
      businessMinutes(60),
      history({ startedAt: "2026-03-13T15:30+07:00", stoppedAt: "2026-03-16T08:30+07:00" }),
      "2026-03-17T12:00+07:00",
      { state: "MET", remainingMinutes: 0, breachedAt: null },
    ],
    [
      "answered Mon 08:40, ten minutes late: breached, with the answer time kept",
      businessMinutes(60),
      history({ startedAt: "2026-03-13T15:30+07:00", stoppedAt: "2026-03-16T08:40+07:00" }),
      "2026-03-17T12:00+07:00",
      {
        state: "BREACHED",
        elapsedMinutes: 70,
        remainingMinutes: -10,
        metAt: "2026-03-16T08:40+07:00",
        breachedAt: "2026-03-16T08:30+07:00",
        nextTransitionAt: null,
      },
    ],
    [
      "rejected as not immigration's authority Mon 08:20, in time: its own outcome, neither met nor breached",
      businessMinutes(60),
      history({ startedAt: "2026-03-13T15:30+07:00", stoppedAt: "2026-03-16T08:20+07:00", rejected: true }),
      "2026-03-17T12:00+07:00",
      {
        state: "REJECTED",
        elapsedMinutes: 50,
        remainingMinutes: 10,
        metAt: null,
        breachedAt: null,
        nextTransitionAt: null,
      },
    ],
    [
      "rejected Mon 08:40, after the deadline: the breach stands",
      businessMinutes(60),
      history({ startedAt: "2026-03-13T15:30+07:00", stoppedAt: "2026-03-16T08:40+07:00", rejected: true }),
      "2026-03-17T12:00+07:00",
      { state: "BREACHED", metAt: "2026-03-16T08:40+07:00", breachedAt: "2026-03-16T08:30+07:00" },
    ],
    [
      "a rejection recorded after `now` is not seen yet",
      businessMinutes(60),
      history({ startedAt: "2026-03-13T15:30+07:00", stoppedAt: "2026-03-16T08:20+07:00", rejected: true }),
      "2026-03-16T08:10+07:00",
      { state: "RUNNING", metAt: null },
    ],
    [
      "budget ran out at Friday's close, answered Friday 18:00 (no business time in between): still breached",
      businessMinutes(60),
      history({ startedAt: "2026-03-13T15:00+07:00", stoppedAt: "2026-03-13T18:00+07:00" }),
      "2026-03-13T19:00+07:00",
      { state: "BREACHED", elapsedMinutes: 60, remainingMinutes: 0, breachedAt: "2026-03-13T16:00+07:00" },
    ],
    [
      "an answer recorded after `now` is not seen yet",
      businessMinutes(60),
      history({ startedAt: "2026-03-13T15:30+07:00", stoppedAt: "2026-03-16T08:20+07:00" }),
      "2026-03-16T08:10+07:00",
      { state: "RUNNING", metAt: null, elapsedMinutes: 40 },
    ],
    [
      "pause in hours: 120 min from Mon 08:00, waiting on the citizen 09:00–10:00; at 10:15: 75 counted",
      businessMinutes(120),
      history({ startedAt: "2026-03-16T08:00+07:00", pauses: [["2026-03-16T09:00+07:00", "2026-03-16T10:00+07:00"]] }),
      "2026-03-16T10:15+07:00",
      {
        state: "RUNNING",
        elapsedMinutes: 75,
        pausedMinutes: 60,
        atRiskAt: "2026-03-16T10:30+07:00",
        dueAt: "2026-03-16T11:00+07:00",
      },
    ],
    [
      "pause at night (Mon 18:00–Tue 07:00) costs no business time but is counted as paused wall time",
      businessMinutes(120),
      history({ startedAt: "2026-03-16T15:00+07:00", pauses: [["2026-03-16T18:00+07:00", "2026-03-17T07:00+07:00"]] }),
      "2026-03-17T09:00+07:00",
      {
        state: "BREACHED",
        elapsedMinutes: 120,
        pausedMinutes: 780,
        dueAt: "2026-03-17T09:00+07:00",
        breachedAt: "2026-03-17T09:00+07:00",
      },
    ],
    [
      "still paused since 08:30: PAUSED, due projected as if the pause ended now",
      businessMinutes(120),
      history({ startedAt: "2026-03-16T08:00+07:00", pauses: [["2026-03-16T08:30+07:00", null]] }),
      "2026-03-16T10:00+07:00",
      {
        state: "PAUSED",
        elapsedMinutes: 30,
        pausedMinutes: 90,
        atRiskAt: "2026-03-16T11:00+07:00",
        dueAt: "2026-03-16T11:30+07:00",
        nextTransitionAt: null,
      },
    ],
    [
      "paused after the budget ran out: breached wins over paused",
      businessMinutes(60),
      history({ startedAt: "2026-03-16T08:00+07:00", pauses: [["2026-03-16T09:30+07:00", null]] }),
      "2026-03-16T11:00+07:00",
      { state: "BREACHED", elapsedMinutes: 90, breachedAt: "2026-03-16T09:00+07:00", pausedMinutes: 90 },
    ],
    [
      "overlapping pause records count once",
      businessMinutes(120),
      history({
        startedAt: "2026-03-16T08:00+07:00",
        pauses: [
          ["2026-03-16T09:00+07:00", "2026-03-16T10:00+07:00"],
          ["2026-03-16T09:30+07:00", "2026-03-16T10:30+07:00"],
        ],
      }),
      "2026-03-16T11:00+07:00",
      { state: "AT_RISK", elapsedMinutes: 90, pausedMinutes: 90, dueAt: "2026-03-16T11:30+07:00" },
    ],
    [
      "transfer Jakarta → Jayapura: 3 working days from Mon 2 Mar 10:00 WIB (30 business hours); 8 h spent in " +
        "Jakarta, the 22 h left run on WIT office hours → due Fri 10:00 WIT",
      workingDays(3),
      history({ startedAt: "2026-03-02T10:00+07:00", transfers: [["2026-03-03T10:00+07:00", JAYAPURA]] }),
      "2026-03-04T12:00+09:00",
      {
        state: "RUNNING",
        elapsedMinutes: 960,
        remainingMinutes: 840,
        atRiskAt: "2026-03-05T10:30+09:00",
        dueAt: "2026-03-06T10:00+09:00",
      },
    ],
    [
      "… without the transfer the same request is due Thu 16:00 WIB",
      workingDays(3),
      history({ startedAt: "2026-03-02T10:00+07:00" }),
      "2026-03-04T12:00+09:00",
      { state: "RUNNING", dueAt: "2026-03-05T16:00+07:00" },
    ],
    [
      "transfer Jayapura → Jakarta Tue 10:00 WIT (08:00 WIB): 22 h left from Tue 08:00 WIB → Thu 14:00 WIB",
      workingDays(3),
      history({
        startedAt: "2026-03-02T10:00+09:00",
        calendar: JAYAPURA,
        transfers: [["2026-03-03T10:00+09:00", JAKARTA]],
      }),
      "2026-03-03T12:00+07:00",
      { state: "RUNNING", elapsedMinutes: 720, dueAt: "2026-03-05T14:00+07:00" },
    ],
    [
      "KIP 10 working days from Mon 5 Jan 2026 09:00 WIB, extended by 7 on 19 Jan → due Thu 29 Jan close; " +
        "back from at risk to running",
      workingDays(10, 7),
      history({ startedAt: "2026-01-05T09:00+07:00", extendedAt: "2026-01-19T10:00+07:00" }),
      "2026-01-20T17:00+07:00",
      {
        state: "RUNNING",
        elapsedMinutes: 5220,
        remainingMinutes: 3360,
        dueAt: "2026-01-29T16:00+07:00",
        atRiskAt: "2026-01-23T12:15+07:00",
      },
    ],
    [
      "… the same request without extension was due Tue 20 Jan close and is breached",
      workingDays(10, 7),
      history({ startedAt: "2026-01-05T09:00+07:00" }),
      "2026-01-20T17:00+07:00",
      { state: "BREACHED", dueAt: "2026-01-20T16:00+07:00", breachedAt: "2026-01-20T16:00+07:00" },
    ],
    [
      "… an extension granted after the deadline does not undo the breach",
      workingDays(10, 7),
      history({ startedAt: "2026-01-05T09:00+07:00", extendedAt: "2026-01-21T09:00+07:00" }),
      "2026-01-22T09:00+07:00",
      { state: "BREACHED", breachedAt: "2026-01-20T16:00+07:00" },
    ],
    [
      "… an extension recorded but not allowed by the policy adds nothing",
      workingDays(10),
      history({ startedAt: "2026-01-05T09:00+07:00", extendedAt: "2026-01-19T10:00+07:00" }),
      "2026-01-20T17:00+07:00",
      { state: "BREACHED", dueAt: "2026-01-20T16:00+07:00" },
    ],
    [
      "… an extension granted while waiting on the citizen moves the deadline as it stood then by 7 whole days",
      workingDays(10, 7),
      history({
        startedAt: "2026-01-05T09:00+07:00",
        pauses: [["2026-01-19T10:00+07:00", "2026-01-21T12:00+07:00"]],
        extendedAt: "2026-01-19T11:00+07:00",
      }),
      "2026-01-21T12:00+07:00",
      // The pause costs 18 business hours (Mon 10–16, Tue, Wed 08–12): Tue 20 Jan 16:00 + 18 h = Fri 23 Jan 10:00,
      // and 7 whole working days later: Tue 3 Feb 10:00.
      { state: "RUNNING", elapsedMinutes: 73 * 60, remainingMinutes: 70 * 60, dueAt: "2026-02-03T10:00+07:00" },
    ],
    [
      "UU 25/2009 14 days from Mon 2 Mar 10:00 WIB (due end of 16 Mar), 2 days waiting for a complete file → end of 18 Mar",
      calendarDays(14),
      history({ startedAt: "2026-03-02T10:00+07:00", pauses: [["2026-03-04T10:00+07:00", "2026-03-06T10:00+07:00"]] }),
      "2026-03-10T10:00+07:00",
      {
        state: "RUNNING",
        elapsedMinutes: 8640,
        remainingMinutes: 12_360,
        pausedMinutes: 2880,
        dueAt: "2026-03-19T00:00+07:00",
        atRiskAt: "2026-03-15T08:30+07:00",
      },
    ],
    [
      "24 wall hours from Saturday 10:00: weekends count, breached Sunday 10:00",
      wallMinutes(24 * 60),
      history({ startedAt: "2026-03-14T10:00+07:00" }),
      "2026-03-15T11:00+07:00",
      { state: "BREACHED", elapsedMinutes: 1500, breachedAt: "2026-03-15T10:00+07:00" },
    ],
    [
      "received on Nyepi (19 Mar 2026): nothing counts until Wed 25 Mar 08:00",
      businessMinutes(60),
      history({ startedAt: "2026-03-19T10:00+07:00" }),
      "2026-03-24T12:00+07:00",
      {
        state: "RUNNING",
        elapsedMinutes: 0,
        atRiskAt: "2026-03-25T08:45+07:00",
        dueAt: "2026-03-25T09:00+07:00",
      },
    ],
    [
      "2 working days from Mon 08:00 = 24 business hours; at risk after 18 h, Wed 10:00",
      workingDays(2),
      history({ startedAt: "2026-03-09T08:00+07:00" }),
      "2026-03-09T09:00+07:00",
      {
        state: "RUNNING",
        elapsedMinutes: 60,
        atRiskAt: "2026-03-11T10:00+07:00",
        dueAt: "2026-03-11T16:00+07:00",
      },
    ],
    [
      "the same UTC instant in WIB (07:30, before opening): 60 min due 09:00 WIB",
      businessMinutes(60),
      history({ startedAt: "2026-03-03T00:30Z" }),
      "2026-03-03T00:30Z",
      { state: "RUNNING", dueAt: "2026-03-03T09:00+07:00" },
    ],
    [
      "… in WITA (08:30, open): due 09:30 WITA",
      businessMinutes(60),
      history({ startedAt: "2026-03-03T00:30Z", calendar: MAKASSAR }),
      "2026-03-03T00:30Z",
      { state: "RUNNING", dueAt: "2026-03-03T09:30+08:00" },
    ],
    [
      "evaluated before the clock started: nothing elapsed",
      businessMinutes(60),
      history({ startedAt: "2026-03-16T10:00+07:00" }),
      "2026-03-16T09:00+07:00",
      { state: "RUNNING", elapsedMinutes: 0, pausedMinutes: 0, dueAt: "2026-03-16T11:00+07:00" },
    ],
    [
      "fractional minutes: 0.5 business min from Mon 08:00 is at risk after 22.5 s and due at 08:00:30",
      businessMinutes(0.5),
      history({ startedAt: "2026-03-16T08:00+07:00" }),
      "2026-03-16T08:00:25+07:00",
      {
        state: "AT_RISK",
        elapsedMinutes: 25 / 60,
        atRiskAt: "2026-03-16T08:00:22.500+07:00",
        dueAt: "2026-03-16T08:00:30+07:00",
      },
    ],
  ];
  it.each(rows)("%s", (_why, spec, clockHistory, now, expected) => {
    expectEvaluation(evaluateClock(spec, clockHistory, d(now)), expected);
  });
});

describe("evaluateClock input checks", () => {
  const ok = history({ startedAt: "2026-03-16T08:00+07:00" });
  const now = d("2026-03-16T09:00+07:00");
  // Each row: why, spec, history, code, field.
  const rows: [string, ClockSpec, ClockHistory, string, string][] = [
    ["a zero amount", businessMinutes(0), ok, "INVALID_SPEC", "amount"],
    ["a negative amount", businessMinutes(-5), ok, "INVALID_SPEC", "amount"],
    ["a NaN amount", businessMinutes(Number.NaN), ok, "INVALID_SPEC", "amount"],
    ["half a working day", workingDays(1.5), ok, "INVALID_SPEC", "amount"],
    ["a zero extension", workingDays(10, 0), ok, "INVALID_SPEC", "extensionAmount"],
    ["at-risk ratio 0", { ...businessMinutes(60), atRiskRatio: 0 }, ok, "INVALID_SPEC", "atRiskRatio"],
    ["at-risk ratio 1", { ...businessMinutes(60), atRiskRatio: 1 }, ok, "INVALID_SPEC", "atRiskRatio"],
    ["working days counted in all hours", { ...workingDays(3), counting: "ALL_HOURS" }, ok, "INVALID_SPEC", "counting"],
    [
      "days counted in business hours",
      { ...calendarDays(14), counting: "BUSINESS_HOURS" },
      ok,
      "INVALID_SPEC",
      "counting",
    ],
    ["no calendar", businessMinutes(60), { ...ok, calendars: [] }, "INVALID_HISTORY", "calendars"],
    [
      "a pause ending before it starts",
      businessMinutes(60),
      { ...ok, pauses: [{ from: d("2026-03-16T09:00+07:00"), to: d("2026-03-16T08:30+07:00") }] },
      "INVALID_HISTORY",
      "pauses[0].to",
    ],
    [
      "stopped before it started",
      businessMinutes(60),
      { ...ok, stoppedAt: d("2026-03-16T07:00+07:00") },
      "INVALID_HISTORY",
      "stoppedAt",
    ],
    [
      "an invalid date",
      businessMinutes(60),
      { ...ok, startedAt: new Date("nonsense") },
      "INVALID_HISTORY",
      "startedAt",
    ],
  ];
  it.each(rows)("rejects %s", (_why, spec, clockHistory, code, field) => {
    let caught: unknown;
    try {
      evaluateClock(spec, clockHistory, now);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ClockInputError);
    expect((caught as ClockInputError).code).toBe(code);
    expect((caught as ClockInputError).field).toBe(field);
  });
});

const DAY = 86_400_000;

const specArbitrary: fc.Arbitrary<ClockSpec> = fc
  .record({
    kind: fc.constantFrom("business-minutes", "wall-minutes", "working-days", "days"),
    minutes: fc.integer({ min: 1, max: 5000 }),
    days: fc.integer({ min: 1, max: 20 }),
    extension: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
    atRiskRatio: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  })
  .map(({ kind, minutes, days, extension, atRiskRatio }): ClockSpec => {
    const base = { atRiskRatio, ...(extension === undefined ? {} : { extensionAmount: extension }) };
    if (kind === "business-minutes") return { ...base, amount: minutes, unit: "MINUTES", counting: "BUSINESS_HOURS" };
    if (kind === "wall-minutes") return { ...base, amount: minutes, unit: "MINUTES", counting: "ALL_HOURS" };
    if (kind === "working-days") return { ...base, amount: days, unit: "WORKING_DAYS", counting: "BUSINESS_HOURS" };
    return { ...base, amount: days, unit: "DAYS", counting: "ALL_HOURS" };
  });

const offset = fc.integer({ min: 0, max: 30 * DAY });

const historyArbitrary: fc.Arbitrary<ClockHistory> = fc
  .record({
    startedAt: instantArbitrary.map(Math.floor),
    first: calendarArbitrary,
    transfer: fc.option(fc.tuple(offset, calendarArbitrary), { nil: undefined }),
    pauses: fc.array(fc.tuple(offset, fc.option(fc.integer({ min: 0, max: 5 * DAY }), { nil: null })), {
      maxLength: 3,
    }),
    stop: fc.option(fc.integer({ min: 0, max: 60 * DAY }), { nil: undefined }),
    extension: fc.option(offset, { nil: undefined }),
  })
  .map(({ startedAt, first, transfer, pauses, stop, extension }) => ({
    startedAt: new Date(startedAt),
    calendars: [
      { from: new Date(startedAt), calendar: first },
      ...(transfer ? [{ from: new Date(startedAt + transfer[0]), calendar: transfer[1] }] : []),
    ],
    pauses: pauses.map(([from, length]) => ({
      from: new Date(startedAt + from),
      to: length === null ? null : new Date(startedAt + from + length),
    })),
    stoppedAt: stop === undefined ? null : new Date(startedAt + stop),
    extendedAt: extension === undefined ? null : new Date(startedAt + extension),
  }));

/** The history as it was known at `now`: what happened later is cut off, open spells stay open. */
function knownAt(clockHistory: ClockHistory, now: number): ClockHistory {
  const seen = (value: Date | null | undefined) => (value && value.getTime() <= now ? value : null);
  return {
    startedAt: clockHistory.startedAt,
    calendars: clockHistory.calendars.filter((entry, index) => index === 0 || entry.from.getTime() <= now),
    pauses: clockHistory.pauses
      .filter((pause) => pause.from.getTime() <= now)
      .map((pause) => ({ from: pause.from, to: seen(pause.to) })),
    stoppedAt: seen(clockHistory.stoppedAt),
    extendedAt: seen(clockHistory.extendedAt),
  };
}

describe("evaluateClock properties", () => {
  it("elapsed never decreases and MET/BREACHED are final as now moves on", () => {
    fc.assert(
      fc.property(
        specArbitrary,
        historyArbitrary,
        fc.array(fc.integer({ min: -DAY, max: 90 * DAY }), { minLength: 2, maxLength: 12 }),
        (spec, clockHistory, offsets) => {
          let previous: ClockEvaluation | null = null;
          for (const step of [...offsets].sort((a, b) => a - b)) {
            const evaluation = evaluateClock(spec, clockHistory, new Date(clockHistory.startedAt.getTime() + step));
            if (previous) {
              expect(evaluation.elapsedMinutes).toBeGreaterThanOrEqual(previous.elapsedMinutes);
              expect(evaluation.pausedMinutes).toBeGreaterThanOrEqual(previous.pausedMinutes);
              if (previous.state === "MET" || previous.state === "BREACHED") {
                expect(evaluation.state).toBe(previous.state);
                expect(evaluation.breachedAt).toEqual(previous.breachedAt);
                expect(evaluation.dueAt).toEqual(previous.dueAt);
                // A breached clock may still be answered late; once answered, nothing changes any more.
                if (previous.state === "MET" || previous.metAt) expect(evaluation.metAt).toEqual(previous.metAt);
              }
            }
            previous = evaluation;
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("the state changes exactly at nextTransitionAt when nothing else happens", () => {
    fc.assert(
      fc.property(specArbitrary, historyArbitrary, fc.integer({ min: 0, max: 40 * DAY }), (spec, full, step) => {
        const now = full.startedAt.getTime() + step;
        const clockHistory = knownAt(full, now);
        const evaluation = evaluateClock(spec, clockHistory, new Date(now));
        const next = evaluation.nextTransitionAt;
        if (evaluation.state === "RUNNING" || evaluation.state === "AT_RISK") expect(next).not.toBeNull();
        if (!next) return;
        expect(next.getTime()).toBeGreaterThan(now);
        expect(evaluateClock(spec, clockHistory, new Date(next.getTime() - 1)).state).toBe(evaluation.state);
        expect(evaluateClock(spec, clockHistory, next).state).toBe(
          evaluation.state === "RUNNING" ? "AT_RISK" : "BREACHED",
        );
      }),
      { numRuns: 200 },
    );
  });

  it("counted time plus remaining time is the budget, and a met clock was stopped by its due instant", () => {
    fc.assert(
      fc.property(
        specArbitrary,
        historyArbitrary,
        fc.integer({ min: 0, max: 90 * DAY }),
        (spec, clockHistory, step) => {
          const evaluation = evaluateClock(spec, clockHistory, new Date(clockHistory.startedAt.getTime() + step));
          expect(evaluation.atRiskAt.getTime()).toBeLessThanOrEqual(evaluation.dueAt.getTime());
          if (evaluation.state === "MET") {
            expect(evaluation.metAt!.getTime()).toBeLessThanOrEqual(evaluation.dueAt.getTime());
            expect(evaluation.remainingMinutes).toBeGreaterThanOrEqual(0);
          }
          if (evaluation.state === "BREACHED") {
            expect(evaluation.breachedAt).toEqual(evaluation.dueAt);
            expect(evaluation.remainingMinutes).toBeLessThanOrEqual(0);
          }
          if (evaluation.state !== "BREACHED" && evaluation.state !== "MET") {
            expect(evaluation.remainingMinutes).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
