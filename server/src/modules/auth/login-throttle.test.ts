import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { TooManyAttemptsError } from "../../errors.js";
import { ACCOUNT_CEILING_FACTOR, LoginThrottle } from "./login-throttle.js";

const limits = { accountFailures: 3, addressFailures: 5, windowSeconds: 60 };

const refused = async (attempt: Promise<void>) => {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TooManyAttemptsError);
  return error as TooManyAttemptsError;
};

describe("sign-in throttle", () => {
  it("refuses an account from one address after its allowance, until the window ends; other addresses go on", async () => {
    const throttle = new LoginThrottle(limits, null);
    for (let i = 0; i < 3; i++) await throttle.attempt("Budi@Example.id", "10.0.0.1");
    const error = await refused(throttle.attempt(" budi@example.id ", "10.0.0.1"));
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
    await throttle.attempt("siti@example.id", "10.0.0.1");
    // The owner, elsewhere, is not locked out by a stranger's guesses.
    await throttle.attempt("budi@example.id", "10.0.0.2");
  });

  it("refuses an account for everyone once guesses spread over many addresses reach the ceiling", async () => {
    const throttle = new LoginThrottle(limits, null);
    const ceiling = limits.accountFailures * ACCOUNT_CEILING_FACTOR;
    for (let i = 0; i < ceiling; i++) await throttle.attempt("budi@example.id", `10.0.2.${i}`);
    await refused(throttle.attempt("budi@example.id", "10.0.3.1"));
    await throttle.attempt("siti@example.id", "10.0.3.1");
  });

  it("gives an account a fresh allowance after a success", async () => {
    const throttle = new LoginThrottle(limits, null);
    for (let round = 0; round < 4; round++) {
      const address = `10.0.1.${round}`;
      await throttle.attempt("budi@example.id", address);
      await throttle.attempt("budi@example.id", address);
      await throttle.attempt("budi@example.id", address);
      await throttle.succeeded("budi@example.id", address);
    }
  });

  it("gives the address back the attempt that succeeded", async () => {
    const throttle = new LoginThrottle(limits, null);
    for (let i = 0; i < 10; i++) {
      await throttle.attempt(`user${i}@example.id`, "10.0.0.1");
      await throttle.succeeded(`user${i}@example.id`, "10.0.0.1");
    }
  });

  it("refuses an address that tries many accounts", async () => {
    const throttle = new LoginThrottle(limits, null);
    for (let i = 0; i < 5; i++) await throttle.attempt(`user${i}@example.id`, "10.0.0.1");
    await refused(throttle.attempt("someone@example.id", "10.0.0.1"));
    await throttle.attempt("someone@example.id", "10.0.0.2");
  });

  describe("while Redis is unreachable", () => {
    const redis = new Redis("redis://127.0.0.1:1", {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on("error", () => {});
    afterAll(() => redis.disconnect());

    it("keeps counting in memory instead of letting guesses through", async () => {
      const throttle = new LoginThrottle(limits, { redis, namespace: "test" });
      for (let i = 0; i < 3; i++) await throttle.attempt("budi@example.id", "10.0.0.1");
      await refused(throttle.attempt("budi@example.id", "10.0.0.1"));
    });
  });
});
