import { describe, expect, it } from "vitest";
import type { TicketStatus } from "../../generated/prisma/enums.js";
import { CATEGORIES } from "./categories.js";
import { type EventRow, generateHistory, type History, type HistoryOptions } from "./history.js";
import { loadUnits, unitWeight } from "./units.js";

const DAY = 86_400_000;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const units = loadUnits().map((unit, index) => ({
  id: index + 1,
  code: unit.code,
  name: unit.name,
  timeZone: unit.timeZone,
  weight: unitWeight(unit),
  agentIds: [1, 2, 3].map((n) => `00000000-0000-4000-8000-${String(index * 10 + n).padStart(12, "0")}`),
}));
const categories = CATEGORIES.map((category, index) => ({ id: index + 1, code: category.code }));
const unitById = new Map(units.map((unit) => [unit.id, unit]));

// The window crosses New Year so that ticket years change inside it.
const options: HistoryOptions = {
  seed: 7,
  now: new Date("2026-01-20T06:15:00Z"),
  days: 45,
  ticketsPerDay: 120,
  units,
  categories,
  holidays: ["2025-12-25", "2025-12-26", "2026-01-01", "2026-01-16"],
};
const history = generateHistory(options);
const nowMs = options.now.getTime();

const eventsByTicket = new Map<string, EventRow[]>();
for (const event of history.events)
  eventsByTicket.set(event.ticketId, [...(eventsByTicket.get(event.ticketId) ?? []), event]);

const jakartaYear = (date: Date) =>
  new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Jakarta", year: "numeric" }).format(date);
const localParts = (date: Date, timeZone: string) => {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    hour: "numeric",
    weekday: "short",
  }).formatToParts(date);
  return {
    hour: Number(parts.find((part) => part.type === "hour")?.value),
    weekday: parts.find((part) => part.type === "weekday")?.value,
  };
};
const share = <T>(items: readonly T[], predicate: (item: T) => boolean) =>
  items.filter(predicate).length / items.length;

describe("generateHistory determinism", () => {
  it("gives identical output for the same seed", () => {
    expect(generateHistory(options)).toEqual(history);
  });

  it("gives different output for a different seed", () => {
    const other: History = generateHistory({ ...options, seed: 8 });
    expect(other.tickets[0]?.id).not.toBe(history.tickets[0]?.id);
    expect(other.tickets.map((ticket) => ticket.createdAt.getTime())).not.toEqual(
      history.tickets.map((ticket) => ticket.createdAt.getTime()),
    );
  });
});

