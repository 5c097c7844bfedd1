import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The private code a citizen tracks a web-form ticket with: 20 characters of Crockford's base32 (100 random
 * bits), shown in groups of four. Only its SHA-256 is stored; with this much entropy and guessing limited per
 * address and per number, a slow hash would add nothing.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const CODE_LENGTH = 20;
/** The longest text accepted as a code before it is refused as malformed input. */
export const MAX_CODE_INPUT = 64;

export function newTrackingCode(random: (size: number) => Buffer = randomBytes): string {
  const bytes = random(13);
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i += 1) {
    code = ALPHABET.charAt(Number(value & 31n)) + code;
    value >>= 5n;
  }
  return code.replace(/(.{4})(?=.)/g, "$1-");
}

/**
 * The code as typed: case, spaces and dashes do not matter, and the letters Crockford's alphabet leaves out
 * are read as the digits they look like (O as 0, I and L as 1).
 */
export function normaliseTrackingCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

export function hashTrackingCode(code: string): string {
  return createHash("sha256").update(normaliseTrackingCode(code)).digest("hex");
}

/** Compares two SHA-256 hex digests in constant time. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === 32 && right.length === 32 && timingSafeEqual(left, right);
}
