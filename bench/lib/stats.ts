/** Nearest-rank percentile: a value that was actually observed, never an interpolation. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function median(values: readonly number[]): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export const round = (value: number, digits = 2) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export function summarize(samplesMs: readonly number[]) {
  return {
    samples: samplesMs.length,
    medianMs: round(median(samplesMs), 3),
    p90Ms: round(percentile(samplesMs, 90), 3),
    p99Ms: round(percentile(samplesMs, 99), 3),
    minMs: round(Math.min(...samplesMs), 3),
    maxMs: round(Math.max(...samplesMs), 3),
  };
}
