import { describe, expect, it } from "vitest";
import { DEFAULT_POLICIES } from "./default-policies.js";
import { matchPolicy, type TicketFacts } from "./policy-matcher.js";

const policies = DEFAULT_POLICIES.map((definition, index) => ({ ...definition, id: index + 1, position: index * 10 }));
const code = (facts: Partial<TicketFacts>) =>
  matchPolicy(policies, { kind: "COMPLAINT", channel: "WHATSAPP", categoryCodes: [], priority: "NORMAL", ...facts })
    ?.code;

describe("matching the default policies", () => {
  it.each([
    ["a complaint from SP4N-LAPOR!", { channel: "SP4N_LAPOR" }, "LAPOR_VERIFICATION"],
    [
      "an information request from SP4N-LAPOR! keeps the KIP clock",
      { kind: "INFORMATION_REQUEST", channel: "SP4N_LAPOR" },
      "KIP_REQUEST_WRITTEN",
    ],
    [
      "a whistleblowing report from SP4N-LAPOR! about fees",
      { kind: "WHISTLEBLOWING", channel: "SP4N_LAPOR", categoryCodes: ["FEES"] },
      "INTEGRITY_REPORT",
    ],
    ["a violation report without a category", { kind: "VIOLATION_REPORT", channel: "EMAIL" }, "INTEGRITY_REPORT"],
    ["an extortion complaint needs examination", { categoryCodes: ["OFFICER_CONDUCT"] }, "COMPLAINT_NEEDS_EXAMINATION"],
    [
      "a broker report by phone needs examination",
      { kind: "VIOLATION_REPORT", channel: "PHONE", categoryCodes: ["BROKERS"] },
      "INTEGRITY_REPORT",
    ],
    ["an information request on WhatsApp", { kind: "INFORMATION_REQUEST" }, "KIP_REQUEST_CHAT"],
    ["an information request at the counter", { kind: "INFORMATION_REQUEST", channel: "WALK_IN" }, "KIP_REQUEST_VOICE"],
    ["an information request by letter", { kind: "INFORMATION_REQUEST", channel: "LETTER" }, "KIP_REQUEST_WRITTEN"],
    [
      "a passport complaint on Instagram",
      { channel: "INSTAGRAM", categoryCodes: ["PASSPORT_MPASPOR_QUOTA", "PASSPORT"] },
      "COMPLAINT_CHAT",
    ],
    ["a complaint by e-mail", { channel: "EMAIL" }, "COMPLAINT_WRITTEN"],
    ["an appreciation", { kind: "APPRECIATION", channel: "INSTAGRAM" }, "APPRECIATION"],
    ["an aspiration by letter", { kind: "ASPIRATION", channel: "LETTER" }, "DEFAULT"],
  ] as const)("%s → %s", (_label, facts, expected) => {
    expect(code(facts as Partial<TicketFacts>)).toBe(expected);
  });

  it("always matches something", () => {
    for (const kind of [
      "INFORMATION_REQUEST",
      "COMPLAINT",
      "ASPIRATION",
      "APPRECIATION",
      "VIOLATION_REPORT",
      "WHISTLEBLOWING",
    ] as const) {
      expect(code({ kind, channel: "PRESS", priority: "URGENT" })).toBeDefined();
    }
  });

  it("respects position, not array order", () => {
    const reversed = [...policies].reverse();
    expect(
      matchPolicy(reversed, { kind: "INFORMATION_REQUEST", channel: "WHATSAPP", categoryCodes: [], priority: "LOW" })
        ?.code,
    ).toBe("KIP_REQUEST_CHAT");
  });

  it("names a legal source for every default", () => {
    for (const policy of DEFAULT_POLICIES) expect(policy.legalSource.length).toBeGreaterThan(10);
  });
});
