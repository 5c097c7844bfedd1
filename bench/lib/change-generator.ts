/**
 * Open-loop createTicket load at a fixed rate, in a process of its own. Requests are issued on a
 * schedule, not when the previous one answers, so a slow server does not lower the offered rate; the
 * schedule drops (and counts) a request rather than exceed the in-flight cap.
 *
 * `via: "sql"` writes each ticket and its CREATED event in one transaction straight into PostgreSQL, as
 * another instance's createTicket would commit them, so the event pipeline (outbox trigger, relay, bus,
 * fan-out) can be loaded beyond what this machine's one server thread can accept as mutations.
 */
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { CREATE_TICKET, TICKET_INPUT } from "../create-ticket.js";
import { isEntryPoint } from "./cleanup.js";
import { round } from "./stats.js";
import { forkWorker, serveRequests, type WorkerRequest } from "./worker.js";

export interface ChangeRunOptions {
  url: string;
  token: string;
  /** Changes per second offered. */
  rate: number;
  seconds: number;
  /** Tickets go to these units in turn, so each receives the same share. */
  unitCodes: string[];
  /** Idempotency keys are `<prefix>-<n>`: a round's tickets can be found in the database afterwards. */
  prefix: string;
  maxInFlight: number;
  /** "api" (default): createTicket over HTTP. "sql": a ticket and its CREATED event committed in PostgreSQL. */
  via?: "api" | "sql";
  /** Required for via "sql". */
  databaseUrl?: string;
}

export interface ChangeRun {
  planned: number;
  sent: number;
  /** Due while `maxInFlight` requests were still waiting: not sent, so the offered rate was not met. */
  skipped: number;
  succeeded: number;
  errorPayloads: number;
  non2xx: number;
  socketErrors: number;
  /** Still unanswered when the generator stopped waiting for them. */
  unanswered: number;
  /** Wall time of the issuing window (Date.now(), comparable with other processes on this machine). */
  startedAt: number;
  endedAt: number;
  windowS: number;
  /** Successful changes over the issuing window. */
  achievedPerSecond: number;
  responseMs: { p50: number; p90: number; p99: number; max: number };
  samples: string[];
}

const UNIT_SLOT = "__UNIT_CODE__";
const KEY_SLOT = "__IDEMPOTENCY_KEY__";
/** Long enough for a saturated server, short enough to keep every phase bounded. */
const REQUEST_TIMEOUT_MS = 10_000;
const DRAIN_TIMEOUT_MS = 15_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function nearestRank(sorted: readonly number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1] as number;
}

// One statement, so one transaction: the ticket and its CREATED event commit together, as createTicket's do.
const INSERT_TICKET = `
  WITH t AS (
    INSERT INTO ticket (number, subject, description, kind, channel, priority, unit_id, idempotency_key)
    SELECT $2, 'Pertanyaan status permohonan paspor', 'Dibuat oleh pengukur beban langsung di basis data.',
           'INFORMATION_REQUEST', 'WHATSAPP', 'NORMAL', u.id, $3
    FROM unit u WHERE u.code = $1
    RETURNING id, unit_id, created_at
  )
  INSERT INTO ticket_event (ticket_id, unit_id, type, actor_label, at, data)
  SELECT id, unit_id, 'CREATED', 'bench', clock_timestamp(), '{}'::jsonb FROM t`;

/** A request: resolves with an error payload sample (null when it succeeded), rejects on a socket error. */
type Issue = (unitCode: string, key: string) => Promise<{ ok: boolean; status: number; sample: string | null }>;

function sqlIssuer(options: ChangeRunOptions): { issue: Issue; close: () => Promise<void> } {
  if (!options.databaseUrl) throw new Error("via sql needs databaseUrl");
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: Math.min(options.maxInFlight, 16) });
  return {
    issue: async (unitCode, key) => {
      const number = `B-${key}`.slice(0, 32);
      const result = await pool.query(INSERT_TICKET, [unitCode, number, key]);
      return result.rowCount === 1
        ? { ok: true, status: 200, sample: null }
        : { ok: false, status: 200, sample: `no ticket written for ${unitCode}` };
    },
    close: () => pool.end(),
  };
}

