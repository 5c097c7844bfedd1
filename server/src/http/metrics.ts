import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "../db/database.js";
import type { TicketEventType } from "../generated/prisma/enums.js";
import type { Logger } from "../logger.js";
import { inboundFigures } from "../modules/inbound/inbound-store.js";
import { queueFigures } from "../modules/outbound/outbound-store.js";
import type { SubscriptionKind } from "../modules/realtime/realtime.js";

/** What the exposition reads from the running server when it is scraped. */
export interface MetricsSources {
  db: Database;
  /** The pool of background work (relay, detector, workers) when it is not `db`'s. */
  background?: Database;
  /** Whether /metrics is served at all: statements are timed only then. */
  enabled: boolean;
  logger: Logger;
  version: string;
  /** This instance's live state; null until the realtime layer has started. */
  live: () => { hubPosition: bigint; subscriptions: Record<SubscriptionKind, number> } | null;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Most statements answer in well under a millisecond; the slow tail is what the upper buckets catch. */
const STATEMENT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Operation names are the client's to choose: past this many distinct ones, the rest are counted as one. */
const MAX_OPERATION_NAMES = 100;
const OTHER_OPERATIONS = "_other";
/** A scrape reads a few indexed aggregates; it must not hang on a database that does not answer. */
const SCRAPE_QUERY_TIMEOUT_MS = 2_000;

export type Route = "graphql" | "export" | "dashboard" | "other";

export const routeOf = (path: string): Route =>
  path === "/graphql" || path.startsWith("/graphql/")
    ? "graphql"
    : path.startsWith("/export/")
      ? "export"
      : path.startsWith("/assets/") || path === "/" || !path.includes(".")
        ? "dashboard"
        : "other";

/**
 * Prometheus metrics of one server instance, on a registry of its own (several instances may share a
 * process in tests). Counters and histograms are fed by the request path; the rest is read at scrape time.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"route" | "status">;
  private readonly requestSeconds: Histogram<"route">;
  private readonly operationSeconds: Histogram<"operation">;
  private readonly refusals: Counter<"code">;
  private readonly faults: Counter;
  private readonly slaEvents: Counter<"type">;
  private readonly operationNames = new Set<string>();

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "pantau_" });
    new Gauge({
      name: "pantau_build_info",
      help: "The running build: always 1, with its version and Node.js version as labels.",
      labelNames: ["version", "node"],
      registers,
    }).set({ version: sources.version, node: process.versions.node }, 1);
    this.requests = new Counter({
      name: "pantau_http_requests_total",
      help: "HTTP requests answered, by route and status.",
      labelNames: ["route", "status"],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: "pantau_http_request_duration_seconds",
      help: "Time from a request's arrival to the end of its response, by route.",
      labelNames: ["route"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.operationSeconds = new Histogram({
      name: "pantau_graphql_operation_duration_seconds",
      help: `GraphQL requests over HTTP by operation name (anonymous: "", beyond ${MAX_OPERATION_NAMES} names: ${OTHER_OPERATIONS}).`,
      labelNames: ["operation"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.refusals = new Counter({
      name: "pantau_graphql_refusals_total",
      help: "Requests and operations refused, by code: limits (RATE_LIMITED, QUERY_TOO_COSTLY, …), access, validation.",
      labelNames: ["code"],
      registers,
    });
    this.faults = new Counter({
      name: "pantau_graphql_faults_total",
      help: "Unexpected errors (logged at error level).",
      registers,
    });
    this.slaEvents = new Counter({
      name: "pantau_sla_events_written_total",
      help: "SLA events the detection loop of this instance wrote and committed, by type (SLA_BREACHED: breaches).",
      labelNames: ["type"],
      registers,
    });
    for (const type of ["SLA_AT_RISK", "SLA_BREACHED"]) this.slaEvents.inc({ type }, 0);
    const { db } = sources;
    if (sources.enabled) {
      const statementSeconds = new Histogram({
        name: "pantau_db_statement_duration_seconds",
        help: "Time from sending a statement to its answer, Prisma's and plain SQL alike, by pool (api: requests; background: relay, detector, workers) and outcome.",
        labelNames: ["pool", "outcome"],
        buckets: STATEMENT_BUCKETS,
        registers,
      });
      const timeStatements = (pool: string, of: Database) => {
        const ok = statementSeconds.labels(pool, "ok");
        const error = statementSeconds.labels(pool, "error");
        of.onStatement((seconds, failed) => (failed ? error : ok).observe(seconds));
      };
      timeStatements("api", db);
      if (sources.background && sources.background !== db) timeStatements("background", sources.background);
    }
    new Gauge({
      name: "pantau_db_pool_connections",
      help: "Database connections of the API pool, by state; waiting counts requests queued for one.",
      labelNames: ["state"],
      registers,
      collect() {
        const stats = db.poolStats();
        this.set({ state: "total" }, stats.total);
        this.set({ state: "idle" }, stats.idle);
        this.set({ state: "waiting" }, stats.waiting);
      },
    });
    const live = sources.live;
    new Gauge({
      name: "pantau_live_subscriptions",
      help: "Live subscriptions open on this instance, by subscription field.",
      labelNames: ["kind"],
      registers,
      collect() {
        const open = live()?.subscriptions;
        for (const kind of ["ticketEvents", "slaAlerts", "queue", "ticket"] as const)
          this.set({ kind }, open?.[kind] ?? 0);
      },
    });
    const stream = new Gauge({
      name: "pantau_event_stream_position",
      help: "Positions in the event stream: the head (ordered), what the relay has published, and this instance's hub.",
      labelNames: ["of"],
      registers,
    });
    const outbox = new Gauge({ name: "pantau_event_outbox_pending", help: "Events not yet ordered.", registers });
    const relayLag = new Gauge({
      name: "pantau_relay_lag_seconds",
      help: "How long the oldest event not yet ordered into the stream has waited (0 when none waits).",
      registers,
    });
    const inbound = new Gauge({
      name: "pantau_inbound_messages",
      help: "Inbound items (WhatsApp, e-mail) not yet handled (RECEIVED) or given up on (FAILED), by channel.",
      labelNames: ["channel", "status"],
      registers,
    });
    const inboundAge = new Gauge({
      name: "pantau_inbound_oldest_seconds",
      help: "How long the oldest inbound item not yet handled has waited, by channel.",
      labelNames: ["channel"],
      registers,
    });
    const clocksDue = new Gauge({
      name: "pantau_sla_clocks_due",
      help: "Clocks whose next transition is due and not yet handled by the detector.",
      registers,
    });
    const detectorLag = new Gauge({
      name: "pantau_sla_detector_lag_seconds",
      help: "How long the oldest due clock transition has waited for the detector (0 when none is due).",
      registers,
    });
    const outbound = new Gauge({
      name: "pantau_outbound_messages",
      help: "Outbound messages not yet delivered, by channel and status (DEAD: dead-lettered).",
      labelNames: ["channel", "status"],
      registers,
    });
    const scrapeErrors = new Counter({
      name: "pantau_metrics_scrape_errors_total",
      help: "Scrapes whose database figures could not be read (the database did not answer in time).",
      registers,
    });
    // Database figures, read once per scrape; one gauge's collect runs them for all.
    new Gauge({
      name: "pantau_metrics_database_read_seconds",
      help: "Time the last scrape spent reading database figures.",
      registers,
      async collect() {
        const started = performance.now();
        try {
          await withTimeout(
            (async () => {
              const [figures] = await db.sql.query<{
                head: string;
                published: string;
                pending: number;
                due: number;
                lag: number | null;
                relayLag: number | null;
              }>(
                `SELECT (SELECT coalesce(max(position), 0) FROM event_stream)::text AS head,
                   (SELECT published_through FROM event_relay WHERE id = 1)::text AS published,
                   (SELECT count(*)::int FROM event_outbox) AS pending,
                   (SELECT count(*)::int FROM ticket_clock WHERE next_check_at <= now()) AS due,
                   (SELECT extract(epoch FROM now() - min(next_check_at))::float8 FROM ticket_clock
                     WHERE next_check_at <= now()) AS lag,
                   (SELECT extract(epoch FROM now() - e.at)::float8 FROM ticket_event e
                     WHERE e.sequence = (SELECT min(event_sequence) FROM event_outbox)) AS "relayLag"`,
              );
              stream.set({ of: "head" }, Number(figures?.head ?? 0));
              stream.set({ of: "published" }, Number(figures?.published ?? 0));
              const hub = live();
              if (hub) stream.set({ of: "hub" }, Number(hub.hubPosition));
              outbox.set(figures?.pending ?? 0);
              relayLag.set(Math.max(0, figures?.relayLag ?? 0));
              clocksDue.set(figures?.due ?? 0);
              detectorLag.set(Math.max(0, figures?.lag ?? 0));
              outbound.reset();
              for (const figure of await queueFigures(db.sql)) {
                outbound.set({ channel: figure.channel, status: figure.status }, figure.count);
              }
              inbound.reset();
              inboundAge.reset();
              const scraped = Date.now();
              for (const figure of await inboundFigures(db.sql)) {
                inbound.set({ channel: figure.channel, status: figure.status }, figure.count);
                if (figure.status === "RECEIVED" && figure.oldestAt) {
                  inboundAge.set(
                    { channel: figure.channel },
                    Math.max(0, (scraped - figure.oldestAt.getTime()) / 1000),
                  );
                }
              }
            })(),
            SCRAPE_QUERY_TIMEOUT_MS,
          );
        } catch (error) {
          scrapeErrors.inc();
          sources.logger.warn({ err: error }, "metrics: database figures unavailable");
        }
        this.set((performance.now() - started) / 1000);
      },
    });
  }

  /** One answered HTTP request (the access line's figures). */
  observeRequest(path: string, status: number, seconds: number, operation: string | undefined): void {
    const route = routeOf(path);
    this.requests.inc({ route, status: String(status) });
    this.requestSeconds.observe({ route }, seconds);
    if (route !== "graphql") return;
    let name = operation ?? "";
    if (!this.operationNames.has(name)) {
      if (this.operationNames.size >= MAX_OPERATION_NAMES) name = OTHER_OPERATIONS;
      else this.operationNames.add(name);
    }
    this.operationSeconds.observe({ operation: name }, seconds);
  }

  refused(code: string): void {
    this.refusals.inc({ code });
  }

  fault(): void {
    this.faults.inc();
  }

  /** SLA events a committed detection pass wrote. */
  slaEventsWritten(types: readonly TicketEventType[]): void {
    for (const type of types) this.slaEvents.inc({ type });
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Answers a scrape when the caller may see the figures: with the bearer token when one is configured;
 * on a port of its own (off the public one) a token is optional.
 */
export async function serveMetrics(
  metrics: ServerMetrics,
  req: IncomingMessage,
  res: ServerResponse,
  token: string | null,
): Promise<void> {
  if (token && !sameSecret(req.headers.authorization ?? "", `Bearer ${token}`)) {
    res.writeHead(401, { "content-type": "text/plain", "www-authenticate": 'Bearer realm="metrics"' }).end();
    return;
  }
  const body = await metrics.registry.metrics();
  res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" }).end(body);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
