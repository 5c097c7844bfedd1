import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// graphql 16 ships both ESM (.mjs, picked by Vite) and CJS (picked by Node for graphql-yoga, the Pothos
// plugins and graphql-inspector). Two copies break `instanceof` checks, so code under test uses Node's copy.
const graphqlEntry = createRequire(import.meta.url).resolve("graphql");

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
