/** What a failed Graph API call means for the reply: its text for Message.delivery, and whether to retry. */
export interface GraphFailure {
  message: string;
  permanent: boolean;
  /** The least wait before the next attempt, from Retry-After; null when Graph named none. */
  retryAfterMs: number | null;
}

/**
 * Graph's throttling codes: the app's, the business number's and the pair's rate limits, which Graph may
 * answer with a 400 as well as a 429; they pass, so the reply is retried. Source: Meta's Cloud API error
 * code reference (4, 80007, 130429, 131048, 131056).
 */
const THROTTLED = new Set([4, 80007, 130429, 131048, 131056]);
/** Graph's own transient faults ("temporary error", "service unavailable", 131000 "something went wrong"). */
const TRANSIENT = new Set([1, 2, 131000, 131016]);
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

function retryAfter(header: string | null, now: Date): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.min(Math.max(at - now.getTime(), 0), MAX_RETRY_AFTER_MS);
}

/**
 * Reads a Graph error response (`{ "error": { "message", "type", "code", "error_subcode", "error_data":
 * { "details" } } }`). 5xx and 429 are retried, honouring Retry-After, as are the throttling and transient
 * codes; any other 4xx is permanent (a number that is not on WhatsApp, a template that does not exist, an
 * expired token), so it is dead-lettered at once with Graph's words as its last error.
 */
export function graphFailure(status: number, body: unknown, retryAfterHeader: string | null, now: Date): GraphFailure {
  const error =
    typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "object"
      ? ((body as { error: Record<string, unknown> }).error ?? {})
      : {};
  const code = typeof error.code === "number" ? error.code : null;
  const data = error.error_data as { details?: unknown } | undefined;
  const details = typeof data?.details === "string" ? data.details : null;
  const words = [typeof error.message === "string" ? error.message : null, details].filter(Boolean).join(" — ");
  const message = `Graph API ${status}${code !== null ? ` (#${code})` : ""}${words ? `: ${words}` : ""}`.slice(
    0,
    1_000,
  );
  const retryable = status >= 500 || status === 429 || (code !== null && (THROTTLED.has(code) || TRANSIENT.has(code)));
  return { message, permanent: !retryable, retryAfterMs: retryable ? retryAfter(retryAfterHeader, now) : null };
}
