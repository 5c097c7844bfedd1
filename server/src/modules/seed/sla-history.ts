import type { SlaPolicy } from "../../generated/prisma/client.js";
import type { ClockKind, ClockState } from "../../generated/prisma/enums.js";
import type { BusinessCalendar } from "../sla/clock/calendar.js";
import { type ClockEvaluation, type ClockHistory, type ClockSpec, evaluateClock } from "../sla/clock/clock.js";
import {
  clockKindsOf,
  clockRow,
  type ClockRow as EngineClockRow,
  specOf,
  transitionEvent,
} from "../sla/clock-engine.js";
import { clockHistories } from "../sla/clock-history.js";
import { dueOnHold, nextDueAt } from "../sla/next-due.js";
import { matchPolicy } from "../sla/policy-matcher.js";
import type { EventRow, History } from "./history.js";

/** A `ticket_clock` row, with the columns `ClockEngine.recompute` writes. */
export interface ClockRow extends EngineClockRow {
  updatedAt: Date;
}

export interface SlaContext {
  /** The current policy versions, as the live engine matches them. */
  policies: readonly SlaPolicy[];
  /** A category's code and its ancestors' codes. */
  categoryCodes: (categoryId: number | null) => readonly string[];
  calendarFor: (unitId: number) => BusinessCalendar;
  now: Date;
}

export interface SlaHistory {
  clocks: ClockRow[];
  /** The history's events with the SLA events among them, sorted by `at`. */
  events: EventRow[];
  /** Each ticket's next deadline (`ticket.next_due_at`), for the tickets that have one. */
  nextDue: Map<string, Date>;
}

/** The order one recompute writes clock events in: first response, resolution, then the stages. */
const CLOCK_ORDER: readonly ClockKind[] = ["FIRST_RESPONSE", "RESOLUTION", "FILE_ANSWER", "FILE_LAPSE", "EXAMINATION"];
const SECOND = 1_000;

/** Each category's code followed by its ancestors' codes, for policy matching. */
export function categoryPaths(rows: readonly { id: number; code: string; parentId: number | null }[]) {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const paths = new Map<number, string[]>();
  for (const row of rows) {
    const path: string[] = [];
    // The depth bound guards against a cycle in hand-edited data.
    for (let c: typeof row | undefined = row; c && path.length <= rows.length; ) {
      path.push(c.code);
      c = c.parentId === null ? undefined : byId.get(c.parentId);
    }
    paths.set(row.id, path);
  }
  return paths;
}

/**
 * The clocks of every generated ticket (both, and the stage clocks its policy has that started) and the SLA events of their lives, computed by the SLA engine
 * rather than drawn: each ticket's log is replayed as the running system would have seen it, with a
 * recompute after every event and one at every instant the detection loop would have woken up, so
 * at-risk, breach and met events carry the instants they would have had. A ticket is timed under the
 * policy its final facts match, as if it had been triaged at receipt; tickets that match no policy get
 * no clock, as in the live engine.
 */
export function computeSlaHistory(history: History, context: SlaContext): SlaHistory {
  const nowMs = context.now.getTime();
  const byTicket = new Map<string, EventRow[]>();
  for (const event of history.events) {
    const events = byTicket.get(event.ticketId);
    if (events) events.push(event);
    else byTicket.set(event.ticketId, [event]);
  }
  const clocks: ClockRow[] = [];
  const sla: EventRow[] = [];
  const nextDue = new Map<string, Date>();
  for (const ticket of history.tickets) {
    const events = byTicket.get(ticket.id);
    const policy = matchPolicy(context.policies, {
      kind: ticket.kind,
      channel: ticket.channel,
      priority: ticket.priority,
      categoryCodes: context.categoryCodes(ticket.categoryId),
    });
    if (!events || !policy) continue;
    const replayed = replay(events, policy, context.calendarFor, nowMs);
    for (const event of replayed.events) sla.push(event);
    const rows = [...replayed.final].map(([kind, { evaluation, startedAt, extendedAt }]) => ({
      ...clockRow(ticket.id, kind, policy.id, { startedAt, extendedAt }, evaluation, context.now),
      updatedAt: context.now,
    }));
    clocks.push(...rows);
    const due = nextDueAt(rows, dueOnHold(ticket.status, policy.pauseStatuses));
    if (due) nextDue.set(ticket.id, due);
  }
  return { clocks, events: mergeByTime(history.events, sla), nextDue };
}

interface FinalClock {
  evaluation: ClockEvaluation;
  startedAt: Date;
  extendedAt: Date | null;
}

/**
 * One ticket's clocks through its life. `events` are the ticket's own, in order, all at or before now.
 * Evaluation sees only the log written so far, as the live engine did at each moment: a resolved ticket
 * reopened later was met while it stayed resolved.
 */
