import { type ChildProcess, execFileSync } from "node:child_process";
import type { Sql } from "@pantau/server/database";
import pg from "pg";
import { expect } from "vitest";
import { CREATE, newTicketInput } from "./documents.js";
import { freePort, graphqlAt, positionsInScope, spawnInstance, startRedis } from "./instances.js";
import { liveClient } from "./live.js";
import { type PrivatePostgres, privatePostgresUnavailableReason, startPrivatePostgres } from "./private-postgres.js";
import { DEMO_PASSWORD } from "./server.js";

/** Null when the fault suite can run here (PostgreSQL server binaries and redis-server), otherwise why not. */
export async function faultSuiteUnavailableReason(): Promise<string | null> {
  const reason = await privatePostgresUnavailableReason();
  if (reason) return reason;
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
  } catch {
    return "no redis-server on the PATH";
  }
  return null;
}

/** One server process of a fault test. */
export interface Instance {
  readonly name: string;
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
  /** Still running (not exited, not killed by a signal). */
  alive(): boolean;
  login(email: string): Promise<string>;
  /** The status `/ready` answers, or 0 when the request itself fails. */
  ready(): Promise<number>;
}

/** Two (or more) instances on a private PostgreSQL cluster and a private Redis. */
export interface FaultCluster {
  readonly postgres: PrivatePostgres;
  readonly redisPort: number;
  /** The cluster's Redis: stopped with SIGKILL (its data is nothing the servers need back), started again on its port. */
  readonly redis: { stop(): Promise<void>; start(): Promise<void> };
  readonly databaseUrl: string;
  readonly instances: Instance[];
  /** SQL on the cluster's database, for checks; errors while the cluster is down are the caller's. */
  readonly sql: Sql;
  spawn(name: string, env?: Record<string, string>): Promise<Instance>;
  head(): Promise<bigint>;
  close(): Promise<void>;
}

const INSTANCE_ENV = {
  DEMO_PASSWORD,
  PANTAU_SEED_DAYS: "2",
  PANTAU_SEED_TICKETS_PER_DAY: "20",
  // Fault tests write as fast as they can; budgets are not what they test.
  PANTAU_BUDGET_STAFF_CAPACITY: "10000000",
  PANTAU_BUDGET_STAFF_REFILL_PER_SECOND: "1000000",
};

export async function startFaultCluster(count: number, env: Record<string, string> = {}): Promise<FaultCluster> {
  const postgres = await startPrivatePostgres();
  const redisPort = await freePort();
  let redis = await startRedis(redisPort);
  const databaseUrl = await postgres.createDatabase("pantau");
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  pool.on("error", () => {});
  const sql: Sql = {
    query: async (text, params) => (await pool.query(text, params as unknown[] | undefined)).rows,
    prepared: async (_name, text, params) => (await pool.query(text, params as unknown[])).rows,
    exec: async (text) => {
      await pool.query(text);
    },
  };
  const instances: Instance[] = [];
  const spawn = async (name: string, extra: Record<string, string> = {}) => {
    const spawned = await spawnInstance({
      ...INSTANCE_ENV,
      DATABASE_URL: databaseUrl,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      ...env,
      ...extra,
    });
    const instance: Instance = {
      name,
      ...spawned,
      alive: () => spawned.child.exitCode === null && spawned.child.signalCode === null,
      async login(email) {
        const result = await graphqlAt(
          spawned.url,
          `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { ... on LoginSuccess { session { token } } } }`,
          { e: email, p: DEMO_PASSWORD },
        );
        const token = result.data?.login?.session?.token;
        if (!token) throw new Error(`login failed on ${name}: ${JSON.stringify(result)}`);
        return token as string;
      },
      async ready() {
        try {
          const response = await fetch(`${spawned.url}/ready`, { signal: AbortSignal.timeout(5_000) });
          await response.body?.cancel();
          return response.status;
        } catch {
          return 0;
        }
      },
    };
    instances.push(instance);
    return instance;
  };
  // One after the other: the first migrates and seeds, the next finds it done.
  for (let i = 0; i < count; i++) await spawn(String.fromCharCode(65 + i));
  return {
    postgres,
    redisPort,
    redis: {
      async stop() {
        const exited = new Promise((resolve) => redis.once("exit", resolve));
        redis.kill("SIGKILL");
        await exited;
      },
      async start() {
        redis = await startRedis(redisPort);
      },
    },
    databaseUrl,
    instances,
    sql,
    spawn,
    async head() {
      const [row] = await sql.query<{ p: string }>("SELECT coalesce(max(position), 0)::text AS p FROM event_stream");
      return BigInt(row?.p ?? "0");
    },
    async close() {
      for (const instance of instances) {
        if (instance.child.exitCode === null) {
          instance.child.kill("SIGCONT");
          instance.child.kill("SIGKILL");
        }
      }
      await pool.end().catch(() => {});
      redis.kill("SIGKILL");
      await postgres.destroy();
    },
  };
}

