/**
 * createTicket throughput through the GraphQL API: the real server in a child process on a fresh
 * PostgreSQL database, autocannon in this process, every request with its own idempotency key.
 */
import { isEntryPoint, runAsScript } from "./lib/cleanup.js";
import { backendCpuMeter, createBenchDatabase, foreignActivity } from "./lib/database.js";
import { DEMO_PASSWORD, login } from "./lib/graphql.js";
import { DEFAULT_PLAN, type LoadPlan, type LoadSummary, runLoad } from "./lib/load.js";
import { type ChildServer, coresUsed, cpuSnapshot, freePort, startPantau } from "./lib/processes.js";
import { banner, printTable, writeResult } from "./lib/report.js";
import { median, round } from "./lib/stats.js";
import { type CommitCheck, checkCommitted } from "./lib/verify.js";

export const CREATE_TICKET = `
  mutation($input: CreateTicketInput!) {
    createTicket(input: $input) {
      __typename
      ... on CreateTicketSuccess { ticket { id number status createdAt } }
      ... on Error { code message }
    }
  }
`;

/** The same citizen contact as the black-box tests, filed at one office. */
export const TICKET_INPUT = {
  unitCode: "KANIM-MALANG",
  kind: "COMPLAINT",
  channel: "WHATSAPP",
  subject: "Antrean paspor terlalu lama",
  description: "Saya menunggu lebih dari tiga jam di kantor imigrasi untuk foto paspor.",
  reporter: { name: "Budi Santoso", email: "budi.santoso@example.id", phone: "+62 812 3456 7890" },
};

const KEY_SLOT = "__IDEMPOTENCY_KEY__";

interface PayloadCounts {
  success: number;
  domainError: number;
  graphqlError: number;
  non2xx: number;
  samples: string[];
}

/** One autocannon run; the body is spliced around the key so that building it costs next to nothing. */
async function hammer(server: ChildServer, token: string, prefix: string, seconds: number, connections: number) {
  const [head, tail] = JSON.stringify({
    query: CREATE_TICKET,
    variables: { input: { ...TICKET_INPUT, idempotencyKey: KEY_SLOT } },
  }).split(KEY_SLOT);
  const counts: PayloadCounts = { success: 0, domainError: 0, graphqlError: 0, non2xx: 0, samples: [] };
  let sequence = 0;
  const load = await runLoad({
    url: server.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        path: "/graphql",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        setupRequest: (request) => {
          sequence += 1;
          return { ...request, body: `${head}${prefix}-${sequence.toString(36)}${tail}` };
        },
        onResponse: (status, body) => {
          if (status < 200 || status > 299) counts.non2xx += 1;
          else if (body.includes('"__typename":"CreateTicketSuccess"')) {
            counts.success += 1;
            return;
          } else if (body.includes('"errors"')) counts.graphqlError += 1;
          else counts.domainError += 1;
          if (counts.samples.length < 5) counts.samples.push(`${status} ${body.slice(0, 500)}`);
        },
      },
    ],
  });
  return { load, counts, requestsBuilt: sequence };
}

export interface FloorRound {
  round: number;
  load: LoadSummary;
  cores: ReturnType<typeof coresUsed>;
  serverCpuMsPerRequest: number;
  unexpected: number;
}

/** Medians over rounds of a fixed-body load: the floor under every request of its kind. */
export function summarizeFloor(rounds: readonly FloorRound[]) {
  return {
    rounds: rounds.length,
    requestsPerSecond: median(rounds.map((r) => r.load.requestsPerSecond)),
    latencyP50Ms: median(rounds.map((r) => r.load.latencyMs.p50)),
    latencyP99Ms: median(rounds.map((r) => r.load.latencyMs.p99)),
    serverCpuMsPerRequest: median(rounds.map((r) => r.serverCpuMsPerRequest)),
    unexpected: rounds.reduce((n, r) => n + r.unexpected, 0),
  };
}
export type FloorSummary = ReturnType<typeof summarizeFloor>;

/**
 * `{ __typename }` with the same bearer token: HTTP, Yoga, the session lookup and Pothos, but no
 * mutation. Separates the cost every request pays from the cost of createTicket itself.
 */
