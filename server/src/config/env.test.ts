import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./env.js";

describe("limits and transport configuration", () => {
  it("defaults to same-origin, no anonymous introspection in production, and the documented budgets", () => {
    const development = loadConfig({});
    expect(development.http).toEqual({
      corsOrigins: [],
      introspectionForAnonymous: true,
      trustProxyHops: 0,
      drainLingerMs: 1_000,
    });
    expect(development.limits.budgets.STANDARD).toEqual({ capacity: 2_000, refillPerSecond: 20 });
    expect(loadConfig({ NODE_ENV: "production" }).http.introspectionForAnonymous).toBe(false);
    expect(
      loadConfig({ NODE_ENV: "production", PANTAU_INTROSPECTION_ANONYMOUS: "on" }).http.introspectionForAnonymous,
    ).toBe(true);
  });

  it("reads each tier's budget and the allowed origins", () => {
    const config = loadConfig({
      PANTAU_BUDGET_PARTNER_CAPACITY: "123",
      PANTAU_BUDGET_PARTNER_REFILL_PER_SECOND: "0.5",
      PANTAU_CORS_ORIGINS: "https://lapor.example.go.id, http://localhost:5173",
      PANTAU_MAX_BATCH: "0",
    });
    expect(config.limits.budgets.PARTNER).toEqual({ capacity: 123, refillPerSecond: 0.5 });
    expect(config.http.corsOrigins).toEqual(["https://lapor.example.go.id", "http://localhost:5173"]);
    expect(config.limits.maxBatch).toBe(0);
  });

  it.each([
    ["an origin with a path", { PANTAU_CORS_ORIGINS: "https://example.go.id/app" }, "PANTAU_CORS_ORIGINS"],
    ["an origin that is not a URL", { PANTAU_CORS_ORIGINS: "example.go.id" }, "PANTAU_CORS_ORIGINS"],
    ["a budget of nothing", { PANTAU_BUDGET_STAFF_CAPACITY: "0" }, "PANTAU_BUDGET_STAFF_CAPACITY"],
    [
      "a negative refill",
      { PANTAU_BUDGET_ANONYMOUS_REFILL_PER_SECOND: "-1" },
      "PANTAU_BUDGET_ANONYMOUS_REFILL_PER_SECOND",
    ],
    ["a body limit below 1 KiB", { PANTAU_MAX_BODY_BYTES: "10" }, "PANTAU_MAX_BODY_BYTES"],
  ])("refuses %s", (_label, env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });
});

describe("outbound delivery configuration", () => {
  it("is off by default, with the documented retry rule", () => {
    const { outbound } = loadConfig({});
    expect(outbound.smtp.global).toBeNull();
    expect(outbound.smtp.units.size).toBe(0);
    expect(outbound).toMatchObject({ maxAttempts: 10, retryBaseMs: 60_000, retryMaxMs: 3_600_000, leaseMs: 120_000 });
  });

  it("reports SMTP problems together with the others, without repeating the secret", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "-1", PANTAU_SMTP_URL: "https://user:rahasia@mail.example.go.id" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.join("\n");
    expect(issues).toContain("PORT");
    expect(issues).toContain("PANTAU_SMTP_URL");
    expect(issues).not.toContain("rahasia");
  });
});
