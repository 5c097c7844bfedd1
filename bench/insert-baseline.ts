/**
 * The floor for createTicket: the same transaction (nextval, INSERT ticket, INSERT ticket_event) sent
 * straight from `pg`, at the same concurrency, with no HTTP, GraphQL or Prisma in the way.
 */
import { createHash } from "node:crypto";
import pg from "pg";
import { TICKET_INPUT } from "./create-ticket.js";
import { deferCleanup, isEntryPoint, runAsScript, stopping } from "./lib/cleanup.js";
import { backendCpuMeter, createBenchDatabase, foreignActivity } from "./lib/database.js";
import { DEMO_PASSWORD } from "./lib/graphql.js";
import { DEFAULT_PLAN, type LoadPlan } from "./lib/load.js";
import { coresUsed, cpuSnapshot, freePort, startPantau } from "./lib/processes.js";
import { banner, printTable, writeResult } from "./lib/report.js";
import { median, round, summarize } from "./lib/stats.js";
import { type CommitCheck, checkCommitted } from "./lib/verify.js";

// Column for column what Prisma writes for createTicket; RETURNING * because Prisma reads the rows back.
const INSERT_TICKET = `
  INSERT INTO ticket (number, subject, description, kind, channel, priority, category_id, unit_id, external_ref,
    reporter_name, reporter_email, reporter_phone, idempotency_key, request_hash, created_at, updated_at)
  VALUES ($1, $2, $3, $4::"TicketKind", $5::"Channel", $6::"Priority", NULL, $7, NULL, $8, $9, $10, $11, $12, $13, $13)
  RETURNING *`;
const INSERT_EVENT = `
  INSERT INTO ticket_event (ticket_id, unit_id, type, actor_id, actor_label, at, data)
  VALUES ($1, $2, 'CREATED', $3, NULL, $4, $5::jsonb)
  RETURNING *`;

interface Target {
  unitId: number;
  actorId: string;
}

