import { GraphQLError } from "graphql";

/** What a client refused for a database outage is told to wait before retrying. */
export const UNAVAILABLE_RETRY_AFTER_S = 2;

/**
 * SQLSTATEs of a server that is going away or not there yet: connection exceptions (class 08),
 * admin_shutdown, crash_shutdown, cannot_connect_now, and too_many_connections.
 */
const UNAVAILABLE_STATES = new Set(["57P01", "57P02", "57P03", "53300"]);
/** What Node reports for a socket that could not connect or was cut. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);
/** Prisma's: cannot reach the server, server closed the connection, no connection from the pool in time. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1017", "P2024"]);
/** How a Prisma driver adapter names the same conditions. */
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
/** `pg`'s own errors for a lost or unobtainable connection, which carry no code (Prisma quotes them). */
const PG_MESSAGES =
  /(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/**
 * Whether `error` means the database cannot be reached right now (a restart, a crash, a partition),
 * as `pg` reports it or as Prisma wraps a driver adapter's error: a fault to retry after, not a bug.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const candidate = error as {
    code?: unknown;
    originalCode?: unknown;
    kind?: unknown;
    message?: unknown;
    cause?: unknown;
    originalError?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  for (const code of [candidate.code, candidate.originalCode]) {
    if (typeof code !== "string") continue;
    if (UNAVAILABLE_STATES.has(code) || SOCKET_CODES.has(code) || PRISMA_CODES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (typeof candidate.kind === "string" && ADAPTER_KINDS.has(candidate.kind)) return true;
  if (typeof candidate.message === "string" && PG_MESSAGES.test(candidate.message)) return true;
  return [candidate.cause, candidate.originalError, candidate.meta?.driverAdapterError].some((inner) =>
    isDatabaseUnavailable(inner, depth + 1),
  );
}

/** The answer to an operation that failed because the database could not be reached: 503, retry later. */
export function databaseUnavailableError(): GraphQLError {
  return new GraphQLError(
    "The database cannot be reached at the moment; try again shortly. A write whose answer was lost may " +
      "have been saved: retry it with the same idempotency key.",
    {
      extensions: {
        code: "DATABASE_UNAVAILABLE",
        retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_S,
        http: { status: 503, headers: { "Retry-After": String(UNAVAILABLE_RETRY_AFTER_S) } },
      },
    },
  );
}
