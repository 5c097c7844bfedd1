import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

const COUNT = `query($filter: TicketFilter) { tickets(first: 0, filter: $filter) { totalCount totalCountIsCapped } }`;

describe.each(await targets())("ticket counts on %s", (target) => {
  let server: TestServer;
  let directorate: string;

  beforeAll(async () => {
    server = await startServer(target);
    directorate = await server.login("direktorat@pantau.demo");
  });
  afterAll(() => server?.stop());

  const count = async (filter: Record<string, unknown> = {}) => {
    const reply = await server.gql(COUNT, { filter }, directorate);
    expect(reply.errors).toBeUndefined();
    return reply.data?.tickets;
  };

  it("counts exactly below the cap, and says it was not capped", async () => {
    const [row] = await server.app.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM ticket");
    expect(await count()).toEqual({ totalCount: row?.n, totalCountIsCapped: false });
  });

  it("stops counting at 10,000 and says so", async () => {
    const [unit] = await server.app.db.sql.query<{ id: number }>("SELECT id FROM unit WHERE code = 'KANIM-MALANG'");
    await server.app.db.sql.query(
      `INSERT INTO ticket (number, subject, description, kind, channel, unit_id)
       SELECT 'IMI-1999-' || lpad(i::text, 7, '0'), 'Hitungan', 'Tiket untuk menguji batas hitungan.',
              'INFORMATION_REQUEST', 'WEB_FORM', $1
       FROM generate_series(1, 10001) AS i`,
      [unit?.id],
    );
    expect(await count()).toMatchObject({ totalCount: 10_000, totalCountIsCapped: true });
    expect(await count({ unitCode: "KANIM-MALANG", search: "Hitungan" })).toMatchObject({
      totalCount: 10_000,
      totalCountIsCapped: true,
    });
    // A narrower filter is counted exactly again.
    expect(await count({ unitCode: "KANIM-MALANG", search: "IMI-1999-0000042" })).toMatchObject({
      totalCount: 1,
      totalCountIsCapped: false,
    });
  }, 120_000);
});