function replay(
  events: readonly EventRow[],
  policy: SlaPolicy,
  calendarFor: (unitId: number) => BusinessCalendar,
  nowMs: number,
): { events: EventRow[]; final: Map<ClockKind, FinalClock> } {
  const kinds = clockKindsOf(policy);
  const specs = Object.fromEntries(kinds.map((kind) => [kind, specOf(policy, kind)])) as Record<ClockKind, ClockSpec>;
  const states: Partial<Record<ClockKind, ClockState | null>> = {};
  const next: Partial<Record<ClockKind, number | null>> = {};
  const last: Partial<Record<ClockKind, ClockEvaluation>> = {};
  const out: EventRow[] = [];
  const first = events[0] as EventRow;
  let histories = clockHistories(events.slice(0, 1), policy.pauseStatuses, calendarFor);

  const step = (kind: ClockKind, at: number, unitId: number): void => {
    const history = histories[kind];
    if (!history) return;
    const evaluation = evaluateClock(specs[kind], history, new Date(at));
    const before = states[kind] ?? null;
    const type = transitionEvent(before, evaluation.state);
    if (type && !(before === null && type === "SLA_RESUMED")) {
      out.push({
        ticketId: first.ticketId,
        unitId,
        type,
        actorId: null,
        actorLabel: "system",
        at: new Date(at),
        data: {
          clock: kind,
          policyCode: policy.code,
          dueAt: evaluation.dueAt.toISOString(),
          ...(evaluation.breachedAt ? { breachedAt: evaluation.breachedAt.toISOString() } : {}),
        },
      });
    }
    states[kind] = evaluation.state;
    last[kind] = evaluation;
    const transition = evaluation.nextTransitionAt?.getTime() ?? null;
    next[kind] = transition === null ? null : Math.max(transition, at + (transition <= at ? SECOND : 0));
  };

  for (let index = 0; index < events.length; index++) {
    const event = events[index] as EventRow;
    const at = event.at.getTime();
    const previous = histories;
    if (index > 0) histories = clockHistories(events.slice(0, index + 1), policy.pauseStatuses, calendarFor);
    // An event that leaves a clock's history as it was cannot change its state: only the transitions
    // the detection loop wakes for can, and those are stepped through below. Nor can anything but a
    // reopening change a stopped clock.
    for (const kind of kinds) {
      const before = previous[kind];
      const after = histories[kind];
      if (!after) continue;
      if (index > 0 && before && (sameHistory(before, after) || stoppedAlike(last[kind], after))) continue;
      step(kind, at, event.unitId);
    }
    // The detection loop wakes at each due transition until the next event recomputes anyway. A
    // transition due at the instant of the next event is that event's recompute to report.
    const following = events[index + 1];
    const until = following ? following.at.getTime() : nowMs + 1;
    for (const kind of kinds) {
      for (let guard = 0; guard < 8; guard++) {
        const due = next[kind] ?? null;
        if (due === null || due >= until) break;
        step(kind, due, event.unitId);
      }
    }
  }

  const final = new Map<ClockKind, FinalClock>();
  for (const kind of kinds) {
    const history = histories[kind];
    if (!history) continue;
    final.set(kind, {
      evaluation: stoppedAlike(last[kind], history)
        ? (last[kind] as ClockEvaluation)
        : evaluateClock(specs[kind], history, new Date(nowMs)),
      startedAt: history.startedAt,
      extendedAt: history.extendedAt ?? null,
    });
  }
  // One recompute writes the first response clock's event before the resolution clock's.
  out.sort((a, b) => a.at.getTime() - b.at.getTime() || kindOrder(a) - kindOrder(b));
  return { events: out, final };
}

const kindOrder = (event: EventRow) => CLOCK_ORDER.indexOf(event.data.clock as ClockKind);
const time = (date: Date | null | undefined) => date?.getTime() ?? null;

/**
 * Whether a clock evaluated as stopped is still stopped at the same instant in `history`: what follows
 * a stop (pauses, transfers, a late extension) does not count, so its evaluation stands.
 */
function stoppedAlike(evaluation: ClockEvaluation | undefined, history: ClockHistory): boolean {
  return (
    evaluation !== undefined && evaluation.stoppedAt !== null && time(evaluation.stoppedAt) === time(history.stoppedAt)
  );
}

/** Whether two histories of one clock, read from successive prefixes of a log, are the same. */
function sameHistory(a: ClockHistory, b: ClockHistory): boolean {
  if (a.calendars.length !== b.calendars.length || a.pauses.length !== b.pauses.length) return false;
  if (time(a.stoppedAt) !== time(b.stoppedAt) || time(a.extendedAt) !== time(b.extendedAt)) return false;
  return a.pauses.every((pause, index) => {
    const other = b.pauses[index];
    return other !== undefined && time(pause.from) === time(other.from) && time(pause.to) === time(other.to);
  });
}

/**
 * Merges the SLA events, each ticket's in the order written, into the time-sorted log. An SLA event
 * follows every event of the same instant, since the recompute that wrote it ran after the event that
 * caused it.
 */
function mergeByTime(events: readonly EventRow[], sla: readonly EventRow[]): EventRow[] {
  const order = Array.from(sla, (_, index) => index);
  order.sort((a, b) => (sla[a] as EventRow).at.getTime() - (sla[b] as EventRow).at.getTime() || a - b);
  const merged: EventRow[] = new Array(events.length + sla.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < events.length || j < order.length) {
    const event = events[i];
    const extra = j < order.length ? (sla[order[j] as number] as EventRow) : undefined;
    if (event && (!extra || event.at.getTime() <= extra.at.getTime())) {
      merged[k++] = event;
      i++;
    } else {
      merged[k++] = extra as EventRow;
      j++;
    }
  }
  return merged;
}
