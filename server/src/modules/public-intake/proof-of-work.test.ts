import { describe, expect, it } from "vitest";
import { checkSolution, issueChallenge, leadingZeroBits, solveChallenge } from "./proof-of-work.js";

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 8);
const NOW = new Date("2026-12-08T03:00:00Z");
const later = (ms: number) => new Date(NOW.getTime() + ms);

describe("leadingZeroBits", () => {
  it.each([
    [[0xff], 0],
    [[0x80], 0],
    [[0x7f], 1],
    [[0x01], 7],
    [[0x00, 0xff], 8],
    [[0x00, 0x00, 0x10], 19],
    [[0x00, 0x00], 16],
  ])("%j has %i", (bytes, bits) => {
    expect(leadingZeroBits(Uint8Array.from(bytes))).toBe(bits);
  });
});

describe("checkSolution", () => {
  const challenge = issueChallenge(KEY, NOW, { bits: 8, ttlMs: 60_000 });
  const nonce = solveChallenge(challenge.token, 8);
  const tampered = challenge.token.replace(/\.8\./, ".1.");

  it.each([
    ["a solved challenge", challenge.token, nonce, NOW, 8, { ok: true, id: challenge.id }],
    [
      "another key's signature",
      issueChallenge(OTHER_KEY, NOW, { bits: 8, ttlMs: 60_000 }).token,
      nonce,
      NOW,
      8,
      { ok: false, reason: "FORGED" },
    ],
    ["a lowered difficulty", tampered, nonce, NOW, 0, { ok: false, reason: "FORGED" }],
    ["after its expiry", challenge.token, nonce, later(60_000), 8, { ok: false, reason: "EXPIRED" }],
    ["below the configured difficulty", challenge.token, nonce, NOW, 9, { ok: false, reason: "UNSOLVED" }],
    ["a malformed token", "v1.nonsense", nonce, NOW, 8, { ok: false, reason: "MALFORMED" }],
    ["a malformed nonce", challenge.token, "not a nonce!", NOW, 8, { ok: false, reason: "MALFORMED" }],
    ["an over-long nonce", challenge.token, "a".repeat(33), NOW, 8, { ok: false, reason: "MALFORMED" }],
    [
      "an empty signature",
      challenge.token.replace(/\.[^.]+$/, `.${"A".repeat(43)}`),
      nonce,
      NOW,
      8,
      { ok: false, reason: "FORGED" },
    ],
  ])("%s", (_name, token, n, now, minBits, expected) => {
    expect(checkSolution(KEY, token, n, now, minBits)).toEqual(expected);
  });

  it("refuses a nonce that does not do the work", () => {
    const hard = issueChallenge(KEY, NOW, { bits: 20, ttlMs: 60_000 });
    const wrong = ["0", "1", "2", "3"].find((n) => checkSolution(KEY, hard.token, n, NOW, 20).ok === false);
    expect(checkSolution(KEY, hard.token, wrong ?? "0", NOW, 20)).toEqual({ ok: false, reason: "UNSOLVED" });
  });

  it("gives each challenge its own id", () => {
    const a = issueChallenge(KEY, NOW, { bits: 8, ttlMs: 1 });
    const b = issueChallenge(KEY, NOW, { bits: 8, ttlMs: 1 });
    expect(a.id).not.toBe(b.id);
  });
});
