import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PothosValidationError } from "@pothos/core";
import { GraphQLError } from "graphql";
import { createYoga, maskError as defaultMaskError } from "graphql-yoga";
import type { Redis } from "ioredis";
import type { Config } from "./config/env.js";
import { type Database, openDatabase } from "./db/database.js";
import { migrate, pendingMigrations } from "./db/migrator.js";
import { type StartedPglite, startPglite } from "./db/pglite-start.js";
import { isStatementTimeout } from "./db/statement-timeout.js";
import { databaseUnavailableError, isDatabaseUnavailable } from "./db/unavailable.js";
import { DomainError } from "./errors.js";
import type { Unit } from "./generated/prisma/client.js";
import type { Context } from "./graphql/context.js";
import { refusalCode } from "./graphql/refusals.js";
import { schema } from "./graphql/schema.js";
import { useBodyLimit } from "./http/body-limit.js";
import { CSRF_HEADER, useCsrfPrevention } from "./http/csrf.js";
import { csvExports } from "./http/csv-export.js";
import { ServerMetrics, serveMetrics } from "./http/metrics.js";
import { openData } from "./http/open-data.js";
import {
  noteOperation,
  REQUEST_ID_HEADER,
  type RequestScope,
  requestIdFrom,
  requestScope,
} from "./http/request-scope.js";
import { staticFiles } from "./http/static-files.js";
import { attachWebSocket, type WebSocketServerContext } from "./http/websocket.js";
import { createLogger, type Logger } from "./logger.js";
import { AuthenticationError, authenticate } from "./modules/auth/auth-service.js";
import { CredentialCache } from "./modules/auth/credential-cache.js";
import { LoginThrottle } from "./modules/auth/login-throttle.js";
import { emailIntake } from "./modules/email/email-intake.js";
import { describeImap } from "./modules/email/imap-config.js";
import { type ImapPoller, startImapPoller } from "./modules/email/imap-poller.js";
import { type InboundHandler, type InboundProcessor, startInboundProcessor } from "./modules/inbound/processor.js";
import { LaporDriver } from "./modules/lapor/lapor-driver.js";
import { laporIntake } from "./modules/lapor/lapor-intake.js";
import { LAPOR_CONSUMER, laporSync } from "./modules/lapor/lapor-sync.js";
import { LAPOR_PATH, laporWebhook } from "./modules/lapor/lapor-webhook.js";
import { type BudgetStore, createMemoryBudgetStore, createRedisBudgetStore } from "./modules/limits/budget.js";
import { useCaller } from "./modules/limits/caller-plugin.js";
import { clientAddress } from "./modules/limits/client-address.js";
import { RATE_LIMIT_HEADERS, useQueryCost } from "./modules/limits/cost-plugin.js";
import { documentLimitPlugins } from "./modules/limits/document-limits.js";
import { useInputHygiene } from "./modules/limits/input-hygiene.js";
import { startTracing } from "./modules/observability/tracing.js";
import type { OutboundRouting } from "./modules/outbound/outbound-store.js";
import { describeSmtp, unitEnvSuffix } from "./modules/outbound/smtp-config.js";
import { SmtpDriver } from "./modules/outbound/smtp-driver.js";
import { type StreamConsumer, startStreamConsumer } from "./modules/outbound/stream-consumer.js";
import { type OutboundWorker, startOutboundWorker } from "./modules/outbound/worker.js";
import { intakeKey, type PublicIntakeDeps } from "./modules/public-intake/public-intake-service.js";
import { PublicLimits } from "./modules/public-intake/public-limits.js";
import { createInProcessBus, createRedisBus } from "./modules/realtime/bus.js";
import { Presence } from "./modules/realtime/presence.js";
import { Realtime } from "./modules/realtime/realtime.js";
import { type SharingCounters, useSharedSubscriptionResults } from "./modules/realtime/shared-results.js";
import { streamId } from "./modules/realtime/stream-store.js";
import { demoPasswordHash, seedDemo, seedReferenceData } from "./modules/seed/seed.js";
import { startSimulator } from "./modules/simulator/simulator.js";
import { type CalendarDirectory, calendarStamp, loadCalendarDirectory } from "./modules/sla/calendar-directory.js";
import { ClockEngine } from "./modules/sla/clock-engine.js";
import { startDetector } from "./modules/sla/detector.js";
import { coverageWarning, holidayCoverage } from "./modules/sla/holiday-coverage.js";
import { recomputeOpenClocks } from "./modules/sla/recompute.js";
import { seedSlaReferenceData } from "./modules/sla/sla-reference-data.js";
import { FIRST_ADMINISTRATOR_HINT, hasActiveDirectorate } from "./modules/staff/first-administrator.js";
import { PersonalDataReads, personalDataAccessLog } from "./modules/tickets/personal-data-log.js";
import type { TicketDeps } from "./modules/tickets/ticket-service.js";
import { loadUnitTree, unitStamp } from "./modules/units/unit-repository.js";
import type { UnitTree } from "./modules/units/unit-tree.js";
import { hasActiveSubscriptions, WEBHOOK_CONSUMER, webhookDispatch } from "./modules/webhooks/dispatcher.js";
import { WebhookDriver } from "./modules/webhooks/webhook-driver.js";
import { whatsAppIntake } from "./modules/whatsapp/intake.js";
import { WEBHOOK_PATH, whatsAppWebhook } from "./modules/whatsapp/webhook.js";
import { WhatsAppDriver } from "./modules/whatsapp/whatsapp-driver.js";
import { Timings } from "./timings.js";
import { SERVER_VERSION } from "./version.js";

