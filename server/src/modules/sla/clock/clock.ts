/**
 * Evaluation of one SLA clock of a ticket from its history, as of a given instant.
 *
 * Semantics:
 * - Budget. A target becomes an amount of counted time, fixed when the clock starts:
 *   MINUTES + BUSINESS_HOURS → business minutes; MINUTES + ALL_HOURS → wall minutes;
 *   WORKING_DAYS → the business time between startedAt and addWorkingDays(first calendar, startedAt, amount),
 *   i.e. the rest of the day of receipt plus N whole working days; DAYS → the wall time between startedAt and
 *   addCalendarDays(first calendar's zone, startedAt, amount). WORKING_DAYS always counts business hours and
 *   DAYS always counts wall time; a spec that says otherwise is rejected rather than silently reinterpreted.
 *   Budgets are whole milliseconds.
 * - Elapsed. Counted time accumulates over [startedAt, min(now, stoppedAt)) minus the pauses, each piece
 *   measured in the calendar that governed it (ALL_HOURS: wall time). A transfer does not reset the clock:
 *   the budget left carries over and is spent in the receiving unit's calendar from the transfer on, since
 *   its staff now owe the answer, in their office hours and time zone.
 * - As of now. History after `now` (a later pause, stop, extension or transfer) is not seen, so evaluating
 *   the same history at a later `now` never takes anything back: elapsed never decreases and MET/BREACHED
 *   are final.
 * - dueAt is the first instant at which elapsed reaches the budget: in the past when that already happened,
 *   otherwise projected from now (or from stoppedAt) in the calendar governing then; while paused the
 *   projection assumes the pause ends now. atRiskAt is the same for atRiskRatio × budget (rounded up to a
 *   whole ms).
 * - Extension (KIP: once, at most 7 working days). It counts only when granted by now, before the clock was
 *   stopped and before the budget ran out; a late extension does not undo a breach. It grows the budget by
 *   the extension in the spec's unit: MINUTES → that many minutes; DAYS → that many 24 h days;
 *   WORKING_DAYS → the business time of that many whole working days following the date of the deadline as
 *   it stood when the extension was granted (in the calendar governing then), so a deadline at the close of
 *   day 10 moves to the close of day 17, not further by the part of a day left when the extension was
 *   signed. A granted extension without `extensionAmount` in the spec adds nothing.
 * - State. Stopped (stoppedAt <= now): MET when stoppedAt <= dueAt (stopping exactly at the due instant is in
 *   time), else BREACHED with metAt = stoppedAt and breachedAt = dueAt. A stop that is a rejection (the
 *   request is not immigration's to answer) is an outcome of its own: REJECTED when in time, with no metAt,
 *   since no goal was reached and the clock counts neither as met nor as breached; a rejection after the
 *   deadline does not undo the breach that had already happened. Running: BREACHED when
 *   elapsed >= budget (at now = dueAt the clock is already breached); else PAUSED when a pause is open at now;
 *   else AT_RISK when elapsed >= atRiskRatio × budget; else RUNNING. Because dueAt is the first instant the
 *   budget is reached, a goal reached after hours that follow a breach at the close is still BREACHED.
 * - nextTransitionAt: atRiskAt while RUNNING, dueAt while AT_RISK; null when MET, REJECTED or BREACHED (only new history
 *   changes them) and while PAUSED (an open pause has no end, so nothing changes until the ticket resumes).
 */
import type { BusinessCalendar } from "./calendar.js";
import { DAY_MS, MINUTE_MS } from "./calendar.js";
import {
  addBusinessMs,
  addCalendarDays,
  addWorkingDays,
  businessMsBetween,
  businessMsOfWorkingDaysAfter,
} from "./clock-math.js";

export type TargetUnit = "MINUTES" | "WORKING_DAYS" | "DAYS";
export type Counting = "BUSINESS_HOURS" | "ALL_HOURS";

