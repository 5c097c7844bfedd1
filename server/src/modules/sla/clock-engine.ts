import type { Database } from "../../db/database.js";
import type { Prisma, SlaPolicy } from "../../generated/prisma/client.js";
import type {
  Channel,
  ClockKind,
  ClockState,
  Priority,
  TicketEventType,
  TicketKind,
  TicketStatus,
} from "../../generated/prisma/enums.js";
import type { UnitTree } from "../units/unit-tree.js";
import type { CalendarDirectory } from "./calendar-directory.js";
import { type ClockEvaluation, type ClockHistory, type ClockSpec, evaluateClock } from "./clock/clock.js";
import { clockHistories, type TimelineEvent } from "./clock-history.js";
import { dueOnHold, nextDueAt } from "./next-due.js";
import { matchPolicy } from "./policy-matcher.js";
import { isStageKind, policyStages } from "./stages.js";

type Tx = Prisma.TransactionClient;

export interface ClockEngineDeps {
  db: Database;
  units: () => UnitTree;
  calendars: () => CalendarDirectory;
}

const POLICY_TTL_MS = 10_000;
/** The clocks a policy runs: first response and resolution, then its stages in their order. */
export function clockKindsOf(policy: Pick<SlaPolicy, "stages">): ClockKind[] {
  return ["FIRST_RESPONSE", "RESOLUTION", ...policyStages(policy.stages).map((stage) => stage.kind)];
}

interface TicketFacts {
  kind: TicketKind;
  channel: Channel;
  priority: Priority;
  categoryId: number | null;
}

/** A ticket as a recompute reads it: its facts, where it stands, and its clocks as stored. */
interface TicketState extends TicketFacts {
  id: string;
  status: TicketStatus;
  nextDueAt: Date | null;
  clocks: ClockRow[];
}

/** A ticket whose next deadline (`ticket.next_due_at`) moves. */
export interface NextDueChange {
  ticketId: string;
  nextDueAt: Date | null;
}

/**
 * What a recompute writes: changed clock rows, the SLA events of their transitions, moved deadlines, and the
 * complaints that lapsed (closed, their COMPLAINT_LAPSED event among the events).
 */
export interface ClockPlan {
  rows: ClockRow[];
  slaEvents: Prisma.TicketEventCreateManyInput[];
  nextDue: NextDueChange[];
  lapses: { ticketId: string; at: Date }[];
}

/** A `ticket_clock` row as the engine computes it. */
export interface ClockRow {
  ticketId: string;
  kind: ClockKind;
  policyId: number;
  startedAt: Date;
  dueAt: Date;
  atRiskAt: Date;
  state: ClockState;
  elapsedMinutes: number;
  budgetMinutes: number;
  pausedMinutes: number;
  extendedAt: Date | null;
  metAt: Date | null;
  breachedAt: Date | null;
  nextCheckAt: Date | null;
}

/** The stored row of a clock from its evaluation at `now`; the seed writes its clocks through this too. */
export function clockRow(
  ticketId: string,
  kind: ClockKind,
  policyId: number,
  history: Pick<ClockHistory, "startedAt" | "extendedAt">,
  evaluation: ClockEvaluation,
  now: Date,
): ClockRow {
  const next = evaluation.nextTransitionAt;
  return {
    ticketId,
    kind,
    policyId,
    startedAt: history.startedAt,
    dueAt: new Date(evaluation.dueAt),
    atRiskAt: new Date(evaluation.atRiskAt),
    state: evaluation.state,
    elapsedMinutes: evaluation.elapsedMinutes,
    budgetMinutes: evaluation.elapsedMinutes + evaluation.remainingMinutes,
    pausedMinutes: evaluation.pausedMinutes,
    extendedAt: history.extendedAt ?? null,
    metAt: evaluation.metAt,
    breachedAt: evaluation.breachedAt,
    // Never due in the past: a transition the evaluation already passed would otherwise be re-read forever.
    nextCheckAt: next && next <= now ? new Date(now.getTime() + 1_000) : next,
  };
}

const sameInstant = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
// Elapsed time grows while a clock runs; a small drift alone is not worth a write between transitions.
const ELAPSED_TOLERANCE_MINUTES = 1;

