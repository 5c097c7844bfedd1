/**
 * The mix of generated tickets shared by the benchmarks that write datasets straight into PostgreSQL.
 * Weights are per 100: an array of 100 values to pick from uniformly.
 */
export function weighted<T extends string>(table: readonly (readonly [T, number])[]): T[] {
  return table.flatMap(([value, weight]) => Array.from({ length: weight }, () => value));
}

export const KINDS = weighted([
  ["INFORMATION_REQUEST", 45],
  ["COMPLAINT", 35],
  ["ASPIRATION", 8],
  ["APPRECIATION", 5],
  ["VIOLATION_REPORT", 5],
  ["WHISTLEBLOWING", 2],
] as const);
export const CHANNELS = weighted([
  ["WHATSAPP", 30],
  ["PHONE", 15],
  ["WEB_FORM", 15],
  ["EMAIL", 10],
  ["LIVE_CHAT", 8],
  ["INSTAGRAM", 5],
  ["WALK_IN", 5],
  ["X", 3],
  ["FACEBOOK", 3],
  ["TIKTOK", 2],
  ["SP4N_LAPOR", 2],
  ["LETTER", 1],
  ["PRESS", 1],
] as const);
export const PRIORITIES = weighted([
  ["NORMAL", 70],
  ["HIGH", 15],
  ["LOW", 10],
  ["URGENT", 5],
] as const);
