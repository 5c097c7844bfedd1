import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../../logger.js";
import { createMemoryBudgetStore, createRedisBudgetStore, spendFrom } from "./budget.js";

const tier = { capacity: 100, refillPerSecond: 10 };

describe("the token bucket", () => {
  it.each([
    ["a new client starts full", undefined, 30, 0, { allowed: true, remaining: 70 }],
    ["spends what is left", { tokens: 50, atMs: 0 }, 50, 0, { allowed: true, remaining: 0 }],
    ["refills with time", { tokens: 0, atMs: 0 }, 20, 2_000, { allowed: true, remaining: 0 }],
    ["never above capacity", { tokens: 90, atMs: 0 }, 0, 60_000, { allowed: true, remaining: 100 }],
    ["refuses more than is there", { tokens: 5, atMs: 0 }, 30, 0, { allowed: false, remaining: 5 }],
    ["a clock going back refills nothing", { tokens: 5, atMs: 10_000 }, 10, 0, { allowed: false, remaining: 5 }],
  ])("%s", (_label, state, cost, nowMs, expected) => {
    expect(spendFrom(state, tier, cost, nowMs).spend).toMatchObject(expected);
  });

  it("says when the cost will be there again, and that wait is enough", () => {
    const refused = spendFrom({ tokens: 5, atMs: 0 }, tier, 30, 0);
    expect(refused.spend).toEqual({ allowed: false, remaining: 5, retryAfterSeconds: 3 });
    const later = spendFrom(refused.state, tier, 30, refused.spend.retryAfterSeconds * 1000);
    expect(later.spend.allowed).toBe(true);
  });

  it("takes nothing when it refuses", () => {
    const refused = spendFrom({ tokens: 5, atMs: 0 }, tier, 30, 0);
    expect(spendFrom(refused.state, tier, 5, 0).spend).toMatchObject({ allowed: true, remaining: 0 });
  });
});

describe("the in-memory budget store", () => {
  it("keeps one budget per client", async () => {
    let now = 0;
    const store = createMemoryBudgetStore(() => now);
    expect(await store.spend("a", tier, 80)).toMatchObject({ allowed: true, remaining: 20 });
    expect(await store.spend("a", tier, 80)).toMatchObject({ allowed: false, retryAfterSeconds: 6 });
    expect(await store.spend("b", tier, 80)).toMatchObject({ allowed: true, remaining: 20 });
    now = 6_000;
    expect(await store.spend("a", tier, 80)).toMatchObject({ allowed: true, remaining: 0 });
  });
});

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
probe.on("error", () => {});
const redisReason = await probe
  .connect()
  .then(() => probe.ping())
  .then(() => null)
  .catch((error: Error) => error.message);
if (redisReason)
  console.warn(`Redis at ${REDIS_URL} is unreachable (${redisReason}): the Redis budget tests are SKIPPED`);

describe.runIf(!redisReason)("the Redis budget store", () => {
  const logger = createLogger("silent");
  const client = `test:${randomBytes(6).toString("hex")}`;
  const namespace = randomBytes(6).toString("hex");
  afterAll(async () => {
    await probe.del(`pantau:${namespace}:budget:${client}`);
    probe.disconnect();
  });

  it("shares one budget between stores and expires it once full again", async () => {
    const a = await createRedisBudgetStore(REDIS_URL, namespace, logger);
    const b = await createRedisBudgetStore(REDIS_URL, namespace, logger);
    const elsewhere = await createRedisBudgetStore(REDIS_URL, `${namespace}-other`, logger);
    try {
      expect(await a.spend(client, tier, 60)).toMatchObject({ allowed: true, remaining: 40 });
      const refused = await b.spend(client, tier, 60);
      expect(refused).toMatchObject({ allowed: false });
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(2);
      expect(await probe.pttl(`pantau:${namespace}:budget:${client}`)).toBeGreaterThan(0);
      // Another deployment on the same Redis has a budget of its own.
      expect(await elsewhere.spend(client, tier, 60)).toMatchObject({ allowed: true, remaining: 40 });
    } finally {
      await a.close();
      await b.close();
      await probe.del(`pantau:${namespace}-other:budget:${client}`);
      await elsewhere.close();
    }
  });

  it("falls back to the instance's own budget when Redis is away", async () => {
    const store = await createRedisBudgetStore("redis://127.0.0.1:1", namespace, logger);
    try {
      expect(await store.spend(client, tier, 60)).toMatchObject({ allowed: true, remaining: 40 });
      expect(await store.spend(client, tier, 60)).toMatchObject({ allowed: false });
    } finally {
      await store.close();
    }
  });
});
