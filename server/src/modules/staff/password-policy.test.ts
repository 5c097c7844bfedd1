import { describe, expect, it } from "vitest";
import { brokenPasswordRule, PASSWORD_MIN_LENGTH } from "./password-policy.js";

const context = { email: "Rina.Kusuma@imigrasi.go.id", knownPasswords: ["rahasia-demo-1"] };

describe("brokenPasswordRule", () => {
  it.each([
    ["a".repeat(PASSWORD_MIN_LENGTH - 1), "TOO_SHORT"],
    ["🙂".repeat(PASSWORD_MIN_LENGTH - 1), "TOO_SHORT"],
    ["x".repeat(1025), "TOO_LONG"],
    ["pantau-demo", "TOO_SHORT"],
    ["Rahasia-Demo-1", "DEMO_PASSWORD"],
    [" rahasia-demo-1 ", "DEMO_PASSWORD"],
    ["rina.kusuma@imigrasi.go.id", "CONTAINS_EMAIL"],
    ["saya-RINA.KUSUMA-2026", "CONTAINS_EMAIL"],
    ["kuda lumping makan sate", null],
    ["a".repeat(PASSWORD_MIN_LENGTH), null],
    ["🙂".repeat(PASSWORD_MIN_LENGTH), null],
    ["rina-hujan-di-malang", null],
  ])("%j → %s", (password, rule) => {
    expect(brokenPasswordRule(password, context)).toBe(rule);
  });

  it("refuses the demo's default password even when the demo uses another", () => {
    expect(brokenPasswordRule("pantau-demo-x", { email: "a@b.c", knownPasswords: [] })).toBeNull();
    expect(brokenPasswordRule("Pantau-Demo", { email: "a@b.c", knownPasswords: [] })).toBe("TOO_SHORT");
  });
});