const DRAIN_TIMEOUT_MS = 10_000;
/** What a request that arrives while the instance shuts down is told to wait before retrying. */
const DRAIN_RETRY_AFTER_S = 1;
const SHUTTING_DOWN = {
  message: "This instance is shutting down; retry, and the request goes to another one.",
  extensions: { code: "SHUTTING_DOWN", retryAfterSeconds: DRAIN_RETRY_AFTER_S },
};
/** `/ready` answers 503 when the database has not answered within this. */
const READY_CHECK_MS = 2_000;

const CALENDAR_WATCH_MS = 10_000;
/**
 * The sweep of the event stream's background readers (webhooks); they are woken as soon as the relay
 * publishes, so the sweep only covers a lost wake-up. A sweep with no subscription is one locking read
 * and one update of the cursor.
 */
const STREAM_CONSUMER_POLL_MS = 5_000;

const API_HEADERS = { "x-content-type-options": "nosniff", "cache-control": "no-store" } as const;

export interface DemoCredentials {
  accounts: { email: string; role: string; unitCode: string }[];
  password: string;
  apiKey: string;
}

export interface App {
  start(): Promise<{ url: string; port: number }>;
  /**
   * Drains and closes: from the first moment `/ready` and every new request answer 503 with Retry-After,
   * requests under way finish, live streams end resumably; with `lingerMs` the port stays open answering
   * 503 at least that long, so a balancer sees the drain instead of a refused connection.
   */
  stop(options?: { lingerMs?: number }): Promise<void>;
  readonly db: Database;
  readonly logger: Logger;
  /** The port of the metrics listener (PANTAU_METRICS_PORT; 0 picks a free one), null without one. */
  readonly metricsPort: number | null;
  /** Set once the demo is seeded; null outside the demo. */
  readonly demo: DemoCredentials | null;
  /** Live delivery, once started. */
  readonly realtime: Realtime | null;
  /** Subscription items executed, and executions reused for other subscribers. */
  readonly subscriptionSharing: Readonly<SharingCounters>;
  /** Who was seen at work; `flush()` writes the sightings not yet written. */
  readonly presence: Pick<Presence, "flush">;
}