describe("generated tickets", () => {
  it("cover the whole window at about the requested volume", () => {
    const first = history.tickets[0]?.createdAt.getTime() ?? nowMs;
    expect(nowMs - first).toBeGreaterThan((options.days - 1) * DAY);
    expect(history.tickets.length).toBeGreaterThan(options.days * options.ticketsPerDay * 0.85);
    expect(history.tickets.length).toBeLessThan((options.days + 1) * options.ticketsPerDay * 1.15);
  });

  it("are numbered IMI-<Jakarta year>-<n> in creation order from 1", () => {
    history.tickets.forEach((ticket, index) => {
      expect(ticket.number).toBe(`IMI-${jakartaYear(ticket.createdAt)}-${String(index + 1).padStart(7, "0")}`);
      if (index > 0)
        expect(ticket.createdAt.getTime()).toBeGreaterThanOrEqual(history.tickets[index - 1]!.createdAt.getTime());
    });
    expect(history.lastNumber).toBe(history.tickets.length);
    expect(new Set(history.tickets.map((ticket) => ticket.number.slice(4, 8)))).toEqual(new Set(["2025", "2026"]));
  });

  it("have unique version 4 UUIDs, as do their messages", () => {
    const ids = [...history.tickets.map((ticket) => ticket.id), ...history.messages.map((message) => message.id)];
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("keep created ≤ triaged ≤ first response ≤ resolved ≤ closed ≤ now", () => {
    for (const ticket of history.tickets) {
      const chain = [ticket.createdAt, ticket.triagedAt, ticket.firstRespondedAt, ticket.resolvedAt, ticket.closedAt]
        .filter((date): date is Date => date !== null)
        .map((date) => date.getTime());
      expect(chain).toEqual([...chain].sort((a, b) => a - b));
      expect(Math.max(...chain, ticket.updatedAt.getTime())).toBeLessThanOrEqual(nowMs);
    }
  });

  it("match their event log: status, assignee, timestamps and counters", () => {
    for (const ticket of history.tickets) {
      const events = eventsByTicket.get(ticket.id) ?? [];
      expect(events[0]).toMatchObject({ type: "CREATED", data: { status: "NEW", channel: ticket.channel } });
      expect(events[0]?.at).toEqual(ticket.createdAt);
      let status: TicketStatus = "NEW";
      for (const event of events) {
        expect(event.unitId).toBe(ticket.unitId);
        expect(event.actorLabel).toBe(event.actorId ? null : "system");
        if (event.data.from) expect(event.data.from).toBe(status);
        if (event.data.to) status = event.data.to as TicketStatus;
      }
      expect(ticket.status).toBe(status);
      expect(ticket.updatedAt).toEqual(events.at(-1)?.at);
      expect(ticket.assigneeId).toBe(events.find((event) => event.type === "ASSIGNED")?.data.assigneeId ?? null);
      expect(ticket.triagedAt).toEqual(events.find((event) => event.type === "TRIAGED")?.at ?? null);
      expect(ticket.reopenCount).toBe(events.filter((event) => event.type === "REOPENED").length);
      expect(ticket.categoryId === null).toBe(ticket.triagedAt === null);
      if (ticket.assigneeId) expect(unitById.get(ticket.unitId)?.agentIds).toContain(ticket.assigneeId);
    }
  });

  it("link every message to the event that carries it", () => {
    const messages = new Map(history.messages.map((message) => [message.id, message]));
    const carried = history.events.filter((event) => event.data.messageId);
    expect(carried.length).toBe(history.messages.length);
    for (const event of carried) {
      const message = messages.get(event.data.messageId ?? "");
      expect(message).toMatchObject({ ticketId: event.ticketId, authorId: event.actorId, createdAt: event.at });
      expect(message?.visibility).toBe(event.type === "NOTE_ADDED" ? "INTERNAL_NOTE" : "PUBLIC_REPLY");
    }
  });
});

describe("generated events", () => {
  it("are sorted by time and never after now", () => {
    for (let i = 1; i < history.events.length; i++) {
      expect(history.events[i]!.at.getTime()).toBeGreaterThanOrEqual(history.events[i - 1]!.at.getTime());
    }
    expect(history.events.at(-1)!.at.getTime()).toBeLessThanOrEqual(nowMs);
  });
});

describe("realism", () => {
  const old = history.tickets.filter((ticket) => nowMs - ticket.createdAt.getTime() > 30 * DAY);
  const recent = history.tickets.filter((ticket) => nowMs - ticket.createdAt.getTime() < 2 * DAY);

  it("closes most old tickets and leaves recent ones open in various states", () => {
    expect(share(old, (ticket) => ["CLOSED", "RESOLVED", "REJECTED"].includes(ticket.status))).toBeGreaterThan(0.9);
    const openStates = new Set(
      recent.filter((ticket) => !["CLOSED", "REJECTED"].includes(ticket.status)).map((ticket) => ticket.status),
    );
    for (const status of ["NEW", "ASSIGNED", "IN_PROGRESS", "RESOLVED"]) expect(openStates).toContain(status);
  });

  it("rejects about 3% as out of scope and reopens about 2%", () => {
    expect(share(history.tickets, (ticket) => ticket.status === "REJECTED")).toBeGreaterThan(0.015);
    expect(share(history.tickets, (ticket) => ticket.status === "REJECTED")).toBeLessThan(0.05);
    expect(share(history.tickets, (ticket) => ticket.reopenCount > 0)).toBeGreaterThan(0.005);
    expect(share(history.tickets, (ticket) => ticket.reopenCount > 0)).toBeLessThan(0.04);
  });

  it("has some late tickets", () => {
    const lateResolution = old.filter(
      (ticket) => ticket.resolvedAt && ticket.resolvedAt.getTime() - ticket.createdAt.getTime() > 14 * DAY,
    );
    const lateResponse = history.tickets.filter(
      (ticket) => ticket.firstRespondedAt && ticket.firstRespondedAt.getTime() - ticket.createdAt.getTime() > 2 * DAY,
    );
    expect(lateResolution.length).toBeGreaterThan(old.length * 0.02);
    expect(lateResponse.length).toBeGreaterThan(history.tickets.length * 0.02);
  });

  it("gets more tickets at 10:00 than at 03:00 local time, and fewer on Sundays", () => {
    const local = history.tickets.map((ticket) => localParts(ticket.createdAt, unitById.get(ticket.unitId)!.timeZone));
    const at = (hour: number) => local.filter((parts) => parts.hour === hour).length;
    expect(at(10)).toBeGreaterThan(at(3) * 5);
    expect(local.filter((parts) => parts.weekday === "Wed").length).toBeGreaterThan(
      local.filter((parts) => parts.weekday === "Sun").length * 1.5,
    );
  });

  it("sends busy offices more tickets than small ones", () => {
    const count = (code: string) => {
      const id = units.find((unit) => unit.code === code)?.id;
      return history.tickets.filter((ticket) => ticket.unitId === id).length;
    };
    expect(count("KANIM-BATAM")).toBeGreaterThan(count("KANIM-PONOROGO") * 3);
  });

  it("mixes kinds, channels and categories believably", () => {
    const tickets = history.tickets;
    expect(
      share(tickets, (ticket) => ticket.kind === "INFORMATION_REQUEST" || ticket.kind === "COMPLAINT"),
    ).toBeGreaterThan(0.7);
    expect(share(tickets, (ticket) => ticket.channel === "WHATSAPP")).toBeGreaterThan(
      share(tickets, (ticket) => ticket.channel === "LETTER") * 10,
    );
    const passport = new Set(
      categories.filter((category) => category.code.startsWith("PASSPORT")).map((category) => category.id),
    );
    const triaged = tickets.filter((ticket) => ticket.categoryId !== null);
    expect(share(triaged, (ticket) => passport.has(ticket.categoryId ?? 0))).toBeGreaterThan(0.4);
    for (const ticket of tickets) expect(ticket.externalRef !== null).toBe(ticket.channel === "SP4N_LAPOR");
    expect(tickets.every((ticket) => ticket.subject.length > 0 && ticket.subject.length <= 200)).toBe(true);
    expect(tickets.some((ticket) => ticket.description.includes("{"))).toBe(false);
  });
});
