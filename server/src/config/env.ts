import { z } from "zod";
import type { RateTier } from "../generated/prisma/enums.js";
import { type ImapSettings, parseImapSettings } from "../modules/email/imap-config.js";
import { type LaporSettings, parseLaporSettings } from "../modules/lapor/lapor-config.js";
import { parseSmtpSettings, type SmtpSettings } from "../modules/outbound/smtp-config.js";
import { parseWhatsAppSettings, type WhatsAppSettings } from "../modules/whatsapp/whatsapp-config.js";
import { REPO_ROOT as PROJECT_ROOT } from "../paths.js";

const REPO_ROOT = `${PROJECT_ROOT}/`;

/** Who draws from which budget: anonymous callers, staff users, and API keys by their rate tier. */
export type BudgetTierName = "ANONYMOUS" | "STAFF" | RateTier;
const BUDGET_DEFAULTS: Record<BudgetTierName, { capacity: number; refillPerSecond: number }> = {
  ANONYMOUS: { capacity: 1_000, refillPerSecond: 5 },
  // Staff mostly query through the dashboard, whose live views refetch their figures as events arrive.
  STAFF: { capacity: 10_000, refillPerSecond: 100 },
  STANDARD: { capacity: 2_000, refillPerSecond: 20 },
  PARTNER: { capacity: 10_000, refillPerSecond: 100 },
  INTERNAL: { capacity: 50_000, refillPerSecond: 500 },
};
const BUDGET_TIERS = Object.keys(BUDGET_DEFAULTS) as BudgetTierName[];

