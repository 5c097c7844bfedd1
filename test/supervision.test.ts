import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { ASSIGN, CREATE, newTicketInput, TRIAGE } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

const STAFF = /* GraphQL */ `
  query($code: String!) { unit(code: $code) { code staff { id name role openTicketCount } } }`;

describe.each(await targets())("what a supervisor needs to run a unit, on %s", (target) => {
  let server: TestServer;
  let supervisor: string;

  beforeAll(async () => {
    server = await startServer(target);
    supervisor = await server.login("kanim.malang@pantau.demo");
  });
  afterAll(() => server?.stop());

  it("lists the unit's staff with each person's open tickets", async () => {
    // The seeded history may leave nobody with an open ticket at this hour: give an agent one.
    const listed = await server.gql(STAFF, { code: "KANIM-MALANG" }, supervisor);
    const members = (listed.data?.unit.staff ?? []) as { id: string; role: string }[];
    const agent = members.find((m) => m.role === "AGENT");
    const created = await server.gql(CREATE, { input: newTicketInput() }, supervisor);
    const ticketId = created.data?.createTicket.ticket?.id;
    await server.gql(TRIAGE, { input: { ticketId, category: "PASSPORT", priority: "HIGH" } }, supervisor);
    const assigned = await server.gql(ASSIGN, { input: { ticketId, assigneeId: agent?.id } }, supervisor);
    expect(assigned.data?.assignTicket.__typename, JSON.stringify(assigned)).toBe("AssignTicketSuccess");
    const result = await server.gql(STAFF, { code: "KANIM-MALANG" }, supervisor);
    expect(result.errors).toBeUndefined();
    const staff = result.data?.unit.staff as { id: string; name: string; role: string; openTicketCount: number }[];
    expect(staff.map((member) => member.role)).toContain("AGENT");
    expect(staff.map((member) => member.name)).toEqual([...staff.map((member) => member.name)].sort());
    const rows = await server.app.db.sql.query<{ email: string; name: string; n: number }>(
      `SELECT u.name, count(t.id) FILTER (WHERE t.status IN ('NEW','TRIAGED','ASSIGNED','IN_PROGRESS','WAITING_ON_CITIZEN'))::int AS n
       FROM app_user u JOIN unit un ON un.id = u.unit_id LEFT JOIN ticket t ON t.assignee_id = u.id
       WHERE un.code = 'KANIM-MALANG' AND u.active GROUP BY u.id, u.name`,
    );
    expect(staff.length).toBe(rows.length);
    for (const member of staff) expect(member.openTicketCount).toBe(rows.find((r) => r.name === member.name)?.n);
    expect(staff.some((member) => member.openTicketCount > 0)).toBe(true);
  });

  it("keeps staff lists from API keys and from outside the scope", async () => {
    const byKey = await server.gql(STAFF, { code: "KANIM-MALANG" }, server.apiKey);
    expect(byKey.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const outside = await server.gql(STAFF, { code: "KANIM-BANDUNG" }, supervisor);
    expect(outside.data?.unit).toBeNull();
  });

  it("filters tickets by category, a broad category including its narrower ones", async () => {
    const categories = await server.gql(`{ categories { code children { code } } }`, {}, supervisor);
    const broad = ((categories.data?.categories ?? []) as { code: string; children: { code: string }[] }[]).find(
      (category) => category.children.length > 0,
    );
    if (!broad) throw new Error("the seed has no category tree");
    const count = async (codes: string[]) => {
      const result = await server.gql(
        `query($filter: TicketFilter!) { tickets(filter: $filter, first: 1) { totalCount } }`,
        { filter: { unitCode: "KANIM-MALANG", category: codes } },
        supervisor,
      );
      expect(result.errors).toBeUndefined();
      return result.data?.tickets.totalCount as number;
    };
    const [expected] = await server.app.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ticket t JOIN unit u ON u.id = t.unit_id JOIN category c ON c.id = t.category_id
       LEFT JOIN category p ON p.id = c.parent_id WHERE u.code = 'KANIM-MALANG' AND (c.code = $1 OR p.code = $1)`,
      [broad.code],
    );
    expect(await count([broad.code])).toBe(expected?.n);
    expect(expected?.n).toBeGreaterThan(0);
    const narrow = await Promise.all(broad.children.map((child) => count([child.code])));
    expect(narrow.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(expected?.n ?? 0);
    expect(await count(["NO_SUCH_CATEGORY"])).toBe(0);
    const tooMany = await server.gql(
      `query($filter: TicketFilter!) { tickets(filter: $filter, first: 1) { totalCount } }`,
      { filter: { category: Array.from({ length: 51 }, (_, i) => `C${i}`) } },
      supervisor,
    );
    expect(tooMany.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
  });
});