/** Wires the database, the GraphQL API and the HTTP server. Nothing runs until `start()`. */
export async function buildApp(
  config: Config,
  options: {
    logger?: Logger;
    /** The embedded database, already being opened by the entry point (see startPglite). */
    embedded?: Promise<StartedPglite>;
    /** The wall clock, for tests that need a given date; the system clock otherwise. */
    now?: () => Date;
  } = {},
): Promise<App> {
  const now = options.now ?? (() => new Date());
  // The demo's password is printed in the open, so no account may choose it.
  const staffSettings = { publicUrl: config.publicUrl, knownPasswords: [config.demoPassword] };
  const logger = options.logger ?? createLogger(config.logLevel);
  const tracing = await startTracing(config.tracing, logger);
  const opening = performance.now();
  const embedded =
    "dataDir" in config.database
      ? (options.embedded ?? startPglite(config.database.dataDir, config.database.templateDir))
      : undefined;
  const db = await openDatabase(config.database, embedded);
  const fromTemplate = embedded ? (await embedded).fromTemplate : false;
  // With the entry point's early start, only what was left to wait for once the server's modules were loaded.
  const openMs = Math.round(performance.now() - opening);
  // API operations get connections of their own whose statements PostgreSQL cancels after the statement
  // timeout; background work (SLA detection, the relay, seeding, migrations) keeps `db`, which has none, so
  // a slow API read never takes them down with it. PGlite runs one statement at a time (on its worker) and
  // cannot cancel one, so there both are the same.
  const apiDb =
    "databaseUrl" in config.database && config.limits.statementTimeoutMs > 0
      ? await openDatabase({ ...config.database, statementTimeoutMs: config.limits.statementTimeoutMs })
      : db;
  let units: UnitTree<Unit> | null = null;
  let calendars: CalendarDirectory | null = null;
  let server: Server | null = null;
  let metricsServer: Server | null = null;
  let ready = false;
  /** Set at the first moment of stop(): from then on new requests are turned away. */
  let draining = false;
  let demo: DemoCredentials | null = null;
  let stopSimulator: (() => Promise<void>) | null = null;
  let stopDetector: (() => Promise<void>) | null = null;
  let calendarWatch: NodeJS.Timeout | null = null;
  let inFlight = 0;
  let websocket: ReturnType<typeof attachWebSocket> | null = null;
  let drained: (() => void) | null = null;
  const loadedUnits = () => {
    if (!units) throw new Error("unit tree not loaded");
    return units;
  };
  const loadedCalendars = () => {
    if (!calendars) throw new Error("calendars not loaded");
    return calendars;
  };
  const clocks = new ClockEngine({ db, units: loadedUnits, calendars: loadedCalendars });
  let realtime: Realtime | null = null;
  const presence = new Presence({ db, logger, holders: () => realtime?.principals.heldUserIds() ?? [] });
  const { smtp } = config.outbound;
  // Off, and no worker at all, when no channel is configured: replies are then only recorded.
  const smtpDriver = smtp.global || smtp.units.size ? new SmtpDriver(smtp, loadedUnits, logger) : null;
  const whatsAppDriver = config.whatsapp ? new WhatsAppDriver(config.whatsapp, loadedUnits, db) : null;
  const replyDrivers = [smtpDriver, whatsAppDriver].filter((driver) => driver !== null);
  const laporApi =
    config.lapor?.apiUrl && config.lapor.apiToken
      ? { ...config.lapor, apiUrl: config.lapor.apiUrl, apiToken: config.lapor.apiToken }
      : null;
  const laporDriver = laporApi ? new LaporDriver(laporApi) : null;
  const drivers = [...replyDrivers, new WebhookDriver(db, config.webhooks), ...(laporDriver ? [laporDriver] : [])];
  let outboundWorker: OutboundWorker | null = null;
  let webhookConsumer: StreamConsumer | null = null;
  let laporConsumer: StreamConsumer | null = null;
  let stopWakingConsumers: (() => void) | null = null;
  let inboundProcessor: InboundProcessor | null = null;
  let imapPoller: ImapPoller | null = null;
  let emailHandler: ReturnType<typeof emailIntake> | null = null;
  const outbound: OutboundRouting | undefined = replyDrivers.length
    ? {
        emailDomain: (unitId) => smtpDriver?.accountFor(unitId)?.domain ?? null,
        whatsApp: () => whatsAppDriver?.configuredFor() ?? false,
        queued: () => outboundWorker?.wake(),
      }
    : undefined;
  const ticketDeps: TicketDeps = {
    db,
    units: loadedUnits,
    clocks,
    presence,
    committed: () => realtime?.committed(),
    ...(outbound ? { outbound } : {}),
  };
  const apiTicketDeps: TicketDeps = { ...ticketDeps, db: apiDb };
  let recomputing: Promise<unknown> = Promise.resolve();
  // Due instants of open tickets move with the calendar; the work runs in batches after the response.
  let seenCalendarStamp = "";
  const calendarsChanged = async (unitIds?: readonly number[]) => {
    seenCalendarStamp = await calendarStamp(db);
    calendars = await loadCalendarDirectory(db, loadedUnits());
    recomputing = recomputing
      .then(() => recomputeOpenClocks({ db, engine: clocks, logger, ...(unitIds ? { unitIds } : {}) }))
      .catch((error: unknown) => logger.error({ err: error }, "recomputing SLA clocks failed"));
  };

  // The tree is reference data held in memory; an edit anywhere replaces it here at once, and on the
  // other instances at their next watch.
  let seenUnitStamp = "";
  const reloadUnits = async () => {
    seenUnitStamp = await unitStamp(db);
    units = await loadUnitTree(db);
    calendars = await loadCalendarDirectory(db, units);
    credentials.clear();
  };
  const unitsChanged = async (recompute?: readonly number[]) => {
    await reloadUnits();
    if (recompute?.length) {
      recomputing = recomputing
        .then(() => recomputeOpenClocks({ db, engine: clocks, logger, unitIds: recompute }))
        .catch((error: unknown) => logger.error({ err: error }, "recomputing SLA clocks failed"));
    }
  };

  let loginThrottle: LoginThrottle | null = null;
  let throttleRedis: Redis | null = null;
  const loadedThrottle = () => {
    if (!loginThrottle) throw new Error("login throttle not started");
    return loginThrottle;
  };
  const loadedRealtime = () => {
    if (!realtime) throw new Error("realtime not started");
    return realtime;
  };
  type ServerContext = { req?: IncomingMessage; request: Request } | WebSocketServerContext;

  let budgets: BudgetStore = createMemoryBudgetStore();
  const { powBits, challengeTtlMs, ...publicLimits } = config.publicIntake;
  const publicIntake: PublicIntakeDeps = {
    db: apiDb,
    units: loadedUnits,
    tickets: apiTicketDeps,
    limits: new PublicLimits(publicLimits, () => budgets),
    settings: { powBits, challengeTtlMs },
    key: intakeKey(db),
  };
  // HTTP callers only: live subscriptions re-read their credentials through the principal cache.
  const credentials = new CredentialCache({ ttlMs: config.realtime.accessRecheckMs });
  const caller = useCaller({
    authenticate: (authorization) => authenticate(db, ticketDeps.units(), authorization, new Date(), credentials),
    introspectionForAnonymous: config.http.introspectionForAnonymous,
  });
  const { corsOrigins } = config.http;
  const sharing: SharingCounters = { executions: 0, reused: 0 };
  // An outage refuses every request for a while: one log line per second says so, not one per request.
  let unavailableLoggedAt = 0;
  const maskedErrors = new WeakSet<Error>();
  // Refusals are ordinary traffic: one info line with the code, no stack. Only faults are errors.
  const metrics = new ServerMetrics({
    db: apiDb,
    background: db,
    enabled: Boolean(config.metrics.token) || config.metrics.port !== null,
    logger,
    version: SERVER_VERSION,
    live: () =>
      realtime ? { hubPosition: realtime.hub.position, subscriptions: realtime.subscriptionsByKind() } : null,
  });
  const logRefusal = (code: string, error: unknown) => {
    metrics.refused(code);
    logger.info({ code, reason: error instanceof Error ? error.message : String(error) }, "request refused");
  };
  const logFault = (fields: Record<string, unknown>, message: string) => {
    metrics.fault();
    logger.error(fields, message);
  };
  const logError = (error: unknown, message: string) => {
    const code = refusalCode(error);
    if (code) logRefusal(code, error);
    else logFault({ err: error instanceof GraphQLError ? (error.originalError ?? error) : error }, message);
  };
  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    graphiql: config.graphiql ? { title: "Pantau GraphQL" } : false,
    landingPage: false,
    // Each operation of a batch goes through the whole pipeline: limited, costed and charged on its own.
    batching: config.limits.maxBatch > 0 ? { limit: config.limits.maxBatch } : false,
    // Enforced by useBodyLimit below, which costs nothing for a body with a Content-Length.
    maxRequestBodySize: false,
    // Without an allow-list no CORS headers are sent at all, so browsers keep the API same-origin.
    cors: corsOrigins.length
      ? {
          origin: [...corsOrigins],
          credentials: false,
          methods: ["GET", "POST"],
          allowedHeaders: ["authorization", "content-type", "accept", CSRF_HEADER],
          exposedHeaders: ["Retry-After", "X-Request-Id", ...RATE_LIMIT_HEADERS],
          maxAge: 600,
        }
      : false,
    plugins: [
      ...(tracing ? [tracing.plugin] : []),
      useCsrfPrevention(),
      caller.plugin,
      ...documentLimitPlugins(config.limits),
      useInputHygiene(),
      useQueryCost({
        maxCostPerOperation: config.limits.maxCostPerOperation,
        budgets: config.limits.budgets,
        store: () => budgets,
        logger,
      }),
      personalDataAccessLog(db, logger),
      ...(config.realtime.shareResults ? [useSharedSubscriptionResults(sharing)] : []),
      useBodyLimit(config.limits.maxBodyBytes),
      { onParams: ({ params }) => noteOperation(params.operationName) },
    ],
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(" ")),
      info: (...args) => logger.info(args.map(String).join(" ")),
      warn: (...args) => logger.warn(args.map(String).join(" ")),
      // Yoga reports here every error it had masked; maskError below has already logged those once.
      error: (...args) => {
        const [first] = args;
        if (first instanceof Error && maskedErrors.has(first)) return;
        logError(first, args.map(String).join(" "));
      },
    },
    maskedErrors: {
      maskError(error, message, isDev) {
        if (error instanceof Error) maskedErrors.add(error);
        const original = error instanceof GraphQLError ? error.originalError : error;
        const refused = refusalCode(error);
        if (refused) logRefusal(refused, error);
        if (original instanceof DomainError) {
          return new GraphQLError(original.message, { extensions: { code: original.code } });
        }
        if (isStatementTimeout(original)) {
          const timeoutMs = config.limits.statementTimeoutMs;
          logger.warn({ timeoutMs, path: error instanceof GraphQLError ? error.path : undefined }, "statement timeout");
          return new GraphQLError(
            `The database stopped this field after ${timeoutMs} ms. Narrow the filter or the period, or ask for less at once.`,
            { extensions: { code: "QUERY_TIMEOUT", timeoutMs } },
          );
        }
        if (isDatabaseUnavailable(original)) {
          // Logged here, throttled, and not again as a fault.
          if (Date.now() - unavailableLoggedAt > 1_000) {
            unavailableLoggedAt = Date.now();
            logger.warn({ err: original }, "database unreachable: refusing requests until it answers again");
          }
          return databaseUnavailableError();
        }
        // Malformed global ids and other input the schema refuses before a resolver runs.
        if (original instanceof PothosValidationError) {
          return new GraphQLError(original.message, { extensions: { code: "VALIDATION_FAILED" } });
        }
        if (original instanceof AuthenticationError) {
          return new GraphQLError(original.message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
        }
        if (!refused) logFault({ err: original ?? error }, "unexpected error");
        return defaultMaskError(error, message, isDev && !config.production);
      },
    },
    context: async (initial): Promise<Context> => {
      const tree = loadedUnits();
      const overWebSocket = "websocket" in initial;
      const authorization = overWebSocket
        ? initial.websocket.authorization
        : initial.request.headers.get("authorization");
      const viewer =
        (overWebSocket ? undefined : caller.viewerOf(initial.request)) ??
        (await authenticate(db, tree, authorization, new Date(), overWebSocket ? undefined : credentials));
      const socket = overWebSocket ? initial.websocket.request.socket : initial.req?.socket;
      const forwardedFor = overWebSocket
        ? initial.websocket.request.headers["x-forwarded-for"]?.toString()
        : initial.request.headers.get("x-forwarded-for");
      return {
        db: apiDb,
        units: tree,
        viewer,
        authorization,
        clientAddress: clientAddress(socket?.remoteAddress, forwardedFor, config.http.trustProxyHops),
        transport: overWebSocket ? "websocket" : "http",
        loginThrottle: loadedThrottle(),
        personalData: new PersonalDataReads(viewer, overWebSocket ? "WEBSOCKET" : "HTTP"),
        realtime: loadedRealtime(),
        tickets: apiTicketDeps,
        publicIntake,
        logger,
        calendars: loadedCalendars,
        calendarsChanged,
        unitsChanged,
        now,
        policiesChanged: () => clocks.invalidatePolicies(),
        staff: staffSettings,
        webhooks: { allowLoopbackHttp: config.webhooks.allowLoopbackHttp },
      };
    },
  });

  const serveLapor = config.lapor
    ? laporWebhook({
        settings: config.lapor,
        db,
        logger,
        unitId: (code) => loadedUnits().byCode(code)?.id ?? null,
        stored: () => inboundProcessor?.wake(),
      })
    : null;

  const serveWhatsApp = config.whatsapp
    ? whatsAppWebhook({
        settings: config.whatsapp,
        db,
        logger,
        unitId: (code) => loadedUnits().byCode(code)?.id ?? null,
        stored: () => inboundProcessor?.wake(),
        receipted: (ticketId) => realtime?.announceDelivery(ticketId),
      })
    : null;

  const serveDashboard = staticFiles(config.dashboardDir, { serveSourceMaps: !config.production });
  const serveExports = csvExports(yoga);
  const serveOpenData = openData(yoga);

  async function prepare() {
    const t0 = performance.now();
    const timings = new Timings();
    if (config.migrateOnStart) {
      const applied = await migrate(db);
      if (applied.length) logger.info({ applied }, "migrations applied");
    } else {
      const pending = await pendingMigrations(db);
      if (pending.length)
        throw new Error(`Pending migrations and PANTAU_MIGRATE_ON_START=false: ${pending.join(", ")}`);
    }
    timings.mark("migrations");
    // scrypt works on libuv's threads while the reference data is written.
    const demoHash = config.demo ? demoPasswordHash(db, config.demoPassword) : undefined;
    demoHash?.catch(() => {});
    // Prisma's query compiler is instantiated by the first query, a few hundred milliseconds on this thread:
    // let that happen while the database writes the reference data rather than after.
    const compilerReady = db.prisma.unit.findFirst({ select: { id: true } }).catch(() => null);
    await seedReferenceData(db);
    await seedSlaReferenceData(db);
    timings.mark("reference");
    await compilerReady;
    seenUnitStamp = await unitStamp(db);
    units = await loadUnitTree(db);
    seenCalendarStamp = await calendarStamp(db);
    calendars = await loadCalendarDirectory(db, units);
    timings.mark("units and calendars");
    if (config.production && !(await hasActiveDirectorate(db))) logger.warn(FIRST_ADMINISTRATOR_HINT);
    const coverage = await holidayCoverage(db, now());
    if (coverage.missing) logger.warn({ year: coverage.year }, coverageWarning(coverage));
    const known = new Set([...units.all()].map((unit) => unitEnvSuffix(unit.code)));
    for (const [suffix, account] of smtp.units) {
      if (!known.has(suffix)) logger.warn({ variable: `PANTAU_SMTP_URL__${suffix}` }, "SMTP account for no known unit");
      else logger.info({ unit: suffix, smtp: describeSmtp(account) }, "SMTP account of a unit");
    }
    if (smtp.global) logger.info({ smtp: describeSmtp(smtp.global) }, "SMTP account for every other unit");
    for (const mailbox of config.imap.mailboxes) {
      if (!known.has(mailbox.unitSuffix)) {
        logger.warn({ variable: `PANTAU_IMAP_URL__${mailbox.unitSuffix}` }, "IMAP mailbox for no known unit");
      } else logger.info({ unit: mailbox.unitSuffix, imap: describeImap(mailbox) }, "IMAP mailbox of a unit");
    }
    for (const [phoneNumberId, unitCode] of config.whatsapp?.phoneNumbers ?? []) {
      if (!units.byCode(unitCode)) logger.warn({ phoneNumberId, unitCode }, "WhatsApp number for no known unit");
      else logger.info({ phoneNumberId, unitCode }, "WhatsApp number of a unit");
    }
    if (config.demo) {
      const seeded = await seedDemo(db, {
        password: config.demoPassword,
        ...config.seed,
        now: new Date(),
        passwordHash: demoHash,
      });
      demo = { accounts: seeded.accounts, password: config.demoPassword, apiKey: seeded.apiKey };
      if (seeded.ticketsInserted) {
        logger.info(
          { tickets: seeded.ticketsInserted, events: seeded.eventsInserted, steps: seeded.steps },
          "demo history seeded",
        );
      }
      timings.mark("demo");
    }
    logger.info(
      { ms: Math.round(performance.now() - t0), database: db.kind, openMs, fromTemplate, steps: timings.report },
      "database ready",
    );
  }

  return {
    db,
    logger,
    get demo() {
      return demo;
    },
    get realtime() {
      return realtime;
    },
    subscriptionSharing: sharing,
    get metricsPort() {
      return (metricsServer?.address() as AddressInfo | null)?.port ?? null;
    },
    presence,
    async start() {
      await prepare();
      server = createServer((req, res) => {
        const scope: RequestScope = { requestId: requestIdFrom(req.headers[REQUEST_ID_HEADER]) };
        res.setHeader(REQUEST_ID_HEADER, scope.requestId);
        const path = (req.url ?? "/").split("?")[0] ?? "/";
        // Probes come every few seconds from every balancer: not worth a line each.
        if (path !== "/health" && path !== "/ready") {
          const started = performance.now();
          res.once("finish", () => {
            metrics.observeRequest(path, res.statusCode, (performance.now() - started) / 1000, scope.operationName);
            logger.info(
              {
                requestId: scope.requestId,
                method: req.method,
                path: path.slice(0, 200),
                status: res.statusCode,
                ms: Math.round((performance.now() - started) * 10) / 10,
                ...(scope.operationName ? { operation: scope.operationName } : {}),
              },
              "request",
            );
          });
        }
        if (!tracing) {
          requestScope.run(scope, () => serve(req, res, path));
          return;
        }
        tracing.inRequestSpan(req, path.slice(0, 200), (span) => {
          scope.traceId = span.spanContext().traceId;
          res.once("close", () => {
            span.setAttribute("http.response.status_code", res.statusCode);
            if (res.statusCode >= 500) span.setStatus({ code: 2 });
            span.end();
          });
          requestScope.run(scope, () => serve(req, res, path));
        });
      });
      const serve = (req: IncomingMessage, res: ServerResponse, path: string) => {
        // While draining, tell keep-alive clients to reconnect elsewhere.
        if (!ready) res.setHeader("connection", "close");
        if (path === "/metrics" && config.metrics.token) {
          void serveMetrics(metrics, req, res, config.metrics.token);
          return;
        }
        if (path === "/health") {
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok" }));
          return;
        }
        if (draining) {
          // What started before the signal finishes; anything new is sent elsewhere at once, never
          // accepted and then cut off when the process exits.
          res
            .writeHead(503, { "content-type": "application/json", "retry-after": String(DRAIN_RETRY_AFTER_S) })
            .end(
              path === "/ready"
                ? JSON.stringify({ status: "draining", database: db.kind })
                : JSON.stringify({ errors: [SHUTTING_DOWN] }),
            );
          return;
        }
        if (path === "/ready") {
          let timer: NodeJS.Timeout | undefined;
          Promise.race([
            db.sql.query("SELECT 1").then(() => ready),
            new Promise<boolean>((resolve) => {
              timer = setTimeout(() => resolve(false), READY_CHECK_MS);
            }),
          ])
            .catch(() => false)
            .finally(() => clearTimeout(timer))
            .then((ok) => {
              res
                .writeHead(ok ? 200 : 503, { "content-type": "application/json" })
                .end(JSON.stringify({ status: ok ? "ready" : "unavailable", database: db.kind }));
            });
          return;
        }
        if (path === "/graphql" || path?.startsWith("/graphql/")) {
          // Answers carry personal data and per-caller results: no cache may keep them, and no browser may
          // read a JSON error as a script or a page.
          for (const [name, value] of Object.entries(API_HEADERS)) res.setHeader(name, value);
          // Counted until the operation has finished executing, which may outlive a destroyed socket.
          inFlight += 1;
          void Promise.resolve(yoga.requestListener(req, res))
            .catch((error: unknown) => logger.error({ err: error }, "request failed"))
            .finally(() => {
              inFlight -= 1;
              if (inFlight === 0) drained?.();
            });
          return;
        }
        if (path === LAPOR_PATH && serveLapor) {
          serveLapor(req, res);
          return;
        }
        if (path === WEBHOOK_PATH && serveWhatsApp) {
          serveWhatsApp(req, res);
          return;
        }
        if (path?.startsWith("/export/") && serveExports(req, res)) return;
        if (path?.startsWith("/open-data/") && serveOpenData(req, res, path)) return;
        if (!serveDashboard(req, res)) {
          res
            .writeHead(404, { "content-type": "application/json", ...API_HEADERS })
            .end(JSON.stringify({ error: "not found" }));
        }
      };
      server.keepAliveTimeout = 65_000;
      // Once the WebSocket server has closed, nothing else answers an upgrade: refuse it, do not reset it.
      server.on("upgrade", (_req, socket) => {
        if (!draining || websocket) return;
        socket.end(
          `HTTP/1.1 503 Service Unavailable\r\nRetry-After: ${DRAIN_RETRY_AFTER_S}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
        );
      });
      const bus = config.redisUrl
        ? await createRedisBus(config.redisUrl, await streamId(db), logger)
        : createInProcessBus(logger);
      if (config.redisUrl) {
        const { Redis: RedisClient } = await import("ioredis");
        throttleRedis = new RedisClient(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
        throttleRedis.on("error", (error: unknown) => logger.warn({ err: error }, "login throttle: Redis error"));
      }
      // Instances on one database share one namespace, so their counts add up.
      loginThrottle = new LoginThrottle(
        config.loginThrottle,
        throttleRedis ? { redis: throttleRedis, namespace: await streamId(db) } : null,
      );
      realtime = new Realtime({
        db,
        bus,
        logger,
        tree: loadedUnits,
        authenticate: (authorization) => authenticate(db, loadedUnits(), authorization),
        onAccessChange: () => credentials.clear(),
        limits: config.realtime,
      });
      await realtime.start();
      presence.start();
      if (config.redisUrl) budgets = await createRedisBudgetStore(config.redisUrl, await streamId(db), logger);
      websocket = attachWebSocket({
        server,
        yoga,
        logger,
        production: config.production,
        limits: {
          maxSubscriptionsPerConnection: config.realtime.maxSubscriptionsPerConnection,
          maxConnectionsPerAddress: config.realtime.maxConnectionsPerAddress,
        },
        accepting: () => !draining,
        addressOf: (request) =>
          clientAddress(
            request.socket.remoteAddress,
            request.headers["x-forwarded-for"]?.toString(),
            config.http.trustProxyHops,
          ),
        verify: async (authorization) => {
          if (!authorization) return true;
          await authenticate(db, loadedUnits(), authorization);
          return true;
        },
      });
      await new Promise<void>((resolve, reject) => {
        server?.once("error", reject);
        server?.listen(config.port, config.host, resolve);
      });
      if (config.metrics.port !== null) {
        // Off the public port: only /metrics, for the scraper on the operations network.
        metricsServer = createServer((req, res) => {
          if ((req.url ?? "/").split("?")[0] === "/metrics") void serveMetrics(metrics, req, res, config.metrics.token);
          else res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        });
        await new Promise<void>((resolve, reject) => {
          metricsServer?.once("error", reject);
          metricsServer?.listen(config.metrics.port ?? 0, config.metrics.host, resolve);
        });
      }
      const { port } = server.address() as AddressInfo;
      ready = true;
      stopDetector = startDetector({
        db,
        engine: clocks,
        logger,
        committed: () => realtime?.committed(),
        wrote: (types) => metrics.slaEventsWritten(types),
      });
      if (drivers.length) {
        outboundWorker = startOutboundWorker({
          db,
          drivers,
          logger,
          retry: {
            maxAttempts: config.outbound.maxAttempts,
            baseDelayMs: config.outbound.retryBaseMs,
            maxDelayMs: config.outbound.retryMaxMs,
          },
          leaseMs: config.outbound.leaseMs,
          concurrency: config.outbound.concurrency,
          pollMs: config.outbound.pollMs,
          settled: (ticketId) => realtime?.announceDelivery(ticketId),
        });
      }
      webhookConsumer = startStreamConsumer({
        db,
        name: WEBHOOK_CONSUMER,
        logger,
        consume: webhookDispatch(loadedUnits),
        active: hasActiveSubscriptions,
        queued: () => outboundWorker?.wake(),
        pollMs: STREAM_CONSUMER_POLL_MS,
      });
      if (laporDriver) {
        laporConsumer = startStreamConsumer({
          db,
          name: LAPOR_CONSUMER,
          logger,
          consume: laporSync(loadedUnits),
          queued: () => outboundWorker?.wake(),
          pollMs: STREAM_CONSUMER_POLL_MS,
        });
      }
      stopWakingConsumers = bus.subscribe("stream", () => {
        webhookConsumer?.wake();
        laporConsumer?.wake();
      });
      const inboundHandlers: InboundHandler[] = [];
      if (config.whatsapp) inboundHandlers.push(whatsAppIntake(config.whatsapp, ticketDeps));
      if (config.lapor) inboundHandlers.push(laporIntake(config.lapor, ticketDeps));
      if (config.imap.mailboxes.length) {
        const ownAddresses = new Set(
          [smtp.global, ...smtp.units.values()].flatMap((account) => {
            const address = account ? (/<([^<>]+)>\s*$/.exec(account.from)?.[1] ?? account.from) : null;
            return address ? [address.trim().toLowerCase()] : [];
          }),
        );
        emailHandler = emailIntake({ maxAttachmentBytes: config.imap.maxAttachmentBytes, ownAddresses }, ticketDeps);
        inboundHandlers.push(emailHandler);
      }
      if (inboundHandlers.length) {
        inboundProcessor = startInboundProcessor({
          db,
          handlers: inboundHandlers,
          logger,
          retry: {
            maxAttempts: config.inbound.maxAttempts,
            baseDelayMs: config.inbound.retryBaseMs,
            maxDelayMs: config.inbound.retryBaseMs * 100,
          },
          leaseMs: 60_000,
          concurrency: 8,
          pollMs: config.inbound.pollMs,
        });
      }
      if (config.imap.mailboxes.length) {
        imapPoller = startImapPoller({
          settings: config.imap,
          db,
          logger,
          unitId: (suffix) => [...loadedUnits().all()].find((unit) => unitEnvSuffix(unit.code) === suffix)?.id ?? null,
          stored: () => inboundProcessor?.wake(),
        });
      }
      // Edits made through another instance reach this one within one interval.
      calendarWatch = setInterval(() => {
        unitStamp(db)
          .then(async (stamp) => {
            if (stamp !== seenUnitStamp) await reloadUnits();
          })
          .catch((error: unknown) => logger.warn({ err: error }, "checking the unit tree failed"));
        calendarStamp(db)
          .then(async (stamp) => {
            if (stamp === seenCalendarStamp) return;
            seenCalendarStamp = stamp;
            calendars = await loadCalendarDirectory(db, loadedUnits());
          })
          .catch((error: unknown) => logger.warn({ err: error }, "checking calendars failed"));
      }, CALENDAR_WATCH_MS);
      calendarWatch.unref();
      if (config.simulator.enabled && config.simulator.ticketsPerMinute > 0) {
        stopSimulator = startSimulator({
          deps: ticketDeps,
          logger,
          ticketsPerMinute: config.simulator.ticketsPerMinute,
        });
      }
      const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
      return { url: `http://${host}:${port}`, port };
    },
    async stop(options = {}) {
      ready = false;
      draining = true;
      const lingered = new Promise((resolve) => setTimeout(resolve, options.lingerMs ?? 0));
      await stopSimulator?.();
      if (calendarWatch) clearInterval(calendarWatch);
      await stopDetector?.();
      await imapPoller?.stop();
      await inboundProcessor?.stop();
      await emailHandler?.close();
      stopWakingConsumers?.();
      await webhookConsumer?.stop();
      await laporConsumer?.stop();
      await outboundWorker?.stop();
      await recomputing;
      // Live streams end first: SSE responses finish, WebSocket clients get 1001 and reconnect elsewhere.
      realtime?.endAll();
      await websocket?.close();
      websocket = null;
      await realtime?.stop();
      await presence.stop();
      await budgets.close();
      throttleRedis?.disconnect();
      await lingered;
      if (server) {
        const closing = new Promise<void>((resolve) => server?.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => server?.closeAllConnections(), DRAIN_TIMEOUT_MS);
        await closing;
        clearTimeout(timer);
        // The database stays open until every started operation has finished.
        if (inFlight > 0) {
          await Promise.race([
            new Promise<void>((resolve) => {
              drained = resolve;
            }),
            new Promise((resolve) => setTimeout(resolve, DRAIN_TIMEOUT_MS).unref()),
          ]);
        }
      }
      await new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()));
      if (apiDb !== db) await apiDb.close();
      await db.close();
      await tracing?.shutdown();
    },
  };
}