function changed(before: ClockRow, after: ClockRow): boolean {
  return (
    before.policyId !== after.policyId ||
    before.state !== after.state ||
    !sameInstant(before.dueAt, after.dueAt) ||
    !sameInstant(before.atRiskAt, after.atRiskAt) ||
    !sameInstant(before.metAt, after.metAt) ||
    !sameInstant(before.breachedAt, after.breachedAt) ||
    !sameInstant(before.extendedAt, after.extendedAt) ||
    !sameInstant(before.nextCheckAt, after.nextCheckAt) ||
    before.budgetMinutes !== after.budgetMinutes ||
    before.pausedMinutes !== after.pausedMinutes ||
    Math.abs(before.elapsedMinutes - after.elapsedMinutes) >= ELAPSED_TOLERANCE_MINUTES
  );
}

/** The clock rows as the JSON parameter of `clockRowsInsert`. */
export function clockRowsPayload(rows: readonly ClockRow[]): string {
  const ms = (date: Date | null) => date?.getTime() ?? null;
  return JSON.stringify(
    rows.map((row) => ({
      ...row,
      startedAt: ms(row.startedAt),
      dueAt: ms(row.dueAt),
      atRiskAt: ms(row.atRiskAt),
      extendedAt: ms(row.extendedAt),
      metAt: ms(row.metAt),
      breachedAt: ms(row.breachedAt),
      nextCheckAt: ms(row.nextCheckAt),
    })),
  );
}

/**
 * An INSERT of clock rows from a JSON parameter (`clockRowsPayload`), written at the instant parameter;
 * `where` may restrict it (a statement that inserts the ticket too inserts its clocks only with it).
 */
export function clockRowsInsert(rowsParam: string, atParam: string, where = ""): string {
  const at = (column: string) =>
    `CASE WHEN r."${column}" IS NULL THEN NULL ELSE to_timestamp(r."${column}" / 1000.0) END`;
  return `INSERT INTO ticket_clock (ticket_id, kind, policy_id, started_at, due_at, at_risk_at, state, elapsed_minutes,
       budget_minutes, paused_minutes, extended_at, met_at, breached_at, next_check_at, updated_at)
     SELECT r."ticketId"::uuid, r.kind::"ClockKind", r."policyId", ${at("startedAt")}, ${at("dueAt")}, ${at("atRiskAt")},
       r.state::"ClockState", r."elapsedMinutes", r."budgetMinutes", r."pausedMinutes", ${at("extendedAt")},
       ${at("metAt")}, ${at("breachedAt")}, ${at("nextCheckAt")}, ${atParam}::timestamptz
     FROM json_to_recordset(${rowsParam}::json) AS r("ticketId" text, kind text, "policyId" int, "startedAt" float8, "dueAt" float8,
       "atRiskAt" float8, state text, "elapsedMinutes" float8, "budgetMinutes" float8, "pausedMinutes" float8,
       "extendedAt" float8, "metAt" float8, "breachedAt" float8, "nextCheckAt" float8) ${where}`;
}

/**
 * One statement for all changed clocks of a batch and the tickets whose next deadline moved with them,
 * so `ticket.next_due_at` never disagrees with the clocks it is derived from.
 */
async function upsertClocks(tx: Tx, rows: ClockRow[], nextDue: NextDueChange[], now: Date): Promise<void> {
  await tx.$executeRawUnsafe(
    `WITH clocks AS (
       ${clockRowsInsert("$1", "$2")}
       ON CONFLICT (ticket_id, kind) DO UPDATE SET policy_id = EXCLUDED.policy_id, started_at = EXCLUDED.started_at,
         due_at = EXCLUDED.due_at, at_risk_at = EXCLUDED.at_risk_at, state = EXCLUDED.state,
         elapsed_minutes = EXCLUDED.elapsed_minutes, budget_minutes = EXCLUDED.budget_minutes,
         paused_minutes = EXCLUDED.paused_minutes, extended_at = EXCLUDED.extended_at, met_at = EXCLUDED.met_at,
         breached_at = EXCLUDED.breached_at, next_check_at = EXCLUDED.next_check_at, updated_at = EXCLUDED.updated_at
       RETURNING 1
     )
     UPDATE ticket t SET next_due_at = CASE WHEN d."nextDueAt" IS NULL THEN NULL ELSE to_timestamp(d."nextDueAt" / 1000.0) END
     FROM json_to_recordset($3::json) AS d("ticketId" uuid, "nextDueAt" float8)
     WHERE t.id = d."ticketId"`,
    clockRowsPayload(rows),
    now,
    JSON.stringify(
      nextDue.map((change) => ({ ticketId: change.ticketId, nextDueAt: change.nextDueAt?.getTime() ?? null })),
    ),
  );
}

