import { describe, expect, it } from "vitest";
import { CredentialCache } from "./credential-cache.js";
import type { AuthenticatedViewer } from "./viewer.js";

const viewer = (userId: string): AuthenticatedViewer => ({
  kind: "user",
  userId,
  email: `${userId}@pantau.demo`,
  name: userId,
  role: "AGENT",
  sessionId: `s-${userId}`,
  unitId: 1,
  unitIds: new Set([1]),
});

describe("CredentialCache", () => {
  const cases: { name: string; ttlMs: number; expiresIn: number | null; readAfter: number; kept: boolean }[] = [
    { name: "kept within the interval", ttlMs: 5_000, expiresIn: null, readAfter: 4_999, kept: true },
    { name: "dropped at the end of the interval", ttlMs: 5_000, expiresIn: null, readAfter: 5_000, kept: false },
    { name: "never past the credential's expiry", ttlMs: 5_000, expiresIn: 1_000, readAfter: 1_000, kept: false },
    { name: "up to the credential's expiry", ttlMs: 5_000, expiresIn: 1_000, readAfter: 999, kept: true },
    { name: "an expired credential is not kept", ttlMs: 5_000, expiresIn: 0, readAfter: 0, kept: false },
    { name: "nothing kept when the interval is zero", ttlMs: 0, expiresIn: null, readAfter: 0, kept: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const cache = new CredentialCache({ ttlMs: c.ttlMs });
      const now = 1_000_000;
      cache.set("token", viewer("a"), now, c.expiresIn === null ? null : new Date(now + c.expiresIn));
      expect(cache.get("token", now + c.readAfter) !== undefined).toBe(c.kept);
    });
  }

  it("forgets everything on clear", () => {
    const cache = new CredentialCache({ ttlMs: 5_000 });
    cache.set("a", viewer("a"), 0, null);
    cache.set("b", viewer("b"), 0, null);
    cache.clear();
    expect([cache.get("a", 1), cache.get("b", 1)]).toEqual([undefined, undefined]);
  });

  it("holds at most its bound, dropping the oldest", () => {
    const cache = new CredentialCache({ ttlMs: 5_000, maxEntries: 2 });
    for (const name of ["a", "b", "c"]) cache.set(name, viewer(name), 0, null);
    expect(cache.size).toBe(2);
    expect(cache.get("a", 1)).toBeUndefined();
    expect(cache.get("c", 1)?.kind).toBe("user");
  });
});
