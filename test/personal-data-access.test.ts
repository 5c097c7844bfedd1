import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { CREATE, newTicketInput } from "./support/documents.js";
import { collect, liveClient } from "./support/live.js";
import { startServer, type TestServer } from "./support/server.js";

interface AccessRow {
  user_id: string | null;
  api_key_id: string | null;
  ticket_id: string;
  fields: string[];
  transport: string;
  operation_name: string | null;
  at: Date;
}

interface LogEntry {
  id: string;
  transport: string;
  user: { name: string } | null;
  ticket: { number: string };
}

const READ_REPORTER = `query ReadReporter($id: ID!) { node(id: $id) { ... on Ticket { reporter { name phone masked } } } }`;
const LOG = `query($filter: PersonalDataAccessFilter, $first: Int) {
  personalDataAccesses(filter: $filter, first: $first) {
    edges { node { id at fields transport operationName user { name } apiKey { prefix } ticket { number } } }
  }
}`;

describe.each(await targets())("personal-data access log on %s", (target) => {
  let server: TestServer;
  let agent: string;
  let directorate: string;
  let ticket: { id: string; number: string };
  let ticketUuid: string;

  const rows = async (since = 0n) =>
    server.app.db.sql.query<AccessRow & { id: string }>(
      `SELECT id::text, user_id, api_key_id, ticket_id, fields, transport::text, operation_name, at
       FROM personal_data_access WHERE id > $1 ORDER BY id`,
      [since.toString()],
    );
  const head = async () =>
    BigInt(
      (
        await server.app.db.sql.query<{ id: string }>(
          "SELECT coalesce(max(id), 0)::text AS id FROM personal_data_access",
        )
      )[0]?.id ?? "0",
    );

  beforeAll(async () => {
    server = await startServer(target);
    [agent, directorate] = await Promise.all([
      server.login("agen.malang@pantau.demo"),
      server.login("direktorat@pantau.demo"),
    ]);
    const created = await server.gql(CREATE, { input: newTicketInput() }, agent);
    ticket = created.data?.createTicket.ticket;
    ticketUuid = Buffer.from(ticket.id, "base64").toString().split(":")[1] as string;
  });
  afterAll(() => server?.stop());

  it("logs one row per ticket with the fields read, who, and how", async () => {
    const since = await head();
    const read = await server.gql(READ_REPORTER, { id: ticket.id }, agent);
    expect(read.data?.node.reporter).toEqual({ name: "Budi Santoso", phone: "+62 812 3456 7890", masked: false });
    const logged = await rows(since);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      ticket_id: ticketUuid,
      api_key_id: null,
      fields: ["name", "phone"],
      transport: "HTTP",
      operation_name: "ReadReporter",
    });
    expect(logged[0]?.user_id).toBeTruthy();
  });

  it("writes a page of tickets in one statement, not one per field", async () => {
    const since = await head();
    const page = await server.gql(
      `{ tickets(first: 30, filter: { unitCode: "KANIM-MALANG" }) { edges { node { id reporter { name email phone masked } } } } }`,
      {},
      agent,
    );
    const edges = page.data?.tickets.edges as { node: { reporter: Record<string, string | null> } }[];
    const withData = edges.filter(({ node: { reporter } }) => reporter.name || reporter.email || reporter.phone);
    expect(withData.length).toBeGreaterThan(1);
    const logged = await rows(since);
    expect(logged).toHaveLength(withData.length);
    // One INSERT: every row carries the same statement timestamp.
    expect(new Set(logged.map((row) => row.at.getTime())).size).toBe(1);
  });

  it("logs nothing for masked reads or when no personal field is selected", async () => {
    const since = await head();
    const masked = await server.gql(READ_REPORTER, { id: ticket.id }, directorate);
    expect(masked.data?.node.reporter.masked).toBe(true);
    await server.gql(
      `query($id: ID!) { node(id: $id) { ... on Ticket { reporter { masked } subject } } }`,
      { id: ticket.id },
      agent,
    );
    expect(await rows(since)).toEqual([]);
  });

  it("logs reads by an API key entitled to personal data", async () => {
    const created = await server.gql(
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreateApiKeySuccess { key apiKey { prefix } } } }`,
      {
        input: {
          name: "Ombudsman RI — pemeriksaan",
          scopes: ["TICKETS_READ", "PERSONAL_DATA_READ"],
          unitCode: "KANWIL-JI",
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      directorate,
    );
    const { key, apiKey } = created.data?.createApiKey ?? {};
    const since = await head();
    const read = await server.gql(
      `query($id: ID!) { node(id: $id) { ... on Ticket { reporter { email } } } }`,
      { id: ticket.id },
      key,
    );
    expect(read.data?.node.reporter.email).toBe("budi.santoso@example.id");
    const logged = await rows(since);
    expect(logged).toMatchObject([{ user_id: null, fields: ["email"], transport: "HTTP" }]);
    expect(logged[0]?.api_key_id).toBeTruthy();
    const log = await server.gql(LOG, { filter: { ticketId: ticket.id }, first: 1 }, directorate);
    expect(log.data?.personalDataAccesses.edges[0].node).toMatchObject({
      fields: ["email"],
      user: null,
      apiKey: { prefix: apiKey.prefix },
      ticket: { number: ticket.number },
    });
  });

  it("logs each item of a subscription over WebSocket", async () => {
    const since = await head();
    const client = liveClient(server.url, agent);
    const live = collect(
      client,
      `subscription($id: ID!) { ticket(id: $id) { status reporter { name } } }`,
      { id: ticket.id },
      "ticket",
    );
    try {
      await live.waitFor((items) => items.length >= 1);
      await expect.poll(async () => (await rows(since)).length).toBeGreaterThanOrEqual(1);
      expect((await rows(since))[0]).toMatchObject({ fields: ["name"], transport: "WEBSOCKET", ticket_id: ticketUuid });
    } finally {
      live.stop();
      await client.dispose();
    }
  });

  it("lets the directorate read the log, filtered, and nobody else", async () => {
    const log = await server.gql(LOG, { filter: { ticketId: ticket.id } }, directorate);
    expect(log.errors).toBeUndefined();
    const entries = ((log.data?.personalDataAccesses.edges ?? []) as { node: LogEntry }[]).map((e) => e.node);
    expect(entries.length).toBeGreaterThanOrEqual(3);
    expect(entries.every((e) => e.ticket.number === ticket.number)).toBe(true);
    expect(entries.some((e) => e.user?.name && e.transport === "WEBSOCKET")).toBe(true);
    // Newest first.
    const ids = entries.map((e) => BigInt(e.id));
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids);
    for (const token of [agent, server.apiKey, undefined]) {
      const refused = await server.gql(LOG, {}, token);
      expect(refused.data?.personalDataAccesses ?? null).toBeNull();
      expect(["FORBIDDEN", "UNAUTHENTICATED"]).toContain(refused.errors?.[0]?.extensions?.code);
    }
    const bad = await server.gql(LOG, { filter: { userId: ticket.id } }, directorate);
    expect(bad.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
  });

  it("withholds the data when the read cannot be logged", async () => {
    await server.app.db.sql.exec(`
      CREATE FUNCTION refuse_access_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'log down'; END; $$;
      CREATE TRIGGER refuse_access_log BEFORE INSERT ON personal_data_access FOR EACH ROW EXECUTE FUNCTION refuse_access_log();`);
    try {
      const read = await server.gql(READ_REPORTER, { id: ticket.id }, agent);
      expect(read.data ?? null).toBeNull();
      expect(read.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      expect(JSON.stringify(read)).not.toContain("Budi");
    } finally {
      await server.app.db.sql.exec(
        "DROP TRIGGER refuse_access_log ON personal_data_access; DROP FUNCTION refuse_access_log();",
      );
    }
  });

  it("keeps the log append-only", async () => {
    await expect(server.app.db.sql.exec("UPDATE personal_data_access SET fields = '{}'")).rejects.toThrow(
      /append-only/,
    );
    await expect(server.app.db.sql.exec("DELETE FROM personal_data_access")).rejects.toThrow(/append-only/);
  });
});
