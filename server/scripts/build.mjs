// Compiles the server to plain JavaScript in dist/: one ESM bundle per entry point (the server and the admin
// command), with source maps, and the packages left as imports of node_modules. Production then runs
// `node dist/main.js` without a TypeScript loader, which start-up otherwise spends seconds in.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { build } from "esbuild";

const dist = new URL("../dist/", import.meta.url);
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

await build({
  entryPoints: { main: "src/main.ts", admin: "src/admin.ts" },
  outdir: "dist",
  bundle: true,
  // Chunks shared by the entry points: main.js imports the rest of the server only after it has started
  // the embedded database, so that PGlite opens while the server's modules load.
  splitting: true,
  chunkNames: "[name]-[hash]",
  packages: "external",
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  // Names stay readable in stack traces and profiles.
  minify: false,
  keepNames: true,
  logLevel: "warning",
  // The commit the bundle was built from, for pantau_build_info on /metrics.
  define: { "process.env.PANTAU_BUILT_VERSION": JSON.stringify(commit()) },
});
// Started as a worker thread by URL, next to the module that starts it.
copyFileSync(new URL("../src/db/pglite-worker.mjs", import.meta.url), new URL("pglite-worker.mjs", dist));
copyFileSync(
  new URL("../src/modules/email/mail-parse-worker.mjs", import.meta.url),
  new URL("mail-parse-worker.mjs", dist),
);
console.log("server built into server/dist");

function commit() {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { encoding: "utf8" }).trim();
    return dirty ? `${sha}-modified` : sha;
  } catch {
    return "unknown";
  }
}
