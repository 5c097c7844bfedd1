import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import {
  ASSIGN,
  CLOSE,
  CREATE,
  EVENTS,
  NOTE,
  newTicketInput,
  REJECT,
  REOPEN,
  REPLY,
  RESOLVE,
  RESUME,
  TRIAGE,
  WAIT,
} from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

describe.each(await targets())("ticket lifecycle on %s", (target) => {
  let server: TestServer;
  let agent: string;
  let agentId: string;

  beforeAll(async () => {
    server = await startServer(target);
    agent = await server.login("agen.malang@pantau.demo");
    const me = await server.gql(`{ viewer { role unit { code } user { id } } }`, {}, agent);
    expect(me.data?.viewer).toMatchObject({ role: "AGENT", unit: { code: "KANIM-MALANG" } });
    agentId = me.data?.viewer.user.id;
  });
  afterAll(() => server?.stop());

  const run = async (document: string, input: Record<string, unknown>, token = agent) => {
    const response = await server.gql(document, { input }, token);
    expect(response.errors).toBeUndefined();
    const payload = Object.values(response.data ?? {})[0] as Record<string, any>;
    return payload;
  };

  it("runs a ticket from intake to closure and back, recording every step", async () => {
    const created = await run(CREATE, newTicketInput());
    expect(created.__typename).toBe("CreateTicketSuccess");
    const ticket = created.ticket;
    expect(ticket.number).toMatch(/^IMI-\d{4}-\d{7}$/);
    expect(ticket).toMatchObject({ status: "NEW", unit: { code: "KANIM-MALANG" }, firstRespondedAt: null });
    expect(ticket.reporter).toEqual({
      name: "Budi Santoso",
      email: "budi.santoso@example.id",
      phone: "+62 812 3456 7890",
      masked: false,
    });
    const id = ticket.id;

    const steps: [string, Record<string, unknown>, string][] = [
      [TRIAGE, { ticketId: id, category: "PASSPORT", priority: "HIGH" }, "TRIAGED"],
      [ASSIGN, { ticketId: id, assigneeId: agentId }, "ASSIGNED"],
      [REPLY, { ticketId: id, body: "Mohon maaf atas ketidaknyamanannya, kami periksa." }, "IN_PROGRESS"],
      [NOTE, { ticketId: id, body: "Cek jadwal petugas foto hari itu." }, "IN_PROGRESS"],
      [WAIT, { ticketId: id, reason: "Mohon kirim nomor permohonan." }, "WAITING_ON_CITIZEN"],
      [RESUME, { ticketId: id }, "IN_PROGRESS"],
      [RESOLVE, { ticketId: id, resolution: "Jadwal petugas telah ditambah." }, "RESOLVED"],
      [CLOSE, { ticketId: id }, "CLOSED"],
      [REOPEN, { ticketId: id, reason: "Warga melaporkan masalah yang sama." }, "IN_PROGRESS"],
      [RESOLVE, { ticketId: id, resolution: "Sudah ditangani kembali." }, "RESOLVED"],
      [CLOSE, { ticketId: id }, "CLOSED"],
    ];
    for (const [document, input, status] of steps) {
      const result = await run(document, input);
      expect(result.__typename, JSON.stringify(result)).toMatch(/Success$/);
      expect(result.ticket.status).toBe(status);
    }

    // An event's stream position is given by the relay milliseconds after its commit.
    let all: any[] = [];
    let node: any;
    const deadline = Date.now() + 10_000;
    do {
      const history = await server.gql(EVENTS, { id }, agent);
      node = history.data?.node;
      all = node.events.edges.map((e: any) => e.node);
      if (all.every((e: any) => e.sequence !== null)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (Date.now() < deadline);
    const events = all.filter((e: any) => !e.type.startsWith("SLA_"));
    // The clocks record their own changes beside the lifecycle: the pause and resumption at least.
    const clockEvents = all.filter((e: any) => e.type.startsWith("SLA_")).map((e: any) => `${e.type}:${e.data.clock}`);
    expect(clockEvents).toContain("SLA_PAUSED:RESOLUTION");
    expect(clockEvents).toContain("SLA_RESUMED:RESOLUTION");
    expect(events.map((e: any) => e.type)).toEqual([
      "CREATED",
      "TRIAGED",
      "ASSIGNED",
      "REPLIED",
      "NOTE_ADDED",
      "WAITING_ON_CITIZEN",
      "RESUMED",
      "RESOLVED",
      "CLOSED",
      "REOPENED",
      "RESOLVED",
      "CLOSED",
    ]);
    const sequences = all.map((e: any) => BigInt(e.sequence));
    for (let i = 1; i < sequences.length; i++)
      expect((sequences[i] as bigint) > (sequences[i - 1] as bigint)).toBe(true);
    expect(events.every((e: any) => e.actor?.name)).toBe(true);
    expect(events[3].data).toMatchObject({ from: "ASSIGNED", to: "IN_PROGRESS" });
    expect(events[9].data).toMatchObject({
      from: "CLOSED",
      to: "IN_PROGRESS",
      reason: "Warga melaporkan masalah yang sama.",
    });
    expect(node.messages.map((m: any) => m.visibility)).toEqual([
      "PUBLIC_REPLY",
      "INTERNAL_NOTE",
      "PUBLIC_REPLY",
      "PUBLIC_REPLY",
    ]);
  });

  it("rejects a ticket that is not immigration's authority", async () => {
    const created = await run(CREATE, newTicketInput({ subject: "Pengurusan KTP elektronik" }));
    const rejected = await run(REJECT, {
      ticketId: created.ticket.id,
      reason: "Bukan wewenang imigrasi; hubungi Dukcapil.",
    });
    expect(rejected.ticket.status).toBe("REJECTED");
    expect(rejected.ticket.closedAt).not.toBeNull();
  });

  it("sets the first response time once, on the first public reply", async () => {
    const created = await run(CREATE, newTicketInput());
    const first = await run(REPLY, { ticketId: created.ticket.id, body: "Laporan diterima." });
    const second = await run(REPLY, { ticketId: created.ticket.id, body: "Masih kami proses." });
    expect(first.ticket.firstRespondedAt).not.toBeNull();
    expect(second.ticket.firstRespondedAt).toBe(first.ticket.firstRespondedAt);
  });

  it("returns the original ticket for a retried idempotency key, even when retries race", async () => {
    const input = newTicketInput();
    const results = await Promise.all(Array.from({ length: 6 }, () => run(CREATE, input)));
    const ids = new Set(results.map((r) => r.ticket?.id));
    expect(results.every((r) => r.__typename === "CreateTicketSuccess")).toBe(true);
    expect(ids.size).toBe(1);
    const count = await server.app.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM ticket WHERE idempotency_key = $1",
      [input.idempotencyKey],
    );
    expect(count[0]?.n).toBe(1);
  });

  it("refuses a reused idempotency key with a different payload", async () => {
    const input = newTicketInput();
    await run(CREATE, input);
    const conflict = await run(CREATE, { ...input, subject: "Subjek lain sama sekali" });
    expect(conflict).toMatchObject({ __typename: "IdempotencyConflictError", code: "IDEMPOTENCY_CONFLICT" });
  });

  it("keeps idempotency keys per caller, so another caller's key neither returns nor confirms a ticket", async () => {
    const input = newTicketInput();
    const original = await run(CREATE, input);
    const other = await server.login("kanim.malang@pantau.demo");
    // Same key and payload from someone else: their own new ticket, not the original.
    const replayed = await run(CREATE, input, other);
    expect(replayed.__typename).toBe("CreateTicketSuccess");
    expect(replayed.ticket.id).not.toBe(original.ticket.id);
    // Same key, another payload: still a new ticket of theirs, no conflict that would reveal the stored one.
    const probed = await run(
      CREATE,
      { ...input, reporter: { ...input.reporter, phone: "+62 812 3456 7891" } },
      await server.login("kanwil.jatim@pantau.demo"),
    );
    expect(probed.__typename).toBe("CreateTicketSuccess");
    expect(new Set([original.ticket.id, replayed.ticket.id, probed.ticket.id]).size).toBe(3);
    // The original caller's retry still finds the original.
    expect((await run(CREATE, input)).ticket.id).toBe(original.ticket.id);
  });
});
