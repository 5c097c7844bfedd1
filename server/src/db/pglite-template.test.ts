import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pruneTemplates } from "./pglite-template.js";

describe("pruning PGlite templates", () => {
  let root = "";
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("removes templates of earlier migration sets once idle, and keeps the current one and fresh ones", () => {
    root = mkdtempSync(join(tmpdir(), "pantau-templates-"));
    const now = Date.now();
    const make = (name: string, ageMs: number) => {
      const path = join(root, name);
      mkdirSync(path);
      writeFileSync(join(path, "PG_VERSION"), "17");
      const at = new Date(now - ageMs);
      utimesSync(path, at, at);
      return path;
    };
    const current = make("pglite-current000000", 3_600_000);
    make("pglite-old0000000000", 3_600_000);
    make("pglite-fresh00000000", 60_000);
    make("pglite-x.building-abc", 3_600_000);
    make("unrelated", 3_600_000);
    expect(pruneTemplates(root, current, now)).toEqual(["pglite-old0000000000"]);
    expect(readdirSync(root).sort()).toEqual([
      "pglite-current000000",
      "pglite-fresh00000000",
      "pglite-x.building-abc",
      "unrelated",
    ]);
  });
});
