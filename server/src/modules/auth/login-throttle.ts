import type { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { TooManyAttemptsError } from "../../errors.js";
import { sha256Hex } from "./tokens.js";

export interface LoginThrottleLimits {
  /**
   * Sign-in attempts allowed per account from one client address within the window; a success clears the
   * count. From all addresses together an account has ACCOUNT_CEILING_FACTOR times as many.
   */
  accountFailures: number;
  /** Sign-in attempts allowed per client address within the window; successes are given back. */
  addressFailures: number;
  windowSeconds: number;
}

/**
 * How many more attempts an account has from all addresses together than from one. Counting an account per
 * address means a stranger who types its e-mail address ten times pauses only their own attempts, not the
 * owner's; the ceiling still bounds a guesser who spreads over many addresses, who must then use at least
 * this many of them before the account pauses for everyone.
 */
export const ACCOUNT_CEILING_FACTOR = 10;

/**
 * Counts sign-in attempts per account and address pair, per account, and per client address. Points are
 * taken before the password is checked, so parallel guesses cannot slip past the limit; a success gives
 * them back. Unknown e-mail addresses are counted exactly like real ones, so a refusal says nothing about
 * whether an account exists.
 */
export class LoginThrottle {
  private readonly byPair: RateLimiterAbstract;
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
    this.byPair = make("pair", limits.accountFailures);
    this.byAccount = make("account", limits.accountFailures * ACCOUNT_CEILING_FACTOR);
    this.byAddress = make("address", limits.addressFailures);
  }

  /** Takes one attempt for the pair, the account and the address; throws TooManyAttemptsError when one is spent. */
  async attempt(email: string, address: string): Promise<void> {
    const account = accountKey(email);
    const results = await Promise.allSettled([
      this.byPair.consume(`${account}:${address}`),
      this.byAccount.consume(account),
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
    const account = accountKey(email);
    await Promise.all([
      this.byPair.delete(`${account}:${address}`),
      this.byAccount.delete(account),
      this.byAddress.reward(address, 1),
    ]);
  }
}

// Redis holds a digest, not the e-mail address itself.
const accountKey = (email: string) => sha256Hex(email.trim().toLowerCase());
