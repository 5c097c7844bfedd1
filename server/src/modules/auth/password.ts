import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

// scrypt with N=2^15, r=8, p=3: one of the equivalent settings OWASP's Password Storage Cheat Sheet gives
// for its minimum (N=2^17, r=8, p=1 costs the same work with 128 MiB per hash; this one needs 32 MiB, so
// several sign-ins at once do not take a gigabyte). Parameters are stored with each hash; a sign-in with a
// weaker stored hash rehashes the password (needsRehash).
export const PASSWORD_HASH_PARAMS = { N: 2 ** 15, r: 8, p: 3 } as const;
const DEFAULT = PASSWORD_HASH_PARAMS;
const KEY_LENGTH = 32;

export async function hashPassword(
  password: string,
  params: { N: number; r: number; p: number } = DEFAULT,
): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, KEY_LENGTH, { ...params, maxmem: 256 * params.N * params.r });
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64url"), hash.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algorithm, n, r, p, salt, hash] = stored.split("$");
  if (algorithm !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const expected = Buffer.from(hash, "base64url");
  const actual = await scrypt(password, Buffer.from(salt, "base64url"), expected.length, {
    ...params,
    maxmem: 256 * params.N * params.r,
  });
  return timingSafeEqual(expected, actual);
}

/** Work of scrypt is proportional to N·r·p; memory to N·r. */
const work = (params: { N: number; r: number; p: number }) => params.N * params.r * params.p;

/** A stored hash made with less work than today's parameters (or unreadable) is replaced at the next sign-in. */
export function needsRehash(stored: string): boolean {
  const [algorithm, n, r, p] = stored.split("$");
  if (algorithm !== "scrypt") return true;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (![params.N, params.r, params.p].every(Number.isFinite)) return true;
  return work(params) < work(DEFAULT) || params.r < DEFAULT.r;
}