const clockOf = (event: TimelineEvent) => (event.data as { clock?: string } | null)?.clock;

/** Which SLA event a change of clock state produces; at most one per clock per recompute. */
export function transitionEvent(before: ClockState | null, after: ClockState): TicketEventType | null {
  if (before === after) return null;
  if (after === "MET") return "SLA_MET";
  if (after === "REJECTED") return "SLA_REJECTED";
  if (after === "BREACHED") return "SLA_BREACHED";
  if (after === "PAUSED") return "SLA_PAUSED";
  // Coming back from a pause is a resumption, even into the at-risk zone it had already reached.
  if (before === "PAUSED") return "SLA_RESUMED";
  if (after === "AT_RISK") return "SLA_AT_RISK";
  return null;
}

export function specOf(policy: SlaPolicy, kind: ClockKind): ClockSpec {
  if (isStageKind(kind)) {
    const stage = policyStages(policy.stages).find((s) => s.kind === kind);
    if (!stage) throw new Error(`policy ${policy.code} v${policy.version} has no ${kind} stage`);
    return { amount: stage.amount, unit: stage.unit, counting: stage.counting, atRiskRatio: policy.atRiskRatio };
  }
  return kind === "FIRST_RESPONSE"
    ? {
        amount: policy.firstResponseAmount,
        unit: policy.firstResponseUnit,
        counting: policy.firstResponseCounting,
        atRiskRatio: policy.atRiskRatio,
      }
    : {
        amount: policy.resolutionAmount,
        unit: policy.resolutionUnit,
        counting: policy.resolutionCounting,
        atRiskRatio: policy.atRiskRatio,
        ...(policy.extensionAmount ? { extensionAmount: policy.extensionAmount } : {}),
      };
}

/**
 * Keeps the two legal clocks of a ticket current. Called inside the transaction of every change to a
 * ticket (after its event is written) and by the detection loop; the ticket row must be locked by the
 * caller, which is what makes each SLA event happen exactly once.
 */
export class ClockEngine {
  private policies: { loadedAt: number; rows: SlaPolicy[] } | null = null;
  private categoryPaths: Map<number, string[]> | null = null;
  private readonly versions = new Map<number, SlaPolicy>();

  constructor(private readonly deps: ClockEngineDeps) {}

  invalidatePolicies(): void {
    this.policies = null;
  }

  private async currentPolicies(tx: Tx, now: number): Promise<SlaPolicy[]> {
    if (!this.policies || now - this.policies.loadedAt > POLICY_TTL_MS) {
      this.policies = { loadedAt: now, rows: await tx.slaPolicy.findMany({ where: { current: true } }) };
    }
    return this.policies.rows;
  }

