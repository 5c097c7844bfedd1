// Compiles the server to plain JavaScript in dist/: one ESM bundle per entry point (the server and the admin
// command), with source maps, and the packages left as imports of node_modules. Production then runs
// `node dist/main.js` without a TypeScript loader, which start-up otherwise spends seconds in.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { build } from "esbuild";

const dist = new URL("../dist/", import.meta.url);
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

await build({
  entryPoints: { main: "src/main.ts", admin: "src/admin.ts" },
  outdir: "dist",
  bundle: true,
  packages: "external",
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  // Names stay readable in stack traces and profiles.
  minify: false,
  keepNames: true,
  logLevel: "warning",
});
// Started as a worker thread by URL, next to the module that starts it.
copyFileSync(new URL("../src/db/pglite-worker.mjs", import.meta.url), new URL("pglite-worker.mjs", dist));
console.log("server built into server/dist");
