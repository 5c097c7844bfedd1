import { describe, expect, it } from "vitest";
import type { Channel, TicketKind } from "../../generated/prisma/enums.js";
import { DEFAULT_POLICIES, summariseSources } from "./default-policies.js";
import { matchPolicy } from "./policy-matcher.js";

const policies = DEFAULT_POLICIES.map((definition, index) => ({ ...definition, id: index + 1, position: index * 10 }));

const CHAT: Channel[] = ["WHATSAPP", "LIVE_CHAT", "INSTAGRAM", "X", "FACEBOOK", "TIKTOK"];
const VOICE: Channel[] = ["PHONE", "WALK_IN"];
const WRITTEN: Channel[] = ["EMAIL", "WEB_FORM", "LETTER", "PRESS"];
const CHANNELS: Channel[] = [...CHAT, ...VOICE, ...WRITTEN, "SP4N_LAPOR"];
const KINDS: TicketKind[] = [
  "INFORMATION_REQUEST",
  "COMPLAINT",
  "ASPIRATION",
  "APPRECIATION",
  "VIOLATION_REPORT",
  "WHISTLEBLOWING",
];
/** No category, an ordinary one (with its parent), and the two integrity categories. */
const CATEGORIES: string[][] = [[], ["PASSPORT_MPASPOR_QUOTA", "PASSPORT"], ["OFFICER_CONDUCT"], ["BROKERS"]];

const byChannel = (channel: Channel, codes: { chat: string; voice: string; written: string; lapor: string }) =>
  CHAT.includes(channel)
    ? codes.chat
    : VOICE.includes(channel)
      ? codes.voice
      : channel === "SP4N_LAPOR"
        ? codes.lapor
        : codes.written;

/**
 * The expected policy of every kind × channel × category, written out from the rules rather than from the
 * policy list: the kind decides the legal clock, the channel only the first response.
 */
function expectedCode(kind: TicketKind, channel: Channel, categories: string[]): string {
  const integrity = categories.includes("OFFICER_CONDUCT") || categories.includes("BROKERS");
  switch (kind) {
    case "INFORMATION_REQUEST":
      return byChannel(channel, {
        chat: "KIP_REQUEST_CHAT",
        voice: "KIP_REQUEST_VOICE",
        written: "KIP_REQUEST_WRITTEN",
        lapor: "KIP_REQUEST_WRITTEN",
      });
    case "COMPLAINT":
      return integrity
        ? "COMPLAINT_NEEDS_EXAMINATION"
        : byChannel(channel, {
            chat: "COMPLAINT_CHAT",
            voice: "COMPLAINT_VOICE",
            written: "COMPLAINT_WRITTEN",
            lapor: "LAPOR_VERIFICATION",
          });
    case "VIOLATION_REPORT":
    case "WHISTLEBLOWING":
      return "INTEGRITY_REPORT";
    case "APPRECIATION":
      return "APPRECIATION";
    case "ASPIRATION":
      return "DEFAULT";
  }
}

type Clock = [amount: number, unit: string, basis: "LEGAL" | "INTERNAL"];
/** Each default's two targets, with the basis each rests on and a phrase its source must contain. */
const EXPECTED_CLOCKS: Record<string, { firstResponse: Clock; resolution: Clock; source: RegExp; extension?: number }> =
  {
    INTEGRITY_REPORT: {
      firstResponse: [1, "WORKING_DAYS", "INTERNAL"],
      resolution: [60, "DAYS", "INTERNAL"],
      source: /Perpres 76\/2013/,
    },
    COMPLAINT_NEEDS_EXAMINATION: {
      firstResponse: [1, "WORKING_DAYS", "INTERNAL"],
      resolution: [60, "DAYS", "INTERNAL"],
      source: /Perpres 76\/2013.*60 hari sejak berkas/,
    },
    KIP_REQUEST_CHAT: {
      firstResponse: [60, "MINUTES", "INTERNAL"],
      resolution: [10, "WORKING_DAYS", "LEGAL"],
      source: /UU 14\/2008 Pasal 22 ayat \(7\)/,
      extension: 7,
    },
    KIP_REQUEST_VOICE: {
      firstResponse: [15, "MINUTES", "INTERNAL"],
      resolution: [10, "WORKING_DAYS", "LEGAL"],
      source: /UU 14\/2008 Pasal 22 ayat \(7\)/,
      extension: 7,
    },
    KIP_REQUEST_WRITTEN: {
      firstResponse: [1, "WORKING_DAYS", "INTERNAL"],
      resolution: [10, "WORKING_DAYS", "LEGAL"],
      source: /UU 14\/2008 Pasal 22 ayat \(7\)/,
      extension: 7,
    },
    LAPOR_VERIFICATION: {
      firstResponse: [3, "WORKING_DAYS", "INTERNAL"],
      resolution: [60, "DAYS", "INTERNAL"],
      source: /verifikasi oleh pengelola SP4N-LAPOR!/,
    },
    COMPLAINT_CHAT: {
      firstResponse: [60, "MINUTES", "INTERNAL"],
      resolution: [14, "DAYS", "INTERNAL"],
      source: /UU 25\/2009/,
    },
    COMPLAINT_VOICE: {
      firstResponse: [15, "MINUTES", "INTERNAL"],
      resolution: [14, "DAYS", "INTERNAL"],
      source: /UU 25\/2009/,
    },
    COMPLAINT_WRITTEN: {
      firstResponse: [1, "WORKING_DAYS", "INTERNAL"],
      resolution: [14, "DAYS", "INTERNAL"],
      source: /UU 25\/2009/,
    },
    APPRECIATION: {
      firstResponse: [1, "WORKING_DAYS", "INTERNAL"],
      resolution: [3, "WORKING_DAYS", "INTERNAL"],
      source: /tidak ada tenggat dalam aturan/,
    },
    DEFAULT: {
      firstResponse: [1, "WORKING_DAYS", "INTERNAL"],
      resolution: [14, "WORKING_DAYS", "INTERNAL"],
      source: /bukan ketentuan undang-undang/,
    },
  };

