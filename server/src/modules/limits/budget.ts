import type { Result } from "ioredis";
import type { Logger } from "../../logger.js";

/** A budget that holds at most `capacity` points and refills continuously at `refillPerSecond`. */
export interface BudgetTier {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

export interface Spend {
  readonly allowed: boolean;
  /** Points left after this spend (or untouched, when refused), rounded down. */
  readonly remaining: number;
  /** When refused: seconds until the budget holds the cost again. */
  readonly retryAfterSeconds: number;
}

export interface BucketState {
  tokens: number;
  atMs: number;
}

/**
 * The token bucket, in one pure function so both stores agree: refill for the time elapsed, then take
 * `cost` if it is there. A refused spend takes nothing, so a client that waits `retryAfterSeconds` succeeds.
 */
export function spendFrom(
  state: BucketState | undefined,
  tier: BudgetTier,
  cost: number,
  nowMs: number,
): { state: BucketState; spend: Spend } {
  const elapsed = state ? Math.max(0, nowMs - state.atMs) / 1000 : 0;
  const tokens = state ? Math.min(tier.capacity, state.tokens + elapsed * tier.refillPerSecond) : tier.capacity;
  if (cost <= tokens) {
    const left = tokens - cost;
    return {
      state: { tokens: left, atMs: nowMs },
      spend: { allowed: true, remaining: Math.floor(left), retryAfterSeconds: 0 },
    };
  }
  const retryAfterSeconds = tier.refillPerSecond > 0 ? Math.ceil((cost - tokens) / tier.refillPerSecond) : 3600;
  return {
    state: { tokens, atMs: nowMs },
    spend: { allowed: false, remaining: Math.floor(tokens), retryAfterSeconds: Math.max(1, retryAfterSeconds) },
  };
}

export interface BudgetStore {
  readonly kind: "memory" | "redis";
  spend(client: string, tier: BudgetTier, cost: number): Promise<Spend>;
  close(): Promise<void>;
}

const SWEEP_ABOVE = 10_000;

/** One instance's budgets. Buckets that have refilled completely are forgotten, since they equal a new one. */
export function createMemoryBudgetStore(now: () => number = Date.now): BudgetStore {
  const buckets = new Map<string, { state: BucketState; tier: BudgetTier }>();
  const sweep = (nowMs: number) => {
    for (const [client, { state, tier }] of buckets) {
      const full = state.tokens + ((nowMs - state.atMs) / 1000) * tier.refillPerSecond >= tier.capacity;
      if (full) buckets.delete(client);
    }
  };
  return {
    kind: "memory",
    async spend(client, tier, cost) {
      const nowMs = now();
      if (buckets.size > SWEEP_ABOVE) sweep(nowMs);
      const result = spendFrom(buckets.get(client)?.state, tier, cost, nowMs);
      buckets.set(client, { state: result.state, tier });
      return result.spend;
    },
    async close() {
      buckets.clear();
    },
  };
}

/**
 * The same bucket, atomic in Redis so every instance draws from one budget per client. Redis's clock is
 * used, so instances with skewed clocks still agree. The key expires once the bucket would be full again.
 */
const SPEND_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local tokens = capacity
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
if saved[1] then
  local elapsed = math.max(0, now - tonumber(saved[2])) / 1000
  tokens = math.min(capacity, tonumber(saved[1]) + elapsed * rate)
end
local allowed = 0
if cost <= tokens then
  tokens = tokens - cost
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
local ttl = 1000
if rate > 0 then ttl = math.ceil((capacity - tokens) / rate * 1000) + 1000 else ttl = 3600000 end
redis.call('PEXPIRE', KEYS[1], ttl)
return {allowed, tostring(tokens)}
`;

declare module "ioredis" {
  interface RedisCommander<Context> {
    pantauSpendBudget(key: string, capacity: number, rate: number, cost: number): Result<[number, string], Context>;
  }
}

/**
 * Budgets in Redis, under the namespace of one database: the instances of one deployment share them, and
 * another deployment on the same Redis (or a test database) never spends from them.
 */
export async function createRedisBudgetStore(url: string, namespace: string, logger: Logger): Promise<BudgetStore> {
  // Fail fast while Redis is away: the request falls back to this instance's own budget instead of waiting.
  // Loaded only with Redis configured: the embedded default never needs the client.
  const { Redis } = await import("ioredis");
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
  redis.on("error", (error: Error) => logger.debug({ err: error }, "budget store: redis error"));
  redis.defineCommand("pantauSpendBudget", { numberOfKeys: 1, lua: SPEND_SCRIPT });
  const fallback = createMemoryBudgetStore();
  await redis.connect().catch((error: unknown) => logger.warn({ err: error }, "budget store: redis unreachable"));
  let warned = false;
  return {
    kind: "redis",
    async spend(client, tier, cost) {
      try {
        const [allowed, tokensText] = await redis.pantauSpendBudget(
          `pantau:${namespace}:budget:${client}`,
          tier.capacity,
          tier.refillPerSecond,
          cost,
        );
        warned = false;
        const tokens = Number(tokensText);
        if (allowed === 1) return { allowed: true, remaining: Math.floor(tokens), retryAfterSeconds: 0 };
        const missing = cost - tokens;
        const retryAfterSeconds = tier.refillPerSecond > 0 ? Math.ceil(missing / tier.refillPerSecond) : 3600;
        return { allowed: false, remaining: Math.floor(tokens), retryAfterSeconds: Math.max(1, retryAfterSeconds) };
      } catch (error) {
        if (!warned) logger.warn({ err: error }, "budget store: redis failed; using this instance's budgets");
        warned = true;
        return fallback.spend(client, tier, cost);
      }
    },
    async close() {
      redis.disconnect();
      await fallback.close();
    },
  };
}
