import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, on every delivery. */
export const SIGNATURE_HEADER = "pantau-signature";
/** How old a signature a receiver should still accept; the README's example uses it. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A new signing secret: `whsec_` and 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

function digest(secret: string, timestamp: number, body: string | Uint8Array): Buffer {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest();
}

/**
 * The signature header of one attempt. The timestamp is the attempt's, so a retry is signed afresh while
 * its body (and delivery id) stay the same; a receiver that refuses old timestamps and remembers delivery
 * ids is safe against a replayed call.
 */
export function signWebhook(secret: string, body: string | Uint8Array, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${digest(secret, timestampSeconds, body).toString("hex")}`;
}

export type WebhookSignatureCheck = "valid" | "missing" | "malformed" | "mismatch" | "expired";

/** What a receiver does with the header (the tests' receiver uses it; the README shows the same steps). */
export function verifyWebhook(
  secret: string,
  body: string | Uint8Array,
  header: string | null | undefined,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): WebhookSignatureCheck {
  if (!header?.trim()) return "missing";
  const parts = new Map<string, string[]>();
  for (const part of header.split(",")) {
    const [key, value] = part.trim().split("=", 2);
    if (!key || value === undefined) return "malformed";
    parts.set(key, [...(parts.get(key) ?? []), value]);
  }
  const t = parts.get("t")?.[0];
  const signatures = parts.get("v1") ?? [];
  if (!t || !/^\d{1,12}$/.test(t) || !signatures.length) return "malformed";
  const expected = digest(secret, Number(t), body);
  const matches = signatures.some((given) => {
    const bytes = /^[0-9a-f]{64}$/i.test(given) ? Buffer.from(given, "hex") : null;
    return bytes !== null && timingSafeEqual(bytes, expected);
  });
  if (!matches) return "mismatch";
  return Math.abs(nowSeconds - Number(t)) > toleranceSeconds ? "expired" : "valid";
}