const combinations = KINDS.flatMap((kind) =>
  CHANNELS.flatMap((channel) => CATEGORIES.map((categoryCodes) => ({ kind, channel, categoryCodes }))),
);

describe("every kind × channel × category against the default policies", () => {
  it.each(combinations)("$kind on $channel in $categoryCodes", ({ kind, channel, categoryCodes }) => {
    const matched = matchPolicy(policies, { kind, channel, categoryCodes, priority: "NORMAL" });
    const code = expectedCode(kind, channel, categoryCodes);
    expect(matched?.code).toBe(code);
    const clocks = EXPECTED_CLOCKS[code];
    if (!matched || !clocks) throw new Error(`no expectation for ${code}`);
    expect([matched.firstResponse.amount, matched.firstResponse.unit, matched.firstResponse.basis]).toEqual(
      clocks.firstResponse,
    );
    expect([matched.resolution.amount, matched.resolution.unit, matched.resolution.basis]).toEqual(clocks.resolution);
    expect(matched.extensionAmount).toBe(clocks.extension ?? null);
    expect(matched.legalSource).toMatch(clocks.source);
  });

  it("matches the same policy whatever the priority", () => {
    for (const { kind, channel, categoryCodes } of combinations) {
      for (const priority of ["LOW", "HIGH", "URGENT"] as const) {
        expect(matchPolicy(policies, { kind, channel, categoryCodes, priority })?.code).toBe(
          expectedCode(kind, channel, categoryCodes),
        );
      }
    }
  });

  it("has an expectation for every default and uses every default", () => {
    const used = new Set(combinations.map((c) => expectedCode(c.kind, c.channel, c.categoryCodes)));
    expect([...used].sort()).toEqual(DEFAULT_POLICIES.map((p) => p.code).sort());
    expect(Object.keys(EXPECTED_CLOCKS).sort()).toEqual(DEFAULT_POLICIES.map((p) => p.code).sort());
  });
});

describe("the file stages of complaints (UU 25/2009)", () => {
  const COMPLAINT_POLICIES = [
    "COMPLAINT_NEEDS_EXAMINATION",
    "LAPOR_VERIFICATION",
    "COMPLAINT_CHAT",
    "COMPLAINT_VOICE",
    "COMPLAINT_WRITTEN",
  ];

  it.each(DEFAULT_POLICIES.map((p) => [p.code, p] as const))("%s", (code, policy) => {
    const stages = policy.stages.map((s) => [s.kind, s.amount, s.unit, s.basis]);
    if (COMPLAINT_POLICIES.includes(code)) {
      expect(policy.matchKinds).toEqual(["COMPLAINT"]);
      expect(stages).toEqual([
        ["FILE_ANSWER", 14, "DAYS", "LEGAL"],
        ["FILE_LAPSE", 30, "DAYS", "LEGAL"],
        ["EXAMINATION", 60, "DAYS", "LEGAL"],
      ]);
      // The start-at-receipt target stays, labelled internal.
      expect(policy.resolution.basis).toBe("INTERNAL");
    } else {
      expect(stages).toEqual([]);
    }
  });

  it("says where an article could not be checked", () => {
    for (const stage of DEFAULT_POLICIES.flatMap((p) => p.stages)) {
      expect(stage.source).toMatch(/tidak diverifikasi|tidak diketahui/);
    }
  });
});

describe("the labels of the default targets", () => {
  const targets = DEFAULT_POLICIES.flatMap((p) => [
    { code: p.code, clock: "firstResponse", ...p.firstResponse },
    { code: p.code, clock: "resolution", ...p.resolution },
    ...p.stages.map((stage) => ({ ...stage, code: p.code, clock: stage.kind })),
  ]);

  it.each(targets)("$code $clock is labelled and sourced", (target) => {
    expect(["LEGAL", "INTERNAL"]).toContain(target.basis);
    expect(target.source.length).toBeGreaterThan(20);
    // A legal target names its article, or says the article is not known because the text was not at hand.
    if (target.basis === "LEGAL") expect(target.source).toMatch(/Pasal \d+|pasal tidak diketahui: teks tidak tersedia/);
  });

  it("never counts calendar days while citing a working-day rule, nor the reverse", () => {
    for (const target of targets) {
      const cited = target.source.match(/(\d+) hari( kerja)?/g) ?? [];
      const own = cited.find((phrase) => phrase.startsWith(`${target.amount} hari`));
      if (!own || target.unit === "MINUTES") continue;
      // The phrase naming the target's own number must agree with its unit, unless it says the unit is not used.
      const working = own.endsWith("kerja");
      if (working !== (target.unit === "WORKING_DAYS")) expect(target.source).toMatch(/tidak dipakai|bukan/);
    }
  });

  it("gives no complaint tier to appreciation messages", () => {
    const appreciation = matchPolicy(policies, {
      kind: "APPRECIATION",
      channel: "INSTAGRAM",
      categoryCodes: [],
      priority: "NORMAL",
    });
    expect(appreciation?.code).toBe("APPRECIATION");
    expect(appreciation?.resolution.source).not.toMatch(/pengaduan/i);
  });

  it("summarises both targets' bases in legalSource", () => {
    for (const policy of DEFAULT_POLICIES) {
      expect(policy.legalSource).toBe(summariseSources(policy.firstResponse, policy.resolution, policy.stages));
      expect(policy.legalSource).toContain(policy.resolution.source);
    }
  });
});
