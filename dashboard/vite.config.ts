import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { minifyIntrospectionQuery } from "@urql/introspection";
import react from "@vitejs/plugin-react";
import { buildSchema, getIntrospectionQuery, graphqlSync, type IntrospectionQuery } from "graphql";
import type { Plugin } from "vite";
import { compression, defineAlgorithm } from "vite-plugin-compression2";
import { defineConfig } from "vitest/config";

const SCHEMA_FILE = fileURLToPath(new URL("../schema.graphql", import.meta.url));
const SCHEMA_MODULE = "virtual:pantau-schema";

/**
 * The cache needs the schema's shape (types, fields, which are lists or abstract), not its descriptions:
 * the full introspection is 180 KB of the bundle, the minified one a fraction. Built from the printed
 * schema when the dashboard is built, so the two cannot drift.
 */
function minifiedSchema(): Plugin {
  return {
    name: "pantau-minified-schema",
    resolveId: (id) => (id === SCHEMA_MODULE ? `\0${SCHEMA_MODULE}` : undefined),
    load(id) {
      if (id !== `\0${SCHEMA_MODULE}`) return undefined;
      this.addWatchFile(SCHEMA_FILE);
      const schema = buildSchema(readFileSync(SCHEMA_FILE, "utf8"));
      const result = graphqlSync({ schema, source: getIntrospectionQuery({ descriptions: false }) });
      const minified = minifyIntrospectionQuery(result.data as unknown as IntrospectionQuery);
      return `export const schema = ${JSON.stringify(minified)};`;
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    minifiedSchema(),
    // Precompressed at build so the server sends .br or .gz without compressing per request.
    compression({
      algorithms: [defineAlgorithm("gzip", { level: 9 }), defineAlgorithm("brotliCompress")],
      include: /\.(html|css|js|mjs|json|svg)$/,
      threshold: 512,
      logLevel: "silent",
    }),
  ],
  server: {
    port: 5173,
    proxy: {
      "/graphql": { target: "http://localhost:4000", ws: true },
      "/export": { target: "http://localhost:4000" },
    },
  },
  build: { outDir: "dist", sourcemap: true, chunkSizeWarningLimit: 1200 },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
