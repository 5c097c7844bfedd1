// `prisma generate` only needs WASM, but the CLI insists on locating a native schema engine it
// would otherwise download. Pointing it at any existing file keeps generation offline-safe.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { delimiter } from "node:path";
import { fileURLToPath } from "node:url";

const cli = createRequire(import.meta.url).resolve("prisma/build/index.js");
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
env.CHECKPOINT_DISABLE = "1";
// Generators such as prisma-pothos-types are found on PATH, as they would be inside a package script.
env.PATH = [fileURLToPath(new URL("../node_modules/.bin", import.meta.url)), env.PATH].join(delimiter);
const result = spawnSync(process.execPath, [cli, "generate"], { stdio: "inherit", env });
if (result.error) console.error(result.error);
process.exit(result.status ?? 1);
