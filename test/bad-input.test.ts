import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import {
  CLOSE,
  CREATE,
  NOTE,
  newTicketInput,
  REJECT,
  REPLY,
  RESOLVE,
  TICKETS,
  TRANSFER,
  TRIAGE,
  WAIT,
} from "./support/documents.js";
import { collect, liveClient, QUEUE } from "./support/live.js";
import { startServer, type TestServer } from "./support/server.js";

describe.each(await targets())("bad input on %s", (target) => {
  let server: TestServer;
  let agent: string;
  let closedId: string;
  let openId: string;

  const counts = async () =>
    (
      await server.app.db.sql.query<{ tickets: number; events: number; messages: number }>(
        `SELECT (SELECT count(*)::int FROM ticket) AS tickets, (SELECT count(*)::int FROM ticket_event) AS events,
                (SELECT count(*)::int FROM message) AS messages`,
      )
    )[0];

  beforeAll(async () => {
    server = await startServer(target);
    agent = await server.login("agen.malang@pantau.demo");
    const created = await server.gql(CREATE, { input: newTicketInput() }, agent);
    closedId = created.data?.createTicket.ticket.id;
    await server.gql(TRIAGE, { input: { ticketId: closedId } }, agent);
    await server.gql(RESOLVE, { input: { ticketId: closedId, resolution: "Selesai." } }, agent);
    await server.gql(CLOSE, { input: { ticketId: closedId } }, agent);
    openId = (await server.gql(CREATE, { input: newTicketInput() }, agent)).data?.createTicket.ticket.id;
    await server.gql(TRIAGE, { input: { ticketId: openId } }, agent);
  });
  afterAll(() => server?.stop());

  const typedErrorCases: [string, string, Record<string, unknown>, string, string | null][] = [
    ["a unit code that does not exist", CREATE, newTicketInput({ unitCode: "KANIM-ATLANTIS" }), "UNKNOWN_UNIT", null],
    ["an unknown category", CREATE, newTicketInput({ category: "NOPE" }), "UNKNOWN_CATEGORY", null],
    ["an oversize subject", CREATE, newTicketInput({ subject: "x".repeat(201) }), "VALIDATION_FAILED", "subject"],
    [
      "an oversize description",
      CREATE,
      newTicketInput({ description: "x".repeat(10_001) }),
      "VALIDATION_FAILED",
      "description",
    ],
    ["a blank subject", CREATE, newTicketInput({ subject: "   " }), "VALIDATION_FAILED", "subject"],
    [
      "a malformed reporter e-mail",
      CREATE,
      newTicketInput({ reporter: { email: "bukan-email" } }),
      "VALIDATION_FAILED",
      "reporter.email",
    ],
    [
      "a short idempotency key",
      CREATE,
      newTicketInput({ idempotencyKey: "abc" }),
      "VALIDATION_FAILED",
      "idempotencyKey",
    ],
    [
      "an idempotency key with odd characters",
      CREATE,
      newTicketInput({ idempotencyKey: "abc'; DROP TABLE ticket;--" }),
      "VALIDATION_FAILED",
      "idempotencyKey",
    ],
    ["a malformed ticket id", REPLY, { ticketId: "not-an-id", body: "Halo" }, "VALIDATION_FAILED", "ticketId"],
    [
      "the id of a unit instead of a ticket",
      REPLY,
      { ticketId: Buffer.from("Unit:1").toString("base64"), body: "Halo" },
      "VALIDATION_FAILED",
      "ticketId",
    ],
    [
      "a ticket id that does not exist",
      REPLY,
      { ticketId: Buffer.from("Ticket:00000000-0000-4000-8000-000000000000").toString("base64"), body: "Halo" },
      "NOT_FOUND",
      null,
    ],
    [
      "an empty reply",
      REPLY,
      { ticketId: Buffer.from("Ticket:00000000-0000-4000-8000-000000000000").toString("base64"), body: "  " },
      "VALIDATION_FAILED",
      "body",
    ],
  ];

  it.each(typedErrorCases)(
    "refuses %s with a typed error and writes nothing",
    async (_label, document, input, code, field) => {
      const before = await counts();
      const response = await server.gql(document, { input }, agent);
      expect(response.errors).toBeUndefined();
      const payload = Object.values(response.data ?? {})[0] as Record<string, unknown>;
      expect(payload.code, JSON.stringify(payload)).toBe(code);
      expect(typeof payload.message).toBe("string");
      if (field) expect(payload.field).toBe(field);
      expect(await counts()).toEqual(before);
    },
  );

  it.each([
    ["resolve", RESOLVE, { resolution: "Lagi." }],
    ["reply to", REPLY, { body: "Halo lagi" }],
    ["triage", TRIAGE, {}],
  ])("refuses to %s a closed ticket and leaves it closed", async (_label, document, extra) => {
    const before = await counts();
    const response = await server.gql(document, { input: { ticketId: closedId, ...extra } }, agent);
    const payload = Object.values(response.data ?? {})[0] as Record<string, unknown>;
    expect(payload).toMatchObject({ __typename: "InvalidTransitionError", code: "INVALID_TRANSITION", from: "CLOSED" });
    expect(await counts()).toEqual(before);
    const status = await server.gql(
      `query($id: ID!) { node(id: $id) { ... on Ticket { status } } }`,
      { id: closedId },
      agent,
    );
    expect(status.data?.node.status).toBe("CLOSED");
  });

  it.each([
    ["an unknown enum value", { input: newTicketInput({ kind: "GOSSIP" }) }],
    ["a missing required field", { input: { unitCode: "KANIM-MALANG" } }],
  ])("refuses %s before execution", async (_label, variables) => {
    const before = await counts();
    const response = await server.gql(CREATE, variables, agent);
    // GraphQL over HTTP: a request that fails validation is a 400 with no data.
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.message).toMatch(/Variable "\$input"/);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ["first over the cap", { first: 101 }, "VALIDATION_FAILED"],
    ["last over the cap", { last: 500 }, "VALIDATION_FAILED"],
    ["a malformed cursor", { first: 5, after: "garbage" }, "VALIDATION_FAILED"],
    ["a forged cursor", { first: 5, after: Buffer.from('["x","y"]').toString("base64url") }, "VALIDATION_FAILED"],
    ["an oversize search", { filter: { search: "a".repeat(101) } }, "VALIDATION_FAILED"],
    ["a search the index cannot narrow", { filter: { search: "ab" } }, "VALIDATION_FAILED"],
    ["a search of wildcards", { filter: { search: "%_%" } }, "VALIDATION_FAILED"],
    ["an unknown unit filter", { filter: { unitCode: "NOPE" } }, "UNKNOWN_UNIT"],
  ])("refuses %s on the ticket list", async (_label, variables, code) => {
    const response = await server.gql(TICKETS, variables, agent);
    expect(response.errors?.[0]?.extensions?.code).toBe(code);
  });

  // Valid JSON, but no character: PostgreSQL refuses it in jsonb and turns it into U+FFFD in text.
  const LONE = "\ud800";
  it.each([
    [
      "a transfer reason",
      TRANSFER,
      () => ({ ticketId: openId, unitCode: "KANWIL-JI", reason: `Salah ${LONE}` }),
      "reason",
    ],
    ["a rejection reason", REJECT, () => ({ ticketId: openId, reason: LONE }), "reason"],
    ["a waiting reason", WAIT, () => ({ ticketId: openId, reason: `${LONE}x` }), "reason"],
    ["a reply", REPLY, () => ({ ticketId: openId, body: `Terima kasih ${LONE}` }), "body"],
    ["an internal note", NOTE, () => ({ ticketId: openId, body: "\udc00" }), "body"],
    ["a subject", CREATE, () => newTicketInput({ subject: `Paspor ${LONE}` }), "subject"],
    ["a reporter's name", CREATE, () => newTicketInput({ reporter: { name: `Budi\udfff` } }), "reporter.name"],
  ])(
    "refuses a lone UTF-16 surrogate in %s with a typed error and writes nothing",
    async (_label, document, input, field) => {
      const before = await counts();
      const response = await server.gql(document, { input: input() }, agent);
      expect(response.data ?? null).toBeNull();
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: "VALIDATION_FAILED", field: `$input.${field}` });
      expect(await counts()).toEqual(before);
    },
  );

  it("refuses a lone surrogate in any string argument, of a query or of the sign-in, and keeps emoji", async () => {
    const lookup = await server.gql(`query($n: String!) { ticket(number: $n) { id } }`, { n: `IMI${LONE}` }, agent);
    expect(lookup.errors?.[0]?.extensions).toMatchObject({ code: "VALIDATION_FAILED", field: "$n" });
    const login = await server.gql(
      `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }`,
      { e: "agen.malang@pantau.demo", p: `x${LONE}` },
    );
    expect(login.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
    // Written into the document itself, it does not even parse.
    const literal = await server.gql(`{ ticket(number: "IMI\\ud800") { id } }`, undefined, agent);
    expect(literal.status).toBe(400);
    expect(literal.errors?.[0]?.extensions?.code).toMatch(/GRAPHQL_PARSE_FAILED|VALIDATION_FAILED/);
    const emoji = await server.gql(REPLY, { input: { ticketId: openId, body: "Terima kasih \ud83d\ude4f" } }, agent);
    expect(emoji.data?.replyToTicket.__typename).toBe("ReplyToTicketSuccess");
    const stored = await server.app.db.sql.query<{ body: string }>(
      "SELECT body FROM message ORDER BY created_at DESC LIMIT 1",
    );
    expect(stored[0]?.body).toBe("Terima kasih \ud83d\ude4f");
  });

  it("refuses a lone surrogate in a subscription's argument over WebSocket", async () => {
    const client = liveClient(server.url, agent);
    try {
      const stream = collect(client, QUEUE, { unitCode: `KANIM-MALANG${LONE}` }, "queue");
      await stream.ended;
      expect(stream.errors[0]?.extensions).toMatchObject({ code: "VALIDATION_FAILED", field: "$unitCode" });
    } finally {
      await client.dispose();
    }
  });

  it("treats search input as text, not as SQL or a pattern", async () => {
    for (const search of ["100%", "kua_", "xyz' OR 1=1 --", "xyz\\"]) {
      const response = await server.gql(TICKETS, { filter: { search }, first: 5 }, agent);
      expect(response.errors).toBeUndefined();
      expect(response.data?.tickets.totalCount).toBe(0);
    }
  });

  it("keeps serving after all of the above", async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${server.url}/ready`);
    expect(await ready.json()).toMatchObject({ status: "ready" });
    const page = await server.gql(TICKETS, { first: 1 }, agent);
    expect(page.data?.tickets.edges).toHaveLength(1);
  });
});
