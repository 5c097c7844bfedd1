import { createHash } from "node:crypto";
import { PublicLimitError } from "../../errors.js";
import type { BudgetStore, BudgetTier } from "../limits/budget.js";

export interface PublicLimitSettings {
  /** Reports accepted from one client address per hour (a burst of this many, then refilled evenly). */
  readonly reportsPerAddressPerHour: number;
  /** Tracking look-ups from one client address per hour. */
  readonly lookupsPerAddressPerHour: number;
  /** Tracking look-ups of one ticket number per hour, from all addresses together. */
  readonly lookupsPerNumberPerHour: number;
}

const hourly = (perHour: number): BudgetTier => ({ capacity: perHour, refillPerSecond: perHour / 3600 });

/**
 * The public entry points' limits, drawn from the same token buckets as the query-cost budgets (in Redis
 * when REDIS_URL is set, so instances share them). A point is taken before the work is done, so parallel
 * guesses cannot slip past; a refused attempt takes nothing and says when to come back. A number is
 * counted whether or not such a ticket exists, so the limit itself tells nothing.
 */
export class PublicLimits {
  constructor(
    private readonly settings: PublicLimitSettings,
    private readonly store: () => BudgetStore,
  ) {}

  async report(address: string): Promise<void> {
    const spend = await this.store().spend(
      `public-report:${address}`,
      hourly(this.settings.reportsPerAddressPerHour),
      1,
    );
    if (!spend.allowed) throw new PublicLimitError(spend.retryAfterSeconds, "reports from this address");
  }

  async lookup(address: string, number: string): Promise<void> {
    const byAddress = await this.store().spend(
      `public-lookup:${address}`,
      hourly(this.settings.lookupsPerAddressPerHour),
      1,
    );
    if (!byAddress.allowed)
      throw new PublicLimitError(byAddress.retryAfterSeconds, "tracking look-ups from this address");
    const byNumber = await this.store().spend(
      `public-number:${createHash("sha256").update(number).digest("hex").slice(0, 32)}`,
      hourly(this.settings.lookupsPerNumberPerHour),
      1,
    );
    if (!byNumber.allowed) throw new PublicLimitError(byNumber.retryAfterSeconds, "tracking look-ups of this number");
  }
}
