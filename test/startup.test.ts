import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "@pantau/server/app";
import { ConfigError, loadConfig } from "@pantau/server/config";
import { openDatabase } from "@pantau/server/database";
import { createLogger } from "@pantau/server/logger";
import { describe, expect, it } from "vitest";
import { createDatabase, targets } from "./support/databases.js";
import { CREATE, newTicketInput } from "./support/documents.js";
import { DEMO_PASSWORD, startServer } from "./support/server.js";

const all = await targets();

describe("start-up", () => {
  it("keeps PGlite data across restarts and does not seed twice", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pantau-restart-"));
    try {
      const first = await startServer("pglite", { dataDir: dir });
      const token = await first.login("agen.malang@pantau.demo");
      const created = await first.gql(CREATE, { input: newTicketInput() }, token);
      const number = created.data?.createTicket.ticket.number;
      const [before] = await first.app.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM ticket");
      await first.stop();

      const second = await startServer("pglite", { dataDir: dir });
      const [after] = await second.app.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM ticket");
      expect(after?.n).toBe(before?.n);
      const again = await second.login("agen.malang@pantau.demo");
      const found = await second.gql(`query($n: String!) { ticket(number: $n) { number } }`, { n: number }, again);
      expect(found.data?.ticket.number).toBe(number);
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(all)("on %s, /health answers while a 2-second statement runs", async (target) => {
    const server = await startServer(target, { env: { PANTAU_SEED_TICKETS_PER_DAY: "0" } });
    try {
      let ended = false;
      const slow = server.app.db.sql.query("SELECT pg_sleep(2)").then(() => {
        ended = true;
      });
      // Long enough for the statement to be under way, far short of its end.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const health = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(10_000) });
      expect(health.status).toBe(200);
      expect(ended).toBe(false);
      await slow;
    } finally {
      await server.stop();
    }
  });

  it.each(all)("in production on %s seeds reference data only: no demo accounts, keys or history", async (target) => {
    const server = await startServer(target, { env: { NODE_ENV: "production" } });
    try {
      expect(server.app.demo).toBeNull();
      const [counts] = await server.app.db.sql.query<{
        units: number;
        users: number;
        keys: number;
        tickets: number;
        categories: number;
      }>(
        `SELECT (SELECT count(*)::int FROM unit) AS units, (SELECT count(*)::int FROM app_user) AS users,
                (SELECT count(*)::int FROM api_key) AS keys, (SELECT count(*)::int FROM ticket) AS tickets,
                (SELECT count(*)::int FROM category) AS categories`,
      );
      expect(counts).toMatchObject({ users: 0, keys: 0, tickets: 0 });
      expect(counts?.units).toBe(193);
      expect(counts?.categories).toBeGreaterThan(10);
      const login = await server.gql(
        `mutation($p: String!) { login(email: "direktorat@pantau.demo", password: $p) { __typename } }`,
        { p: DEMO_PASSWORD },
      );
      expect(login.data?.login.__typename).toBe("InvalidCredentialsError");
      const graphiql = await fetch(`${server.url}/graphql`, { headers: { accept: "text/html" } });
      expect(await graphiql.text()).not.toContain("GraphiQL");
    } finally {
      await server.stop();
    }
  });

  it("refuses to start with pending migrations when migrating at start is off", async () => {
    const config = loadConfig({
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "0",
      PANTAU_DATA_DIR: "memory://",
      PANTAU_MIGRATE_ON_START: "false",
    });
    const app = await buildApp(config, { logger: createLogger("silent") });
    await expect(app.start()).rejects.toThrow(/Pending migrations/);
    await app.stop();
  });

  it("reports every configuration problem at once", () => {
    try {
      loadConfig({ PORT: "abc", DATABASE_URL: "mysql://x", NODE_ENV: "staging" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain("PORT");
      expect(message).toContain("DATABASE_URL");
      expect(message).toContain("NODE_ENV");
    }
  });

  it.runIf(all.includes("postgres"))("migrates and seeds an empty PostgreSQL database at start", async () => {
    const database = await createDatabase();
    try {
      const server = await startServer("postgres", { databaseUrl: database.url });
      const [row] = await server.app.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
      expect(row?.n).toBeGreaterThan(0);
      await server.stop();
      const db = await openDatabase({ databaseUrl: database.url });
      const [units] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM unit`);
      expect(units?.n).toBe(193);
      await db.close();
    } finally {
      await database.drop();
    }
  });
});
