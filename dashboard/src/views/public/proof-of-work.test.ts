import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { leadingZeroBits, solveChallenge } from "./proof-of-work.js";

describe("the form's proof-of-work", () => {
  it.each([
    [[0xff], 0],
    [[0x01], 7],
    [[0x00, 0x40], 9],
    [[0x00, 0x00], 16],
  ])("counts the leading zero bits of %j as %i", (bytes, bits) => {
    expect(leadingZeroBits(Uint8Array.from(bytes))).toBe(bits);
  });

  it("finds a nonce whose SHA-256 has the bits the challenge asks for", async () => {
    const token = "v1.AAAAAAAAAAAAAAAAAAAAAA.1796000000000.10.sig";
    const nonce = await solveChallenge(token, 10);
    const digest = createHash("sha256").update(`${token}:${nonce}`).digest();
    expect(leadingZeroBits(digest)).toBeGreaterThanOrEqual(10);
    expect(nonce).toMatch(/^[0-9a-z]{1,32}$/);
  });

  it("stops when the form is left", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(solveChallenge("t", 30, { signal: controller.signal })).rejects.toThrow("aborted");
  });
});
