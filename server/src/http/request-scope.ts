import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/** What every log line written while serving one request carries (logger.ts reads it). */
export interface RequestScope {
  readonly requestId: string;
  /** The OpenTelemetry trace the request belongs to, when tracing is on. */
  traceId?: string;
  /** The GraphQL operation(s) of the request, once Yoga has read them. */
  operationName?: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

export const REQUEST_ID_HEADER = "x-request-id";

// What a proxy or a client may pass on: a UUID, a trace id, a short token. Anything else (a header stuffed
// with text, line breaks for log injection) is replaced, not trusted.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The request's id: the caller's `X-Request-Id` when it is a plain token, otherwise a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && ACCEPTABLE_ID.test(given) ? given : randomUUID();
}

/** Notes the operation names of the request being served, for its access line. */
export function noteOperation(name: string | null | undefined): void {
  const scope = requestScope.getStore();
  if (!scope || !name) return;
  scope.operationName = scope.operationName ? `${scope.operationName},${name}`.slice(0, 200) : name.slice(0, 100);
}
