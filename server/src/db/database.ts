import { rmSync } from "node:fs";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.js";
import { traceStatement } from "../modules/observability/tracing.js";
import { type StartedPglite, startPglite, workerMessage } from "./pglite-start.js";

/** Plain SQL access for what Prisma cannot say well: migrations, bulk seeding, locking reads. */
export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /**
   * The same for a fixed statement run often with different values: each connection prepares it once
   * under `name`, and PostgreSQL stops planning it again once a generic plan proves no costlier than
   * the plans it made for the values seen. `name` must always go with the same `text`.
   */
  prepared<Row = Record<string, unknown>>(name: string, text: string, params: readonly unknown[]): Promise<Row[]>;
  /** Runs one or more statements without parameters. */
  exec(text: string): Promise<void>;
}

export type DatabaseKind = "pglite" | "postgres";

export interface Database {
  readonly kind: DatabaseKind;
  readonly prisma: PrismaClient;
  readonly sql: Sql;
  /** Runs `work` in one SQL transaction on a single connection. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /** Calls `listener` on every NOTIFY on `channel` (sent at commit); returns how to stop. */
  listen(channel: string, listener: () => void): Promise<() => Promise<void>>;
  /** Connections of the pool: open, idle, and requests waiting for one (for /metrics). */
  poolStats(): PoolStats;
  /**
   * Calls `listener` with the duration of every statement of this pool, Prisma's and Sql's alike, once
   * it has been answered; returns how to stop. Costs nothing while no one listens.
   */
  onStatement(listener: StatementListener): () => void;
  close(): Promise<void>;
}

/** How long a statement took from sending it to its answer, and whether the answer was an error. */
export type StatementListener = (seconds: number, failed: boolean) => void;

export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

const statsOf = (pool: pg.Pool): PoolStats => ({
  total: pool.totalCount,
  idle: pool.idleCount,
  waiting: pool.waitingCount,
});

export type DatabaseOptions =
  | {
      databaseUrl: string;
      poolSize?: number;
      /** Every statement of this pool's connections is cancelled after this long; 0 or absent: never. */
      statementTimeoutMs?: number;
    }
  | { dataDir: string; templateDir?: string | null };

/**
 * `started`: PGlite already being opened for `options.dataDir` (see startPglite); without it, a PGlite
 * database is opened here, from the template when `templateDir` is given.
 */
export async function openDatabase(options: DatabaseOptions, started?: Promise<StartedPglite>): Promise<Database> {
  if ("databaseUrl" in options) {
    return openPostgres(options.databaseUrl, options.poolSize ?? 10, options.statementTimeoutMs ?? 0);
  }
  return openPglite(await (started ?? startPglite(options.dataDir, options.templateDir ?? null)));
}

async function openPostgres(connectionString: string, max: number, statementTimeoutMs: number): Promise<Database> {
  // Requests are short reads (a page of 50, a few thousand rollup rows): starting parallel workers costs
  // more than they save. Measured on the 10 M dataset: the ticket page's query took 43 ms with a parallel
  // plan the planner preferred for it, 15–20 ms without (BENCHMARKS.md §8).
  const settings = ["-c max_parallel_workers_per_gather=0", ...SERVER_SIDE_LIVENESS];
  if (statementTimeoutMs > 0) settings.push(`-c statement_timeout=${Math.round(statementTimeoutMs)}`);
  const statements = new Set<StatementListener>();
  const pool = new pg.Pool({
    connectionString,
    max,
    options: settings.join(" "),
    ...CONNECTION_LIVENESS,
    Client: timedClient(statements),
  });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const sql = postgresSql(pool);
  return {
    kind: "postgres",
    prisma,
    sql,
    poolStats: () => statsOf(pool),
    onStatement: (listener) => listenTo(statements, listener),
    transaction: (work) => poolTransaction(pool, work),
    listen: (channel, listener) => listenPostgres(connectionString, channel, listener),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

function listenTo<T>(listeners: Set<T>, listener: T): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * A pg Client whose statements are timed for `listeners`. Every statement passes through Client.query,
 * whether Prisma's adapter sends it (promise form) or pg-pool does on behalf of Sql (callback form).
 */
function timedClient(listeners: ReadonlySet<StatementListener>): typeof pg.Client {
  class TimedClient extends pg.Client {}
  const send = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
  TimedClient.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (listeners.size === 0) return send.apply(this, args);
    const started = performance.now();
    const answered = (failed: boolean) => {
      const seconds = (performance.now() - started) / 1000;
      for (const listener of listeners) listener(seconds, failed);
    };
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = (error: unknown, result: unknown) => {
        answered(Boolean(error));
        callback(error, result);
      };
      return send.apply(this, args);
    }
    const result = send.apply(this, args);
    if (result instanceof Promise) {
      result.then(
        () => answered(false),
        () => answered(true),
      );
    }
    return result;
  } as typeof pg.Client.prototype.query;
  return TimedClient;
}

