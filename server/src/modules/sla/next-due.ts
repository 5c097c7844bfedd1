import type { ClockState, TicketStatus } from "../../generated/prisma/enums.js";

/** Statuses in which no clock of a ticket counts down any more: the work on it is done. */
const FINISHED: ReadonlySet<TicketStatus> = new Set(["RESOLVED", "CLOSED", "REJECTED"]);

export interface DueClock {
  state: ClockState;
  dueAt: Date;
  /** When the clock stopped (a breached clock stopped late has it too); null while it counts. */
  metAt: Date | null;
}

/**
 * Whether a ticket's deadline is on hold: it waits on the citizen (a status its policy pauses on) or it is
 * finished. A breached clock stays BREACHED while the citizen is asked for more, so the status decides.
 */
export function dueOnHold(status: TicketStatus, pauseStatuses: readonly TicketStatus[]): boolean {
  return FINISHED.has(status) || pauseStatuses.includes(status);
}

/**
 * The ticket's next deadline: the earliest due instant among its clocks that still count down (running,
 * at risk, or breached and not yet stopped), or null when none does or the ticket is on hold. An overdue
 * clock gives a past instant, so breached tickets come first in deadline order.
 */
export function nextDueAt(clocks: readonly DueClock[], onHold: boolean): Date | null {
  if (onHold) return null;
  let next: Date | null = null;
  for (const clock of clocks) {
    const counting =
      clock.state === "RUNNING" || clock.state === "AT_RISK" || (clock.state === "BREACHED" && clock.metAt === null);
    if (counting && (next === null || clock.dueAt < next)) next = clock.dueAt;
  }
  return next;
}
