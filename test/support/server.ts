import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type App, buildApp } from "@pantau/server/app";
import { loadConfig } from "@pantau/server/config";
import { createLogger } from "@pantau/server/logger";
import { createDatabase, type Target } from "./databases.js";

export const DEMO_PASSWORD = "rahasia-uji-123";

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface TestServer {
  target: Target;
  url: string;
  app: App;
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<T>>;
  login(email: string): Promise<string>;
  /** The API key the demo printed. */
  apiKey: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Reuse a PGlite folder or Postgres URL across restarts. */
  dataDir?: string;
  databaseUrl?: string;
  /** Receives every line the server logs, parsed, at `logLevel` (default info) instead of TEST_LOG_LEVEL. */
  onLog?: (line: Record<string, any>) => void;
  logLevel?: string;
  /** The server's wall clock, e.g. to be on 1 October. */
  now?: () => Date;
}

/** Boots the real server on port 0 against a fresh database of the given kind. */
export async function startServer(target: Target, options: StartOptions = {}): Promise<TestServer> {
  let cleanup = async () => {};
  const env: Record<string, string> = {
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    DEMO_PASSWORD,
    PANTAU_SEED_DAYS: "14",
    PANTAU_SEED_TICKETS_PER_DAY: "40",
    PANTAU_SIMULATOR: "off",
    ...options.env,
  };
  if (target === "postgres") {
    if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
    else {
      const database = await createDatabase();
      env.DATABASE_URL = database.url;
      cleanup = database.drop;
    }
  } else if (options.dataDir) {
    env.PANTAU_DATA_DIR = options.dataDir;
  } else {
    const dir = mkdtempSync(join(tmpdir(), "pantau-test-"));
    env.PANTAU_DATA_DIR = dir;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const config = loadConfig(env);
  const { onLog } = options;
  const logger = onLog
    ? createLogger(options.logLevel ?? "info", { write: (line: string) => onLog(JSON.parse(line)) })
    : createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  const app = await buildApp(config, { logger, ...(options.now ? { now: options.now } : {}) });
  const { url } = await app.start();

  const gql: TestServer["gql"] = async (query, variables, token) => {
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse, "status">;
    return { status: response.status, ...body } as never;
  };

  return {
    target,
    url,
    app,
    gql,
    apiKey: app.demo?.apiKey ?? "",
    async login(email) {
      const result = await gql<{ login: { session?: { token: string }; code?: string } }>(
        `mutation($email: String!, $password: String!) {
          login(email: $email, password: $password) {
            __typename
            ... on LoginSuccess { session { token } }
            ... on Error { code message }
          }
        }`,
        { email, password: DEMO_PASSWORD },
      );
      const token = result.data?.login.session?.token;
      if (!token) throw new Error(`login failed for ${email}: ${JSON.stringify(result)}`);
      return token;
    },
    async stop() {
      await app.stop();
      await cleanup();
    },
  };
}
