import { randomBytes } from "node:crypto";
import pg from "pg";

/** Where the Postgres run of the black-box suite creates its throw-away databases. */
export const ADMIN_URL = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type Target = "pglite" | "postgres";

let reachable: Promise<string | null> | undefined;

/** Null when Postgres answers, otherwise why it was not usable. */
export function postgresUnavailableReason(): Promise<string | null> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return null;
    } catch (error) {
      return (error as Error).message;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

/** Targets for this run: PGlite always, Postgres when reachable (REQUIRE_POSTGRES=1 makes it mandatory). */
export async function targets(): Promise<Target[]> {
  const reason = await postgresUnavailableReason();
  if (reason && process.env.REQUIRE_POSTGRES === "1")
    throw new Error(`Postgres is required but unreachable: ${reason}`);
  return reason ? ["pglite"] : ["pglite", "postgres"];
}

export async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `pantau_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
