import type { ClockKind, TicketEventType, TicketStatus } from "../../generated/prisma/enums.js";
import type { BusinessCalendar } from "./clock/calendar.js";
import type { ClockHistory } from "./clock/clock.js";

export interface TimelineEvent {
  type: TicketEventType;
  at: Date;
  unitId: number;
  data: { from?: string; to?: string } | null;
}

const ANSWERED: ReadonlySet<TicketEventType> = new Set(["REPLIED", "RESOLVED", "REJECTED"]);
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
 */
export function clockHistories(
  events: readonly TimelineEvent[],
  pauseStatuses: readonly TicketStatus[],
  calendarFor: (unitId: number) => BusinessCalendar,
): Record<ClockKind, ClockHistory> {
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

  for (const event of events) {
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
      doneAs = next;
    }
    if (DONE.has(status) && !DONE.has(next)) closeLast(resolvedSpells, event.at);
    status = next;
  }

  const stillDone = resolvedSpells.at(-1)?.to === null ? (resolvedSpells.pop() as { from: Date }) : null;
  return {
    FIRST_RESPONSE: { startedAt, calendars, pauses, stoppedAt: firstAnswer },
    RESOLUTION: {
      startedAt,
      calendars,
      pauses: [...pauses, ...resolvedSpells].sort((a, b) => a.from.getTime() - b.from.getTime()),
      stoppedAt: stillDone?.from ?? null,
      ...(stillDone && doneAs === "REJECTED" ? { stoppedByRejection: true } : {}),
      extendedAt,
    },
  };
}

function closeLast(spells: { from: Date; to: Date | null }[], at: Date) {
  const last = spells.at(-1);
  if (last && last.to === null) last.to = at;
}
