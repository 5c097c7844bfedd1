/**
 * Latency of one page of 50 open tickets of a regional office's subtree, one request at a time,
 * through GraphQL and as the equivalent raw SQL, on a seeded history of about 90,000 tickets.
 */
import pg from "pg";
import { deferCleanup, isEntryPoint, runAsScript } from "./lib/cleanup.js";
import { createBenchDatabase, foreignActivity } from "./lib/database.js";
import { DEMO_PASSWORD, type GraphQLResponse, login } from "./lib/graphql.js";
import { freePort, startPantau } from "./lib/processes.js";
import { banner, printTable, writeResult } from "./lib/report.js";
import { round, summarize } from "./lib/stats.js";

const SEED_DAYS = process.env.BENCH_PAGE_SEED_DAYS ?? "90";
const SEED_TICKETS_PER_DAY = process.env.BENCH_PAGE_SEED_TICKETS_PER_DAY ?? "1000";
const SAMPLES = Number(process.env.BENCH_PAGE_SAMPLES ?? 500);
const WARMUP = Number(process.env.BENCH_PAGE_WARMUP ?? 50);

const UNIT = "KANWIL-JI";
const OPEN = ["NEW", "TRIAGED", "ASSIGNED", "IN_PROGRESS", "WAITING_ON_CITIZEN"];

const PAGE_QUERY = `{
  tickets(first: 50, filter: { unitCode: "${UNIT}", status: [${OPEN.join(", ")}] }) {
    totalCount
    edges { node { id number subject status createdAt unit { code } } }
  }
}`;

// What the resolver asks of the database, written by hand: page plus one row to know if there is more.
const PAGE_SQL = `
  SELECT t.id, t.number, t.subject, t.status, t.created_at, u.code AS unit_code
  FROM ticket t JOIN unit u ON u.id = t.unit_id
  WHERE t.unit_id = ANY($1::int[]) AND t.status = ANY($2::"TicketStatus"[])
  ORDER BY t.created_at DESC, t.id DESC
  LIMIT 51`;
const COUNT_SQL = `
  SELECT count(*)::int AS n FROM ticket t
  WHERE t.unit_id = ANY($1::int[]) AND t.status = ANY($2::"TicketStatus"[])`;

interface PageData {
  tickets: { totalCount: number; edges: { node: { id: string; number: string } }[] };
}

export interface TicketPageSeed {
  days: number;
  ticketsPerDay: number;
}

export const DEFAULT_PAGE_SEED: TicketPageSeed = {
  days: Number(SEED_DAYS),
  ticketsPerDay: Number(SEED_TICKETS_PER_DAY),
};

/** The server on a fresh PostgreSQL database seeded with `seed`, a direct connection, and a signed-in Kanwil user. */
export async function startTicketPage(seed: TicketPageSeed = DEFAULT_PAGE_SEED) {
  const db = await createBenchDatabase("page");
  const server = await startPantau(
    {
      DATABASE_URL: db.url,
      PANTAU_SEED_DAYS: String(seed.days),
      PANTAU_SEED_TICKETS_PER_DAY: String(seed.ticketsPerDay),
      DEMO_PASSWORD,
    },
    { port: await freePort(), readyTimeoutMs: 300_000 },
  );
  console.log(`server seeded and ready in ${Math.round(server.readyMs)} ms`);

  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const endClient = deferCleanup(() => client.end());
  // The seed bulk-loads; without this the plan would depend on whether autovacuum got there first.
  await client.query("ANALYZE");
  const volume = (
    await client.query<{ tickets: number; events: number }>(
      "SELECT (SELECT count(*) FROM ticket)::int AS tickets, (SELECT count(*) FROM ticket_event)::int AS events",
    )
  ).rows[0];
  const unitIds = (
    await client.query<{ id: number }>(
      `WITH RECURSIVE sub AS (SELECT id FROM unit WHERE code = $1 UNION ALL SELECT u.id FROM unit u JOIN sub ON u.parent_id = sub.id)
       SELECT id FROM sub ORDER BY id`,
      [UNIT],
    )
  ).rows.map((r) => r.id);
  console.log(`${volume?.tickets} tickets, ${volume?.events} events; ${UNIT} subtree has ${unitIds.length} units`);
  const token = await login(server.url, "kanwil.jatim@pantau.demo", DEMO_PASSWORD);
  return {
    seed,
    db,
    server,
    client,
    token,
    unitIds,
    volume,
    stop: async () => {
      await endClient();
      await server.stop();
      await db.drop();
    },
  };
}
export type TicketPage = Awaited<ReturnType<typeof startTicketPage>>;