async function run(options: ChangeRunOptions): Promise<ChangeRun> {
  const direct = options.via === "sql" ? sqlIssuer(options) : null;
  const target = new URL(`${options.url}/graphql`);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxInFlight });
  const template = JSON.stringify({
    query: CREATE_TICKET,
    variables: { input: { ...TICKET_INPUT, unitCode: UNIT_SLOT, idempotencyKey: KEY_SLOT } },
  });
  const planned = Math.round(options.rate * options.seconds);
  const stats = { sent: 0, skipped: 0, succeeded: 0, errorPayloads: 0, non2xx: 0, socketErrors: 0 };
  const samples: string[] = [];
  const responseMs: number[] = [];
  let inFlight = 0;
  let issued = 0;

  const send = (n: number) => {
    const unitCode = options.unitCodes[(n - 1) % options.unitCodes.length] as string;
    const body = template.replace(UNIT_SLOT, unitCode).replace(KEY_SLOT, `${options.prefix}-${n.toString(36)}`);
    const startedAt = performance.now();
    inFlight += 1;
    stats.sent += 1;
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      inFlight -= 1;
      return true;
    };
    if (direct) {
      direct.issue(unitCode, `${options.prefix}-${n.toString(36)}`).then(
        ({ ok, sample }) => {
          if (!settle()) return;
          responseMs.push(performance.now() - startedAt);
          if (ok) stats.succeeded += 1;
          else stats.errorPayloads += 1;
          if (sample && samples.length < 5) samples.push(sample);
        },
        (error) => {
          if (!settle()) return;
          stats.socketErrors += 1;
          if (samples.length < 5) samples.push(String(error));
        },
      );
      return;
    }
    const req = request(
      {
        agent,
        method: "POST",
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization: `Bearer ${options.token}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          if (!settle()) return;
          responseMs.push(performance.now() - startedAt);
          const text = Buffer.concat(chunks).toString();
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) stats.non2xx += 1;
          else if (text.includes('"__typename":"CreateTicketSuccess"')) {
            stats.succeeded += 1;
            return;
          } else stats.errorPayloads += 1;
          if (samples.length < 5) samples.push(`${status} ${text.slice(0, 500)}`);
        });
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error("request timed out")));
    req.on("error", (error) => {
      if (!settle()) return;
      stats.socketErrors += 1;
      if (samples.length < 5) samples.push(String(error));
    });
    req.end(body);
  };

  const startedAt = Date.now();
  const t0 = performance.now();
  const windowMs = options.seconds * 1000;
  await new Promise<void>((resolve) => {
    // A short tick issues whatever fell due since the last one, so a late timer catches up in a burst
    // instead of lowering the rate.
    const timer = setInterval(() => {
      const elapsed = performance.now() - t0;
      const due = Math.min(planned, Math.floor((Math.min(elapsed, windowMs) / 1000) * options.rate));
      while (issued < due) {
        issued += 1;
        if (inFlight >= options.maxInFlight) stats.skipped += 1;
        else send(issued);
      }
      if (elapsed >= windowMs) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  const endedAt = Date.now();
  const windowS = (performance.now() - t0) / 1000;
  const deadline = performance.now() + DRAIN_TIMEOUT_MS;
  while (inFlight > 0 && performance.now() < deadline) await sleep(10);
  const unanswered = inFlight;
  agent.destroy();
  await direct?.close();
  responseMs.sort((a, b) => a - b);
  return {
    planned,
    ...stats,
    unanswered,
    startedAt,
    endedAt,
    windowS: round(windowS, 3),
    achievedPerSecond: round(stats.succeeded / windowS, 1),
    responseMs: {
      p50: round(nearestRank(responseMs, 50), 1),
      p90: round(nearestRank(responseMs, 90), 1),
      p99: round(nearestRank(responseMs, 99), 1),
      max: round(responseMs[responseMs.length - 1] ?? Number.NaN, 1),
    },
    samples,
  };
}

export interface ChangeGenerator {
  readonly pid: number;
  run(options: ChangeRunOptions): Promise<ChangeRun>;
  stop(): Promise<void>;
}

export function startChangeGenerator(): ChangeGenerator {
  const worker = forkWorker(fileURLToPath(import.meta.url), "change generator");
  return {
    pid: worker.pid,
    run: (options) =>
      worker.request<ChangeRun>(
        { type: "run", options },
        (options.seconds + REQUEST_TIMEOUT_MS / 1000 + DRAIN_TIMEOUT_MS / 1000 + 30) * 1000,
      ),
    stop: () => worker.stop(),
  };
}

if (isEntryPoint(import.meta.url)) {
  serveRequests({ run: (message: WorkerRequest) => run(message.options as ChangeRunOptions) });
}