/** Runs `check`; when it fails, adds each instance's state and the tail of its log to the error. */
export async function explained<T>(cluster: FaultCluster, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    const states = await Promise.all(
      cluster.instances.map(
        async (i) => `--- ${i.name}: alive ${i.alive()}, /ready ${await i.ready()}\n${i.output().slice(-4_000)}`,
      ),
    );
    (error as Error).message += `\n${states.join("\n")}`;
    throw error;
  }
}

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface Writers {
  /** Ticket numbers whose creation was acknowledged. */
  readonly confirmed: string[];
  /** Every refusal, by its code (or the transport error's message). */
  readonly failures: { code: string; message: string; at: number; status?: number; retryAfter?: string | null }[];
  stop(): Promise<void>;
}

/** `count` loops creating tickets through `instance` until stopped. */
export function startWriters(instance: Instance, token: string, count: number): Writers {
  const confirmed: string[] = [];
  const failures: Writers["failures"] = [];
  let stopped = false;
  const loops = Array.from({ length: count }, async () => {
    while (!stopped) {
      try {
        const response = await fetch(`${instance.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: CREATE, variables: { input: newTicketInput() } }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await response.json()) as {
          data?: { createTicket?: { ticket?: { number: string }; code?: string } };
          errors?: { message: string; extensions?: { code?: string } }[];
        };
        const number = body.data?.createTicket?.ticket?.number;
        if (number) confirmed.push(number);
        else {
          const error = body.errors?.[0];
          failures.push({
            code: error?.extensions?.code ?? body.data?.createTicket?.code ?? `HTTP_${response.status}`,
            message: error?.message ?? JSON.stringify(body),
            at: Date.now(),
            status: response.status,
            retryAfter: response.headers.get("retry-after"),
          });
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        failures.push({ code: `TRANSPORT:${cause ?? "unknown"}`, message: String(error), at: Date.now() });
        if (!instance.alive()) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  return {
    confirmed,
    failures,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

const EVENTS = /* GraphQL */ `
  subscription($unitCode: String!, $after: String) {
    ticketEvents(unitCode: $unitCode, afterSequence: $after) { sequence type ticket { number } }
  }`;

export interface Watcher {
  /** Every event received, across resubscriptions, in arrival order. */
  readonly items: { sequence: string; type: string; ticket?: { number: string } }[];
  /** Why each stream ended before `stop()`. */
  readonly endings: string[];
  stop(): void;
}

/**
 * A subscriber to a unit's events that resumes after the last event it saw whenever its stream ends,
 * as a client following the API's advice would.
 */
export function watch(url: () => string, token: string, unitCode: string, after: bigint): Watcher {
  const items: Watcher["items"] = [];
  const endings: string[] = [];
  let stopped = false;
  let dispose = () => {};
  const open = () => {
    if (stopped) return;
    const client = liveClient(url(), token);
    const last = items.at(-1)?.sequence ?? after.toString();
    let reopened = false;
    const reopen = (why: string) => {
      if (reopened) return;
      reopened = true;
      endings.push(why);
      void client.dispose();
      setTimeout(open, 200);
    };
    const unsubscribe = client.subscribe<{ ticketEvents: Watcher["items"][number] }>(
      { query: EVENTS, variables: { unitCode, after: last } },
      {
        next: (result) => {
          if (result.errors) reopen(JSON.stringify(result.errors));
          const item = result.data?.ticketEvents;
          if (item) items.push(item);
        },
        error: (error) =>
          reopen(Array.isArray(error) ? JSON.stringify(error) : String((error as { reason?: string }).reason ?? error)),
        complete: () => reopen("complete"),
      },
    );
    dispose = () => {
      reopened = true;
      unsubscribe();
      void client.dispose();
    };
  };
  open();
  return {
    items,
    endings,
    stop() {
      stopped = true;
      dispose();
    },
  };
}

/**
 * Waits for the outbox to empty and every watcher to have every event of the unit's subtree since
 * `start`, then checks: nothing lost, nothing twice, nothing out of order, every acknowledged ticket's
 * creation among them and in the database.
 */
export async function expectDelivered(
  cluster: FaultCluster,
  watchers: Watcher[],
  unitCode: string,
  start: bigint,
  confirmed: readonly string[],
  timeoutMs = 30_000,
) {
  await until(
    async () => (await cluster.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM event_outbox"))[0]?.n === 0,
    "an empty outbox",
    timeoutMs,
  );
  const expected = await positionsInScope(cluster.sql, unitCode, start);
  for (const watcher of watchers) {
    await until(() => watcher.items.length >= expected.length, `${expected.length} events`, timeoutMs).catch(
      (error: Error) => {
        throw new Error(`${error.message}; have ${watcher.items.length}; endings ${watcher.endings.join(" | ")}`);
      },
    );
    expect(watcher.items.map((item) => item.sequence)).toEqual(expected);
  }
  const rows = await cluster.sql.query<{ number: string }>(
    `SELECT t.number FROM ticket t JOIN ticket_event e ON e.ticket_id = t.id AND e.type = 'CREATED'
     WHERE t.number = ANY($1::text[])`,
    [confirmed],
  );
  expect(new Set(rows.map((row) => row.number)).size).toBe(new Set(confirmed).size);
  for (const watcher of watchers) {
    const created = new Set(watcher.items.filter((item) => item.type === "CREATED").map((item) => item.ticket?.number));
    expect(confirmed.filter((number) => !created.has(number))).toEqual([]);
  }
}
