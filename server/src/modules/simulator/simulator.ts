import { randomUUID } from "node:crypto";
import type { Logger } from "../../logger.js";
import type { UserViewer } from "../auth/viewer.js";
import { scopeOf } from "../auth/viewer.js";
import { OPEN_STATUSES } from "../tickets/status-machine.js";
import type { TicketDeps } from "../tickets/ticket-service.js";
import * as tickets from "../tickets/ticket-service.js";
import { SIMULATED_CONTACTS } from "./contacts.js";

export interface SimulatorOptions {
  deps: TicketDeps;
  logger: Logger;
  ticketsPerMinute: number;
  tickMs?: number;
  random?: () => number;
}

interface Agent {
  id: string;
  unitId: number;
  unitCode: string;
}

/**
 * Keeps the demo alive: agents of busy units receive new tickets and work open ones forward through
 * the same services the API uses, so every simulated change is a real, committed change with its event.
 */
export function startSimulator(options: SimulatorOptions): () => Promise<void> {
  const { deps, logger, ticketsPerMinute } = options;
  const tickMs = options.tickMs ?? 2_000;
  const random = options.random ?? Math.random;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let agents: Agent[] | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  const asAgent = (agent: Agent): UserViewer => ({
    kind: "user",
    userId: agent.id,
    email: "simulator",
    name: "simulator",
    role: "AGENT",
    sessionId: "simulator",
    ...scopeOf(deps.units(), agent.unitId),
  });

  async function loadAgents(): Promise<Agent[]> {
    const rows = await deps.db.prisma.user.findMany({
      where: { role: "AGENT", active: true },
      select: { id: true, unitId: true, unit: { select: { code: true } } },
    });
    return rows.map((row) => ({ id: row.id, unitId: row.unitId, unitCode: row.unit.code }));
  }

  async function createOne(agent: Agent) {
    const contact = pick(SIMULATED_CONTACTS);
    await tickets.createTicket(deps, asAgent(agent), {
      idempotencyKey: `sim-${randomUUID()}`,
      unitCode: agent.unitCode,
      kind: contact.kind,
      channel: pick(contact.channels),
      subject: contact.subject,
      description: contact.description,
      categoryCode: contact.category,
      reporter: { name: pick(["Budi Santoso", "Siti Rahmawati", "Andi Wijaya", "Dewi Lestari", "Rizky Pratama"]) },
    });
  }

  async function advanceOne(agent: Agent) {
    const candidates = await deps.db.prisma.ticket.findMany({
      where: { unitId: agent.unitId, status: { in: [...OPEN_STATUSES, "RESOLVED"] } },
      orderBy: { updatedAt: "asc" },
      take: 5,
      select: { id: true, status: true },
    });
    if (candidates.length === 0) return;
    const ticket = pick(candidates);
    const viewer = asAgent(agent);
    const input = { ticketId: ticket.id };
    switch (ticket.status) {
      case "NEW":
        await tickets.triageTicket(deps, viewer, { ...input, priority: random() < 0.1 ? "HIGH" : "NORMAL" });
        return;
      case "TRIAGED":
        await tickets.assignTicket(deps, viewer, { ...input, assigneeId: agent.id });
        return;
      case "ASSIGNED":
        await tickets.replyToTicket(deps, viewer, {
          ...input,
          body: "Terima kasih, laporan Anda sedang kami tindak lanjuti.",
        });
        return;
      case "IN_PROGRESS":
        if (random() < 0.2)
          await tickets.waitOnCitizen(deps, viewer, { ...input, reason: "Mohon lengkapi nomor permohonan." });
        else
          await tickets.resolveTicket(deps, viewer, {
            ...input,
            resolution: "Permasalahan telah diselesaikan. Terima kasih.",
          });
        return;
      case "WAITING_ON_CITIZEN":
        await tickets.resumeTicket(deps, viewer, input);
        return;
      case "RESOLVED":
        await tickets.closeTicket(deps, viewer, input);
        return;
      default:
        return;
    }
  }

  async function tick() {
    agents ??= await loadAgents();
    if (agents.length === 0) return;
    const expected = (ticketsPerMinute * tickMs) / 60_000;
    // Whole part always, fractional part by chance, so low rates still produce tickets.
    const creations = Math.floor(expected) + (random() < expected % 1 ? 1 : 0);
    for (let i = 0; i < creations && !stopped; i++) await createOne(pick(agents));
    for (let i = 0; i < creations * 2 + (random() < 0.5 ? 1 : 0) && !stopped; i++) await advanceOne(pick(agents));
  }

  const timer = setInterval(() => {
    if (running || stopped) return;
    running = tick()
      .catch((error: unknown) => logger.warn({ err: error }, "simulator step failed"))
      .finally(() => {
        running = null;
      });
  }, tickMs);
  timer.unref();
  logger.info({ ticketsPerMinute }, "live simulator started");

  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
