import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresUnavailableReason } from "./support/databases.js";
import { CREATE, newTicketInput } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

const reason = await postgresUnavailableReason();
const TIMEOUT_MS = 300;
const COUNT = `{ tickets(first: 1) { totalCount edges { node { number } } } }`;

// PGlite runs each statement to its end on its worker thread and cannot cancel it, so the statement
// timeout is a PostgreSQL promise only (docs/api-limits.md).
describe.skipIf(reason !== null)(
  `the statement timeout on postgres${reason ? ` (skipped: PostgreSQL unreachable: ${reason})` : ""}`,
  () => {
    let server: TestServer;
    let agent: string;

    beforeAll(async () => {
      server = await startServer("postgres", { env: { PANTAU_STATEMENT_TIMEOUT_MS: String(TIMEOUT_MS) } });
      agent = await server.login("agen.malang@pantau.demo");
    });
    afterAll(() => server?.stop());

    it("answers QUERY_TIMEOUT when an API statement runs past it, and background work is not cut short", async () => {
      // A background transaction holds the ticket table, so the API's count waits past its timeout.
      const reply = await server.app.db.transaction(async (sql) => {
        await sql.exec("LOCK TABLE ticket IN ACCESS EXCLUSIVE MODE");
        const answer = await server.gql(COUNT, {}, agent);
        // The background connection itself may run for longer than the API's timeout.
        await sql.query(`SELECT pg_sleep(${(2 * TIMEOUT_MS) / 1000})`);
        return answer;
      });
      expect(reply.data ?? null).toBeNull();
      expect(reply.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TIMEOUT", timeoutMs: TIMEOUT_MS });
      expect(JSON.stringify(reply.errors)).not.toMatch(/57014|canceling statement/);

      const after = await server.gql(COUNT, {}, agent);
      expect(after.errors).toBeUndefined();
      expect(after.data?.tickets.totalCount).toBeGreaterThan(0);
    });

    it("times out a mutation's statements too, with the same code", async () => {
      const reply = await server.app.db.transaction(async (sql) => {
        await sql.exec("LOCK TABLE ticket IN ACCESS EXCLUSIVE MODE");
        return server.gql(CREATE, { input: newTicketInput({ idempotencyKey: `timeout-${Date.now()}` }) }, agent);
      });
      expect(reply.errors?.[0]?.extensions?.code).toBe("QUERY_TIMEOUT");
      const [row] = await server.app.db.sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM ticket WHERE idempotency_key LIKE 'timeout-%'",
      );
      expect(row?.n).toBe(0);
    });
  },
);
