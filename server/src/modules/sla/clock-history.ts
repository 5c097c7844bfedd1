import type { TicketEventType, TicketStatus } from "../../generated/prisma/enums.js";
import type { BusinessCalendar } from "./clock/calendar.js";
import type { ClockHistory } from "./clock/clock.js";

export interface TimelineEvent {
  type: TicketEventType;
  at: Date;
  unitId: number;
  data: { from?: string; to?: string } | null;
}

const ANSWERED: ReadonlySet<TicketEventType> = new Set([
  "REPLIED",
  "RESOLVED",
  "REJECTED",
  "FILE_INCOMPLETE",
  "FILE_COMPLETE",
]);

type Spell = { from: Date; to: Date | null };

/** The clocks every ticket has; the stage clocks exist once their start event happened (null before). */
export type ClockHistories = Record<"FIRST_RESPONSE" | "RESOLUTION", ClockHistory> &
  Record<"FILE_ANSWER" | "FILE_LAPSE" | "EXAMINATION", ClockHistory | null>;
const DONE: ReadonlySet<string> = new Set(["RESOLVED", "CLOSED", "REJECTED"]);

/**
 * Reads a ticket's event log (in sequence order) into the history of each clock:
 * - the unit holding the ticket decides the calendar, from each transfer on;
 * - both clocks pause while the status is one of the policy's pause statuses;
 * - the first response clock stops at the first public answer (a reply, the resolution, or a rejection
 *   with its reason);
 * - the resolution clock stops when the ticket is resolved or rejected, a rejection being an outcome of
 *   its own (the request was not the unit's to resolve); a reopened ticket's clock runs on from where it
 *   stopped, the time it spent resolved not counting against the unit.
 * The stage clocks of a complaint (UU 25/2009), each present once its start event happened:
 * - FILE_ANSWER runs from receipt, unpaused, to the answer saying whether the file is complete
 *   (FILE_INCOMPLETE or FILE_COMPLETE), or to the ticket's resolution or rejection, which answer it in full;
 * - FILE_LAPSE is the citizen's time: from the first FILE_INCOMPLETE, unpaused (the ticket waits on the
 *   citizen meanwhile), to FILE_COMPLETE; a ticket finished otherwise before (resolved, rejected, lapsed)
 *   stops it as an outcome of its own;
 * - EXAMINATION runs from FILE_COMPLETE like the resolution clock: paused while waiting, stopped when
 *   resolved or rejected.
 * A lapsed complaint (COMPLAINT_LAPSED, closing the ticket) stops the resolution clock as an outcome of its
 * own, like a rejection: the unit neither met nor missed it.
 */
export function clockHistories(
  events: readonly TimelineEvent[],
  pauseStatuses: readonly TicketStatus[],
  calendarFor: (unitId: number) => BusinessCalendar,
): ClockHistories {
  const first = events[0];
  if (!first) throw new Error("a ticket without events has no clocks");
  const startedAt = first.at;
  const calendars = [{ from: startedAt, calendar: calendarFor(first.unitId) }];
  const pauses: { from: Date; to: Date | null }[] = [];
  const resolvedSpells: { from: Date; to: Date | null }[] = [];
  let status = "NEW";
  let doneAs: string | null = null;
  let firstAnswer: Date | null = null;
  let extendedAt: Date | null = null;
  let fileAnswerAt: Date | null = null;
  let incompleteAt: Date | null = null;
  let completeAt: Date | null = null;
  let firstDoneAt: Date | null = null;

  for (const event of events) {
    if (event.type === "FILE_INCOMPLETE" || event.type === "FILE_COMPLETE") fileAnswerAt ??= event.at;
    if (event.type === "FILE_INCOMPLETE") incompleteAt ??= event.at;
    if (event.type === "FILE_COMPLETE") completeAt ??= event.at;
    if (event.type === "TRANSFERRED") calendars.push({ from: event.at, calendar: calendarFor(event.unitId) });
    if (event.type === "SLA_EXTENDED") extendedAt ??= event.at;
    if (ANSWERED.has(event.type)) firstAnswer ??= event.at;
    const next = event.data?.to;
    if (!next || next === status) continue;
    const wasPaused = pauseStatuses.includes(status as TicketStatus);
    const isPaused = pauseStatuses.includes(next as TicketStatus);
    if (!wasPaused && isPaused) pauses.push({ from: event.at, to: null });
    if (wasPaused && !isPaused) closeLast(pauses, event.at);
    if (!DONE.has(status) && DONE.has(next)) {
      resolvedSpells.push({ from: event.at, to: null });
      doneAs = event.type === "COMPLAINT_LAPSED" ? "LAPSED" : next;
      firstDoneAt ??= event.at;
    }
    if (DONE.has(status) && !DONE.has(next)) closeLast(resolvedSpells, event.at);
    status = next;
  }

  const stillDone = resolvedSpells.at(-1)?.to === null ? (resolvedSpells.pop() as { from: Date }) : null;
  const notMet = doneAs === "REJECTED" || doneAs === "LAPSED";
  const workPauses = [...pauses, ...resolvedSpells].sort((a, b) => a.from.getTime() - b.from.getTime());
  const answerStop = earliest(fileAnswerAt, firstDoneAt);
  const lapseStop = incompleteAt
    ? earliest(after(completeAt, incompleteAt), after(stillDone?.from, incompleteAt))
    : null;
  return {
    FIRST_RESPONSE: { startedAt, calendars, pauses, stoppedAt: firstAnswer },
    RESOLUTION: {
      startedAt,
      calendars,
      pauses: workPauses,
      stoppedAt: stillDone?.from ?? null,
      ...(stillDone && notMet ? { stoppedByRejection: true } : {}),
      extendedAt,
    },
    FILE_ANSWER: {
      startedAt,
      calendars,
      pauses: [],
      stoppedAt: answerStop,
      ...(answerStop && !fileAnswerAt && doneAs === "REJECTED" ? { stoppedByRejection: true } : {}),
    },
    FILE_LAPSE: incompleteAt
      ? {
          startedAt: incompleteAt,
          calendars: calendarsFrom(calendars, incompleteAt),
          pauses: [],
          stoppedAt: lapseStop,
          ...(lapseStop && lapseStop !== completeAt ? { stoppedByRejection: true } : {}),
        }
      : null,
    EXAMINATION: completeAt
      ? {
          startedAt: completeAt,
          calendars: calendarsFrom(calendars, completeAt),
          pauses: workPauses.filter((spell: Spell) => spell.to === null || spell.to > (completeAt as Date)),
          stoppedAt: after(stillDone?.from, completeAt),
          ...(stillDone && notMet && after(stillDone.from, completeAt) ? { stoppedByRejection: true } : {}),
        }
      : null,
  };
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a <= b ? a : b;
}

/** `at` when it is at or after `start`, else null: a stop before a clock started does not stop it. */
function after(at: Date | null | undefined, start: Date): Date | null {
  return at && at >= start ? at : null;
}

/** The calendars governing from `start` on: the one in force at `start` (moved to it), then later ones. */
function calendarsFrom(calendars: ClockHistory["calendars"], start: Date): ClockHistory["calendars"] {
  const inForce = calendars.filter((entry) => entry.from <= start).at(-1) ?? calendars[0];
  const later = calendars.filter((entry) => entry.from > start);
  return inForce ? [{ from: start, calendar: inForce.calendar }, ...later] : later;
}

function closeLast(spells: { from: Date; to: Date | null }[], at: Date) {
  const last = spells.at(-1);
  if (last && last.to === null) last.to = at;
}
