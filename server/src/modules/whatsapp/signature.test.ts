import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkSignature, sameSecret, signatureOf } from "./signature.js";

const SECRET = "rahasia-aplikasi";
const BODY = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
const good = `sha256=${createHmac("sha256", SECRET).update(BODY).digest("hex")}`;

describe("checkSignature", () => {
  it.each([
    ["the HMAC of the raw body", good, "valid"],
    ["the same in capitals", good.toUpperCase().replace("SHA256=", "sha256="), "valid"],
    ["with surrounding spaces", `  ${good} `, "valid"],
    ["no header", undefined, "missing"],
    ["an empty header", "", "missing"],
    ["a bare digest without sha256=", good.slice(7), "invalid"],
    ["sha1 form", `sha1=${createHmac("sha1", SECRET).update(BODY).digest("hex")}`, "invalid"],
    ["another secret's HMAC", `sha256=${createHmac("sha256", "lain").update(BODY).digest("hex")}`, "invalid"],
    ["a truncated digest", good.slice(0, -2), "invalid"],
    ["one digit changed", `${good.slice(0, -1)}${good.endsWith("0") ? "1" : "0"}`, "invalid"],
  ] as const)("%s → %s", (_case, header, expected) => {
    expect(checkSignature(BODY, header, SECRET)).toBe(expected);
  });

  it("signs the bytes, not a re-serialised object: whitespace changes the digest", () => {
    const spaced = Buffer.from('{"object": "whatsapp_business_account", "entry": []}');
    expect(checkSignature(spaced, good, SECRET)).toBe("invalid");
    expect(checkSignature(spaced, signatureOf(spaced, SECRET), SECRET)).toBe("valid");
  });
});

describe("sameSecret", () => {
  it.each([
    ["token", "token", true],
    ["token", "tokeN", false],
    ["toke", "token", false],
    [null, "token", false],
    ["", "token", false],
  ])("%j vs %j → %j", (given, expected, same) => {
    expect(sameSecret(given, expected)).toBe(same);
  });
});
