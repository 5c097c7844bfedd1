import { useMemo } from "react";

/**
 * A query context that asks for fresh figures from the network whenever `key` changes (a live event
 * arrived), and otherwise stays the same object so the query is not restarted on every render.
 */
export function useFreshness(key: number): { requestPolicy: "network-only" } | undefined {
  return useMemo(() => (key ? { requestPolicy: "network-only" as const } : undefined), [key]);
}
