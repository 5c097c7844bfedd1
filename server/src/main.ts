import { ConfigError, loadConfig } from "./config/env.js";
import { startPglite } from "./db/pglite-start.js";
import { createLogger } from "./logger.js";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

const logger = createLogger(config.logLevel);
const startedAt = performance.now();
// PGlite opens on its own thread while this one loads the server's modules: the two take about as long.
const embedded =
  "dataDir" in config.database ? startPglite(config.database.dataDir, config.database.templateDir) : undefined;
embedded?.catch(() => {});
const { buildApp } = await import("./app.js");
const app = await buildApp(config, { logger, ...(embedded ? { embedded } : {}) });
const { url } = await app.start();
logger.info({ url, ms: Math.round(performance.now() - startedAt) }, "Pantau is listening");

if (app.demo) {
  const lines = [
    "",
    `Pantau demo at ${url}`,
    `  GraphQL (GraphiQL in a browser): ${url}/graphql`,
    `  Dashboard: ${url}/`,
    `  Demo accounts (password: ${app.demo.password}):`,
    ...app.demo.accounts.map((a) => `    ${a.email.padEnd(28)} ${a.role.padEnd(16)} ${a.unitCode}`),
    `  Third-party API key (read scopes): ${app.demo.apiKey}`,
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    app
      .stop({ lingerMs: config.http.drainLingerMs })
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      });
  });
}