/**
 * A connection attempt gives up after 5 s instead of waiting for ever on an unreachable server, and the
 * kernel probes idle connections, so a peer that vanished (a partition) is noticed.
 */
const CONNECTION_LIVENESS = {
  connectionTimeoutMillis: 5_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
  // Which instance a session belongs to, in pg_stat_activity and pg_locks.
  application_name: `pantau/${process.pid}`,
};

/**
 * The server probes each connection too, and gives up on one whose sent data stays unacknowledged, so
 * the session of a client that vanished (a partition, a dead host) ends within about 30 s and whatever
 * it held is released.
 */
const SERVER_SIDE_LIVENESS = [
  "-c tcp_keepalives_idle=10",
  "-c tcp_keepalives_interval=5",
  "-c tcp_keepalives_count=3",
  "-c tcp_user_timeout=30000",
];

async function poolTransaction<T>(pool: pg.Pool, work: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // pg-pool takes its own 'error' listener off a client it hands out: without this one, a connection
  // lost while checked out (a server restart) would crash the process. The statement under way fails
  // with the same error, and the broken client is discarded on release.
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const result = await work(postgresSql(client));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    if (!lost) await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.removeListener("error", onError);
    client.release(lost);
  }
}

/** Sql over the pool (a connection per statement) or over one connection (a transaction's). */
function postgresSql(queryable: pg.Pool | pg.PoolClient): Sql {
  return {
    query: (text, params) =>
      traceStatement(text, async () => (await queryable.query(text, params as unknown[] | undefined)).rows),
    prepared: (name, text, params) =>
      traceStatement(text, async () => (await queryable.query({ name, text, values: params as unknown[] })).rows),
    exec: (text) =>
      traceStatement(text, async () => {
        await queryable.query(text);
      }),
  };
}

/**
 * PGlite on a worker thread (pglite-worker.mjs), reached over a Unix socket by the same `pg` pool and
 * Prisma adapter as PostgreSQL, so a slow statement never holds up this thread. PGlite has one session:
 * the pool keeps one connection, and a transaction holds it, as PGlite's own lock did in process.
 * NOTIFY reaches that same session, so listeners hear it on the pool's connection.
 */
async function openPglite(started: StartedPglite): Promise<Database> {
  const { worker, socketDir } = started;
  const listeners = new Map<string, Set<() => void>>();
  const statements = new Set<StatementListener>();
  const pool = new pg.Pool({
    Client: timedClient(statements),
    host: socketDir,
    port: 5432,
    user: "postgres",
    database: "postgres",
    max: 1,
    // The one session stays: LISTEN registrations live in it.
    idleTimeoutMillis: 0,
  });
  pool.on("error", () => {});
  pool.on("connect", (client) => {
    client.on("notification", (message) => {
      for (const listener of listeners.get(message.channel) ?? []) listener();
    });
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: "pglite",
    prisma,
    sql: postgresSql(pool),
    poolStats: () => statsOf(pool),
    onStatement: (listener) => listenTo(statements, listener),
    transaction: (work) => poolTransaction(pool, work),
    async listen(channel, listener) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        await pool.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      set.add(listener);
      return async () => {
        set.delete(listener);
      };
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
      worker.postMessage("close");
      await workerMessage(worker, "closed").catch(() => {});
      await worker.terminate();
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

/**
 * LISTEN needs a connection of its own for as long as it listens. A lost connection is replaced after
 * a pause; notifications sent meanwhile are missed, which callers cover with a periodic sweep.
 */
async function listenPostgres(connectionString: string, channel: string, listener: () => void) {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const reconnect = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect().catch(reconnect);
    }, 1_000);
  };
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString, ...CONNECTION_LIVENESS });
    next.on("notification", (message) => {
      if (message.channel === channel) listener();
    });
    next.on("error", () => {
      next.end().catch(() => {});
      if (client === next) client = null;
      reconnect();
    });
    await next.connect();
    await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    if (stopped) {
      await next.end();
      return;
    }
    client = next;
    // Whatever was sent while no one listened is found by the caller's sweep; wake it once now.
    listener();
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}
