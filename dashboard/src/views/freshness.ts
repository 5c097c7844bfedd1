import { useMemo } from "react";

/**
 * How often a view refetches what events have made stale, at most. Figures are aggregates (a few hundred
 * points of the caller's query budget each, see docs/api-limits.md); a list of tickets is cheaper and a
 * supervisor expects it to follow the queue closely.
 */
export const FIGURES_REFRESH_MS = 15_000;
export const LIST_REFRESH_MS = 3_000;

/**
 * A query context that asks for fresh figures from the network whenever `key` changes (a live event
 * arrived), and otherwise stays the same object so the query is not restarted on every render.
 */
export function useFreshness(key: number): { requestPolicy: "network-only" } | undefined {
  return useMemo(() => (key ? { requestPolicy: "network-only" as const } : undefined), [key]);
}
