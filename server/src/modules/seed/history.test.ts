import { describe, expect, it } from "vitest";
import type { TicketStatus } from "../../generated/prisma/enums.js";
import { CATEGORIES } from "./categories.js";
import { type EventRow, generateHistory, type History, type HistoryOptions } from "./history.js";
import { type Desk, simulateLifecycle, TRANSFER_STAGES } from "./lifecycle.js";
import { Random } from "./random.js";
import { loadUnits, unitWeight } from "./units.js";

const DAY = 86_400_000;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const idByCode = new Map(loadUnits().map((unit, index) => [unit.code, index + 1]));
const units = loadUnits().map((unit, index) => ({
  id: index + 1,
  code: unit.code,
  name: unit.name,
  type: unit.type,
  parentId: unit.parentCode === null ? null : (idByCode.get(unit.parentCode) ?? null),
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
      let assignee: string | null = null;
      for (const event of events) {
        expect(event.actorLabel).toBe(event.actorId ? null : "system");
        if (event.data.from) expect(event.data.from).toBe(status);
        if (event.data.to) status = event.data.to as TicketStatus;
        if (event.type === "ASSIGNED") assignee = event.data.assigneeId ?? null;
        if (event.type === "TRANSFERRED") assignee = null;
      }
      expect(ticket.status).toBe(status);
      expect(ticket.updatedAt).toEqual(events.at(-1)?.at);
      expect(ticket.assigneeId).toBe(assignee);
      expect(ticket.triagedAt).toEqual(events.find((event) => event.type === "TRIAGED")?.at ?? null);
      expect(ticket.reopenCount).toBe(events.filter((event) => event.type === "REOPENED").length);
      expect(ticket.transferCount).toBe(events.filter((event) => event.type === "TRANSFERRED").length);
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

describe("transfers", () => {
  const transferred = history.tickets.filter((ticket) => ticket.transferCount > 0);
  const transfers = history.events.filter((event) => event.type === "TRANSFERRED");
  const codeOf = (id: number) => unitById.get(id)?.code;
  const isOpenAt = (date: Date, timeZone: string) => {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    }).formatToParts(date);
    const value = (type: string) => parts.find((part) => part.type === type)?.value;
    const minute = Number(value("hour")) * 60 + Number(value("minute"));
    // Events are kept a second apart, so one may spill a few seconds past closing.
    return value("weekday") !== "Sat" && value("weekday") !== "Sun" && minute >= 450 && minute <= 960;
  };

  it("move about 3–4% of tickets, a few of them twice", () => {
    expect(share(history.tickets, (ticket) => ticket.transferCount > 0)).toBeGreaterThan(0.025);
    expect(share(history.tickets, (ticket) => ticket.transferCount > 0)).toBeLessThan(0.05);
    expect(share(history.tickets, (ticket) => ticket.transferCount > 1)).toBeGreaterThan(0.001);
    expect(share(history.tickets, (ticket) => ticket.transferCount > 1)).toBeLessThan(0.012);
    expect(Math.max(...history.tickets.map((ticket) => ticket.transferCount))).toBe(2);
  });

  it("leave the ticket with the unit that received it last", () => {
    for (const ticket of transferred) {
      const events = eventsByTicket.get(ticket.id) ?? [];
      const last = events.filter((event) => event.type === "TRANSFERRED").at(-1);
      expect(last?.unitId).toBe(ticket.unitId);
      expect(last?.data.toUnitCode).toBe(codeOf(ticket.unitId));
    }
  });

  it("tag each event with the unit holding the ticket at the time, as the live service does", () => {
    for (const ticket of transferred) {
      const events = eventsByTicket.get(ticket.id) ?? [];
      let holder = events[0]?.unitId;
      for (const event of events) {
        if (event.type === "TRANSFERRED") {
          expect(event.data.fromUnitCode).toBe(codeOf(holder ?? 0));
          expect(event.data.toUnitCode).toBe(codeOf(event.unitId));
          expect(event.unitId).not.toBe(holder);
          holder = event.unitId;
        }
        expect(event.unitId).toBe(holder);
      }
      expect(holder).toBe(ticket.unitId);
    }
    const untouched = history.tickets.filter((ticket) => ticket.transferCount === 0);
    for (const ticket of untouched)
      for (const event of eventsByTicket.get(ticket.id) ?? []) expect(event.unitId).toBe(ticket.unitId);
  });

  it("are made by the sending unit and then worked by the receiving unit's agents", () => {
    for (const ticket of transferred) {
      let holder = 0;
      for (const event of eventsByTicket.get(ticket.id) ?? []) {
        const actorUnit = event.type === "TRANSFERRED" ? holder : event.unitId;
        if (event.actorId) expect(unitById.get(actorUnit)?.agentIds).toContain(event.actorId);
        if (event.type === "ASSIGNED") expect(unitById.get(event.unitId)?.agentIds).toContain(event.data.assigneeId);
        holder = event.unitId;
      }
    }
  });

  it("send a worked ticket back to triage and keep the status of a new or triaged one", () => {
    const before = new Map<string, TicketStatus>();
    for (const ticket of transferred) {
      let status: TicketStatus = "NEW";
      for (const event of eventsByTicket.get(ticket.id) ?? []) {
        if (event.type === "TRANSFERRED") {
          before.set(`${ticket.id}/${event.at.getTime()}`, status);
          if (status === "NEW" || status === "TRIAGED") expect(event.data.to).toBeUndefined();
          else expect(event.data).toMatchObject({ from: status, to: "TRIAGED" });
          expect(event.data.reason?.length).toBeGreaterThan(10);
        }
        if (event.data.to) status = event.data.to as TicketStatus;
      }
    }
    const statuses = [...before.values()];
    // Mostly early: after triage, before or after assignment.
    expect(share(statuses, (status) => status === "TRIAGED" || status === "ASSIGNED")).toBeGreaterThan(0.6);
    for (const status of ["NEW", "TRIAGED", "ASSIGNED", "IN_PROGRESS"]) expect(statuses).toContain(status);
  });

  it("go to a staffed sibling office, or escalate integrity complaints to the Kantor Wilayah", () => {
    let escalations = 0;
    let siblings = 0;
    for (const event of transfers) {
      const from = units.find((unit) => unit.code === event.data.fromUnitCode);
      const to = unitById.get(event.unitId);
      expect(to?.weight).toBeGreaterThan(0);
      expect(to?.agentIds.length).toBeGreaterThan(0);
      if (event.data.reason?.startsWith("Dieskalasi ke Kantor Wilayah")) {
        escalations++;
        expect(to?.type).toBe("REGIONAL_OFFICE");
        expect(from?.parentId).toBe(to?.id);
        const ticket = history.tickets.find((candidate) => candidate.id === event.ticketId);
        expect(["OFFICER_CONDUCT", "BROKERS"].map((code) => categories.find((c) => c.code === code)?.id)).toContain(
          ticket?.categoryId,
        );
      } else if (from?.type === "IMMIGRATION_OFFICE") {
        siblings++;
        expect(to?.type).toBe("IMMIGRATION_OFFICE");
        expect(to?.parentId).toBe(from.parentId);
        expect(event.data.reason).toContain(to?.name);
      }
    }
    expect(escalations).toBeGreaterThan(transfers.length * 0.1);
    expect(siblings).toBeGreaterThan(transfers.length * 0.3);
  });

  it("follow the receiving unit's office hours in its own time zone", () => {
    let crossZone = 0;
    for (const ticket of transferred) {
      const events = eventsByTicket.get(ticket.id) ?? [];
      const origin = unitById.get(events[0]?.unitId ?? 0);
      let received = false;
      for (const event of events) {
        if (event.type === "TRANSFERRED") received = true;
        else if (received && event.type === "ASSIGNED") {
          const zone = unitById.get(event.unitId)?.timeZone ?? "";
          expect(isOpenAt(event.at, zone)).toBe(true);
          if (zone !== origin?.timeZone) crossZone++;
        }
      }
    }
    expect(crossZone).toBeGreaterThan(0);
  });
});

describe("simulateLifecycle with a transfer across time zones", () => {
  const desk = (id: number, code: string, offset: number): Desk => ({
    id,
    code,
    name: code,
    agentIds: [1, 2].map((n) => `00000000-0000-4000-8000-${String(id * 10 + n).padStart(12, "0")}`),
    calendar: { offset, holidays: new Set() },
  });
  // Jakarta closes two hours after Jayapura, so a late Jakarta transfer arrives after hours there.
  const jakarta = desk(1, "KANIM-A", 420);
  const jayapura = desk(2, "KANIM-B", 540);
  // Monday 2026-01-12, 15:40 in Jakarta.
  const createdMs = Date.parse("2026-01-12T08:40:00Z");
  const run = (seed: number, stage: (typeof TRANSFER_STAGES)[number]) =>
    simulateLifecycle({
      random: new Random(seed),
      ticketId: "00000000-0000-4000-8000-000000000000",
      nowMs: createdMs + 60 * DAY,
      createdMs,
      channel: "WHATSAPP",
      kind: "COMPLAINT",
      categoryCode: "PASSPORT_ISSUANCE",
      desk: jakarta,
      transfers: [{ stage, to: jayapura, reason: "Domisili pelapor di wilayah kerja KANIM-B." }],
      fill: (text) => text,
    });

  it("hands the ticket over with the receiving unit's agents and office hours", () => {
    for (let seed = 1; seed <= 60; seed++) {
      const stage = TRANSFER_STAGES[seed % TRANSFER_STAGES.length]!;
      const result = run(seed, stage);
      expect(result).toMatchObject({ unitId: jayapura.id, transferCount: 1 });
      const index = result.events.findIndex((event) => event.type === "TRANSFERRED");
      const transfer = result.events[index]!;
      expect(transfer).toMatchObject({ unitId: jayapura.id, data: { fromUnitCode: "KANIM-A", toUnitCode: "KANIM-B" } });
      expect(jakarta.agentIds).toContain(transfer.actorId);
      for (const event of result.events.slice(0, index)) expect(event.unitId).toBe(jakarta.id);
      for (const event of result.events.slice(index + 1)) {
        expect(event.unitId).toBe(jayapura.id);
        if (event.actorId) expect(jayapura.agentIds).toContain(event.actorId);
        if (["TRIAGED", "ASSIGNED", "REPLIED", "NOTE_ADDED"].includes(event.type)) {
          const local = new Date(event.at.getTime() + 540 * 60_000);
          const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
          expect(minute).toBeGreaterThanOrEqual(7 * 60 + 30);
          expect(minute).toBeLessThanOrEqual(16 * 60);
        }
      }
      if (result.assigneeId) expect(jayapura.agentIds).toContain(result.assigneeId);
    }
  });

  it("is reproducible", () => {
    expect(run(5, "ASSIGNED")).toEqual(run(5, "ASSIGNED"));
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
