import { fileURLToPath } from "node:url";
import { z } from "zod";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

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
  PANTAU_REPLAY_WINDOW_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(72),
  PANTAU_SUBSCRIBER_BUFFER: z.coerce.number().int().min(1).max(100_000).default(1_000),
  PANTAU_ACCESS_RECHECK_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  PANTAU_WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(1_000).default(25),
  PANTAU_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  PANTAU_LOGIN_ACCOUNT_FAILURES: z.coerce.number().int().min(1).max(1_000).default(10),
  PANTAU_LOGIN_ADDRESS_FAILURES: z.coerce.number().int().min(1).max(100_000).default(100),
  PANTAU_LOGIN_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(900),
});

export type RawEnv = z.input<typeof schema>;

export interface Config {
  readonly production: boolean;
  /** The demo seeds history and demo accounts and runs the simulator; never in production. */
  readonly demo: boolean;
  readonly host: string;
  readonly port: number;
  readonly logLevel: z.output<typeof schema>["LOG_LEVEL"];
  readonly database: { databaseUrl: string; poolSize: number } | { dataDir: string };
  readonly redisUrl: string | null;
  readonly migrateOnStart: boolean;
  readonly demoPassword: string;
  readonly seed: { seed: number; days: number; ticketsPerDay: number };
  readonly simulator: { enabled: boolean; ticketsPerMinute: number };
  readonly graphiql: boolean;
  readonly dashboardDir: string;
  /**
   * Reverse proxies in front of the server that append to X-Forwarded-For; 0 trusts only the socket.
   * The client address is the entry that many places from the right.
   */
  readonly proxyHops: number;
  /** Failed sign-ins allowed per account and per client address within the window before a pause. */
  readonly loginThrottle: { accountFailures: number; addressFailures: number; windowSeconds: number };
  readonly realtime: {
    replayWindowHours: number;
    eventBuffer: number;
    accessRecheckMs: number;
    maxSubscriptionsPerConnection: number;
  };
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
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
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
      : { dataDir: e.PANTAU_DATA_DIR },
    redisUrl: e.REDIS_URL ?? null,
    migrateOnStart: truthy(e.PANTAU_MIGRATE_ON_START, true),
    demoPassword: e.DEMO_PASSWORD,
    seed: { seed: e.PANTAU_SEED, days: e.PANTAU_SEED_DAYS, ticketsPerDay: e.PANTAU_SEED_TICKETS_PER_DAY },
    simulator: {
      enabled: !production && truthy(e.PANTAU_SIMULATOR, true),
      ticketsPerMinute: e.PANTAU_SIMULATOR_TICKETS_PER_MINUTE,
    },
    graphiql: truthy(e.PANTAU_GRAPHIQL, !production),
    dashboardDir: e.PANTAU_DASHBOARD_DIR,
    proxyHops: e.PANTAU_PROXY_HOPS,
    loginThrottle: {
      accountFailures: e.PANTAU_LOGIN_ACCOUNT_FAILURES,
      addressFailures: e.PANTAU_LOGIN_ADDRESS_FAILURES,
      windowSeconds: e.PANTAU_LOGIN_WINDOW_SECONDS,
    },
    realtime: {
      replayWindowHours: e.PANTAU_REPLAY_WINDOW_HOURS,
      eventBuffer: e.PANTAU_SUBSCRIBER_BUFFER,
      accessRecheckMs: e.PANTAU_ACCESS_RECHECK_MS,
      maxSubscriptionsPerConnection: e.PANTAU_WS_MAX_SUBSCRIPTIONS,
    },
  };
}
