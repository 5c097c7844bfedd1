import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// graphql 16 ships both ESM (.mjs, picked by Vite) and CJS (picked by Node for graphql-yoga). Two
// copies break `instanceof GraphQLError`, so the server code under test must use Node's copy too.
const graphqlEntry = createRequire(import.meta.url).resolve("graphql");

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 2,
    globalSetup: ["./support/global-setup.ts"],
  },
});
