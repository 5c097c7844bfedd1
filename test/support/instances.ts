import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import type { Sql } from "@pantau/server/database";
import { Redis } from "ioredis";

const SERVER_DIR = fileURLToPath(new URL("../../server/", import.meta.url));

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Null when Redis answers PING, otherwise why not. */
export async function redisUnavailableReason(url = REDIS_URL): Promise<string | null> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    client.disconnect();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A private redis-server that a test may kill and restart. */
export async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await redisUnavailableReason(`redis://127.0.0.1:${port}`)) === null) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server did not start on ${port}`);
}

/** A server instance in its own process (so that it can be killed), on an existing database. */
export async function spawnInstance(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      NODE_ENV: "development",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      PANTAU_SIMULATOR: "off",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance did not start:\n${output}`)), 90_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Pantau demo at (http:\/\/\S+)/.exec(output);
      if (match?.[1] && output.includes("Third-party API key")) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`instance exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => output };
}

/** Stream positions of every event touching the unit's subtree after `after`, as the database has them. */
export async function positionsInScope(sql: Sql, unitCode: string, after: bigint): Promise<string[]> {
  const rows = await sql.query<{ position: string }>(
    `WITH RECURSIVE scope AS (
       SELECT id FROM unit WHERE code = $1
       UNION ALL SELECT u.id FROM unit u JOIN scope s ON u.parent_id = s.id
     )
     SELECT position::text AS position FROM event_stream
     WHERE position > $2::bigint
       AND (unit_id IN (SELECT id FROM scope) OR from_unit_id IN (SELECT id FROM scope))
     ORDER BY event_stream.position`,
    [unitCode, after.toString()],
  );
  return rows.map((row) => row.position);
}

export async function graphqlAt(url: string, query: string, variables: Record<string, unknown>, token?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}
