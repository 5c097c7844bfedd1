/** The HTTP/GraphQL floor: a bare graphql-yoga server answering `{ ok }` under the createTicket load. */
import { type FloorRound, summarizeFloor } from "./create-ticket.js";
import { isEntryPoint, runAsScript } from "./lib/cleanup.js";
import { DEFAULT_PLAN, type LoadPlan, runLoad } from "./lib/load.js";
import { BENCH_DIR, type ChildServer, coresUsed, cpuSnapshot, freePort, startChild } from "./lib/processes.js";
import { banner, printTable, writeResult } from "./lib/report.js";
import { round } from "./lib/stats.js";

const BODY = JSON.stringify({ query: "{ ok }" });
const EXPECTED = '{"data":{"ok":true}}';

async function hammer(server: ChildServer, seconds: number, connections: number) {
  let unexpected = 0;
  const samples: string[] = [];
  const load = await runLoad({
    url: server.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        path: "/graphql",
        headers: { "content-type": "application/json" },
        body: BODY,
        onResponse: (status, body) => {
          if (status === 200 && body === EXPECTED) return;
          unexpected += 1;
          if (samples.length < 5) samples.push(`${status} ${body.slice(0, 300)}`);
        },
      },
    ],
  });
  return { load, unexpected, samples };
}

/** The bare Yoga server of fixtures/bare-yoga.ts in a child process. */
export async function startYogaFloor() {
  return startChild({ cwd: BENCH_DIR, script: "fixtures/bare-yoga.ts", env: {}, port: await freePort() });
}

/** `{ ok }` under `plan`: requests per second and server CPU per request, per round. */
export async function measureYogaFloor(server: ChildServer, plan: LoadPlan) {
  const warmup = await hammer(server, plan.warmupS, plan.connections);
  console.log(`warm-up: ${warmup.load.completed} requests, ${warmup.load.requestsPerSecond} req/s`);
  const rounds: (FloorRound & { samples: string[] })[] = [];
  for (let index = 1; index <= plan.rounds; index++) {
    const before = cpuSnapshot(server.pid);
    const { load, unexpected, samples } = await hammer(server, plan.durationS, plan.connections);
    const cores = coresUsed(before, cpuSnapshot(server.pid));
    const serverCpuMsPerRequest = round((cores.server * 1000) / Math.max(1, load.requestsPerSecond), 3);
    rounds.push({ round: index, load, unexpected, samples, cores, serverCpuMsPerRequest });
    console.log(
      `bare Yoga round ${index}: ${load.requestsPerSecond} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, ` +
        `server CPU ${serverCpuMsPerRequest} ms/request, unexpected ${unexpected}, non-2xx ${load.non2xx}; ` +
        `cores server ${cores.server} load ${cores.loadGenerator}`,
    );
  }
  return { summary: summarizeFloor(rounds), warmup: warmup.load, rounds };
}

export async function benchYogaFloor(plan: LoadPlan = DEFAULT_PLAN) {
  banner(
    `bare Yoga { ok }: ${plan.connections} connections, ${plan.rounds} × ${plan.durationS} s after ${plan.warmupS} s warm-up`,
  );
  const server = await startYogaFloor();
  const { summary: floor, warmup, rounds } = await measureYogaFloor(server, plan);
  await server.stop();

  const summary = {
    measure: "bare Yoga { ok }",
    connections: plan.connections,
    durationS: plan.durationS,
    rounds: plan.rounds,
    medianRequestsPerSecond: floor.requestsPerSecond,
    medianLatencyP50Ms: floor.latencyP50Ms,
    medianLatencyP99Ms: floor.latencyP99Ms,
    medianServerCpuMsPerRequest: floor.serverCpuMsPerRequest,
    totalUnexpected: floor.unexpected,
    totalNon2xx: rounds.reduce((n, r) => n + r.load.non2xx, 0),
  };
  printTable(
    "bare Yoga { ok }",
    rounds.map((r) => ({
      round: r.round,
      "req/s": r.load.requestsPerSecond,
      "p50 ms": r.load.latencyMs.p50,
      "p99 ms": r.load.latencyMs.p99,
      unexpected: r.unexpected,
      "server cores": r.cores.server,
      "load cores": r.cores.loadGenerator,
      "other cores": r.cores.others,
    })),
  );
  console.log(`written ${writeResult("yoga-floor", { summary, warmup, rounds })}`);
  return summary;
}

if (isEntryPoint(import.meta.url)) runAsScript(() => benchYogaFloor());
