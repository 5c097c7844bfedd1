import { describe, expect, it } from "vitest";
import { recoveryFor, retryDelayMs } from "./recovery.js";

describe("recoveryFor", () => {
  it.each([
    [
      { code: "SUBSCRIBER_TOO_SLOW", resumeAfter: "42" },
      { kind: "resume", after: "42" },
    ],
    [{ code: "SUBSCRIBER_TOO_SLOW" }, { kind: "retry" }],
    [{ code: "UNAUTHENTICATED" }, { kind: "sign-out" }],
    [{ code: "FORBIDDEN" }, { kind: "stop" }],
    [{ code: "UNKNOWN_UNIT" }, { kind: "stop" }],
    [{ code: "NOT_FOUND" }, { kind: "stop" }],
    [{ code: "BAD_USER_INPUT" }, { kind: "stop" }],
    [{ code: "GRAPHQL_VALIDATION_FAILED" }, { kind: "stop" }],
    [{ code: "INTERNAL_SERVER_ERROR" }, { kind: "retry" }],
    [{ code: "SHUTTING_DOWN", retryAfterSeconds: 1 }, { kind: "retry" }],
    [{ code: "DATABASE_UNAVAILABLE" }, { kind: "retry" }],
    [{ code: "TOO_MANY_SUBSCRIPTIONS" }, { kind: "retry" }],
    [{}, { kind: "retry" }],
    [undefined, { kind: "retry" }],
  ] as const)("%j → %j", (extensions, expected) => {
    expect(recoveryFor(extensions)).toEqual(expected);
  });
});

describe("retryDelayMs", () => {
  it.each([
    [0, 0.5, 1_000],
    [1, 0.5, 2_000],
    [3, 0.5, 8_000],
    [10, 0.5, 30_000],
    [0, 0, 800],
    [0, 1, 1_200],
    [10, 1, 36_000],
    [-1, 0.5, 1_000],
  ])("attempt %i with random %f → %i ms", (attempt, random, expected) => {
    expect(retryDelayMs(attempt, () => random)).toBe(expected);
  });
});
