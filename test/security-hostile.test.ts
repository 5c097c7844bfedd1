import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { targets } from "./support/databases.js";
import { CREATE, NOTE, newTicketInput, TICKETS } from "./support/documents.js";
import { liveClient } from "./support/live.js";
import { startServer, type TestServer } from "./support/server.js";

const HUGE = "x".repeat(20_000);
const NUL = "Kuota\u0000habis";
const ZERO_UUID_TICKET = Buffer.from("Ticket:00000000-0000-4000-8000-000000000000").toString("base64");

interface Reply {
  status: number;
  body: any;
}

async function send(url: string, payload: unknown, token?: string, extra: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...extra,
    },
    body: typeof payload === "string" ? payload : JSON.stringify(payload),
  });
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = { raw: text };
  }
  return { status: response.status, body };
}

/** The machine-readable code of a refusal, wherever the API put it: a typed result, or the first error. */
function codeOf(reply: Reply): string | undefined {
  const results = Array.isArray(reply.body) ? reply.body : [reply.body];
  for (const result of results) {
    const error = result?.errors?.[0];
    if (error) return error.extensions?.code ?? `untyped: ${error.message}`;
    for (const payload of Object.values(result?.data ?? {}) as any[]) {
      if (payload && typeof payload === "object" && typeof payload.code === "string") return payload.code;
    }
  }
  return undefined;
}