export interface ClockSpec {
  /** > 0; a whole number for WORKING_DAYS and DAYS. */
  amount: number;
  unit: TargetUnit;
  /** WORKING_DAYS requires BUSINESS_HOURS, DAYS requires ALL_HOURS. */
  counting: Counting;
  /** 0 < r < 1, e.g. 0.75. */
  atRiskRatio: number;
  /** Granted extension in the same unit, e.g. KIP +7 working days. */
  extensionAmount?: number;
}

export interface ClockHistory {
  startedAt: Date;
  /** Which calendar governs from when: the owning unit's; first entry at startedAt; later ones at each transfer. */
  calendars: { from: Date; calendar: BusinessCalendar }[];
  /** Intervals in which the clock is paused (waiting on the citizen); `to` null = still paused. */
  pauses: { from: Date; to: Date | null }[];
  /** When the clock's goal was reached (first response sent / resolved); null = still running. */
  stoppedAt: Date | null;
  /** Whether the stop at stoppedAt was a rejection (bukan wewenang) rather than the goal reached. */
  stoppedByRejection?: boolean;
  /** Times an extension was granted (KIP: once, at most). */
  extendedAt?: Date | null;
}

export type ClockState = "RUNNING" | "PAUSED" | "AT_RISK" | "BREACHED" | "MET" | "REJECTED";

export interface ClockEvaluation {
  dueAt: Date;
  atRiskAt: Date;
  state: ClockState;
  /** Counted time so far, excluding pauses, in the clock's counting. */
  elapsedMinutes: number;
  /** budget − elapsed; negative when breached. */
  remainingMinutes: number;
  /** Wall minutes paused so far. */
  pausedMinutes: number;
  metAt: Date | null;
  /** When the clock stopped (goal reached or rejection), once it has by now. */
  stoppedAt: Date | null;
  /** The instant the budget ran out, when it did before the goal was reached (also when met later). */
  breachedAt: Date | null;
  /** The next instant at which the state changes without new history; null when none. */
  nextTransitionAt: Date | null;
}

export type ClockInputErrorCode = "INVALID_SPEC" | "INVALID_HISTORY";

export class ClockInputError extends Error {
  readonly code: ClockInputErrorCode;
  readonly field: string;

  constructor(code: ClockInputErrorCode, field: string, message: string) {
    super(message);
    this.name = "ClockInputError";
    this.code = code;
    this.field = field;
  }
}

function invalidSpec(field: string, message: string): never {
  throw new ClockInputError("INVALID_SPEC", field, `${field}: ${message}`);
}

function invalidHistory(field: string, message: string): never {
  throw new ClockInputError("INVALID_HISTORY", field, `${field}: ${message}`);
}

function checkSpec(spec: ClockSpec): void {
  const dayUnit = spec.unit === "WORKING_DAYS" || spec.unit === "DAYS";
  if (spec.unit !== "MINUTES" && !dayUnit) invalidSpec("unit", `unknown unit ${String(spec.unit)}`);
  if (spec.counting !== "BUSINESS_HOURS" && spec.counting !== "ALL_HOURS") {
    invalidSpec("counting", `unknown counting ${String(spec.counting)}`);
  }
  if (spec.unit === "WORKING_DAYS" && spec.counting !== "BUSINESS_HOURS") {
    invalidSpec("counting", "WORKING_DAYS counts business hours");
  }
  if (spec.unit === "DAYS" && spec.counting !== "ALL_HOURS") invalidSpec("counting", "DAYS counts all hours");
  const checkAmount = (value: number, field: string) => {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) invalidSpec(field, "must be > 0");
    if (dayUnit && !Number.isInteger(value)) invalidSpec(field, "must be a whole number of days");
  };
  checkAmount(spec.amount, "amount");
  if (spec.extensionAmount !== undefined) checkAmount(spec.extensionAmount, "extensionAmount");
  if (!(spec.atRiskRatio > 0 && spec.atRiskRatio < 1)) invalidSpec("atRiskRatio", "must lie strictly between 0 and 1");
}

