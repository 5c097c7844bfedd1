// Writes the public API's SDL to /schema.graphql, committed so API changes show in review.
import { writeFileSync } from "node:fs";
import { printedSchema } from "../src/graphql/schema.js";

const target = new URL("../../schema.graphql", import.meta.url);
writeFileSync(target, printedSchema());
console.log(`wrote ${target.pathname}`);
