// Fails when the schema the code prints breaks the released contract (schema.released.graphql) in a way
// that is not listed in schema.breaking-allowed.json, or when a deprecation does not follow the policy.
// `--release` makes the current schema the contract and empties the list. See docs/api.md.
import { readFileSync, writeFileSync } from "node:fs";
import type { Change } from "@graphql-inspector/core";
import { printedSchema } from "../src/graphql/schema.js";
import { type AllowedBreak, compareSchemas } from "../src/graphql/schema-compat.js";

const RELEASED = new URL("../../schema.released.graphql", import.meta.url);
const ALLOWED = new URL("../../schema.breaking-allowed.json", import.meta.url);

const current = printedSchema();
if (process.argv.includes("--release")) {
  writeFileSync(RELEASED, current);
  writeFileSync(ALLOWED, `${JSON.stringify({ allowed: [] }, null, 2)}\n`);
  console.log("schema.released.graphql is now the printed schema; schema.breaking-allowed.json emptied");
  process.exit(0);
}

const allowed = (JSON.parse(readFileSync(ALLOWED, "utf8")) as { allowed: AllowedBreak[] }).allowed;
const report = await compareSchemas(readFileSync(RELEASED, "utf8"), current, allowed);
const line = (change: Change) => `  ${change.type} ${change.path ?? ""}: ${change.message}`;

const verbose = process.argv.includes("--verbose");
console.log(
  `${report.safe.length} safe changes${verbose ? `:\n${report.safe.map(line).join("\n")}` : " (--verbose lists them)"}`,
);
if (report.dangerous.length) {
  console.log(`Dangerous changes, clients may need to handle them (${report.dangerous.length}):`);
  console.log(report.dangerous.map(line).join("\n"));
}
if (report.accepted.length) {
  console.log("Breaking changes accepted:");
  console.log(report.accepted.map(({ change, why }) => `${line(change)} — ${why}`).join("\n"));
}
if (report.deprecationProblems.length) {
  console.error(`Deprecations that break the policy:\n${report.deprecationProblems.map((p) => `  ${p}`).join("\n")}`);
}
if (report.breaking.length) {
  console.error("Breaking changes against the released contract:");
  console.error(report.breaking.map(line).join("\n"));
  console.error(
    "Deprecate first (with a date), or list the change with its reason in schema.breaking-allowed.json " +
      '({ "type", "path", "reason" }) if it is deliberate.',
  );
}
if (report.breaking.length || report.deprecationProblems.length) process.exit(1);
console.log("schema:compat: no unlisted breaking changes against schema.released.graphql");
