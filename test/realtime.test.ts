import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { targets } from "./support/databases.js";
import { ASSIGN, CREATE, NOTE, newTicketInput, TRANSFER, TRIAGE } from "./support/documents.js";
import { collect, liveClient, QUEUE, SLA_ALERTS, TICKET_EVENTS, TICKET_UPDATES } from "./support/live.js";
import { startServer, type TestServer } from "./support/server.js";

const positions = (items: { sequence: string }[]) => items.map((item) => BigInt(item.sequence));

function expectIncreasing(list: bigint[]) {
  for (let i = 1; i < list.length; i++) expect(list[i]).toBeGreaterThan(list[i - 1] as bigint);
}

describe.each(await targets())("realtime subscriptions on %s", (target) => {
  let server: TestServer;
  let directorate: string;
  let regionalHead: string;
  let agent: string;

  let stopped = false;

  beforeAll(async () => {
    server = await startServer(target, { env: { PANTAU_ACCESS_RECHECK_MS: "200" } });
    // A short policy for press tickets: at risk after 1.5 s, breached after 3 s, in all hours.
    await server.app.db.sql.query(
      `INSERT INTO sla_policy (code, version, name, position, match_channels, first_response_amount, first_response_unit,
         first_response_counting, resolution_amount, resolution_unit, resolution_counting, pause_statuses, at_risk_ratio, legal_source)
       VALUES ('TEST_SHORT', 1, 'Uji', 0, '{PRESS}', 0.05, 'MINUTES', 'ALL_HOURS', 1, 'DAYS', 'ALL_HOURS', '{WAITING_ON_CITIZEN}', 0.5, 'uji')`,
    );
    [directorate, regionalHead, agent] = await Promise.all([
      server.login("direktorat@pantau.demo"),
      server.login("kanwil.jatim@pantau.demo"),
      server.login("agen.malang@pantau.demo"),
    ]);
  });
  afterAll(async () => {
    if (!stopped) await server?.stop();
  });

  const create = async (overrides: Record<string, unknown> = {}, token = agent) => {
    const result = await server.gql(CREATE, { input: newTicketInput(overrides) }, token);
    const ticket = result.data?.createTicket.ticket;
    if (!ticket) throw new Error(JSON.stringify(result));
    return ticket as { id: string; number: string };
  };

  it("streams a change committed through the API to a WebSocket subscriber, and nothing outside the unit", async () => {
    const client = liveClient(server.url, regionalHead);
    const malang = collect(client, TICKET_EVENTS, { unitCode: "KANIM-MALANG" }, "ticketEvents");
    const region = collect(client, TICKET_EVENTS, { unitCode: "KANWIL-JI" }, "ticketEvents");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const inMalang = await create();
    const inBali = await create({ unitCode: "KANIM-DENPASAR" }, directorate);
    const inSurabaya = await create({ unitCode: "KANIM-SURABAYA" }, directorate);
    await malang.waitFor((items) => items.some((e) => e.ticket?.number === inMalang.number), 15_000, "Malang event");
    await region.waitFor((items) => items.some((e) => e.ticket?.number === inSurabaya.number), 15_000, "Surabaya");
    // Bali's event was published before Surabaya's; had it been let through it would be here by now.
    const seen = [...malang.items, ...region.items].map((e) => e.ticket?.number);
    expect(seen).not.toContain(inBali.number);
    expect(malang.items.map((e) => e.unit.code)).toEqual(malang.items.map(() => "KANIM-MALANG"));
    expect(malang.items.find((e) => e.ticket?.number === inMalang.number)?.type).toBe("CREATED");
    expectIncreasing(positions(region.items));
    await client.dispose();
  });

  it("resumes after a disconnect with exactly the events it missed, in order, none twice", async () => {
    // Both start from the same position, so neither depends on how soon its subscription is set up.
    const [head] = await server.app.db.sql.query<{ p: string }>(
      "SELECT coalesce(max(position), 0)::text AS p FROM event_stream",
    );
    const reference = collect(
      liveClient(server.url, directorate),
      TICKET_EVENTS,
      { unitCode: "KANWIL-JI", after: head?.p },
      "ticketEvents",
    );
    const first = liveClient(server.url, regionalHead);
    const before = collect(first, TICKET_EVENTS, { unitCode: "KANWIL-JI", after: head?.p }, "ticketEvents");
    const a = await create();
    await before.waitFor((items) => items.some((e) => e.ticket?.number === a.number), 15_000, "first ticket");
    await first.dispose();
    const last = before.items[before.items.length - 1].sequence as string;

    // Missed while away: a burst in the region, including a transfer out of it.
    const missed = [];
    for (let i = 0; i < 5; i++) missed.push(await create({ subject: `Terlewat ${i}` }));
    await server.gql(NOTE, { input: { ticketId: missed[0]?.id, body: "Catatan saat klien terputus" } }, agent);
    await server.gql(
      TRANSFER,
      { input: { ticketId: missed[1]?.id, unitCode: "KANIM-DENPASAR", reason: "Wilayah kerja Denpasar" } },
      regionalHead,
    );

    const second = liveClient(server.url, regionalHead);
    const after = collect(second, TICKET_EVENTS, { unitCode: "KANWIL-JI", after: last }, "ticketEvents");
    const lastMissed = missed[4]?.number;
    await after.waitFor((items) => items.some((e) => e.ticket?.number === lastMissed), 15_000, "replay");
    // And the live stream continues seamlessly after the replay.
    const live = await create({ subject: "Setelah sambung ulang" });
    await after.waitFor((items) => items.some((e) => e.ticket?.number === live.number), 15_000, "live after replay");
    await reference.waitFor((items) => items.some((e) => e.ticket?.number === live.number), 15_000, "reference");

    expect(after.errors).toEqual([]);
    const combined = [...before.items, ...after.items].map((e) => e.sequence);
    const expected = reference.items
      .map((e) => e.sequence)
      .filter((s) => BigInt(s) >= BigInt(before.items[0].sequence));
    expect(combined).toEqual(expected);
    expect(after.items.some((e) => e.type === "TRANSFERRED")).toBe(true);
    expect(after.items.some((e) => e.type === "NOTE_ADDED")).toBe(true);
    expect(new Set(combined).size).toBe(combined.length);
    await second.dispose();
  });

  it("tells where the stream stands, so a client opened before its first event misses nothing after it", async () => {
    const head = await server.gql(`{ eventStreamHead }`, {}, regionalHead);
    expect(head.errors).toBeUndefined();
    const position = head.data?.eventStreamHead as string;
    const [row] = await server.app.db.sql.query<{ head: string }>(
      "SELECT coalesce(max(position), 0)::text AS head FROM event_stream",
    );
    expect(BigInt(position)).toBeLessThanOrEqual(BigInt(row?.head ?? "0"));
    // Happens between reading the head and subscribing: a stream opened after the head still gets it.
    const between = await create({ subject: "Di antara kepala dan langganan" });
    const client = liveClient(server.url, regionalHead);
    const stream = collect(client, TICKET_EVENTS, { unitCode: "KANWIL-JI", after: position }, "ticketEvents");
    await stream.waitFor((items) => items.some((e) => e.ticket?.number === between.number), 15_000, "the event");
    expect(BigInt(stream.items[0].sequence)).toBeGreaterThan(BigInt(position));
    await client.dispose();
    const anonymous = await server.gql(`{ eventStreamHead }`);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("shares one coalesced queue snapshot per unit and updates it when a ticket arrives", async () => {
    const watchers = Array.from({ length: 5 }, () =>
      collect(liveClient(server.url, regionalHead), QUEUE, { unitCode: "KANIM-MALANG" }, "queue"),
    );
    for (const watcher of watchers) await watcher.waitFor((items) => items.length >= 1, 15_000, "first snapshot");
    const initial = watchers[0]?.items[0];
    expect(initial.unit.code).toBe("KANIM-MALANG");
    expect(initial.byStatus.map((s: { status: string }) => s.status)).toEqual([
      "NEW",
      "TRIAGED",
      "ASSIGNED",
      "IN_PROGRESS",
      "WAITING_ON_CITIZEN",
    ]);
    const computationsBefore = server.app.realtime?.board.computations ?? 0;
    // A burst of ten tickets is coalesced: far fewer snapshots than changes, and the same one for everybody.
    await Promise.all(Array.from({ length: 10 }, (_, i) => create({ subject: `Antrean ${i}` })));
    for (const watcher of watchers) {
      await watcher.waitFor((items) => items[items.length - 1].open === initial.open + 10, 15_000, "open + 10");
    }
    const computed = (server.app.realtime?.board.computations ?? 0) - computationsBefore;
    expect(computed).toBeGreaterThan(0);
    expect(computed).toBeLessThan(10);
    const lastOf = (i: number) => watchers[i]?.items[watchers[i].items.length - 1];
    for (let i = 1; i < watchers.length; i++) expect(lastOf(i)).toEqual(lastOf(0));
    expect(lastOf(0).unassigned).toBeGreaterThanOrEqual(10);
    for (const watcher of watchers) watcher.stop();
  });

  it("executes an event once for subscribers with the same access, and never shares what they may not see", async () => {
    const WITH_REPORTER = /* GraphQL */ `
      subscription($unitCode: String!) {
        ticketEvents(unitCode: $unitCode) { sequence type ticket { number reporter { name masked } } }
      }`;
    const supervisor = await server.login("kanim.malang@pantau.demo");
    // Five screens of one regional head, one of the office's supervisor, all with the same document.
    const heads = Array.from({ length: 5 }, () => liveClient(server.url, regionalHead));
    const headStreams = heads.map((client) =>
      collect(client, TICKET_EVENTS, { unitCode: "KANIM-MALANG" }, "ticketEvents"),
    );
    const maskedClient = liveClient(server.url, regionalHead);
    const masked = collect(maskedClient, WITH_REPORTER, { unitCode: "KANIM-MALANG" }, "ticketEvents");
    const entitledClient = liveClient(server.url, supervisor);
    const entitled = [0, 1].map(() =>
      collect(entitledClient, WITH_REPORTER, { unitCode: "KANIM-MALANG" }, "ticketEvents"),
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    const before = { ...server.app.subscriptionSharing };
    const [logged] = await server.app.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM personal_data_access WHERE transport = 'WEBSOCKET'",
    );
    const tickets = [await create(), await create(), await create()];
    const last = tickets[2]?.number;
    for (const stream of [...headStreams, masked, ...entitled]) {
      await stream.waitFor((items) => items.some((e) => e.ticket?.number === last), 15_000, "third ticket");
    }
    const sharing = server.app.subscriptionSharing;
    // Three events: the five identical subscriptions ran once each and reused the result four times.
    expect(sharing.reused - before.reused).toBeGreaterThanOrEqual(12);
    const firstHead = JSON.stringify(headStreams[0]?.items);
    for (const stream of headStreams) expect(JSON.stringify(stream.items)).toBe(firstHead);
    // A regional head sees the reporter masked, the supervisor in full, from the same document.
    const created = (items: any[]) => items.filter((e) => tickets.some((t) => t.number === e.ticket?.number));
    expect(created(masked.items).map((e) => e.ticket.reporter.masked)).toEqual([true, true, true]);
    expect(created(masked.items)[0].ticket.reporter.name).not.toBe("Budi Santoso");
    for (const stream of entitled) {
      expect(created(stream.items).map((e) => e.ticket.reporter)).toEqual(
        tickets.map(() => ({ name: "Budi Santoso", masked: false })),
      );
    }
    // The supervisor's two subscriptions each read personal data: each read is logged, none is reused.
    const [after] = await server.app.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM personal_data_access WHERE transport = 'WEBSOCKET'",
    );
    expect((after?.n ?? 0) - (logged?.n ?? 0)).toBeGreaterThanOrEqual(6);
    await Promise.all([...heads, maskedClient, entitledClient].map((client) => client.dispose()));
  });

  it("pushes a ticket's new state to its detail page", async () => {
    const ticket = await create();
    const updates = collect(liveClient(server.url, agent), TICKET_UPDATES, { id: ticket.id }, "ticket");
    await updates.waitFor((items) => items.length >= 1, 15_000, "initial ticket");
    expect(updates.items[0].status).toBe("NEW");
    const triaged = await server.gql(
      TRIAGE,
      { input: { ticketId: ticket.id, category: "PASSPORT", priority: "HIGH" } },
      agent,
    );
    expect(triaged.data?.triageTicket.__typename).toBe("TriageTicketSuccess");
    await updates.waitFor((items) => items.some((t) => t.status === "TRIAGED"), 15_000, "triaged");
    const me = await server.gql(`{ viewer { user { id } } }`, {}, agent);
    const assigned = await server.gql(
      ASSIGN,
      { input: { ticketId: ticket.id, assigneeId: me.data?.viewer.user.id } },
      agent,
    );
    expect(assigned.data?.assignTicket.__typename).toBe("AssignTicketSuccess");
    await updates.waitFor((items) => items.some((t) => t.status === "ASSIGNED"), 15_000, "assigned");
    expect(updates.items[updates.items.length - 1].assignee.name).toBeTruthy();
    updates.stop();
  });

  it("serves the same stream over server-sent events with the Authorization header", async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      signal: controller.signal,
      headers: {
        "content-type": "application/json",
        accept: "text/event-stream",
        authorization: `Bearer ${regionalHead}`,
      },
      body: JSON.stringify({ query: TICKET_EVENTS, variables: { unitCode: "KANIM-MALANG" } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ticket = await create();
    let text = "";
    const deadline = Date.now() + 15_000;
    while (!text.includes(ticket.number) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain(ticket.number);
    expect(text).toContain('"type":"CREATED"');
    controller.abort();
  });

  it("refuses an invalid token at connect with 4403", async () => {
    let closed: { code: number; reason: string } | null = null;
    const client = liveClient(server.url, "pts_not-a-real-token", {
      onClose: (code, reason) => {
        closed = { code, reason };
      },
    });
    const sub = collect(client, TICKET_EVENTS, { unitCode: "KANIM-MALANG" }, "ticketEvents");
    await sub.ended;
    expect(closed).toMatchObject({ code: 4403 });
    await client.dispose();
  });

  it("answers bad subscriptions with the protocol's error and keeps the connection serving", async () => {
    const client = liveClient(server.url, regionalHead);
    const cases: [Record<string, unknown>, string][] = [
      [{ unitCode: "KANIM-DENPASAR" }, "FORBIDDEN"],
      [{ unitCode: "KANIM-ATLANTIS" }, "UNKNOWN_UNIT"],
      [{ unitCode: "KANIM-MALANG", after: "-1" }, "BAD_USER_INPUT"],
      [{ unitCode: "KANIM-MALANG", after: "12abc" }, "BAD_USER_INPUT"],
      [{ unitCode: "KANIM-MALANG", after: "999999999999999" }, "BAD_USER_INPUT"],
      // The seeded history goes back 14 days, beyond the 72-hour replay window.
      [{ unitCode: "KANIM-MALANG", after: "0" }, "SEQUENCE_EXPIRED"],
    ];
    for (const [variables, code] of cases) {
      const sub = collect(client, TICKET_EVENTS, variables, "ticketEvents");
      await sub.ended;
      expect(
        sub.errors.map((e) => e.extensions?.code),
        JSON.stringify(variables),
      ).toEqual([code]);
      expect(sub.items).toEqual([]);
    }
    const anonymous = collect(liveClient(server.url), TICKET_EVENTS, { unitCode: "KANIM-MALANG" }, "ticketEvents");
    await anonymous.ended;
    expect(anonymous.errors[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    // The same connection still delivers.
    const ok = collect(client, TICKET_EVENTS, { unitCode: "KANIM-MALANG" }, "ticketEvents");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ticket = await create();
    await ok.waitFor((items) => items.some((e) => e.ticket?.number === ticket.number), 15_000, "after errors");
    await client.dispose();
  });

  it("limits subscriptions per connection, oversize frames and clients that never initialise", async () => {
    const client = liveClient(server.url, regionalHead);
    const subs = Array.from({ length: 30 }, () => collect(client, QUEUE, { unitCode: "KANIM-MALANG" }, "queue"));
    await subs[0]?.waitFor((items) => items.length > 0, 15_000, "a snapshot");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const refused = subs.filter((s) => s.errors.some((e) => e.extensions?.code === "TOO_MANY_SUBSCRIPTIONS"));
    expect(refused.length).toBe(5);
    await client.dispose();

    const wsUrl = `${server.url.replace(/^http/, "ws")}/graphql`;
    const closeOf = (socket: WebSocket) =>
      new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
    const big = new WebSocket(wsUrl, "graphql-transport-ws");
    await new Promise((resolve) => big.on("open", resolve));
    big.send(JSON.stringify({ type: "connection_init", payload: { pad: "x".repeat(200 * 1024) } }));
    expect(await closeOf(big)).toBe(1009);

    const silent = new WebSocket(wsUrl, "graphql-transport-ws");
    expect(await closeOf(silent)).toBe(4408);

    // The server is still healthy.
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
  }, 30_000);

  it("announces clocks that become at risk and then breached", async () => {
    const alerts = collect(liveClient(server.url, regionalHead), SLA_ALERTS, { unitCode: "KANWIL-JI" }, "slaAlerts");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const press = await create({ channel: "PRESS", subject: "Pertanyaan media tentang antrean paspor" });
    const quiet = await create();
    await alerts.waitFor(
      (items) => items.some((a) => a.event.ticket?.number === press.number && a.state === "BREACHED"),
      20_000,
      "a breach",
    );
    const mine = alerts.items.filter((a) => a.event.ticket?.number === press.number);
    expect(mine.map((a) => [a.clock, a.state])).toEqual([
      ["FIRST_RESPONSE", "AT_RISK"],
      ["FIRST_RESPONSE", "BREACHED"],
    ]);
    expect(new Date(mine[1].dueAt).getTime()).toBeLessThanOrEqual(new Date(mine[1].at).getTime());
    expect(alerts.items.some((a) => a.event.ticket?.number === quiet.number)).toBe(false);
    alerts.stop();
  }, 30_000);

  it("resumes SLA alerts after a disconnect with exactly the alerts missed meanwhile", async () => {
    const [head] = await server.app.db.sql.query<{ p: string }>(
      "SELECT coalesce(max(position), 0)::text AS p FROM event_stream",
    );
    const first = liveClient(server.url, regionalHead);
    const before = collect(first, SLA_ALERTS, { unitCode: "KANWIL-JI", after: head?.p }, "slaAlerts");
    const press = await create({ channel: "PRESS", subject: "Pertanyaan media saat klien terputus" });
    const isPress = (a: any) => a.event.ticket?.number === press.number;
    await before.waitFor((items) => items.some(isPress), 20_000, "the at-risk alert");
    await first.dispose();
    const lastSeen = before.items[before.items.length - 1].sequence as string;
    // The breach happens while the client is away (1.5 s after the at-risk alert by the test policy).
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const after = collect(
      liveClient(server.url, regionalHead),
      SLA_ALERTS,
      { unitCode: "KANWIL-JI", after: lastSeen },
      "slaAlerts",
    );
    const states = () => [...before.items, ...after.items].filter(isPress).map((a) => a.state);
    await after.waitFor(() => states().includes("BREACHED"), 20_000, "the breach");
    expect(after.errors).toEqual([]);
    expect(states()).toEqual(["AT_RISK", "BREACHED"]);
    const positions = [...before.items, ...after.items].map((a) => BigInt(a.sequence));
    expect(new Set(positions).size).toBe(positions.length);
    expectIncreasing(positions);
    after.stop();
  }, 40_000);

  it("gives a queue board that reconnects a first snapshot that includes what it missed", async () => {
    const first = liveClient(server.url, regionalHead);
    const board = collect(first, QUEUE, { unitCode: "KANIM-MALANG" }, "queue");
    await board.waitFor((items) => items.length > 0, 15_000, "the first snapshot");
    const open = board.items[board.items.length - 1].open as number;
    await first.dispose();
    await create();
    await create();
    const again = collect(liveClient(server.url, regionalHead), QUEUE, { unitCode: "KANIM-MALANG" }, "queue");
    // The first snapshot is the newest computed; one that includes both changes follows within moments.
    await again.waitFor((items) => items.some((item) => item.open === open + 2), 15_000, "both changes");
    expect(again.items.every((item) => item.open >= open && item.open <= open + 2)).toBe(true);
    again.stop();
  });

  it("stops a stream at the next event once its session is signed out", async () => {
    const token = await server.login("kanwil.jatim@pantau.demo");
    const sub = collect(liveClient(server.url, token), TICKET_EVENTS, { unitCode: "KANIM-MALANG" }, "ticketEvents");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = await create();
    await sub.waitFor((items) => items.some((e) => e.ticket?.number === before.number), 15_000, "before logout");
    const out = await server.gql(`mutation { logout }`, {}, token);
    expect(out.data?.logout).toBe(true);
    const after = await create();
    await sub.ended;
    expect(sub.errors.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    expect(sub.items.some((e) => e.ticket?.number === after.number)).toBe(false);
  });

  it("stops a stream once the subscriber's scope no longer covers the unit", async () => {
    const token = await server.login("kanwil.jatim@pantau.demo");
    const sub = collect(liveClient(server.url, token), TICKET_EVENTS, { unitCode: "KANWIL-JI" }, "ticketEvents");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = await create({ unitCode: "KANIM-SURABAYA" }, directorate);
    await sub.waitFor((items) => items.some((e) => e.ticket?.number === before.number), 15_000, "before the change");
    const move = (code: string) =>
      server.app.db.sql.query(
        "UPDATE app_user SET unit_id = (SELECT id FROM unit WHERE code = $1) WHERE email = 'kanwil.jatim@pantau.demo'",
        [code],
      );
    await move("KANIM-MALANG");
    try {
      // Past the re-check interval, the next event finds the narrower scope and ends the stream.
      await new Promise((resolve) => setTimeout(resolve, 400));
      const first = await create({ unitCode: "KANIM-SURABAYA" }, directorate);
      await create({ unitCode: "KANIM-SURABAYA" }, directorate);
      await sub.ended;
      expect(sub.errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect(sub.items.some((e) => e.ticket?.number === first.number)).toBe(false);
    } finally {
      await move("KANWIL-JI");
    }
  });

  it("closes WebSockets with 1001 on shutdown so clients reconnect elsewhere", async () => {
    let closed: number | null = null;
    const client = liveClient(server.url, regionalHead, {
      onClose: (code) => {
        closed = code;
      },
    });
    const sub = collect(client, QUEUE, { unitCode: "KANIM-MALANG" }, "queue");
    await sub.waitFor((items) => items.length > 0, 15_000, "a snapshot");
    stopped = true;
    await server.stop();
    await sub.ended;
    expect(closed).toBe(1001);
  });
});
