import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { ASSIGN, CREATE, newTicketInput, REPLY, RESOLVE, RESUME, TRIAGE, WAIT } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

const QUEUE = `
  query($first: Int, $after: String, $last: Int, $before: String, $filter: TicketFilter, $orderBy: TicketOrder) {
    tickets(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id number priority status nextDueAt assignee { id } } }
    }
  }
`;

const SLA = `query($id: ID!) { node(id: $id) { ... on Ticket { status nextDueAt sla { kind state dueAt metAt } } } }`;

const OPEN = ["NEW", "TRIAGED", "ASSIGNED", "IN_PROGRESS", "WAITING_ON_CITIZEN"];
const RANK: Record<string, number> = { LOW: 0, NORMAL: 1, HIGH: 2, URGENT: 3 };

interface Node {
  id: string;
  number: string;
  priority: string;
  status: string;
  nextDueAt: string | null;
  assignee: { id: string } | null;
}

/** The id part of a global id, as the database compares ids. */
const rowId = (globalId: string) => Buffer.from(globalId, "base64").toString("utf8").split(":")[1] as string;
const due = (node: Node) => (node.nextDueAt === null ? null : Date.parse(node.nextDueAt));

/** -1, 0 or 1 for deadlines, with no deadline after every deadline. */
function byDeadline(a: Node, b: Node): number {
  const [x, y] = [due(a), due(b)];
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  return x < y ? -1 : 1;
}
const byId = (a: Node, b: Node) => (rowId(a.id) < rowId(b.id) ? -1 : rowId(a.id) > rowId(b.id) ? 1 : 0);

const IN_ORDER: Record<string, (a: Node, b: Node) => number> = {
  "NEXT_DUE ASC": (a, b) => byDeadline(a, b) || byId(a, b),
  "PRIORITY DESC": (a, b) => (RANK[b.priority] ?? 0) - (RANK[a.priority] ?? 0) || byDeadline(a, b) || byId(a, b),
};

