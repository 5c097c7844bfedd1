import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, targets } from "./support/databases.js";
import { CREATE, newTicketInput, REPLY, TICKETS, WAIT } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

const SLA = `query($id: ID!) {
  node(id: $id) {
    ... on Ticket {
      sla { kind state dueAt atRiskAt remainingMinutes budgetMinutes metAt breachedAt policy { code version } target { amount unit counting } }
      events(first: 100) { edges { node { type data } } }
    }
  }
}`;

const all = await targets();

describe.each(all)("SLA clocks through the API on %s", (target) => {
  let server: TestServer;
  let agent: string;

  beforeAll(async () => {
    server = await startServer(target);
    agent = await server.login("agen.malang@pantau.demo");
  });
  afterAll(() => server?.stop());

  const clocksOf = async (id: string) => {
    const response = await server.gql(SLA, { id }, agent);
    expect(response.errors).toBeUndefined();
    return response.data?.node;
  };

  it("reads the holidays of a year and the policies with their legal sources", async () => {
    const holidays = await server.gql(`{ holidays(year: 2026) { date name kind } }`, {}, agent);
    expect(holidays.data?.holidays).toHaveLength(25);
    expect(holidays.data?.holidays.filter((h: any) => h.kind === "CUTI_BERSAMA")).toHaveLength(8);
    const y2025 = await server.gql(`{ holidays(year: 2025) { date } }`, {}, agent);
    expect(y2025.data?.holidays).toHaveLength(28);
    const bad = await server.gql(`{ holidays(year: 1800) { date } }`, {}, agent);
    expect(bad.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
    const policies = await server.gql(`{ slaPolicies { code legalSource firstResponse { amount unit } } }`, {}, agent);
    const codes = policies.data?.slaPolicies.map((p: any) => p.code);
    expect(codes).toContain("KIP_REQUEST_CHAT");
    expect(codes.at(-1)).toBe("DEFAULT");
    expect(policies.data?.slaPolicies.every((p: any) => p.legalSource.length > 10)).toBe(true);
  });

  it("starts both clocks on a new ticket under the matching policy", async () => {
    const created = await server.gql(
      CREATE,
      { input: newTicketInput({ kind: "INFORMATION_REQUEST", channel: "WHATSAPP" }) },
      agent,
    );
    const node = await clocksOf(created.data?.createTicket.ticket.id);
    expect(node.sla.map((c: any) => [c.kind, c.policy.code, c.target.unit])).toEqual([
      ["FIRST_RESPONSE", "KIP_REQUEST_CHAT", "MINUTES"],
      ["RESOLUTION", "KIP_REQUEST_CHAT", "WORKING_DAYS"],
    ]);
    for (const clock of node.sla) {
      expect(["RUNNING", "AT_RISK", "BREACHED"]).toContain(clock.state);
      expect(Date.parse(clock.dueAt)).toBeGreaterThan(Date.parse(clock.atRiskAt) - 1);
    }
    expect(node.sla[0].budgetMinutes).toBe(60);
  });

  it("meets the first response on the first reply and pauses while waiting on the citizen", async () => {
    const created = await server.gql(CREATE, { input: newTicketInput() }, agent);
    const id = created.data?.createTicket.ticket.id;
    await server.gql(REPLY, { input: { ticketId: id, body: "Kami terima laporan Anda." } }, agent);
    let node = await clocksOf(id);
    const firstResponse = node.sla.find((c: any) => c.kind === "FIRST_RESPONSE");
    expect(["MET", "BREACHED"]).toContain(firstResponse.state);
    expect(firstResponse.metAt).not.toBeNull();
    await server.gql(`mutation($id: ID!) { triageTicket(input: { ticketId: $id }) { __typename } }`, { id }, agent);
    const me = await server.gql(`{ viewer { user { id } } }`, {}, agent);
    await server.gql(
      `mutation($id: ID!, $a: ID!) { assignTicket(input: { ticketId: $id, assigneeId: $a }) { __typename } }`,
      { id, a: me.data?.viewer.user.id },
      agent,
    );
    await server.gql(WAIT, { input: { ticketId: id, reason: "Mohon kirim nomor permohonan." } }, agent);
    node = await clocksOf(id);
    expect(node.sla.find((c: any) => c.kind === "RESOLUTION").state).toBe("PAUSED");
    const types = node.events.edges.map((e: any) => e.node.type);
    expect(types.filter((t: string) => t === "SLA_PAUSED")).toHaveLength(1);
    if (firstResponse.state === "MET") expect(types).toContain("SLA_MET");
    const paused = await server.gql(
      TICKETS,
      { filter: { slaState: ["PAUSED"], unitCode: "KANIM-MALANG" }, first: 100 },
      agent,
    );
    expect(paused.errors, JSON.stringify(paused.errors)).toBeUndefined();
    expect(paused.data?.tickets.edges.map((e: any) => e.node.id)).toContain(id);
  });
});

describe.runIf(all.includes("postgres"))("SLA breach detection with two server instances on one PostgreSQL", () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    database = await createDatabase();
    first = await startServer("postgres", { databaseUrl: database.url });
    // A short policy for press tickets: the first response is due three seconds after receipt, in all hours.
    await first.app.db.sql.query(
      `INSERT INTO sla_policy (code, version, name, position, match_channels, first_response_amount, first_response_unit,
         first_response_counting, resolution_amount, resolution_unit, resolution_counting, pause_statuses, at_risk_ratio, legal_source)
       VALUES ('TEST_SHORT', 1, 'Uji', 0, '{PRESS}', 0.05, 'MINUTES', 'ALL_HOURS', 1, 'DAYS', 'ALL_HOURS', '{WAITING_ON_CITIZEN}', 0.5, 'uji')`,
    );
    second = await startServer("postgres", { databaseUrl: database.url });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
    await database?.drop();
  });

  it("produces exactly one at-risk and one breach event for a clock that runs out", async () => {
    const token = await first.login("agen.malang@pantau.demo");
    const created = await first.gql(CREATE, { input: newTicketInput({ channel: "PRESS" }) }, token);
    const ticket = created.data?.createTicket.ticket;
    expect(ticket?.id).toBeTruthy();
    const count = async () =>
      first.app.db.sql.query<{ type: string; n: number }>(
        `SELECT e.type::text AS type, count(*)::int AS n FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id
         WHERE t.number = $1 AND e.type::text LIKE 'SLA_%' GROUP BY e.type`,
        [ticket.number],
      );
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !(await count()).some((row) => row.type === "SLA_BREACHED")) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Both detectors keep polling; give them several more passes to double anything they would double.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const rows = Object.fromEntries((await count()).map((row) => [row.type, row.n]));
    expect(rows).toEqual({ SLA_AT_RISK: 1, SLA_BREACHED: 1 });
    const [clock] = await first.app.db.sql.query<{ state: string; breached_at: Date; due_at: Date }>(
      `SELECT c.state::text AS state, c.breached_at, c.due_at FROM ticket_clock c JOIN ticket t ON t.id = c.ticket_id
       WHERE t.number = $1 AND c.kind = 'FIRST_RESPONSE'`,
      [ticket.number],
    );
    expect(clock?.state).toBe("BREACHED");
    expect(clock?.breached_at).toEqual(clock?.due_at);
    const [event] = await first.app.db.sql.query<{ at: Date }>(
      `SELECT e.at FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id WHERE t.number = $1 AND e.type = 'SLA_BREACHED'`,
      [ticket.number],
    );
    // Detected within a few seconds of the due instant.
    expect(event!.at.getTime() - clock!.due_at.getTime()).toBeLessThan(3_000);
  });
});