  private async categoryCodes(tx: Tx, categoryId: number | null): Promise<string[]> {
    if (categoryId === null) return [];
    if (!this.categoryPaths?.has(categoryId)) {
      const rows = await tx.category.findMany({ select: { id: true, code: true, parentId: true } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      this.categoryPaths = new Map(
        rows.map((row) => {
          const path: string[] = [];
          for (let c: typeof row | undefined = row; c; c = c.parentId === null ? undefined : byId.get(c.parentId)) {
            path.push(c.code);
          }
          return [row.id, path];
        }),
      );
    }
    return this.categoryPaths.get(categoryId) ?? [];
  }

  /** Policy rows by id, current or not: a ticket keeps the version it matched. */
  private async policiesById(tx: Tx, ids: Iterable<number>, now: number): Promise<Map<number, SlaPolicy>> {
    const byId = new Map((await this.currentPolicies(tx, now)).map((policy) => [policy.id, policy]));
    const missing = [...new Set(ids)].filter((id) => !byId.has(id) && !this.versions.has(id));
    if (missing.length) {
      for (const row of await tx.slaPolicy.findMany({ where: { id: { in: missing } } })) this.versions.set(row.id, row);
    }
    for (const [id, row] of this.versions) if (!byId.has(id)) byId.set(id, row);
    return byId;
  }

  async recompute(tx: Tx, ticketId: string, now: Date): Promise<void> {
    await this.recomputeMany(tx, [ticketId], now);
  }

  /**
   * Re-evaluates the clocks of many tickets with a fixed number of statements: one read of the tickets
   * and their clocks, one of their events, one upsert of the clocks that changed and one insert of the
   * SLA events. Clocks whose evaluation did not change are not written.
   */
  /** Returns the types of the SLA events it wrote (at risk, breached, met…), one per event. */
  async recomputeMany(tx: Tx, ticketIds: readonly string[], now: Date): Promise<TicketEventType[]> {
    if (ticketIds.length === 0) return [];
    const nowMs = now.getTime();
    const tickets = await tx.ticket.findMany({
      where: { id: { in: [...ticketIds] } },
      select: {
        id: true,
        kind: true,
        channel: true,
        priority: true,
        categoryId: true,
        status: true,
        nextDueAt: true,
        clocks: true,
      },
    });
    const policies = await this.policiesById(
      tx,
      tickets.flatMap((ticket) => ticket.clocks.map((clock) => clock.policyId)),
      nowMs,
    );
    const current = await this.currentPolicies(tx, nowMs);
    const events = await tx.ticketEvent.findMany({
      where: { ticketId: { in: [...ticketIds] } },
      orderBy: { sequence: "asc" },
      select: { ticketId: true, type: true, at: true, unitId: true, data: true },
    });
    const eventsByTicket = new Map<string, TimelineEvent[]>();
    for (const event of events) {
      const list = eventsByTicket.get(event.ticketId) ?? [];
      list.push(event as TimelineEvent);
      eventsByTicket.set(event.ticketId, list);
    }
    return this.evaluateAndWrite(tx, tickets, eventsByTicket, policies, current, now);
  }

  /**
   * Starts the clocks of a ticket just created in this transaction, from what the caller already holds:
   * no reads besides the (cached) policies.
   */
  async startClocks(tx: Tx, ticket: TicketFacts & { id: string }, created: TimelineEvent, now: Date): Promise<void> {
    await this.write(tx, await this.plannedStart(tx, ticket, created, now), now);
  }

  /**
   * The clocks (and any SLA events) of a ticket being created, for a caller that writes them in the same
   * statement as the ticket. Reference data is read through `reader` only when not already known.
   */
  async plannedStart(
    reader: Tx,
    ticket: TicketFacts & { id: string },
    created: TimelineEvent,
    now: Date,
  ): Promise<ClockPlan> {
    const current = await this.currentPolicies(reader, now.getTime());
    return this.plan(
      reader,
      [{ ...ticket, status: "NEW", nextDueAt: null, clocks: [] }],
      new Map([[ticket.id, [created]]]),
      new Map(),
      current,
      now,
    );
  }

  private async evaluateAndWrite(
    tx: Tx,
    tickets: readonly TicketState[],
    eventsByTicket: ReadonlyMap<string, TimelineEvent[]>,
    policies: ReadonlyMap<number, SlaPolicy>,
    current: SlaPolicy[],
    now: Date,
  ): Promise<TicketEventType[]> {
    return this.write(tx, await this.plan(tx, tickets, eventsByTicket, policies, current, now), now);
  }

  private async write(tx: Tx, { rows, slaEvents, nextDue, lapses }: ClockPlan, now: Date): Promise<TicketEventType[]> {
    if (rows.length || nextDue.length) await upsertClocks(tx, rows, nextDue, now);
    for (const lapse of lapses) {
      await tx.ticket.update({
        where: { id: lapse.ticketId },
        data: { status: "CLOSED", closedAt: lapse.at, updatedAt: lapse.at },
      });
    }
    if (slaEvents.length) await tx.ticketEvent.createMany({ data: slaEvents });
    return slaEvents.map((event) => event.type);
  }

  private async plan(
    tx: Tx,
    tickets: readonly TicketState[],
    eventsByTicket: ReadonlyMap<string, TimelineEvent[]>,
    policies: ReadonlyMap<number, SlaPolicy>,
    current: SlaPolicy[],
    now: Date,
  ): Promise<ClockPlan> {
    const calendars = this.deps.calendars();
    const rows: ClockRow[] = [];
    const slaEvents: Prisma.TicketEventCreateManyInput[] = [];
    const nextDue: NextDueChange[] = [];
    const lapses: ClockPlan["lapses"] = [];
    const moveDue = (ticket: TicketState, next: Date | null) => {
      if (!sameInstant(ticket.nextDueAt, next)) nextDue.push({ ticketId: ticket.id, nextDueAt: next });
    };

    for (const ticket of tickets) {
      const timeline = eventsByTicket.get(ticket.id);
      if (!timeline?.length) continue;
      const matched = matchPolicy(current, {
        kind: ticket.kind,
        channel: ticket.channel,
        priority: ticket.priority,
        categoryCodes: await this.categoryCodes(tx, ticket.categoryId),
      });
      const existing = policies.get(ticket.clocks[0]?.policyId ?? -1);
      // A policy edit is never retroactive: a ticket keeps its version unless its facts now match another policy.
      const policy = existing && existing.code === matched?.code ? existing : matched;
      if (!policy) {
        moveDue(ticket, null);
        continue;
      }
      const unitId = timeline.at(-1)?.unitId ?? 0;
      const evaluate = (events: readonly TimelineEvent[]) => {
        const histories = clockHistories(events, policy.pauseStatuses, (id) => calendars.calendarFor(id));
        const evaluated: ClockRow[] = [];
        const changedRows: ClockRow[] = [];
        const ticketEvents: Prisma.TicketEventCreateManyInput[] = [];
        const states = new Map<ClockKind, ClockState>();
        for (const kind of clockKindsOf(policy)) {
          const history = histories[kind];
          // A stage clock exists once its start event happened.
          if (!history) continue;
          const before = ticket.clocks.find((clock) => clock.kind === kind);
          const evaluation = evaluateClock(specOf(policy, kind), history, now);
          const row = clockRow(ticket.id, kind, policy.id, history, evaluation, now);
          evaluated.push(row);
          states.set(kind, evaluation.state);
          if (!before || changed(before, row)) changedRows.push(row);
          const types: TicketEventType[] = [];
          // A clock that crossed its at-risk share and was paused (or resumed) before a detection pass saw
          // it still owes its one at-risk warning.
          const reachedAtRisk = evaluation.elapsedMinutes >= policy.atRiskRatio * row.budgetMinutes;
          const warned = events.some((event) => event.type === "SLA_AT_RISK" && clockOf(event) === kind);
          if (reachedAtRisk && !warned && (evaluation.state === "PAUSED" || evaluation.state === "AT_RISK")) {
            types.push("SLA_AT_RISK");
          }
          const type = transitionEvent(before?.state ?? null, evaluation.state);
          if (type && !(before === undefined && type === "SLA_RESUMED") && !types.includes(type)) types.push(type);
          for (const eventType of types) {
            ticketEvents.push({
              ticketId: ticket.id,
              unitId,
              type: eventType,
              at: now,
              actorLabel: "system",
              data: {
                clock: kind,
                policyCode: policy.code,
                dueAt: row.dueAt.toISOString(),
                ...(evaluation.breachedAt ? { breachedAt: evaluation.breachedAt.toISOString() } : {}),
              },
            });
          }
        }
        return { evaluated, changedRows, ticketEvents, states };
      };

      let result = evaluate(timeline);
      let status = ticket.status;
      // UU 25/2009: a complaint whose file the citizen did not complete in time lapses. Only a ticket still
      // waiting on the citizen lapses; once it lapsed, its clocks are evaluated with the lapse in its history.
      if (result.states.get("FILE_LAPSE") === "BREACHED" && ticket.status === "WAITING_ON_CITIZEN") {
        const lapse: Prisma.TicketEventCreateManyInput = {
          ticketId: ticket.id,
          unitId,
          type: "COMPLAINT_LAPSED",
          at: now,
          actorLabel: "system",
          data: { from: ticket.status, to: "CLOSED", clock: "FILE_LAPSE", policyCode: policy.code },
        };
        result = evaluate([
          ...timeline,
          { type: "COMPLAINT_LAPSED", at: now, unitId, data: { from: ticket.status, to: "CLOSED" } },
        ]);
        const lapseClock = result.ticketEvents.filter((event) => clockOf(event as TimelineEvent) === "FILE_LAPSE");
        const others = result.ticketEvents.filter((event) => clockOf(event as TimelineEvent) !== "FILE_LAPSE");
        result.ticketEvents = [...lapseClock, lapse, ...others];
        lapses.push({ ticketId: ticket.id, at: now });
        status = "CLOSED";
      }
      rows.push(...result.changedRows);
      slaEvents.push(...result.ticketEvents);
      moveDue(ticket, nextDueAt(result.evaluated, dueOnHold(status, policy.pauseStatuses)));
    }
    return { rows, slaEvents, nextDue, lapses };
  }
}
