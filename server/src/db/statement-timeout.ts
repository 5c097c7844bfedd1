/** PostgreSQL's query_canceled: what a statement stopped by statement_timeout fails with. */
const QUERY_CANCELED = "57014";

/**
 * Whether `error` is a statement the database cancelled, as `pg` reports it (`code`) or as Prisma wraps a
 * driver adapter's error (`meta.driverAdapterError.cause.originalCode`, or a `cause` chain).
 */
export function isStatementTimeout(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const candidate = error as {
    code?: unknown;
    originalCode?: unknown;
    cause?: unknown;
    originalError?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  if (candidate.code === QUERY_CANCELED || candidate.originalCode === QUERY_CANCELED) return true;
  return [candidate.cause, candidate.originalError, candidate.meta?.driverAdapterError].some((inner) =>
    isStatementTimeout(inner, depth + 1),
  );
}