describe.each(await targets())("the work queue on %s", (target) => {
  let server: TestServer;
  let agent: string;
  let supervisor: string;
  let agentId: string;
  let created = 0;

  beforeAll(async () => {
    server = await startServer(target);
    [agent, supervisor] = await Promise.all([
      server.login("agen.malang@pantau.demo"),
      server.login("kanim.malang@pantau.demo"),
    ]);
    const me = await server.gql(`{ viewer { user { id } } }`, {}, agent);
    agentId = me.data?.viewer.user.id;
  });
  afterAll(() => server?.stop());

  const run = async (document: string, input: Record<string, unknown>, token = agent) => {
    const response = await server.gql(document, { input }, token);
    expect(response.errors).toBeUndefined();
    const payload = Object.values(response.data ?? {})[0] as Record<string, any>;
    expect(payload.__typename, JSON.stringify(payload)).toMatch(/Success$/);
    return payload.ticket as { id: string; status: string };
  };

  const CHANNELS = ["WHATSAPP", "PHONE", "EMAIL", "SP4N_LAPOR", "WEB_FORM"];
  const PRIORITIES = ["LOW", "NORMAL", "HIGH", "URGENT"];
  const createTicket = (overrides: Record<string, unknown> = {}) => {
    created += 1;
    return run(
      CREATE,
      newTicketInput({
        channel: CHANNELS[created % CHANNELS.length],
        priority: PRIORITIES[created % PRIORITIES.length],
        kind: created % 3 === 0 ? "INFORMATION_REQUEST" : "COMPLAINT",
        subject: `Antrean kerja ${created}`,
        ...overrides,
      }),
    );
  };

  const page = async (variables: Record<string, unknown>, token = supervisor) => {
    const response = await server.gql(QUEUE, variables, token);
    expect(response.errors).toBeUndefined();
    return response.data?.tickets as {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
      edges: { cursor: string; node: Node }[];
    };
  };

  /** The ids the database holds for the office's open tickets: the ground truth of a walk. */
  const openIds = async () =>
    new Set(
      (
        await server.app.db.sql.query<{ id: string }>(
          `SELECT t.id::text AS id FROM ticket t JOIN unit u ON u.id = t.unit_id
           WHERE u.code = 'KANIM-MALANG' AND t.status::text = ANY($1::text[])`,
          [OPEN],
        )
      ).map((row) => row.id),
    );

  it("keeps ticket.next_due_at equal to the clocks it comes from, for seeded and new tickets", async () => {
    for (let i = 0; i < 6; i++) await createTicket();
    // The rule of next-due.ts written once more in SQL: counting clocks, none while on hold.
    const [mismatch] = await server.app.db.sql.query<{ n: number; with_due: number }>(
      `WITH derived AS (
         SELECT t.id, t.next_due_at,
           CASE WHEN t.status IN ('RESOLVED', 'CLOSED', 'REJECTED')
                  OR EXISTS (SELECT 1 FROM ticket_clock c JOIN sla_policy p ON p.id = c.policy_id
                             WHERE c.ticket_id = t.id AND t.status = ANY(p.pause_statuses)) THEN NULL
                ELSE (SELECT min(c.due_at) FROM ticket_clock c WHERE c.ticket_id = t.id
                        AND (c.state IN ('RUNNING', 'AT_RISK') OR (c.state = 'BREACHED' AND c.met_at IS NULL)))
           END AS expected
         FROM ticket t)
       SELECT count(*) FILTER (WHERE next_due_at IS DISTINCT FROM expected)::int AS n,
              count(*) FILTER (WHERE next_due_at IS NOT NULL)::int AS with_due
       FROM derived`,
    );
    expect(mismatch?.n).toBe(0);
    expect(mismatch?.with_due).toBeGreaterThan(6);
  });

  it.each([
    ["NEXT_DUE ASC", { field: "NEXT_DUE", direction: "ASC" }],
    ["PRIORITY DESC", { field: "PRIORITY", direction: "DESC" }],
  ])("pages the office's open tickets in %s order once each, while tickets arrive", async (label, orderBy) => {
    for (let i = 0; i < 8; i++) await createTicket();
    // Two that wait on the citizen, so the walk crosses from the dated tickets into those without a deadline.
    for (let i = 0; i < 2; i++) {
      const waiting = await createTicket();
      await run(TRIAGE, { ticketId: waiting.id });
      await run(ASSIGN, { ticketId: waiting.id, assigneeId: agentId });
      await run(WAIT, { ticketId: waiting.id, reason: "Mohon lengkapi berkas." });
    }
    const before = await openIds();
    const filter = { unitCode: "KANIM-MALANG", status: OPEN };
    const seen: Node[] = [];
    const arrived = new Set<string>();
    let after: string | null = null;
    for (let n = 0; n < 200; n++) {
      const connection = await page({ filter, orderBy, first: 4, after });
      seen.push(...connection.edges.map((edge) => edge.node));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
      // Arrivals between pages, with deadlines before and after the cursor.
      if (n % 2 === 0) arrived.add(rowId((await createTicket()).id));
    }
    const ids = seen.map((node) => rowId(node.id));
    expect(new Set(ids).size, "no ticket twice").toBe(ids.length);
    for (const id of before) expect(ids, "no ticket skipped").toContain(id);
    for (const id of ids) expect(before.has(id) || arrived.has(id)).toBe(true);
    const compare = IN_ORDER[label] as (a: Node, b: Node) => number;
    for (let i = 1; i < seen.length; i++) {
      expect(compare(seen[i - 1] as Node, seen[i] as Node), `${seen[i - 1]?.number} before ${seen[i]?.number}`).toBe(
        -1,
      );
    }
    // The tickets without a deadline (seeded ones waiting on the citizen) are at the end.
    const firstWithout = seen.findIndex((node) => node.nextDueAt === null);
    expect(firstWithout).toBeGreaterThan(0);
    if (label === "NEXT_DUE ASC") {
      expect(seen.slice(firstWithout).every((node) => node.nextDueAt === null)).toBe(true);
    }

    // Backwards from the end gives the same sequence (the nulls flip to the front of the reversed read).
    const forwards = (await walk({ filter, orderBy })).map((node) => node.id);
    const backwards = (await walk({ filter, orderBy }, true)).map((node) => node.id);
    expect(backwards).toEqual(forwards);
  });

  async function walk(variables: Record<string, unknown>, backwards = false): Promise<Node[]> {
    const nodes: Node[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 200; n++) {
      const connection = await page(
        backwards ? { ...variables, last: 7, before: cursor } : { ...variables, first: 7, after: cursor },
      );
      const pageNodes = connection.edges.map((edge) => edge.node);
      if (backwards) nodes.unshift(...pageNodes);
      else nodes.push(...pageNodes);
      if (!(backwards ? connection.pageInfo.hasPreviousPage : connection.pageInfo.hasNextPage)) break;
      cursor = backwards ? connection.pageInfo.startCursor : connection.pageInfo.endCursor;
    }
    return nodes;
  }

  it("moves a ticket's next deadline as its clocks pause, resume, are met and stop", async () => {
    const ticket = await createTicket({ channel: "WHATSAPP", kind: "COMPLAINT", priority: "URGENT" });
    const read = async () => (await server.gql(SLA, { id: ticket.id }, agent)).data?.node;
    const earliestRunning = (node: any) => {
      const running = node.sla.filter((c: any) => ["RUNNING", "AT_RISK"].includes(c.state));
      return running.length ? new Date(Math.min(...running.map((c: any) => Date.parse(c.dueAt)))).toISOString() : null;
    };
    const fresh = await read();
    // A complaint runs its answer on the file (UU 25/2009) beside the two clocks.
    expect(fresh.sla.map((c: any) => c.kind).sort()).toEqual(["FILE_ANSWER", "FIRST_RESPONSE", "RESOLUTION"]);
    expect(fresh.nextDueAt).not.toBeNull();
    expect(fresh.nextDueAt).toBe(earliestRunning(fresh));

    const queueEnd = async () => {
      const nodes = await walk({
        filter: { unitCode: "KANIM-MALANG", status: OPEN },
        orderBy: { field: "NEXT_DUE", direction: "ASC" },
      });
      return nodes.findIndex((node) => node.id === ticket.id) >= nodes.findIndex((node) => node.nextDueAt === null);
    };
    expect(await queueEnd()).toBe(false);

    await run(TRIAGE, { ticketId: ticket.id, priority: "URGENT" });
    await run(ASSIGN, { ticketId: ticket.id, assigneeId: agentId });
    await run(WAIT, { ticketId: ticket.id, reason: "Mohon kirim nomor permohonan." });
    const waiting = await read();
    expect(waiting.status).toBe("WAITING_ON_CITIZEN");
    expect(waiting.nextDueAt, "no deadline while the citizen is asked").toBeNull();
    expect(await queueEnd(), "a waiting ticket goes to the end of the queue").toBe(true);

    await run(RESUME, { ticketId: ticket.id });
    const resumed = await read();
    expect(resumed.nextDueAt).not.toBeNull();
    expect(resumed.nextDueAt).toBe(earliestRunning(resumed));

    await run(REPLY, { ticketId: ticket.id, body: "Terima kasih, kami periksa." });
    const answered = await read();
    const firstResponse = answered.sla.find((c: any) => c.kind === "FIRST_RESPONSE");
    const resolution = answered.sla.find((c: any) => c.kind === "RESOLUTION");
    const fileAnswer = answered.sla.find((c: any) => c.kind === "FILE_ANSWER");
    expect(firstResponse.state).toBe("MET");
    // The answer on the file is not paused while the citizen is asked, so it is due before the resolution.
    expect(
      answered.nextDueAt,
      "the earlier of resolution and answer on the file is next once the first response is met",
    ).toBe(new Date(Math.min(Date.parse(resolution.dueAt), Date.parse(fileAnswer.dueAt))).toISOString());
    expect(Date.parse(answered.nextDueAt)).toBeGreaterThan(Date.parse(resumed.nextDueAt));

    await run(RESOLVE, { ticketId: ticket.id, resolution: "Sudah ditangani." });
    expect((await read()).nextDueAt).toBeNull();
  });

  it("filters by assignee, by the caller's own tickets and by nobody's", async () => {
    const mine = await createTicket();
    await run(TRIAGE, { ticketId: mine.id });
    await run(ASSIGN, { ticketId: mine.id, assigneeId: agentId });
    const filter = { unitCode: "KANIM-MALANG", status: OPEN };
    const count = async (extra: Record<string, unknown>, token = supervisor) =>
      (await page({ filter: { ...filter, ...extra }, first: 100 }, token)).totalCount;
    const [truth] = await server.app.db.sql.query<{ agent: number; nobody: number; all: number }>(
      `SELECT count(*) FILTER (WHERE t.assignee_id = $2::uuid)::int AS agent,
              count(*) FILTER (WHERE t.assignee_id IS NULL)::int AS nobody, count(*)::int AS all
       FROM ticket t JOIN unit u ON u.id = t.unit_id
       WHERE u.code = 'KANIM-MALANG' AND t.status::text = ANY($1::text[])`,
      [OPEN, rowId(agentId)],
    );
    expect(truth?.agent).toBeGreaterThan(0);
    expect(await count({ assignee: [agentId] })).toBe(truth?.agent);
    expect(await count({ assignedToMe: true }, agent)).toBe(truth?.agent);
    expect(await count({ assignedToMe: false }, agent)).toBe((truth?.all ?? 0) - (truth?.agent ?? 0));
    expect(await count({ unassigned: true })).toBe(truth?.nobody);
    expect(await count({ unassigned: false })).toBe((truth?.all ?? 0) - (truth?.nobody ?? 0));
    const listed = await page({ filter: { ...filter, assignedToMe: true }, first: 100 }, agent);
    expect(listed.edges.every((edge) => edge.node.assignee?.id === agentId)).toBe(true);
    // Naming the agent under another region finds nothing: the scope stays the unit tree.
    const bali = await server.app.db.sql.query<{ code: string }>(
      `SELECT code FROM unit WHERE type = 'REGIONAL_OFFICE' AND code <> 'KANWIL-JI' LIMIT 1`,
    );
    const response = await server.gql(
      QUEUE,
      { filter: { assignee: [agentId], unitCode: bali[0]?.code }, first: 5 },
      await server.login("direktorat@pantau.demo"),
    );
    expect(response.data?.tickets.totalCount).toBe(0);
  });

  it.each([
    ["a malformed cursor", { orderBy: { field: "NEXT_DUE", direction: "ASC" }, after: "garbage" }, /not a cursor/],
    ["an assignee that is no user", { filter: { assignee: ["bogus"] } }, /filter.assignee/],
  ])("refuses %s with VALIDATION_FAILED", async (_label, variables, message) => {
    const response = await server.gql(QUEUE, { first: 5, ...variables }, supervisor);
    expect(response.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
    expect(response.errors?.[0]?.message).toMatch(message);
  });

  it("refuses a cursor of another ordering with VALIDATION_FAILED", async () => {
    const filter = { unitCode: "KANIM-MALANG" };
    const byCreation = await page({ filter, first: 2 });
    const byDeadline = await page({ filter, first: 2, orderBy: { field: "NEXT_DUE", direction: "ASC" } });
    for (const [cursor, orderBy] of [
      [byCreation.pageInfo.endCursor, { field: "NEXT_DUE", direction: "ASC" }],
      [byDeadline.pageInfo.endCursor, { field: "PRIORITY", direction: "DESC" }],
      [byDeadline.pageInfo.endCursor, { field: "NEXT_DUE", direction: "DESC" }],
      [byDeadline.pageInfo.endCursor, { field: "CREATED_AT", direction: "DESC" }],
    ] as const) {
      const response = await server.gql(QUEUE, { filter, first: 2, after: cursor, orderBy }, supervisor);
      expect(response.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
      expect(response.errors?.[0]?.message).toMatch(/another ordering/);
    }
  });

  it("refuses assignedToMe for an API key", async () => {
    const response = await server.gql(QUEUE, { filter: { assignedToMe: true }, first: 1 }, server.apiKey);
    expect(response.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
  });
});
