import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { TICKETS } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

interface Edge {
  cursor: string;
  node: { id: string; createdAt: string; status: string; unit: { code: string } };
}

describe.each(await targets())("ticket connection on %s", (target) => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startServer(target);
    token = await server.login("kanwil.jatim@pantau.demo");
  });
  afterAll(() => server?.stop());

  async function walk(
    variables: Record<string, unknown>,
    backwards = false,
  ): Promise<{ edges: Edge[]; total: number }> {
    const edges: Edge[] = [];
    let cursor: string | null = null;
    let total = 0;
    for (let page = 0; page < 500; page++) {
      const response = await server.gql(
        TICKETS,
        backwards ? { ...variables, last: 17, before: cursor } : { ...variables, first: 17, after: cursor },
        token,
      );
      expect(response.errors).toBeUndefined();
      const connection: any = response.data?.tickets;
      total = connection.totalCount;
      if (backwards) edges.unshift(...connection.edges);
      else edges.push(...connection.edges);
      const more = backwards ? connection.pageInfo.hasPreviousPage : connection.pageInfo.hasNextPage;
      if (!more) break;
      cursor = backwards ? connection.pageInfo.startCursor : connection.pageInfo.endCursor;
    }
    return { edges, total };
  }

  it.each([
    ["newest first", { orderBy: { field: "CREATED_AT", direction: "DESC" } }],
    ["oldest first", { orderBy: { field: "CREATED_AT", direction: "ASC" } }],
    ["filtered by region and status", { filter: { unitCode: "KANWIL-JI", status: ["CLOSED", "RESOLVED"] } }],
  ])("pages %s through every ticket once, in a stable order", async (_label, variables) => {
    const { edges, total } = await walk(variables);
    expect(total).toBeGreaterThan(17);
    expect(edges).toHaveLength(total);
    expect(new Set(edges.map((e) => e.node.id)).size).toBe(total);
    const ascending = (variables as { orderBy?: { direction: string } }).orderBy?.direction === "ASC";
    for (let i = 1; i < edges.length; i++) {
      const [a, b] = [Date.parse(edges[i - 1]!.node.createdAt), Date.parse(edges[i]!.node.createdAt)];
      expect(ascending ? a <= b : a >= b).toBe(true);
    }
    const backwards = await walk(variables, true);
    expect(backwards.edges.map((e) => e.node.id)).toEqual(edges.map((e) => e.node.id));
  });

  it("applies every filter on the server", async () => {
    const from = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const filter = { status: ["NEW", "TRIAGED"], channel: ["WHATSAPP", "PHONE"], createdFrom: from };
    const { edges, total } = await walk({ filter });
    expect(edges).toHaveLength(total);
    const check = await server.app.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ticket t JOIN unit u ON u.id = t.unit_id
       WHERE (u.code = 'KANWIL-JI' OR u.parent_id = (SELECT id FROM unit WHERE code = 'KANWIL-JI'))
         AND t.status IN ('NEW','TRIAGED') AND t.channel IN ('WHATSAPP','PHONE') AND t.created_at >= $1`,
      [from],
    );
    expect(total).toBe(check[0]?.n);
  });

  it("finds a ticket by its number and by words of its subject", async () => {
    const [row] = await server.app.db.sql.query<{ number: string; subject: string }>(
      `SELECT number, subject FROM ticket WHERE unit_id = (SELECT id FROM unit WHERE code = 'KANIM-MALANG') LIMIT 1`,
    );
    const byNumber = await server.gql(TICKETS, { filter: { search: row!.number.toLowerCase() } }, token);
    expect(byNumber.data?.tickets.totalCount).toBe(1);
    const word = row!.subject.split(" ").find((w) => w.length > 4) ?? row!.subject;
    const byWord = await server.gql(TICKETS, { filter: { search: word.toUpperCase() }, first: 100 }, token);
    expect(byWord.data?.tickets.totalCount).toBeGreaterThanOrEqual(1);
  });

  it("gives every Ticket field in a list as reading the whole ticket does", async () => {
    interface TypeRef {
      kind: string;
      name: string | null;
      ofType: TypeRef | null;
    }
    interface Field {
      name: string;
      args: { name: string }[];
      type: TypeRef;
    }
    const introspect = async (name: string): Promise<Field[]> => {
      const response = await server.gql(
        `query($name: String!) { __type(name: $name) { fields { name args { name }
           type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }`,
        { name },
      );
      return response.data?.__type.fields ?? [];
    };
    const named = (type: TypeRef): TypeRef => (type.ofType ? named(type.ofType) : type);
    // A leaf is selected as is, an object with its own leaves (a connection with its page info).
    const selectionOf = async (field: Field): Promise<string> => {
      const type = named(field.type);
      if (type.kind === "SCALAR" || type.kind === "ENUM") return field.name;
      // Computed at read time, so it moves between the two reads.
      const leaves = (await introspect(type.name as string)).filter(
        (sub) => ["SCALAR", "ENUM"].includes(named(sub.type).kind) && sub.name !== "remainingMinutes",
      );
      const inner = leaves.length ? leaves.map((leaf) => leaf.name).join(" ") : "pageInfo { hasNextPage }";
      return `${field.name} { ${inner} }`;
    };
    const supervisor = await server.login("kanim.malang@pantau.demo");
    const fields = await introspect("Ticket");
    expect(fields.length).toBeGreaterThan(20);
    for (const field of fields) {
      const selection = await selectionOf(field);
      const list = await server.gql(
        `{ tickets(first: 3, filter: { unitCode: "KANIM-MALANG" }) { edges { node { ${selection} } } } }`,
        {},
        supervisor,
      );
      expect(list.errors, field.name).toBeUndefined();
      const ids = await server.gql(
        `{ tickets(first: 3, filter: { unitCode: "KANIM-MALANG" }) { edges { node { id } } } }`,
        {},
        supervisor,
      );
      for (const [i, edge] of (ids.data?.tickets.edges ?? []).entries()) {
        const whole = await server.gql(
          `query($id: ID!) { node(id: $id) { ... on Ticket { ${selection} } } }`,
          { id: edge.node.id },
          supervisor,
        );
        expect(list.data?.tickets.edges[i].node, field.name).toEqual(whole.data?.node);
      }
    }
  });

  it("returns an empty page for first: 0 with the right count", async () => {
    const response = await server.gql(TICKETS, { first: 0 }, token);
    expect(response.data?.tickets.edges).toEqual([]);
    expect(response.data?.tickets.totalCount).toBeGreaterThan(0);
  });
});
