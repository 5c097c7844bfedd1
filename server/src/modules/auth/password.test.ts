import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, PASSWORD_HASH_PARAMS, verifyPassword } from "./password.js";

describe("password hashes", () => {
  it("hash with today's parameters, stored with the hash, and verify", async () => {
    const stored = await hashPassword("kata sandi panjang 12");
    const { N, r, p } = PASSWORD_HASH_PARAMS;
    expect(stored.startsWith(`scrypt$${N}$${r}$${p}$`)).toBe(true);
    expect(await verifyPassword("kata sandi panjang 12", stored)).toBe(true);
    expect(await verifyPassword("kata sandi panjang 13", stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it("still verify a hash made with older, weaker parameters", async () => {
    const old = await hashPassword("kata sandi lama sekali", { N: 2 ** 14, r: 8, p: 1 });
    expect(await verifyPassword("kata sandi lama sekali", old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });

  it.each([
    ["the 2024 default (N=2^15, p=1)", "scrypt$32768$8$1$c2FsdA$aGFzaA", true],
    ["OWASP's N=2^17, p=1 (same work)", "scrypt$131072$8$1$c2FsdA$aGFzaA", false],
    ["N=2^16, p=2 (same work)", "scrypt$65536$8$2$c2FsdA$aGFzaA", false],
    ["a smaller block size", "scrypt$32768$4$6$c2FsdA$aGFzaA", true],
    ["more work than today", "scrypt$262144$8$1$c2FsdA$aGFzaA", false],
    ["another algorithm", "bcrypt$12$abc", true],
    ["garbage", "scrypt$x$y$z$a$b", true],
  ])("%s: rehash %s", (_label, stored, expected) => {
    expect(needsRehash(stored)).toBe(expected);
  });
});
