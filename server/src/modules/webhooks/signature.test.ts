import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signWebhook, verifyWebhook } from "./signature.js";

const SECRET = "whsec_uji";
const BODY = '{"deliveryId":"d1","event":{"type":"CREATED"}}';
const T = 1_796_000_000;

describe("webhook signatures", () => {
  it("signs the timestamp and the raw body as the README says", () => {
    const expected = createHmac("sha256", SECRET).update(`${T}.${BODY}`).digest("hex");
    expect(signWebhook(SECRET, BODY, T)).toBe(`t=${T},v1=${expected}`);
  });

  it.each([
    ["its own signature", signWebhook(SECRET, BODY, T), T, "valid"],
    ["4 minutes later", signWebhook(SECRET, BODY, T), T + 240, "valid"],
    ["6 minutes later (a replay)", signWebhook(SECRET, BODY, T), T + 360, "expired"],
    ["from the future beyond the tolerance", signWebhook(SECRET, BODY, T + 400), T, "expired"],
    ["another secret's", signWebhook("whsec_lain", BODY, T), T, "mismatch"],
    ["another body's", signWebhook(SECRET, `${BODY} `, T), T, "mismatch"],
    ["a timestamp moved", signWebhook(SECRET, BODY, T).replace(`t=${T}`, `t=${T + 1}`), T, "mismatch"],
    ["one of two v1 values", `t=${T},v1=${"0".repeat(64)},${signWebhook(SECRET, BODY, T).split(",")[1]}`, T, "valid"],
    ["none", undefined, T, "missing"],
    ["blank", "  ", T, "missing"],
    ["no timestamp", `v1=${"0".repeat(64)}`, T, "malformed"],
    ["no signature", `t=${T}`, T, "malformed"],
    ["garbage", "sha256=abc", T, "malformed"],
    ["a short digest", `t=${T},v1=abcd`, T, "mismatch"],
  ])("%s → %s", (_what, header, now, expected) => {
    expect(verifyWebhook(SECRET, BODY, header, now)).toBe(expected);
  });

  it("makes a new secret each time", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(secret);
  });
});