export async function measureSignedInFloor(server: ChildServer, token: string, plan: LoadPlan) {
  let unexpected = 0;
  const once = (seconds: number) =>
    runLoad({
      url: server.url,
      connections: plan.connections,
      duration: seconds,
      requests: [
        {
          method: "POST",
          path: "/graphql",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: "{ __typename }" }),
          onResponse: (status, body) => {
            if (status !== 200 || !body.includes('"__typename":"Query"')) unexpected += 1;
          },
        },
      ],
    });
  if (plan.warmupS > 0) await once(plan.warmupS);
  const rounds: FloorRound[] = [];
  for (let index = 1; index <= plan.rounds; index++) {
    unexpected = 0;
    const before = cpuSnapshot(server.pid);
    const load = await once(plan.durationS);
    const cores = coresUsed(before, cpuSnapshot(server.pid));
    const serverCpuMsPerRequest = round((cores.server * 1000) / Math.max(1, load.requestsPerSecond), 3);
    rounds.push({ round: index, load, cores, serverCpuMsPerRequest, unexpected });
    console.log(
      `signed-in { __typename } round ${index}: ${load.requestsPerSecond} req/s, p50 ${load.latencyMs.p50} ms, ` +
        `p99 ${load.latencyMs.p99} ms, server CPU ${serverCpuMsPerRequest} ms/request, unexpected ${unexpected}`,
    );
  }
  return { summary: summarizeFloor(rounds), rounds };
}

export interface CreateTicketRound {
  round: number;
  load: LoadSummary;
  payloads: PayloadCounts;
  committed: CommitCheck;
  committedPerSecond: number;
  /** Committed after autocannon stopped waiting: requests that were in flight at the end. */
  committedWithoutResponse: number;
  cores: ReturnType<typeof coresUsed>;
  /** Server CPU per committed ticket: on a saturated single Node thread, this is what caps throughput. */
  serverCpuMsPerTicket: number;
  /** CPU of every postgres process on the machine (other databases and background writers included). */
  postgresCpuMsPerTicket: number;
  /** CPU of the backends connected to the bench's database only. */
  backendCpuMsPerTicket: number;
  serverLog: { warn: number; error: number; fatal: number; unstructured: number };
  otherActiveSessions: number;
}

/** The real server on a fresh PostgreSQL database with a small seed, and a signed-in agent of KANIM-MALANG. */
export async function startCreateTicketServer() {
  const db = await createBenchDatabase("create");
  const server = await startPantau(
    { DATABASE_URL: db.url, PANTAU_SEED_DAYS: "1", PANTAU_SEED_TICKETS_PER_DAY: "10", DEMO_PASSWORD },
    { port: await freePort() },
  );
  console.log(`server ready in ${Math.round(server.readyMs)} ms at ${server.url} (database ${db.name})`);
  const token = await login(server.url, "agen.malang@pantau.demo", DEMO_PASSWORD);
  return {
    db,
    server,
    token,
    stop: async () => {
      await server.stop();
      await db.drop();
    },
  };
}
export type CreateTicketServer = Awaited<ReturnType<typeof startCreateTicketServer>>;