function instant(value: Date, field: string): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) invalidHistory(field, "must be a valid Date");
  return ms;
}

interface Governing {
  from: number;
  calendar: BusinessCalendar;
}

/** A stretch of counted time in one calendar; `before` is the elapsed time at its start. */
interface Segment {
  from: number;
  to: number;
  calendar: BusinessCalendar;
  counted: number;
  before: number;
}

class Timeline {
  readonly segments: Segment[] = [];
  elapsed = 0;

  constructor(
    private readonly business: boolean,
    private readonly governing: readonly Governing[],
  ) {}

  calendarAt(at: number): BusinessCalendar {
    let calendar = (this.governing[0] as Governing).calendar;
    for (const entry of this.governing) {
      if (entry.from > at) break;
      calendar = entry.calendar;
    }
    return calendar;
  }

  measure(calendar: BusinessCalendar, from: number, to: number): number {
    return this.business ? businessMsBetween(calendar, from, to) : Math.max(0, to - from);
  }

  advance(calendar: BusinessCalendar, from: number, amount: number): number {
    return this.business ? addBusinessMs(calendar, from, amount) : from + amount;
  }

  /** Appends running time [from, to), split where a transfer changes the calendar. */
  run(from: number, to: number): void {
    let start = from;
    let calendar = this.calendarAt(from);
    for (const entry of this.governing) {
      if (entry.from <= start) continue;
      if (entry.from >= to) break;
      this.push(start, entry.from, calendar);
      start = entry.from;
      calendar = entry.calendar;
    }
    this.push(start, to, calendar);
  }

  private push(from: number, to: number, calendar: BusinessCalendar): void {
    if (to <= from) return;
    const counted = this.measure(calendar, from, to);
    this.segments.push({ from, to, calendar, counted, before: this.elapsed });
    this.elapsed += counted;
  }

  elapsedAt(at: number): number {
    for (const segment of this.segments) {
      if (segment.to <= at) continue;
      if (segment.from >= at) return segment.before;
      return segment.before + this.measure(segment.calendar, segment.from, at);
    }
    return this.elapsed;
  }

  /** First instant at which elapsed reaches `target` (> 0): in the recorded time, else projected from `end`. */
  reach(target: number, end: number): number {
    for (const segment of this.segments) {
      if (segment.before + segment.counted >= target) {
        return this.advance(segment.calendar, segment.from, target - segment.before);
      }
    }
    return this.advance(this.calendarAt(end), end, target - this.elapsed);
  }
}

function baseBudget(spec: ClockSpec, calendar: BusinessCalendar, startedAt: number): number {
  switch (spec.unit) {
    case "MINUTES":
      return Math.round(spec.amount * MINUTE_MS);
    case "WORKING_DAYS":
      return businessMsBetween(calendar, startedAt, addWorkingDays(calendar, startedAt, spec.amount));
    case "DAYS":
      return addCalendarDays(calendar.timeZone, startedAt, spec.amount) - startedAt;
  }
}