const nest = (depth: number, open: (i: number) => string, leaf: string) =>
  `${Array.from({ length: depth }, (_, i) => `${open(i)} {`).join(" ")} ${leaf} ${"}".repeat(depth)}`;

describe.each(await targets())("hostile operations on %s", (target) => {
  let server: TestServer;
  let agent: string;
  let directorate: string;
  let openTicketId: string;

  const counts = async () =>
    (
      await server.app.db.sql.query(
        `SELECT (SELECT count(*)::int FROM ticket) AS tickets, (SELECT count(*)::int FROM ticket_event) AS events,
                (SELECT count(*)::int FROM message) AS messages, (SELECT count(*)::int FROM holiday) AS holidays,
                (SELECT count(*)::int FROM sla_policy) AS policies,
                (SELECT count(*)::int FROM session WHERE revoked_at IS NULL) AS sessions`,
      )
    )[0];

  beforeAll(async () => {
    server = await startServer(target, { env: { PANTAU_WS_MAX_CONNECTIONS_PER_ADDRESS: "4" } });
    agent = await server.login("agen.malang@pantau.demo");
    directorate = await server.login("direktorat@pantau.demo");
    const created = await server.gql(CREATE, { input: newTicketInput() }, agent);
    openTicketId = created.data?.createTicket.ticket.id;
    expect(openTicketId).toBeTruthy();
  });
  afterAll(() => server?.stop());

  const shapes: [string, string, string][] = [
    ["deep nesting", `{ ${nest(20, (i) => (i === 0 ? "units" : "children"), "code")} }`, "QUERY_TOO_DEEP"],
    [
      "deep nesting hidden in fragments",
      `{ units { ...F0 } } ${Array.from({ length: 20 }, (_, i) => `fragment F${i} on Unit { children { ${i < 19 ? `...F${i + 1}` : "code"} } }`).join(" ")}`,
      "QUERY_TOO_DEEP",
    ],
    [
      "introspection nested through ofType",
      `{ __type(name: "Ticket") { fields { type { ${nest(20, () => "ofType", "name")} } } } }`,
      "QUERY_TOO_DEEP",
    ],
    [
      "schema introspection nested through ofType",
      `{ __schema { types { fields { type { ${nest(20, () => "ofType", "name")} } } } } }`,
      "QUERY_TOO_DEEP",
    ],
    [
      "an alias flood",
      `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: viewer { name }`).join(" ")} }`,
      "TOO_MANY_ALIASES",
    ],
    [
      "an alias flood of introspection",
      `{ ${Array.from({ length: 100 }, (_, i) => `s${i}: __schema { types { name } }`).join(" ")} }`,
      "TOO_MANY_ALIASES",
    ],
    ["a token flood", `{ viewer { ${"name ".repeat(5_000)} } }`, "TOO_MANY_TOKENS"],
    ["a directive flood", `{ viewer { name ${"@include(if: true) ".repeat(60)} } }`, "TOO_MANY_DIRECTIVES"],
    [
      "a huge page nested in a huge page",
      `{ tickets(first: 100) { edges { node { events(first: 100) { edges { node { actor { name } } } } } } } }`,
      "QUERY_TOO_COSTLY",
    ],
    [
      "circular fragments",
      `{ units { ...A } } fragment A on Unit { children { ...B } } fragment B on Unit { parent { ...A } }`,
      "GRAPHQL_VALIDATION_FAILED",
    ],
    ["a document that does not parse", `{ viewer { name `, "GRAPHQL_PARSE_FAILED"],
  ];

  it.each(shapes)("refuses %s before it runs", async (_label, query, code) => {
    const before = await counts();
    const reply = await send(server.url, { query }, directorate);
    expect(codeOf(reply), JSON.stringify(reply.body).slice(0, 400)).toBe(code);
    expect(reply.body.data ?? undefined).toBeUndefined();
    expect(await counts()).toEqual(before);
  });

  it("refuses an alias flood of mutations without writing", async () => {
    const before = await counts();
    const query = `mutation($i: CreateTicketInput!) { ${Array.from({ length: 50 }, (_, i) => `c${i}: createTicket(input: $i) { __typename }`).join(" ")} }`;
    const reply = await send(server.url, { query, variables: { i: newTicketInput() } }, agent);
    expect(codeOf(reply)).toBe("TOO_MANY_ALIASES");
    expect(await counts()).toEqual(before);
  });

  it.each([
    ["first far over the cap", { first: 1_000_000 }, "VALIDATION_FAILED"],
    ["a negative first", { first: -1 }, "VALIDATION_FAILED"],
    ["last far over the cap", { last: 1_000_000 }, "VALIDATION_FAILED"],
    ["a first that is not a number", { first: "100; DROP TABLE ticket" }, "BAD_USER_INPUT"],
    ["a filter of the wrong shape", { filter: { status: "NEW' OR 1=1" } }, "BAD_USER_INPUT"],
  ])("refuses %s", async (_label, variables, code) => {
    expect(codeOf(await send(server.url, { query: TICKETS, variables }, agent))).toBe(code);
  });

  // Operations that looked cheap while the database worked hard: each is priced by that work, or refused.
  it("prices 20 aliases of a search's totalCount as 20 counts, and answers them from the index", async () => {
    const query = `{ ${Array.from({ length: 20 }, (_, i) => `s${i}: tickets(first: 0, filter: { search: "zzqqxx" }) { totalCount }`).join(" ")} }`;
    const reply = await send(server.url, { query }, directorate);
    expect(reply.body.errors).toBeUndefined();
    expect(reply.body.extensions.cost.requested).toBe(20 * (1 + 10));
    expect(Object.values(reply.body.data)).toEqual(Array.from({ length: 20 }, () => ({ totalCount: 0 })));
  });

  it.each([
    ["a 10,000-value status list", 10_000],
    ["a 40,000-value status list", 40_000],
  ])("refuses %s with a typed error, never a database error", async (_label, size) => {
    const reply = await send(
      server.url,
      { query: TICKETS, variables: { first: 5, filter: { status: Array.from({ length: size }, () => "NEW") } } },
      directorate,
    );
    expect(codeOf(reply)).toBe("VALIDATION_FAILED");
    expect(reply.body.errors[0].extensions).toMatchObject({ limit: 100, found: size });
  });

  it("prices long-range metrics by the rollup rows they read, and refuses what costs more than an operation may", async () => {
    const to = new Date();
    const from = new Date(to.getTime() - 3 * 365 * 86_400_000);
    const overview = `query($from: DateTime, $to: DateTime) { nationalOverview(from: $from, to: $to) { unit { code } figures { created } } }`;
    const month = await send(
      server.url,
      { query: overview, variables: { from: new Date(to.getTime() - 30 * 86_400_000), to } },
      directorate,
    );
    const years = await send(server.url, { query: overview, variables: { from, to } }, directorate);
    expect(years.body.errors).toBeUndefined();
    // 193 units × 30 days is 6 points of rollup rows; over three years, 212.
    expect(years.body.extensions.cost.requested - month.body.extensions.cost.requested).toBeGreaterThan(150);
    const hourly = `query($from: DateTime!, $to: DateTime!) { unitMetrics(code: "IMI", from: $from, to: $to, granularity: HOUR) {
      totals { created backlog { age0to1d } resolution { wall { median } } } breakdown { key } } }`;
    const refused = await send(
      server.url,
      { query: hourly, variables: { from: new Date(to.getTime() - 90 * 86_400_000), to } },
      directorate,
    );
    expect(codeOf(refused)).toBe("QUERY_TOO_COSTLY");
    const tooLong = await send(
      server.url,
      { query: overview, variables: { from: new Date(to.getTime() - 5 * 365 * 86_400_000), to } },
      directorate,
    );
    expect(codeOf(tooLong)).toBe("BAD_USER_INPUT");
  });

  it("refuses a first beyond a 32-bit integer", async () => {
    const reply = await send(server.url, { query: `{ tickets(first: 99999999999) { totalCount } }` }, agent);
    expect(codeOf(reply)).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("refuses a batched flood whole, and counts each operation of an allowed batch", async () => {
    const before = await counts();
    const flood = Array.from({ length: 1_000 }, () => ({
      query: `mutation($i: CreateTicketInput!) { createTicket(input: $i) { __typename } }`,
      variables: { i: newTicketInput() },
    }));
    const refused = await send(server.url, flood, agent);
    expect(refused.status).toBe(413);
    expect(await counts()).toEqual(before);
    const batch = Array.from({ length: 3 }, () => ({ query: `{ viewer { name } }` }));
    const allowed = await send(server.url, batch, agent);
    expect(allowed.body).toHaveLength(3);
    for (const result of allowed.body) expect(result.extensions.cost.requested).toBe(1);
  });

  it("refuses a request body of megabytes", async () => {
    const before = await counts();
    const reply = await send(
      server.url,
      { query: CREATE, variables: { input: newTicketInput({ description: "x".repeat(2_000_000) }) } },
      agent,
    );
    expect(reply.status).toBe(413);
    expect(codeOf(reply)).toBe("REQUEST_ENTITY_TOO_LARGE");
    expect(await counts()).toEqual(before);
  });

  // Every string a caller can send, oversized and with a NUL byte: refused with a typed error, never stored.
  type StringInput = readonly [string, string, (value: string) => Record<string, unknown>, "agent" | "directorate"];
  const stringInputs = (): StringInput[] => [
    ...["subject", "description", "category", "externalRef", "idempotencyKey", "unitCode"].map(
      (field) =>
        [
          `createTicket.${field}`,
          `mutation($i: CreateTicketInput!) { createTicket(input: $i) { __typename ... on Error { code } } }`,
          (value: string) => ({ i: newTicketInput({ [field]: value }) }),
          "agent",
        ] as const,
    ),
    ...["name", "email", "phone"].map(
      (field) =>
        [
          `createTicket.reporter.${field}`,
          `mutation($i: CreateTicketInput!) { createTicket(input: $i) { __typename ... on Error { code } } }`,
          (value: string) => ({ i: newTicketInput({ reporter: { [field]: value } }) }),
          "agent",
        ] as const,
    ),
    ...(
      [
        ["triageTicket", "TriageTicketInput", "category"],
        ["replyToTicket", "TicketMessageInput", "body"],
        ["addInternalNote", "TicketMessageInput", "body"],
        ["waitOnCitizen", "WaitOnCitizenInput", "reason"],
        ["resolveTicket", "ResolveTicketInput", "resolution"],
        ["rejectTicket", "TicketReasonInput", "reason"],
        ["reopenTicket", "TicketReasonInput", "reason"],
        ["extendTicketDeadline", "ExtendTicketDeadlineInput", "reason"],
        ["requestDeadlineExtension", "RequestDeadlineExtensionInput", "reason"],
        ["rateTicket", "RateTicketInput", "comment"],
        ["rateTicket", "RateTicketInput", "paperFormReference"],
        ["transferTicket", "TransferTicketInput", "reason"],
        ["transferTicket", "TransferTicketInput", "unitCode"],
        ["assignTicket", "AssignTicketInput", "assigneeId"],
        ["closeTicket", "TicketIdInput", "ticketId"],
      ] as const
    ).map(
      ([name, type, field]) =>
        [
          `${name}.${field}`,
          `mutation($i: ${type}!) { ${name}(input: $i) { __typename ... on Error { code } } }`,
          (value: string) => ({
            i: {
              ticketId: openTicketId,
              ...(type === "TransferTicketInput" ? { unitCode: "KANIM-SURABAYA", reason: "Salah unit." } : {}),
              ...(type === "TicketReasonInput" ? { reason: "Alasan." } : {}),
              ...(type === "ResolveTicketInput" ? { resolution: "Selesai." } : {}),
              ...(type === "ExtendTicketDeadlineInput" ? { reason: "Perlu waktu." } : {}),
              ...(type === "RequestDeadlineExtensionInput" ? { reason: "Perlu waktu." } : {}),
              ...(type === "TicketMessageInput" ? { body: "Halo." } : {}),
              ...(type === "RateTicketInput" ? { rating: 5, paperFormReference: "KUESIONER-UJI" } : {}),
              ...(type === "AssignTicketInput" ? { assigneeId: ZERO_UUID_TICKET } : {}),
              [field]: value,
            },
          }),
          "agent",
        ] as const,
    ),
    ...["name", "source", "unitCode", "date"].map(
      (field) =>
        [
          `addHoliday.${field}`,
          `mutation($i: AddHolidayInput!) { addHoliday(input: $i) { __typename ... on Error { code } } }`,
          (value: string) => ({ i: { date: "2026-12-30", name: "Libur uji", [field]: value } }),
          "directorate",
        ] as const,
    ),
    ...["code", "name", "legalSource"].map(
      (field) =>
        [
          `saveSlaPolicy.${field}`,
          `mutation($i: SlaPolicyInput!) { saveSlaPolicy(input: $i) { __typename ... on Error { code } } }`,
          (value: string) => ({
            i: {
              code: "UJI_KEBIJAKAN",
              name: "Uji",
              legalSource: "Uji",
              position: 0,
              firstResponse: { amount: 1, unit: "WORKING_DAYS" },
              resolution: { amount: 14, unit: "DAYS" },
              [field]: value,
            },
          }),
          "directorate",
        ] as const,
    ),
    [
      "setBusinessHours.unitCode",
      `mutation($c: String!) { setBusinessHours(unitCode: $c, week: { MON: [{ start: "08:00", end: "16:00" }] }) { __typename ... on Error { code } } }`,
      (value: string) => ({ c: value }),
      "directorate",
    ],
    [
      "login.email",
      `mutation($e: String!) { login(email: $e, password: "pantau-demo") { __typename ... on Error { code } } }`,
      (value: string) => ({ e: value }),
      "agent",
    ],
    [
      "login.password",
      `mutation($p: String!) { login(email: "agen.malang@pantau.demo", password: $p) { __typename ... on Error { code } } }`,
      (value: string) => ({ p: value }),
      "agent",
    ],
  ];

  it.each(
    stringInputs().flatMap(([label, query, variables, who]) => [
      [`${label} oversized`, query, variables, HUGE, who] as const,
      [`${label} with a NUL byte`, query, variables, NUL, who] as const,
    ]),
  )("refuses %s with a typed error and writes nothing", async (_label, query, variables, value, who) => {
    const before = await counts();
    const reply = await send(server.url, { query, variables: variables(value) }, who === "agent" ? agent : directorate);
    const code = codeOf(reply);
    expect(code, JSON.stringify(reply.body).slice(0, 400)).toMatch(/^[A-Z_]+$/);
    expect(code).not.toBe("INTERNAL_SERVER_ERROR");
    const payload = Object.values(reply.body.data ?? {})[0] as { __typename?: string } | undefined;
    expect(payload?.__typename ?? "").not.toMatch(/Success$/);
    expect(await counts()).toEqual(before);
  });

  const probes = [
    "%",
    "_",
    "\\",
    "%_%",
    "' OR 1=1 --",
    "'; DROP TABLE ticket; --",
    "\\%",
    "$1",
    NUL,
    "\u0000'",
    "\u202e",
    "😀",
  ];

  it.each(probes)("treats %j in search as text and finds nothing", async (search) => {
    const reply = await send(server.url, { query: TICKETS, variables: { first: 5, filter: { search } } }, agent);
    if (reply.body.errors) expect(codeOf(reply)).toBe("VALIDATION_FAILED");
    else expect(reply.body.data.tickets.totalCount).toBe(0);
  });

  it.each(probes)("treats %j as a code or number, not as SQL", async (value) => {
    for (const query of [
      { query: TICKETS, variables: { first: 5, filter: { unitCode: value } } },
      { query: `query($v: String!) { ticket(number: $v) { number } }`, variables: { v: value } },
      { query: `query($v: String!) { unit(code: $v) { code } }`, variables: { v: value } },
      { query: `query($v: String) { units(parentCode: $v) { code } }`, variables: { v: value } },
      { query: `query($v: ID!) { node(id: $v) { id } }`, variables: { v: value } },
      { query: TICKETS, variables: { first: 5, after: value } },
    ]) {
      const reply = await send(server.url, query, agent);
      const code = codeOf(reply);
      if (code !== undefined) expect(["VALIDATION_FAILED", "UNKNOWN_UNIT", "NOT_FOUND"]).toContain(code);
      else expect(JSON.stringify(reply.body.data)).toMatch(/null|\[\]|"totalCount":0/);
    }
  });

  it.each([
    ["a made-up session token", "Bearer pts_forged"],
    ["a made-up API key", "Bearer ptk_abcdef123456_notasecret"],
    ["an unknown prefix", "Bearer sk_live_123"],
    ["a missing token", "Bearer"],
    ["two tokens", "Bearer a b"],
    ["another scheme", "Basic YWdlbjpwYW50YXU="],
    ["a 6 KB token", `Bearer pts_${"A".repeat(6_000)}`],
    ["SQL in the token", "Bearer pts_' OR '1'='1"],
  ])("refuses %s with 401 UNAUTHENTICATED", async (_label, authorization) => {
    const reply = await send(server.url, { query: `{ viewer { name } }` }, undefined, { authorization });
    expect(reply.status).toBe(401);
    expect(codeOf(reply)).toBe("UNAUTHENTICATED");
    expect(JSON.stringify(reply.body)).not.toMatch(/Did you mean|__schema/);
  });

  it("refuses a forged token before looking at the document", async () => {
    const reply = await send(server.url, { query: `{ tickts { id } }` }, undefined, {
      authorization: "Bearer pts_forged",
    });
    expect(reply.status).toBe(401);
    expect(JSON.stringify(reply.body)).not.toMatch(/Did you mean/);
  });

  it("refuses an expired or revoked session and a revoked key", async () => {
    const expiring = await server.login("kanim.malang@pantau.demo");
    await server.app.db.sql.query(
      "UPDATE session SET expires_at = now() - interval '1 second' WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')",
      [expiring],
    );
    expect((await send(server.url, { query: `{ viewer { name } }` }, expiring)).status).toBe(401);
    const revoked = await server.login("kanim.malang@pantau.demo");
    await server.gql(`mutation { logout }`, {}, revoked);
    expect((await send(server.url, { query: `{ viewer { name } }` }, revoked)).status).toBe(401);
  });

  it("closes a WebSocket that brings a forged token", async () => {
    let closeCode = 0;
    const client = liveClient(server.url, "pts_forged", {
      lazy: false,
      onClose: (code) => {
        closeCode = code;
      },
    });
    const deadline = Date.now() + 10_000;
    while (closeCode === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closeCode).toBe(4403);
    await client.dispose();
  });

  it("counts __typename aliases and every directive, allows exactly the limit, and answers unknown directives once", async () => {
    const typenames = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `t${i}: __typename`).join(" ")} }`;
    const withDirectives = (n: number, name = "include(if: true)") =>
      `{ ${Array.from({ length: n }, (_, i) => `f${i}: __typename @${name}`).join(" ")} }`;
    expect((await send(server.url, { query: typenames(20) }, directorate)).body.errors).toBeUndefined();
    for (const n of [21, 101]) {
      const reply = await send(server.url, { query: typenames(n) }, directorate);
      expect(reply.body.errors).toHaveLength(1);
      expect(reply.body.errors[0].extensions).toMatchObject({ code: "TOO_MANY_ALIASES", limit: 20, found: n });
    }
    expect((await send(server.url, { query: withDirectives(10) }, directorate)).body.errors).toBeUndefined();
    const eleven = await send(server.url, { query: withDirectives(11) }, directorate);
    expect(eleven.body.errors[0].extensions).toMatchObject({ code: "TOO_MANY_DIRECTIVES", limit: 10, found: 11 });
    const onVariables = `query(${Array.from({ length: 11 }, (_, i) => `$v${i}: Int @nope`).join(", ")}) { __typename }`;
    expect(codeOf(await send(server.url, { query: onVariables }, directorate))).toBe("TOO_MANY_DIRECTIVES");
    // Unknown directives under the limit: one error naming them, not one per directive.
    const unknown = await send(server.url, { query: withDirectives(10, "nope") }, directorate);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toHaveLength(1);
    expect(unknown.body.errors[0].message).toMatch(/Unknown directives: @nope/);
    const flood = await send(server.url, { query: `{ viewer { name ${"@nope ".repeat(500)} } }` }, directorate);
    expect(flood.body.errors).toHaveLength(1);
    expect(flood.body.errors[0].extensions.code).toBe("TOO_MANY_DIRECTIVES");
  });

  it("gives a ticket's messages in pages of at most 100", async () => {
    const ticketId = (await server.gql(CREATE, { input: newTicketInput() }, agent)).data?.createTicket.ticket.id;
    for (const body of ["satu", "dua", "tiga"]) await server.gql(NOTE, { input: { ticketId, body } }, agent);
    const page = async (args: string) =>
      send(
        server.url,
        {
          query: `query($id: ID!) { node(id: $id) { ... on Ticket { messages${args} { id body } } } }`,
          variables: { id: ticketId },
        },
        agent,
      );
    const all = (await page("")).body.data.node.messages;
    expect(all.map((m: any) => m.body)).toEqual(["satu", "dua", "tiga"]);
    const first = (await page("(first: 2)")).body.data.node.messages;
    expect(first.map((m: any) => m.body)).toEqual(["satu", "dua"]);
    const rest = (await page(`(first: 2, after: "${first[1].id}")`)).body.data.node.messages;
    expect(rest.map((m: any) => m.body)).toEqual(["tiga"]);
    for (const args of ["(first: 101)", "(first: -1)", `(after: "bukan-id")`]) {
      const refused = await page(args);
      expect(refused.body.errors?.[0]?.extensions?.code, args).toBe("VALIDATION_FAILED");
    }
    // Priced by the page asked for.
    const priced = await send(
      server.url,
      {
        query: `query($id: ID!) { node(id: $id) { ... on Ticket { messages(first: 100) { author { name } } } } }`,
        variables: { id: ticketId },
      },
      agent,
    );
    expect(priced.body.extensions.cost.requested).toBeGreaterThan(100);
  });

  it("holds at most the configured number of WebSockets from one address", async () => {
    const url = `${server.url.replace(/^http/, "ws")}/graphql`;
    const open = () =>
      new Promise<{ socket: WebSocket; status: number }>((resolve) => {
        const socket = new WebSocket(url, "graphql-transport-ws");
        socket.once("open", () => resolve({ socket, status: 101 }));
        socket.once("unexpected-response", (_req, res) => resolve({ socket, status: res.statusCode ?? 0 }));
        socket.once("error", () => resolve({ socket, status: -1 }));
      });
    const held = [];
    for (let i = 0; i < 4; i++) held.push(await open());
    expect(held.map((h) => h.status)).toEqual([101, 101, 101, 101]);
    const refused = await open();
    expect(refused.status).toBe(429);
    const first = held[0]?.socket;
    await new Promise<void>((resolve) => {
      first?.once("close", () => resolve());
      first?.close();
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await open();
    expect(again.status).toBe(101);
    for (const { socket } of [...held, again]) socket.terminate();
  });

  it("stays healthy and writes nothing through all of the above", async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(await (await fetch(`${server.url}/ready`)).json()).toMatchObject({ status: "ready" });
    const page = await server.gql(TICKETS, { first: 1 }, agent);
    expect(page.errors).toBeUndefined();
    expect(page.data?.tickets.edges).toHaveLength(1);
  });
});
