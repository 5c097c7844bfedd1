/**
 * What a live view does when the server ends one of its subscriptions with an error. Every refusal the
 * server can send is listed here, so a new one is a decision rather than a stream that silently stops.
 */
export type Recovery =
  /** Fell behind: subscribe again after the position the server names. */
  | { kind: "resume"; after: string }
  /** A passing condition (a restart, a draining instance, the database away): subscribe again later. */
  | { kind: "retry" }
  /** The credential is no longer accepted: back to the sign-in page. */
  | { kind: "sign-out" }
  /** Retrying cannot help (no longer entitled, the unit or ticket is gone, a wrong document). */
  | { kind: "stop" };

const FINAL = new Set([
  "FORBIDDEN",
  "UNKNOWN_UNIT",
  "NOT_FOUND",
  "BAD_USER_INPUT",
  "VALIDATION_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "GRAPHQL_PARSE_FAILED",
]);

export function recoveryFor(extensions: Readonly<Record<string, unknown>> | undefined): Recovery {
  const code = typeof extensions?.code === "string" ? extensions.code : null;
  if (code === "SUBSCRIBER_TOO_SLOW" && typeof extensions?.resumeAfter === "string") {
    return { kind: "resume", after: extensions.resumeAfter };
  }
  if (code === "UNAUTHENTICATED") return { kind: "sign-out" };
  if (code !== null && FINAL.has(code)) return { kind: "stop" };
  // INTERNAL_SERVER_ERROR, SHUTTING_DOWN, DATABASE_UNAVAILABLE, TOO_MANY_SUBSCRIPTIONS, a lost socket, ...
  return { kind: "retry" };
}

const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 30_000;

/**
 * Exponential back-off with ±20 % jitter, so that the dashboards of a whole directorate do not all come
 * back in the same second after a restart. `attempt` counts from 0.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}