/** createTicket under `plan`: committed tickets per second and the CPU each one costs, checked in the database. */
export async function measureCreateTicket({ db, server, token }: CreateTicketServer, plan: LoadPlan) {
  const runId = Date.now().toString(36);
  const warmup = await hammer(server, token, `bench-${runId}-warmup`, plan.warmupS, plan.connections);
  console.log(`warm-up: ${warmup.load.completed} requests, ${warmup.load.requestsPerSecond} req/s`);

  const rounds: CreateTicketRound[] = [];
  for (let index = 1; index <= plan.rounds; index++) {
    const prefix = `bench-${runId}-r${index}`;
    const otherActiveSessions = await foreignActivity(db.name);
    const logBefore = server.log.snapshot();
    const backendCpu = await backendCpuMeter(db.name);
    const cpuBefore = cpuSnapshot(server.pid);
    const { load, counts } = await hammer(server, token, prefix, plan.durationS, plan.connections);
    const cores = coresUsed(cpuBefore, cpuSnapshot(server.pid));
    const backendCpuS = await backendCpu();
    const logAfter = server.log.snapshot();
    const committed = await checkCommitted(db.url, prefix);
    const tickets = Math.max(1, committed.tickets);
    const result: CreateTicketRound = {
      round: index,
      load,
      payloads: counts,
      committed,
      committedPerSecond: round(committed.tickets / load.durationS, 1),
      committedWithoutResponse: committed.tickets - counts.success,
      cores,
      serverCpuMsPerTicket: round((cores.server * 1000 * load.durationS) / tickets, 2),
      postgresCpuMsPerTicket: round((cores.postgres * 1000 * load.durationS) / tickets, 2),
      backendCpuMsPerTicket: round((backendCpuS * 1000) / tickets, 2),
      serverLog: {
        warn: logAfter.warn - logBefore.warn,
        error: logAfter.error - logBefore.error,
        fatal: logAfter.fatal - logBefore.fatal,
        unstructured: logAfter.unstructured - logBefore.unstructured,
      },
      otherActiveSessions,
    };
    rounds.push(result);
    console.log(
      `round ${index}: ${result.committedPerSecond} committed tickets/s, ${load.requestsPerSecond} responses/s, ` +
        `p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, success ${counts.success}, ` +
        `error payloads ${counts.domainError + counts.graphqlError}, non-2xx ${load.non2xx}, ` +
        `socket errors ${load.errors}, tickets=${committed.tickets} CREATED events=${committed.createdEvents} ` +
        `consistent=${committed.consistent}; cores server ${cores.server} postgres ${cores.postgres} load ${cores.loadGenerator}; ` +
        `CPU ms/ticket server ${result.serverCpuMsPerTicket} own backends ${result.backendCpuMsPerTicket}`,
    );
  }
  const summary = {
    measure: "createTicket via GraphQL",
    connections: plan.connections,
    durationS: plan.durationS,
    rounds: plan.rounds,
    serverReadyMs: Math.round(server.readyMs),
    medianCommittedPerSecond: median(rounds.map((r) => r.committedPerSecond)),
    medianResponsesPerSecond: median(rounds.map((r) => r.load.requestsPerSecond)),
    medianLatencyP50Ms: median(rounds.map((r) => r.load.latencyMs.p50)),
    medianLatencyP99Ms: median(rounds.map((r) => r.load.latencyMs.p99)),
    worstLatencyP99Ms: Math.max(...rounds.map((r) => r.load.latencyMs.p99)),
    medianServerCpuMsPerTicket: median(rounds.map((r) => r.serverCpuMsPerTicket)),
    medianPostgresCpuMsPerTicket: median(rounds.map((r) => r.postgresCpuMsPerTicket)),
    medianBackendCpuMsPerTicket: median(rounds.map((r) => r.backendCpuMsPerTicket)),
    allConsistent: rounds.every((r) => r.committed.consistent),
    totalSuccess: rounds.reduce((n, r) => n + r.payloads.success, 0),
    totalErrorPayloads: rounds.reduce((n, r) => n + r.payloads.domainError + r.payloads.graphqlError, 0),
    totalNon2xx: rounds.reduce((n, r) => n + r.load.non2xx, 0),
    totalSocketErrors: rounds.reduce((n, r) => n + r.load.errors, 0),
    serverLogProblems: server.log.firstProblems,
  };
  return { summary, warmup: warmup.load, rounds };
}

export async function benchCreateTicket(plan: LoadPlan = DEFAULT_PLAN) {
  banner(
    `createTicket via GraphQL: ${plan.connections} connections, ${plan.rounds} × ${plan.durationS} s after ${plan.warmupS} s warm-up`,
  );
  const bench = await startCreateTicketServer();
  const measured = await measureCreateTicket(bench, plan);
  // One round of half the length, without warm-up: the server is warm from the createTicket load.
  const floor = await measureSignedInFloor(bench.server, bench.token, {
    ...plan,
    durationS: Math.max(5, Math.round(plan.durationS / 2)),
    warmupS: 0,
    rounds: 1,
  });
  await bench.stop();

  const summary = { ...measured.summary, authenticatedNoop: floor.summary };
  printTable(
    "createTicket via GraphQL",
    measured.rounds.map((r) => ({
      round: r.round,
      "committed/s": r.committedPerSecond,
      "responses/s": r.load.requestsPerSecond,
      "p50 ms": r.load.latencyMs.p50,
      "p99 ms": r.load.latencyMs.p99,
      success: r.payloads.success,
      "error payloads": r.payloads.domainError + r.payloads.graphqlError,
      non2xx: r.load.non2xx,
      consistent: r.committed.consistent,
      "server cores": r.cores.server,
      "pg cores": r.cores.postgres,
      "load cores": r.cores.loadGenerator,
      "other cores": r.cores.others,
      "server CPU ms/ticket": r.serverCpuMsPerTicket,
      "backend CPU ms/ticket": r.backendCpuMsPerTicket,
    })),
  );
  const data = { summary, warmup: measured.warmup, rounds: measured.rounds, authenticatedNoop: floor.rounds };
  console.log(`written ${writeResult("create-ticket", data)}`);
  return summary;
}

if (isEntryPoint(import.meta.url)) runAsScript(() => benchCreateTicket());
