import { readFileSync } from "node:fs";
import { validate } from "dockerfile-utils";
import { describe, expect, it } from "vitest";

const read = (name: string) => readFileSync(new URL(`../deploy/${name}`, import.meta.url), "utf8");

describe("the deployment samples", () => {
  it("the container file passes the linter without a warning", () => {
    const problems = validate(read("Containerfile")).map(
      (problem) => `line ${problem.range.start.line + 1}: ${problem.message}`,
    );
    expect(problems).toEqual([]);
  });

  it("the container file runs the compiled server as an unprivileged user, with a health check", () => {
    const file = read("Containerfile");
    expect(file).toMatch(/^USER node$/m);
    expect(file).toMatch(/^HEALTHCHECK .*\n.*\/health/m);
    expect(file).toMatch(/^CMD \["node", "--enable-source-maps", "server\/dist\/main\.js"\]$/m);
    expect(file).not.toMatch(/tsx/);
  });

  it.each([
    ["pantau@.service", ["ExecStart=", "KillSignal=SIGTERM", "TimeoutStopSec=", "NODE_ENV=production"]],
    ["pantau-backup.service", ["Type=oneshot", "admin.js backup --to"]],
    ["pantau-backup.timer", ["OnCalendar=", "Persistent=true"]],
    ["nginx.conf", ["Strict-Transport-Security", "proxy_set_header Upgrade", "X-Request-Id", "proxy_buffering off"]],
  ])("%s has what the deployment guide relies on", (name, needles) => {
    const file = read(name);
    for (const needle of needles) expect(file, needle).toContain(needle);
  });
});