function budgetVariables() {
  return Object.fromEntries(
    BUDGET_TIERS.flatMap((tier) => [
      [
        `PANTAU_BUDGET_${tier}_CAPACITY`,
        z.coerce.number().min(1).max(10_000_000).default(BUDGET_DEFAULTS[tier].capacity),
      ],
      [
        `PANTAU_BUDGET_${tier}_REFILL_PER_SECOND`,
        z.coerce.number().min(0).max(1_000_000).default(BUDGET_DEFAULTS[tier].refillPerSecond),
      ],
    ]),
  ) as Record<`PANTAU_BUDGET_${BudgetTierName}_${"CAPACITY" | "REFILL_PER_SECOND"}`, z.ZodDefault<z.ZodCoercedNumber>>;
}

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PANTAU_DATA_DIR: z.string().min(1).default(`${REPO_ROOT}.pantau`),
  PANTAU_PGLITE_TEMPLATE_DIR: z.string().min(1).default(`${REPO_ROOT}server/node_modules/.cache/pantau`),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  PANTAU_MIGRATE_ON_START: z.enum(["1", "0", "true", "false", "on", "off", "yes", "no"]).optional(),
  DEMO_PASSWORD: z.string().min(8, "must be at least 8 characters").default("pantau-demo"),
  PANTAU_SEED: z.coerce.number().int().min(0).default(20261122),
  PANTAU_SEED_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  PANTAU_SEED_TICKETS_PER_DAY: z.coerce.number().int().min(0).max(100_000).default(250),
  PANTAU_SIMULATOR: z.enum(["1", "0", "true", "false", "on", "off", "yes", "no"]).optional(),
  PANTAU_SIMULATOR_TICKETS_PER_MINUTE: z.coerce.number().min(0).max(6000).default(6),
  PANTAU_GRAPHIQL: z.enum(["1", "0", "true", "false", "on", "off", "yes", "no"]).optional(),
  PANTAU_DASHBOARD_DIR: z.string().min(1).default(`${REPO_ROOT}dashboard/dist`),
  PANTAU_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").max(256).optional(),
  PANTAU_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  PANTAU_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  // OpenTelemetry's own names, so collectors' usual setup applies.
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(100).default("pantau"),
  PANTAU_TRACE_RESOLVER_MS: z.coerce.number().min(0).max(60_000).default(5),
  PANTAU_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .refine((url) => !url.includes("#") && !url.includes("?"), "must be a base URL like https://pantau.imigrasi.go.id")
    .optional(),
  PANTAU_REPLAY_WINDOW_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(72),
  PANTAU_SUBSCRIBER_BUFFER: z.coerce.number().int().min(1).max(100_000).default(1_000),
  PANTAU_ACCESS_RECHECK_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  PANTAU_SHARE_SUBSCRIPTION_RESULTS: z.enum(["1", "0", "true", "false", "on", "off", "yes", "no"]).optional(),
  PANTAU_WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(1_000).default(25),
  PANTAU_WS_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(100),
  PANTAU_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  PANTAU_COST_MAX_PER_OPERATION: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  ...budgetVariables(),
  PANTAU_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(15),
  PANTAU_MAX_ALIASES: z.coerce.number().int().min(0).max(1_000).default(20),
  PANTAU_MAX_TOKENS: z.coerce.number().int().min(100).max(100_000).default(2_000),
  PANTAU_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1_000).default(10),
  PANTAU_MAX_BATCH: z.coerce.number().int().min(0).max(100).default(5),
  PANTAU_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(50_000_000)
    .default(256 * 1024),
  PANTAU_CORS_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .url({ protocol: /^https?$/ })
          .refine(
            (origin) => URL.canParse(origin) && new URL(origin).origin === origin,
            "must be a bare origin like https://example.go.id",
          ),
      ),
    )
    .optional(),
  PANTAU_INTROSPECTION_ANONYMOUS: z.enum(["1", "0", "true", "false", "on", "off", "yes", "no"]).optional(),
  PANTAU_TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  PANTAU_DRAIN_LINGER_MS: z.coerce.number().int().min(0).max(120_000).default(1_000),
  PANTAU_LOGIN_ACCOUNT_FAILURES: z.coerce.number().int().min(1).max(1_000).default(10),
  PANTAU_LOGIN_ADDRESS_FAILURES: z.coerce.number().int().min(1).max(100_000).default(100),
  PANTAU_LOGIN_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(900),
  PANTAU_PUBLIC_POW_BITS: z.coerce.number().int().min(0).max(30).default(16),
  PANTAU_PUBLIC_CHALLENGE_TTL_SECONDS: z.coerce.number().int().min(2).max(86_400).default(1_800),
  PANTAU_PUBLIC_REPORTS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(5),
  PANTAU_PUBLIC_LOOKUPS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(60),
  PANTAU_PUBLIC_LOOKUPS_PER_NUMBER_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
  PANTAU_OUTBOUND_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  PANTAU_OUTBOUND_RETRY_BASE_MS: z.coerce.number().int().min(10).max(86_400_000).default(60_000),
  PANTAU_OUTBOUND_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(3_600_000),
  PANTAU_OUTBOUND_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(120_000),
  PANTAU_OUTBOUND_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(16),
  PANTAU_OUTBOUND_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(1_000),
  PANTAU_WEBHOOKS_ALLOW_LOOPBACK: z.enum(["1", "0", "true", "false", "on", "off", "yes", "no"]).optional(),
  PANTAU_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  PANTAU_INBOUND_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  PANTAU_INBOUND_RETRY_BASE_MS: z.coerce.number().int().min(10).max(86_400_000).default(5_000),
  PANTAU_INBOUND_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
});

export type RawEnv = z.input<typeof schema>;

