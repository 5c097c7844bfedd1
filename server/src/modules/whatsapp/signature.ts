import { createHmac, timingSafeEqual } from "node:crypto";

export type SignatureCheck = "valid" | "missing" | "invalid";

const HEADER_FORM = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks Meta's `X-Hub-Signature-256` header: `sha256=` and the hex HMAC-SHA256 of the raw request body
 * keyed with the app secret. The body must be the bytes as received, before any parsing; the comparison
 * takes the same time wherever the digests differ.
 */
export function checkSignature(
  rawBody: Uint8Array,
  header: string | null | undefined,
  appSecret: string,
): SignatureCheck {
  if (header === null || header === undefined || header.trim() === "") return "missing";
  const match = HEADER_FORM.exec(header.trim());
  if (!match?.[1]) return "invalid";
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  const given = Buffer.from(match[1], "hex");
  return given.length === expected.length && timingSafeEqual(given, expected) ? "valid" : "invalid";
}

/** The header value Meta would send for `rawBody` (the test fake signs with it). */
export function signatureOf(rawBody: Uint8Array | string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

/** Compares two secrets (the verify token) in constant time for equal lengths. */
export function sameSecret(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