export function evaluateClock(spec: ClockSpec, history: ClockHistory, now: Date): ClockEvaluation {
  checkSpec(spec);
  const startedAt = instant(history.startedAt, "startedAt");
  const nowMs = instant(now, "now");
  if (!Array.isArray(history.calendars) || history.calendars.length === 0) {
    invalidHistory("calendars", "at least the owning unit's calendar is needed");
  }
  const governing = history.calendars
    .map((entry, index) => ({ from: instant(entry.from, `calendars[${index}].from`), calendar: entry.calendar }))
    .sort((a, b) => a.from - b.from);
  const stopMs = history.stoppedAt ? instant(history.stoppedAt, "stoppedAt") : null;
  if (stopMs !== null && stopMs < startedAt) invalidHistory("stoppedAt", "is before startedAt");
  const extendedMs = history.extendedAt ? instant(history.extendedAt, "extendedAt") : null;
  if (extendedMs !== null && extendedMs < startedAt) invalidHistory("extendedAt", "is before startedAt");

  const stopped = stopMs !== null && stopMs <= nowMs;
  const end = Math.max(startedAt, stopped ? (stopMs as number) : nowMs);

  // Pauses clipped to what has happened by `end`, then merged, so overlapping records count once.
  const pauses: [number, number][] = [];
  let pausedNow = false;
  history.pauses.forEach((pause, index) => {
    const from = instant(pause.from, `pauses[${index}].from`);
    const to = pause.to === null ? null : instant(pause.to, `pauses[${index}].to`);
    if (to !== null && to < from) invalidHistory(`pauses[${index}].to`, "is before its from");
    if (!stopped && from <= nowMs && (to === null || to > nowMs)) pausedNow = true;
    const clippedFrom = Math.max(from, startedAt);
    const clippedTo = Math.min(to ?? end, end);
    if (clippedTo > clippedFrom) pauses.push([clippedFrom, clippedTo]);
  });
  pauses.sort((a, b) => a[0] - b[0]);

  const business = spec.counting === "BUSINESS_HOURS";
  const timeline = new Timeline(business, governing);
  let cursor = startedAt;
  let pausedMs = 0;
  for (const [from, to] of pauses) {
    if (to <= cursor) continue;
    if (from > cursor) timeline.run(cursor, from);
    pausedMs += to - Math.max(from, cursor);
    cursor = to;
  }
  if (end > cursor) timeline.run(cursor, end);

  let budget = baseBudget(spec, timeline.calendarAt(startedAt), startedAt);
  if (extendedMs !== null && extendedMs <= end && spec.extensionAmount !== undefined) {
    const elapsedThen = timeline.elapsedAt(extendedMs);
    if (elapsedThen < budget) {
      const calendar = timeline.calendarAt(extendedMs);
      switch (spec.unit) {
        case "MINUTES":
          budget += Math.round(spec.extensionAmount * MINUTE_MS);
          break;
        case "DAYS":
          budget += spec.extensionAmount * DAY_MS;
          break;
        case "WORKING_DAYS": {
          const standing = addBusinessMs(calendar, extendedMs, budget - elapsedThen);
          budget += businessMsOfWorkingDaysAfter(calendar, standing, spec.extensionAmount);
          break;
        }
      }
    }
  }

  const atRiskThreshold = Math.ceil(spec.atRiskRatio * budget);
  const elapsed = timeline.elapsed;
  // Whole milliseconds, rounded up, so that at the reported instant the threshold has been reached.
  const dueMs = Math.ceil(timeline.reach(budget, end));
  const atRiskMs = Math.ceil(timeline.reach(atRiskThreshold, end));

  let state: ClockState;
  let breachedAt: number | null = null;
  let next: number | null = null;
  if (stopped) {
    const inTime = (stopMs as number) <= dueMs;
    state = inTime ? (history.stoppedByRejection ? "REJECTED" : "MET") : "BREACHED";
    if (state === "BREACHED") breachedAt = dueMs;
  } else if (elapsed >= budget) {
    state = "BREACHED";
    breachedAt = dueMs;
  } else if (pausedNow) {
    state = "PAUSED";
  } else if (elapsed >= atRiskThreshold) {
    state = "AT_RISK";
    next = dueMs;
  } else {
    state = "RUNNING";
    next = atRiskMs;
  }

  return {
    dueAt: new Date(dueMs),
    atRiskAt: new Date(atRiskMs),
    state,
    elapsedMinutes: elapsed / MINUTE_MS,
    remainingMinutes: (budget - elapsed) / MINUTE_MS,
    pausedMinutes: pausedMs / MINUTE_MS,
    metAt: stopped && state !== "REJECTED" ? new Date(stopMs as number) : null,
    stoppedAt: stopped ? new Date(stopMs as number) : null,
    breachedAt: breachedAt === null ? null : new Date(breachedAt),
    nextTransitionAt: next === null ? null : new Date(next),
  };
}
