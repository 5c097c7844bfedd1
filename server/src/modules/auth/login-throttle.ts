import type { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { TooManyAttemptsError } from "../../errors.js";
import { sha256Hex } from "./tokens.js";

export interface LoginThrottleLimits {
  /** Sign-in attempts allowed per account within the window; a success clears the account's count. */
  accountFailures: number;
  /** Sign-in attempts allowed per client address within the window; successes are given back. */
  addressFailures: number;
  windowSeconds: number;
}

/**
 * Counts sign-in attempts per account and per client address. Points are taken before the password is
 * checked, so parallel guesses cannot slip past the limit; a success gives them back. Unknown e-mail
 * addresses are counted exactly like real ones, so a refusal says nothing about whether an account exists.
 */
export class LoginThrottle {
  private readonly byAccount: RateLimiterAbstract;
  private readonly byAddress: RateLimiterAbstract;

  constructor(limits: LoginThrottleLimits, store: { redis: Redis; namespace: string } | null) {
    const make = (name: string, points: number): RateLimiterAbstract => {
      const options = { keyPrefix: `pantau:login:${name}`, points, duration: limits.windowSeconds };
      if (!store) return new RateLimiterMemory(options);
      return new RateLimiterRedis({
        ...options,
        keyPrefix: `pantau:${store.namespace}:login:${name}`,
        storeClient: store.redis,
        // While Redis is unreachable each instance keeps counting on its own rather than letting guesses through.
        insuranceLimiter: new RateLimiterMemory(options),
      });
    };
    this.byAccount = make("account", limits.accountFailures);
    this.byAddress = make("address", limits.addressFailures);
  }

  /** Takes one attempt for the account and the address; throws TooManyAttemptsError when either is spent. */
  async attempt(email: string, address: string): Promise<void> {
    const results = await Promise.allSettled([
      this.byAccount.consume(accountKey(email)),
      this.byAddress.consume(address),
    ]);
    let waitMs = 0;
    for (const result of results) {
      if (result.status === "fulfilled") continue;
      if (!(result.reason instanceof RateLimiterRes)) throw result.reason;
      waitMs = Math.max(waitMs, result.reason.msBeforeNext);
    }
    if (results.some((result) => result.status === "rejected")) {
      throw new TooManyAttemptsError(Math.max(1, Math.ceil(waitMs / 1000)));
    }
  }

  /** After a correct password: the account starts afresh and the address gets its attempt back. */
  async succeeded(email: string, address: string): Promise<void> {
    await Promise.all([this.byAccount.delete(accountKey(email)), this.byAddress.reward(address, 1)]);
  }
}

// Redis holds a digest, not the e-mail address itself.
const accountKey = (email: string) => sha256Hex(email.trim().toLowerCase());