async function insertOne(pool: pg.Pool, target: Target, key: string) {
  const now = new Date();
  const hash = createHash("sha256")
    .update(JSON.stringify({ ...TICKET_INPUT, idempotencyKey: key, priority: "NORMAL" }))
    .digest("hex");
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ n: string }>("SELECT nextval('ticket_number_seq') AS n");
    const number = `IMI-${now.getUTCFullYear()}-${String(rows[0]?.n ?? 0).padStart(7, "0")}`;
    const ticket = await client.query<{ id: string }>(INSERT_TICKET, [
      number,
      TICKET_INPUT.subject,
      TICKET_INPUT.description,
      TICKET_INPUT.kind,
      TICKET_INPUT.channel,
      "NORMAL",
      target.unitId,
      TICKET_INPUT.reporter.name,
      TICKET_INPUT.reporter.email,
      TICKET_INPUT.reporter.phone,
      key,
      hash,
      now,
    ]);
    await client.query(INSERT_EVENT, [
      ticket.rows[0]?.id,
      target.unitId,
      target.actorId,
      now,
      JSON.stringify({ status: "NEW", channel: TICKET_INPUT.channel }),
    ]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** CONNECTIONS workers, each one transaction at a time, like autocannon's connections. */
async function drive(pool: pg.Pool, target: Target, prefix: string, seconds: number, connections: number) {
  const latencies: number[] = [];
  const errors: string[] = [];
  let sequence = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    // Bounded errors too: a database that went away must not turn this into a busy loop.
    while (performance.now() < deadline && !stopping() && errors.length < 1000) {
      sequence += 1;
      const t0 = performance.now();
      try {
        await insertOne(pool, target, `${prefix}-${sequence.toString(36)}`);
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const durationS = (performance.now() - started) / 1000;
  return { durationS, latencies, errors };
}

/** A fresh database with the server's schema and reference data, and a pool of `connections` to it. */
export async function startInsertBaseline(connections: number) {
  const db = await createBenchDatabase("insert");
  // The server creates the schema and the reference data exactly as for the GraphQL measure, then leaves.
  const server = await startPantau(
    { DATABASE_URL: db.url, PANTAU_SEED_DAYS: "1", PANTAU_SEED_TICKETS_PER_DAY: "10", DEMO_PASSWORD },
    { port: await freePort() },
  );
  await server.stop();

  const pool = new pg.Pool({ connectionString: db.url, max: connections });
  // pool.end() resolves before every backend has gone; DROP DATABASE … FORCE then terminates the
  // stragglers, and an unhandled 'error' on an idle client would abort the whole run.
  pool.on("error", () => {});
  const endPool = deferCleanup(() => pool.end());
  const { rows } = await pool.query<{ unit_id: number; actor_id: string }>(
    `SELECT u.id AS unit_id, a.id AS actor_id FROM unit u, app_user a
     WHERE u.code = $1 AND a.email = 'agen.malang@pantau.demo'`,
    [TICKET_INPUT.unitCode],
  );
  const first = rows[0];
  if (!first) throw new Error("seeded unit or demo agent is missing");
  const target: Target = { unitId: first.unit_id, actorId: first.actor_id };
  return {
    db,
    pool,
    target,
    stop: async () => {
      await endPool();
      await db.drop();
    },
  };
}
export type InsertBaseline = Awaited<ReturnType<typeof startInsertBaseline>>;

/** The raw transactions under `plan`: committed per second and PostgreSQL CPU per insert. */
export async function measureInsertBaseline({ db, pool, target }: InsertBaseline, plan: LoadPlan) {
  const runId = Date.now().toString(36);
  const warmup = await drive(pool, target, `raw-${runId}-warmup`, plan.warmupS, plan.connections);
  console.log(`warm-up: ${warmup.latencies.length} transactions`);

  const rounds = [];
  for (let index = 1; index <= plan.rounds; index++) {
    const prefix = `raw-${runId}-r${index}`;
    const otherActiveSessions = await foreignActivity(db.name);
    const backendCpu = await backendCpuMeter(db.name);
    const cpuBefore = cpuSnapshot(null);
    const run = await drive(pool, target, prefix, plan.durationS, plan.connections);
    const cores = coresUsed(cpuBefore, cpuSnapshot(null));
    const backendCpuS = await backendCpu();
    const committed: CommitCheck = await checkCommitted(db.url, prefix);
    const latency = summarize(run.latencies);
    const inserts = Math.max(1, committed.tickets);
    const result = {
      round: index,
      durationS: round(run.durationS, 3),
      transactions: run.latencies.length,
      committedPerSecond: round(committed.tickets / run.durationS, 1),
      latency,
      errors: run.errors.length,
      errorSamples: [...new Set(run.errors)].slice(0, 5),
      committed,
      cores: {
        postgres: cores.postgres,
        client: cores.loadGenerator,
        others: cores.others,
        machineBusyPercent: cores.machineBusyPercent,
      },
      /** Every postgres process on the machine: other databases and the background writers included. */
      postgresCpuMsPerInsert: round((cores.postgres * 1000 * run.durationS) / inserts, 3),
      /** The backends of the bench's database only. */
      backendCpuMsPerInsert: round((backendCpuS * 1000) / inserts, 3),
      otherActiveSessions,
    };
    rounds.push(result);
    console.log(
      `round ${index}: ${result.committedPerSecond} committed tickets/s, p50 ${latency.medianMs} ms, p99 ${latency.p99Ms} ms, ` +
        `errors ${result.errors}, consistent=${committed.consistent}; cores postgres ${cores.postgres} client ${cores.loadGenerator}; ` +
        `PostgreSQL CPU ms/insert ${result.postgresCpuMsPerInsert} (own backends ${result.backendCpuMsPerInsert})`,
    );
  }
  const summary = {
    measure: "raw SQL insert (pg)",
    connections: plan.connections,
    durationS: plan.durationS,
    rounds: plan.rounds,
    medianCommittedPerSecond: median(rounds.map((r) => r.committedPerSecond)),
    medianLatencyP50Ms: median(rounds.map((r) => r.latency.medianMs)),
    medianLatencyP99Ms: median(rounds.map((r) => r.latency.p99Ms)),
    medianPostgresCpuMsPerInsert: median(rounds.map((r) => r.postgresCpuMsPerInsert)),
    medianBackendCpuMsPerInsert: median(rounds.map((r) => r.backendCpuMsPerInsert)),
    allConsistent: rounds.every((r) => r.committed.consistent),
    totalErrors: rounds.reduce((n, r) => n + r.errors, 0),
  };
  return { summary, warmup: { transactions: warmup.latencies.length, errors: warmup.errors.length }, rounds };
}

export async function benchInsertBaseline(plan: LoadPlan = DEFAULT_PLAN) {
  banner(
    `raw SQL insert (pg): ${plan.connections} connections, ${plan.rounds} × ${plan.durationS} s after ${plan.warmupS} s warm-up`,
  );
  const baseline = await startInsertBaseline(plan.connections);
  const { summary, warmup, rounds } = await measureInsertBaseline(baseline, plan);
  await baseline.stop();
  printTable(
    "raw SQL insert (pg)",
    rounds.map((r) => ({
      round: r.round,
      "committed/s": r.committedPerSecond,
      "p50 ms": r.latency.medianMs,
      "p99 ms": r.latency.p99Ms,
      errors: r.errors,
      consistent: r.committed.consistent,
      "pg cores": r.cores.postgres,
      "client cores": r.cores.client,
      "other cores": r.cores.others,
      "pg CPU ms/insert": r.postgresCpuMsPerInsert,
      "own backends ms/insert": r.backendCpuMsPerInsert,
    })),
  );
  console.log(`written ${writeResult("insert-baseline", { summary, warmup, rounds })}`);
  return summary;
}

if (isEntryPoint(import.meta.url)) runAsScript(() => benchInsertBaseline());
