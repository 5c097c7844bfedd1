/** The HTTP/GraphQL floor: a bare graphql-yoga server answering `{ ok }` under the createTicket load. */
import { isEntryPoint, runAsScript } from "./lib/cleanup.js";
import { CONNECTIONS, DURATION_S, type LoadSummary, ROUNDS, runLoad, WARMUP_S } from "./lib/load.js";
import { BENCH_DIR, type ChildServer, coresUsed, cpuSnapshot, freePort, startChild } from "./lib/processes.js";
import { banner, printTable, writeResult } from "./lib/report.js";
import { median, round } from "./lib/stats.js";

const BODY = JSON.stringify({ query: "{ ok }" });
const EXPECTED = '{"data":{"ok":true}}';

async function hammer(server: ChildServer, seconds: number) {
  let unexpected = 0;
  const samples: string[] = [];
  const load = await runLoad({
    url: server.url,
    connections: CONNECTIONS,
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

export async function benchYogaFloor() {
  banner(`bare Yoga { ok }: ${CONNECTIONS} connections, ${ROUNDS} × ${DURATION_S} s after ${WARMUP_S} s warm-up`);
  const server = await startChild({ cwd: BENCH_DIR, script: "fixtures/bare-yoga.ts", env: {}, port: await freePort() });
  const warmup = await hammer(server, WARMUP_S);
  console.log(`warm-up: ${warmup.load.completed} requests, ${warmup.load.requestsPerSecond} req/s`);
  const rounds: {
    round: number;
    load: LoadSummary;
    unexpected: number;
    samples: string[];
    cores: ReturnType<typeof coresUsed>;
  }[] = [];
  for (let index = 1; index <= ROUNDS; index++) {
    const before = cpuSnapshot(server.pid);
    const { load, unexpected, samples } = await hammer(server, DURATION_S);
    const cores = coresUsed(before, cpuSnapshot(server.pid));
    rounds.push({ round: index, load, unexpected, samples, cores });
    console.log(
      `round ${index}: ${load.requestsPerSecond} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, ` +
        `unexpected ${unexpected}, non-2xx ${load.non2xx}; cores server ${cores.server} load ${cores.loadGenerator}`,
    );
  }
  await server.stop();

  const summary = {
    measure: "bare Yoga { ok }",
    connections: CONNECTIONS,
    durationS: DURATION_S,
    rounds: ROUNDS,
    medianRequestsPerSecond: median(rounds.map((r) => r.load.requestsPerSecond)),
    medianLatencyP50Ms: median(rounds.map((r) => r.load.latencyMs.p50)),
    medianLatencyP99Ms: median(rounds.map((r) => r.load.latencyMs.p99)),
    medianServerCpuMsPerRequest: median(
      rounds.map((r) => round((r.cores.server * 1000) / r.load.requestsPerSecond, 3)),
    ),
    totalUnexpected: rounds.reduce((n, r) => n + r.unexpected, 0),
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
  console.log(`written ${writeResult("yoga-floor", { summary, warmup: warmup.load, rounds })}`);
  return summary;
}

if (isEntryPoint(import.meta.url)) runAsScript(benchYogaFloor);
