/**
 * Quantiles of durations from log-scale histograms (the DDSketch construction), the counterpart of the
 * SQL function `metric_duration_bin` (migration 20261123060000_duration_sketch), which does the binning.
 *
 * Bin i holds the durations in (γ^(i-1), γ^i] minutes. Reporting 2γ^i / (γ + 1) for any value in it is
 * off by at most RELATIVE_ACCURACY of that value, whatever the distribution. Histograms merge by
 * adding counts, so a region's sketch is exactly the sum of its offices' and a month's the sum of its
 * days': medians do not add, sketches do.
 */

/** Largest relative error of a reported quantile against the duration at that rank. */
export const RELATIVE_ACCURACY = 0.02;
export const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
/** Durations under one second share this bin, which stands for zero. */
export const ZERO_BIN = -32768;
const SMALLEST_MINUTES = 1 / 60;
const LN_GAMMA = Math.log(GAMMA);

/** The bin of a duration in minutes, as `metric_duration_bin` computes it. */
export function binOf(minutes: number): number {
  return minutes < SMALLEST_MINUTES ? ZERO_BIN : Math.ceil(Math.log(minutes) / LN_GAMMA);
}

/** The duration reported for the values in a bin, in minutes. */
export function binValue(bin: number): number {
  return bin === ZERO_BIN ? 0 : (2 * GAMMA ** bin) / (GAMMA + 1);
}

/** Counts per bin of a set of durations. */
export class DurationSketch {
  private readonly counts = new Map<number, number>();
  private total = 0;

  get count(): number {
    return this.total;
  }

  add(bin: number, count = 1): void {
    if (count <= 0) return;
    this.counts.set(bin, (this.counts.get(bin) ?? 0) + count);
    this.total += count;
  }

  merge(other: DurationSketch): void {
    for (const [bin, count] of other.counts) this.add(bin, count);
  }

  /**
   * The duration at rank q·(n − 1) of the sorted values (0 ≤ q ≤ 1; the lower one between two ranks),
   * within RELATIVE_ACCURACY; null for no values.
   */
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    // As metric_duration_day_of computes it in integers: q·(n − 1) rounded down (0.9·70 is 62.99… in floats).
    const rank = Math.floor(q * (this.total - 1) + 1e-6);
    const bins = [...this.counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const bin of bins) {
      seen += this.counts.get(bin) as number;
      if (seen > rank) return binValue(bin);
    }
    return binValue(bins[bins.length - 1] as number);
  }
}