export interface Config {
  readonly production: boolean;
  /** The demo seeds history and demo accounts and runs the simulator; never in production. */
  readonly demo: boolean;
  readonly host: string;
  readonly port: number;
  readonly logLevel: z.output<typeof schema>["LOG_LEVEL"];
  /**
   * PGlite: `templateDir` keeps migrated empty data folders, one per set of migrations, that a new data
   * folder starts as a copy of; null (PANTAU_PGLITE_TEMPLATE_DIR=off) creates every folder from scratch.
   */
  readonly database: { databaseUrl: string; poolSize: number } | { dataDir: string; templateDir: string | null };
  readonly redisUrl: string | null;
  readonly migrateOnStart: boolean;
  readonly demoPassword: string;
  readonly seed: { seed: number; days: number; ticketsPerDay: number };
  readonly simulator: { enabled: boolean; ticketsPerMinute: number };
  readonly graphiql: boolean;
  readonly dashboardDir: string;
  /**
   * Prometheus metrics at /metrics: on the public port only with the bearer token; on a port of their own
   * (`port`, bound to `host`) with the token if one is set. Neither configured: not served.
   */
  readonly metrics: { token: string | null; port: number | null; host: string };
  /**
   * OpenTelemetry traces, exported by OTLP/HTTP to `endpoint` (…/v1/traces); off when no endpoint is set.
   * Resolver spans shorter than `resolverThresholdMs` are not exported: a page of tickets has hundreds.
   */
  readonly tracing: { endpoint: string | null; serviceName: string; resolverThresholdMs: number };
  /** Where people open the dashboard: the base of the password links that are handed out. */
  readonly publicUrl: string;
  /** Failed sign-ins allowed per account and per client address within the window before a pause. */
  readonly loginThrottle: { accountFailures: number; addressFailures: number; windowSeconds: number };
  /** The citizens' web form and tracking (README, "Citizen web form and tracking"). */
  readonly publicIntake: {
    /** Leading zero bits of the form's proof-of-work (about 2^bits hashes in the browser). */
    powBits: number;
    challengeTtlMs: number;
    reportsPerAddressPerHour: number;
    lookupsPerAddressPerHour: number;
    lookupsPerNumberPerHour: number;
  };
  readonly realtime: {
    replayWindowHours: number;
    eventBuffer: number;
    accessRecheckMs: number;
    maxSubscriptionsPerConnection: number;
    /** Open WebSocket connections from one client address; more are refused with 429 at the upgrade. */
    maxConnectionsPerAddress: number;
    /** Execute a subscription item once for subscribers with the same access and document (on by default). */
    shareResults: boolean;
  };
  readonly limits: {
    /** The most one operation may cost (points), whatever the budget. */
    maxCostPerOperation: number;
    /**
     * How long one database statement of an API operation may run before PostgreSQL cancels it (0: no
     * limit). Background work (SLA detection, the relay, seeding, migrations) runs on its own connections
     * without it. PGlite cannot cancel a running statement, so there it is not applied.
     */
    statementTimeoutMs: number;
    budgets: Record<BudgetTierName, { capacity: number; refillPerSecond: number }>;
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    maxDirectives: number;
    /** Operations in one batched HTTP request; 0 refuses arrays. */
    maxBatch: number;
    maxBodyBytes: number;
  };
  readonly http: {
    /** Browser origins allowed to call the API cross-origin; empty is same-origin only. */
    corsOrigins: readonly string[];
    /** Whether callers without credentials may introspect the schema (and see field suggestions). */
    introspectionForAnonymous: boolean;
    /** Reverse proxies in front of the server whose X-Forwarded-For is trusted for the client address. */
    trustProxyHops: number;
    /** After SIGTERM, how long the port stays open answering 503, so balancers see the drain. */
    drainLingerMs: number;
  };
  /** Delivery of replies to citizens (README, "Outbound delivery"). */
  readonly outbound: {
    /** Attempts per message, the first included, before it is dead-lettered. */
    maxAttempts: number;
    /** The wait before the second attempt, doubled for each later one up to `retryMaxMs`, with jitter. */
    retryBaseMs: number;
    retryMaxMs: number;
    /** How long a worker holds a claimed message; past it another worker may try it again. */
    leaseMs: number;
    concurrency: number;
    pollMs: number;
    /** E-mail is off when no account is configured. */
    smtp: SmtpSettings;
  };
  /** Third parties' endpoints (README, "Outbound webhooks"). */
  readonly webhooks: {
    /** Loopback http(s) endpoints are accepted: tests and local development only, refused in production. */
    allowLoopbackHttp: boolean;
    /** One call's limit. */
    timeoutMs: number;
  };
  /** Intake of items arriving on channels (README, "WhatsApp"). */
  readonly inbound: {
    /** Attempts per item before it is kept as failed. */
    maxAttempts: number;
    /** The wait before the second attempt, doubled for each later one (up to 100 times it), with jitter. */
    retryBaseMs: number;
    /** The sweep for items a crash or another instance left. */
    pollMs: number;
  };
  /** The WhatsApp Business Cloud API channel; null (off) unless configured. */
  readonly whatsapp: WhatsAppSettings | null;
  /** The SP4N-LAPOR! boundary (README, "SP4N-LAPOR!"); null (off) unless configured. */
  readonly lapor: LaporSettings | null;
  /** E-mail intake by IMAP: the units' mailboxes (none: off) and the intake's limits. */
  readonly imap: ImapSettings;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const truthy = (value: string | undefined, fallback: boolean) =>
  value === undefined ? fallback : ["1", "true", "on", "yes"].includes(value);

/** Parses the environment once; every problem is reported together. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = schema.safeParse(cleaned);
  const smtp = parseSmtpSettings(cleaned);
  const whatsapp = parseWhatsAppSettings(cleaned);
  const lapor = parseLaporSettings(cleaned);
  const imap = parseImapSettings(cleaned);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`)),
    ...smtp.issues,
    ...whatsapp.issues,
    ...lapor.issues,
    ...imap.issues,
  ];
  if (
    parsed.success &&
    parsed.data.NODE_ENV === "production" &&
    truthy(parsed.data.PANTAU_WEBHOOKS_ALLOW_LOOPBACK, false)
  ) {
    issues.push(
      "PANTAU_WEBHOOKS_ALLOW_LOOPBACK: loopback endpoints are for tests and local development, not production",
    );
  }
  if (!parsed.success || issues.length) throw new ConfigError(issues);
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  return {
    production,
    demo: !production,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    database: e.DATABASE_URL
      ? { databaseUrl: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : {
          dataDir: e.PANTAU_DATA_DIR,
          templateDir: e.PANTAU_PGLITE_TEMPLATE_DIR === "off" ? null : e.PANTAU_PGLITE_TEMPLATE_DIR,
        },
    redisUrl: e.REDIS_URL ?? null,
    metrics: {
      token: e.PANTAU_METRICS_TOKEN ?? null,
      port: e.PANTAU_METRICS_PORT ?? null,
      host: e.PANTAU_METRICS_HOST,
    },
    tracing: {
      endpoint:
        e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
        (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, "")}/v1/traces` : null),
      serviceName: e.OTEL_SERVICE_NAME,
      resolverThresholdMs: e.PANTAU_TRACE_RESOLVER_MS,
    },
    migrateOnStart: truthy(e.PANTAU_MIGRATE_ON_START, true),
    demoPassword: e.DEMO_PASSWORD,
    seed: { seed: e.PANTAU_SEED, days: e.PANTAU_SEED_DAYS, ticketsPerDay: e.PANTAU_SEED_TICKETS_PER_DAY },
    simulator: {
      enabled: !production && truthy(e.PANTAU_SIMULATOR, true),
      ticketsPerMinute: e.PANTAU_SIMULATOR_TICKETS_PER_MINUTE,
    },
    graphiql: truthy(e.PANTAU_GRAPHIQL, !production),
    dashboardDir: e.PANTAU_DASHBOARD_DIR,
    publicUrl: e.PANTAU_PUBLIC_URL ?? `http://localhost:${e.PORT || 4000}`,
    loginThrottle: {
      accountFailures: e.PANTAU_LOGIN_ACCOUNT_FAILURES,
      addressFailures: e.PANTAU_LOGIN_ADDRESS_FAILURES,
      windowSeconds: e.PANTAU_LOGIN_WINDOW_SECONDS,
    },
    publicIntake: {
      powBits: e.PANTAU_PUBLIC_POW_BITS,
      challengeTtlMs: e.PANTAU_PUBLIC_CHALLENGE_TTL_SECONDS * 1000,
      reportsPerAddressPerHour: e.PANTAU_PUBLIC_REPORTS_PER_HOUR,
      lookupsPerAddressPerHour: e.PANTAU_PUBLIC_LOOKUPS_PER_HOUR,
      lookupsPerNumberPerHour: e.PANTAU_PUBLIC_LOOKUPS_PER_NUMBER_PER_HOUR,
    },
    realtime: {
      replayWindowHours: e.PANTAU_REPLAY_WINDOW_HOURS,
      eventBuffer: e.PANTAU_SUBSCRIBER_BUFFER,
      accessRecheckMs: e.PANTAU_ACCESS_RECHECK_MS,
      maxSubscriptionsPerConnection: e.PANTAU_WS_MAX_SUBSCRIPTIONS,
      maxConnectionsPerAddress: e.PANTAU_WS_MAX_CONNECTIONS_PER_ADDRESS,
      shareResults: truthy(e.PANTAU_SHARE_SUBSCRIPTION_RESULTS, true),
    },
    limits: {
      maxCostPerOperation: e.PANTAU_COST_MAX_PER_OPERATION,
      statementTimeoutMs: e.PANTAU_STATEMENT_TIMEOUT_MS,
      budgets: Object.fromEntries(
        BUDGET_TIERS.map((tier) => [
          tier,
          {
            capacity: e[`PANTAU_BUDGET_${tier}_CAPACITY`],
            refillPerSecond: e[`PANTAU_BUDGET_${tier}_REFILL_PER_SECOND`],
          },
        ]),
      ) as Record<BudgetTierName, { capacity: number; refillPerSecond: number }>,
      maxDepth: e.PANTAU_MAX_DEPTH,
      maxAliases: e.PANTAU_MAX_ALIASES,
      maxTokens: e.PANTAU_MAX_TOKENS,
      maxDirectives: e.PANTAU_MAX_DIRECTIVES,
      maxBatch: e.PANTAU_MAX_BATCH,
      maxBodyBytes: e.PANTAU_MAX_BODY_BYTES,
    },
    http: {
      corsOrigins: e.PANTAU_CORS_ORIGINS ?? [],
      introspectionForAnonymous: truthy(e.PANTAU_INTROSPECTION_ANONYMOUS, !production),
      trustProxyHops: e.PANTAU_TRUST_PROXY_HOPS,
      drainLingerMs: e.PANTAU_DRAIN_LINGER_MS,
    },
    outbound: {
      maxAttempts: e.PANTAU_OUTBOUND_MAX_ATTEMPTS,
      retryBaseMs: e.PANTAU_OUTBOUND_RETRY_BASE_MS,
      retryMaxMs: Math.max(e.PANTAU_OUTBOUND_RETRY_MAX_MS, e.PANTAU_OUTBOUND_RETRY_BASE_MS),
      leaseMs: e.PANTAU_OUTBOUND_LEASE_MS,
      concurrency: e.PANTAU_OUTBOUND_CONCURRENCY,
      pollMs: e.PANTAU_OUTBOUND_POLL_MS,
      smtp: smtp.settings,
    },
    webhooks: {
      allowLoopbackHttp: truthy(e.PANTAU_WEBHOOKS_ALLOW_LOOPBACK, false),
      timeoutMs: e.PANTAU_WEBHOOK_TIMEOUT_MS,
    },
    inbound: {
      maxAttempts: e.PANTAU_INBOUND_MAX_ATTEMPTS,
      retryBaseMs: e.PANTAU_INBOUND_RETRY_BASE_MS,
      pollMs: e.PANTAU_INBOUND_POLL_MS,
    },
    whatsapp: whatsapp.settings,
    lapor: lapor.settings,
    imap: imap.settings,
  };
}