/** `samples` pages through GraphQL and as raw SQL, interleaved, after `warmup` of each. */
export async function measureTicketPage(
  { seed, db, server, client, token, unitIds, volume }: TicketPage,
  options: { samples: number; warmup: number } = { samples: SAMPLES, warmup: WARMUP },
) {
  const body = JSON.stringify({ query: PAGE_QUERY });
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
  let lastPage: PageData | undefined;
  const viaGraphQL = async () => {
    const response = await fetch(`${server.url}/graphql`, { method: "POST", headers, body });
    const json = (await response.json()) as GraphQLResponse<PageData>;
    if (response.status !== 200 || json.errors || json.data?.tickets.edges.length !== 50) {
      throw new Error(`unexpected page: ${response.status} ${JSON.stringify(json).slice(0, 500)}`);
    }
    lastPage = json.data;
  };
  let lastSql: { ids: string[]; count: number } | undefined;
  const viaSql = async () => {
    const page = await client.query<{ id: string }>(PAGE_SQL, [unitIds, OPEN]);
    const count = await client.query<{ n: number }>(COUNT_SQL, [unitIds, OPEN]);
    lastSql = { ids: page.rows.slice(0, 50).map((r) => r.id), count: count.rows[0]?.n ?? -1 };
  };

  for (let i = 0; i < options.warmup; i++) {
    await viaGraphQL();
    await viaSql();
  }
  const otherActiveSessions = await foreignActivity(db.name);
  // Interleaved, so that both see the same background load and the same cache state.
  const graphqlMs: number[] = [];
  const sqlMs: number[] = [];
  for (let i = 0; i < options.samples; i++) {
    let t0 = performance.now();
    await viaGraphQL();
    graphqlMs.push(performance.now() - t0);
    t0 = performance.now();
    await viaSql();
    sqlMs.push(performance.now() - t0);
  }

  const graphqlIds = lastPage?.tickets.edges.map((e) =>
    Buffer.from(e.node.id, "base64")
      .toString("utf8")
      .replace(/^Ticket:/, ""),
  );
  const samePage =
    JSON.stringify(graphqlIds) === JSON.stringify(lastSql?.ids) && lastPage?.tickets.totalCount === lastSql?.count;
  const graphql = summarize(graphqlMs);
  const sql = summarize(sqlMs);
  const summary = {
    measure: "page of 50 open tickets, KANWIL-JI subtree",
    seed: { ...seed, seedAndStartMs: Math.round(server.readyMs) },
    tickets: volume?.tickets,
    events: volume?.events,
    subtreeUnits: unitIds.length,
    matchingTickets: lastPage?.tickets.totalCount,
    samePageAndCount: samePage,
    graphql,
    sql,
    ratioMedian: round(graphql.medianMs / sql.medianMs, 2),
    ratioP99: round(graphql.p99Ms / sql.p99Ms, 2),
    otherActiveSessions,
  };
  console.log(
    `ratio GraphQL/SQL: median ${summary.ratioMedian}×, p99 ${summary.ratioP99}×; same page and count: ${samePage}`,
  );
  return { summary, graphqlMs, sqlMs };
}

async function explainTicketPage({ client, unitIds }: TicketPage) {
  const plans: Record<string, string[]> = {};
  for (const [name, sql] of [
    ["page", PAGE_SQL],
    ["count", COUNT_SQL],
  ] as const) {
    const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, [unitIds, OPEN]);
    plans[name] = rows.map((r) => r["QUERY PLAN"]);
  }
  return plans;
}

export async function benchTicketPage() {
  banner(
    `ticket page: ${SAMPLES} sequential requests after ${WARMUP} warm-up, seed ${SEED_DAYS} days × ${SEED_TICKETS_PER_DAY}/day`,
  );
  const page = await startTicketPage();
  const measured = await measureTicketPage(page);
  const plans = await explainTicketPage(page);
  const serverLog = page.server.log.snapshot();
  await page.stop();
  const summary = { ...measured.summary, serverLog };
  printTable("page of 50 (ms)", [
    { path: "GraphQL", ...summary.graphql },
    { path: "raw SQL (page + count)", ...summary.sql },
  ]);
  for (const [name, lines] of Object.entries(plans)) console.log(`${name} plan: ${lines.at(-1)}; ${lines[0]}`);
  const { graphqlMs, sqlMs } = measured;
  console.log(`written ${writeResult("ticket-page", { summary, plans, graphqlMs, sqlMs })}`);
  return summary;
}

if (isEntryPoint(import.meta.url)) runAsScript(benchTicketPage);
