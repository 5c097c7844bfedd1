import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client.js";

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
  close(): Promise<void>;
}

export type DatabaseOptions =
  | {
      databaseUrl: string;
      poolSize?: number;
      /** Every statement of this pool's connections is cancelled after this long; 0 or absent: never. */
      statementTimeoutMs?: number;
    }
  | { dataDir: string; templateDir?: string | null };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return "databaseUrl" in options
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10, options.statementTimeoutMs ?? 0)
    : openPglite(options.dataDir);
}

async function openPostgres(connectionString: string, max: number, statementTimeoutMs: number): Promise<Database> {
  // Requests are short reads (a page of 50, a few thousand rollup rows): starting parallel workers costs
  // more than they save. Measured on the 10 M dataset: the ticket page's query took 43 ms with a parallel
  // plan the planner preferred for it, 15–20 ms without (BENCHMARKS.md §8).
  const settings = ["-c max_parallel_workers_per_gather=0", ...SERVER_SIDE_LIVENESS];
  if (statementTimeoutMs > 0) settings.push(`-c statement_timeout=${Math.round(statementTimeoutMs)}`);
  const pool = new pg.Pool({ connectionString, max, options: settings.join(" "), ...CONNECTION_LIVENESS });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const sql = postgresSql(pool);
  return {
    kind: "postgres",
    prisma,
    sql,
    async transaction(work) {
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
    },
    listen: (channel, listener) => listenPostgres(connectionString, channel, listener),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
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

/** Sql over the pool (a connection per statement) or over one connection (a transaction's). */
function postgresSql(queryable: pg.Pool | pg.PoolClient): Sql {
  return {
    query: async (text, params) => (await queryable.query(text, params as unknown[] | undefined)).rows,
    prepared: async (name, text, params) => (await queryable.query({ name, text, values: params as unknown[] })).rows,
    exec: async (text) => {
      await queryable.query(text);
    },
  };
}

/** Sql over PGlite or one of its transactions. */
function pgliteSql(queryable: Pick<PGlite, "query" | "exec">): Sql {
  return {
    query: async (text, params) => (await queryable.query(text, params as unknown[] | undefined)).rows as never[],
    // One in-process connection, planned each time; nothing to gain from naming.
    prepared: async (_name, text, params) => (await queryable.query(text, params as unknown[])).rows as never[],
    exec: async (text) => {
      await queryable.exec(text);
    },
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  if (dataDir !== "memory://") mkdirSync(dataDir, { recursive: true });
  // pg_trgm backs the ticket search indexes (migration ticket_search_trigram).
  const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    kind: "pglite",
    prisma,
    sql: pgliteSql(pglite),
    transaction: (work) => pglite.transaction((tx) => work(pgliteSql(tx))),
    listen: (channel, listener) => pglite.listen(channel, listener),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
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
