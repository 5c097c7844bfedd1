import type { Database } from "../../db/database.js";
import type { Prisma, SlaPolicy } from "../../generated/prisma/client.js";
import type { ClockKind, ClockState, TicketEventType } from "../../generated/prisma/enums.js";
import type { UnitTree } from "../units/unit-tree.js";
import type { CalendarDirectory } from "./calendar-directory.js";
import { type ClockSpec, evaluateClock } from "./clock/clock.js";
import { clockHistories, type TimelineEvent } from "./clock-history.js";
import { matchPolicy } from "./policy-matcher.js";

type Tx = Prisma.TransactionClient;

export interface ClockEngineDeps {
  db: Database;
  units: () => UnitTree;
  calendars: () => CalendarDirectory;
}

const POLICY_TTL_MS = 10_000;
const CLOCK_KINDS: ClockKind[] = ["FIRST_RESPONSE", "RESOLUTION"];

/** Which SLA event a change of clock state produces; at most one per clock per recompute. */
export function transitionEvent(before: ClockState | null, after: ClockState): TicketEventType | null {
  if (before === after) return null;
  if (after === "MET") return "SLA_MET";
  if (after === "BREACHED") return "SLA_BREACHED";
  if (after === "PAUSED") return "SLA_PAUSED";
  // Coming back from a pause is a resumption, even into the at-risk zone it had already reached.
  if (before === "PAUSED") return "SLA_RESUMED";
  if (after === "AT_RISK") return "SLA_AT_RISK";
  return null;
}

export function specOf(policy: SlaPolicy, kind: ClockKind): ClockSpec {
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

  async recompute(tx: Tx, ticketId: string, now: Date): Promise<void> {
    const ticket = await tx.ticket.findUniqueOrThrow({
      where: { id: ticketId },
      select: { kind: true, channel: true, priority: true, categoryId: true, clocks: { include: { policy: true } } },
    });
    const matched = matchPolicy(await this.currentPolicies(tx, now.getTime()), {
      kind: ticket.kind,
      channel: ticket.channel,
      priority: ticket.priority,
      categoryCodes: await this.categoryCodes(tx, ticket.categoryId),
    });
    const existing = ticket.clocks[0]?.policy;
    // A policy edit is never retroactive: a ticket keeps its version unless its facts now match another policy.
    const policy = existing && existing.code === matched?.code ? existing : matched;
    if (!policy) return;
    const events = await tx.ticketEvent.findMany({
      where: { ticketId },
      orderBy: { sequence: "asc" },
      select: { type: true, at: true, unitId: true, data: true },
    });
    const calendars = this.deps.calendars();
    const histories = clockHistories(events as TimelineEvent[], policy.pauseStatuses, (unitId) =>
      calendars.calendarFor(unitId),
    );
    const unitId = events.at(-1)?.unitId ?? 0;
    for (const kind of CLOCK_KINDS) {
      const before = ticket.clocks.find((clock) => clock.kind === kind);
      const evaluation = evaluateClock(specOf(policy, kind), histories[kind], now);
      const row = {
        policyId: policy.id,
        startedAt: histories[kind].startedAt,
        dueAt: evaluation.dueAt,
        atRiskAt: evaluation.atRiskAt,
        state: evaluation.state,
        elapsedMinutes: evaluation.elapsedMinutes,
        budgetMinutes: evaluation.elapsedMinutes + evaluation.remainingMinutes,
        pausedMinutes: evaluation.pausedMinutes,
        extendedAt: histories[kind].extendedAt ?? null,
        metAt: evaluation.metAt,
        breachedAt: evaluation.breachedAt,
        // Never due in the past: a transition the evaluation already passed would otherwise be re-read forever.
        nextCheckAt:
          evaluation.nextTransitionAt && evaluation.nextTransitionAt <= now
            ? new Date(now.getTime() + 1_000)
            : evaluation.nextTransitionAt,
        updatedAt: now,
      };
      await tx.ticketClock.upsert({
        where: { ticketId_kind: { ticketId, kind } },
        create: { ticketId, kind, ...row },
        update: row,
      });
      const type = transitionEvent(before?.state ?? null, evaluation.state);
      if (type && !(before === undefined && type === "SLA_RESUMED")) {
        await tx.ticketEvent.create({
          data: {
            ticketId,
            unitId,
            type,
            at: now,
            actorLabel: "system",
            data: {
              clock: kind,
              policyCode: policy.code,
              dueAt: evaluation.dueAt.toISOString(),
              ...(evaluation.breachedAt ? { breachedAt: evaluation.breachedAt.toISOString() } : {}),
            },
          },
        });
      }
    }
  }
}
