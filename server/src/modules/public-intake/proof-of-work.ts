import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The public form's proof-of-work, stateless until it is spent: the server signs a challenge (its id, its
 * expiry and its difficulty) with a key of the deployment; the client finds a nonce such that
 * SHA-256("<challenge>:<nonce>") starts with `bits` zero bits, about 2^bits hashes of work; the server
 * checks the signature and the work, and the report's ticket spends the challenge's id once (see
 * public-intake-service.ts). Issuing costs one HMAC and writes nothing, so asking for challenges
 * cannot fill the database.
 */
export interface Challenge {
  /** `v1.<id>.<expires at, ms>.<bits>.<signature>`, all base64url or decimal. */
  readonly token: string;
  readonly id: string;
  readonly bits: number;
  readonly expiresAt: Date;
}

export type ChallengeCheck =
  | { readonly ok: true; readonly id: string }
  | { readonly ok: false; readonly reason: "MALFORMED" | "FORGED" | "EXPIRED" | "UNSOLVED" };

export const MAX_NONCE_LENGTH = 32;
const NONCE = /^[0-9A-Za-z]{1,32}$/;
const TOKEN = /^v1\.([A-Za-z0-9_-]{22})\.(\d{13})\.(\d{1,2})\.([A-Za-z0-9_-]{43})$/;

const sign = (key: Buffer, body: string) => createHmac("sha256", key).update(body).digest("base64url");

export function issueChallenge(
  key: Buffer,
  now: Date,
  settings: { bits: number; ttlMs: number },
  id: string = randomBytes(16).toString("base64url"),
): Challenge {
  const expiresAt = new Date(now.getTime() + settings.ttlMs);
  const body = `v1.${id}.${expiresAt.getTime()}.${settings.bits}`;
  return { token: `${body}.${sign(key, body)}`, id, bits: settings.bits, expiresAt };
}

/** Leading zero bits of a digest. */
export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export const workDigest = (token: string, nonce: string) => createHash("sha256").update(`${token}:${nonce}`).digest();

/**
 * Whether `nonce` solves `token`: signed with `key`, not expired at `now`, at least `minBits` hard (a
 * challenge issued under a lower setting is refused once the setting is raised), and the work done.
 */
export function checkSolution(key: Buffer, token: string, nonce: string, now: Date, minBits: number): ChallengeCheck {
  const match = TOKEN.exec(token);
  if (!match || !NONCE.test(nonce)) return { ok: false, reason: "MALFORMED" };
  const [, id, expires, bitsText, signature] = match as unknown as [string, string, string, string, string];
  const expected = Buffer.from(sign(key, token.slice(0, token.lastIndexOf("."))));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "FORGED" };
  if (Number(expires) <= now.getTime()) return { ok: false, reason: "EXPIRED" };
  const bits = Number(bitsText);
  if (bits < minBits || leadingZeroBits(workDigest(token, nonce)) < bits) return { ok: false, reason: "UNSOLVED" };
  return { ok: true, id };
}

/** Finds a nonce the way a client does (for Node clients and tests); about 2^bits hashes. */
export function solveChallenge(token: string, bits: number): string {
  for (let n = 0; ; n += 1) {
    const nonce = n.toString(36);
    if (leadingZeroBits(workDigest(token, nonce)) >= bits) return nonce;
  }
}
