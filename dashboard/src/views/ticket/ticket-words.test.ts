import { describe, expect, it } from "vitest";
import { fillPlaceholders } from "../../i18n/i18n.js";
import { ENUM_LABELS, MESSAGES, type MessageKey } from "../../i18n/messages.js";
import { actorWords, eventDetails, transferRegions } from "./ticket-words.js";

const words = (language: "id" | "en") => ({
  t: (key: MessageKey) => MESSAGES[language][key],
  tf: (key: MessageKey, values: Record<string, string | number>) => fillPlaceholders(MESSAGES[language][key], values),
  label: (value: string) => (ENUM_LABELS[language] as Record<string, string>)[value] ?? value,
});

describe("the ticket's timeline in words", () => {
  it.each([
    ["id", "system", "sistem"],
    ["en", "system", "system"],
    ["id", null, "sistem"],
    ["id", "simulator", "simulasi"],
    ["id", "survey", "survei kepuasan"],
    ["id", "channel:EMAIL", "kanal Surel"],
    ["en", "channel:WHATSAPP", "WhatsApp channel"],
    ["id", "api-key:LAPOR", "kunci API LAPOR"],
  ] as const)("%s: %s acts as %s", (language, label, expected) => {
    expect(actorWords(label, words(language))).toBe(expected);
  });

  it("says to whom a ticket was given, where it went, what triage set and why", () => {
    const unit = { name: "Kantor Imigrasi Kelas I TPI Denpasar" };
    expect(
      eventDetails({ type: "ASSIGNED", data: {}, unit, assignee: { name: "Yusuf" } }, words("id"), String),
    ).toEqual(["Ditugaskan ke Yusuf"]);
    expect(
      eventDetails({ type: "TRANSFERRED", data: { reason: " wilayah Bali " }, unit }, words("id"), String),
    ).toEqual(["Dialihkan ke Kantor Imigrasi Kelas I TPI Denpasar.", "Alasan: wilayah Bali"]);
    expect(
      eventDetails(
        { type: "TRIAGED", data: { categoryCode: "PASSPORT", priority: "HIGH" }, unit },
        words("en"),
        (code) => `${code}!`,
      ),
    ).toEqual(["Category: PASSPORT! · Priority: High"]);
    expect(eventDetails({ type: "REPLIED", data: {}, unit }, words("id"), String)).toEqual([]);
  });

  it("offers every other unit by province, the directorate's first, each region's office before its offices", () => {
    const regions = transferRegions(
      [
        {
          code: "KANIM-MALANG",
          name: "Kantor Imigrasi Malang",
          type: "IMMIGRATION_OFFICE",
          provinceName: "Jawa Timur",
        },
        {
          code: "KANIM-BLITAR",
          name: "Kantor Imigrasi Blitar",
          type: "IMMIGRATION_OFFICE",
          provinceName: "Jawa Timur",
        },
        { code: "KANWIL-JI", name: "Kantor Wilayah Jawa Timur", type: "REGIONAL_OFFICE", provinceName: "Jawa Timur" },
        { code: "KANWIL-BA", name: "Kantor Wilayah Bali", type: "REGIONAL_OFFICE", provinceName: "Bali" },
        { code: "DITJEN", name: "Direktorat Jenderal Imigrasi", type: "DIRECTORATE", provinceName: "DKI Jakarta" },
      ],
      "KANIM-MALANG",
    );
    expect(regions.map((region) => [region.province, region.units.map((unit) => unit.code)])).toEqual([
      ["DKI Jakarta", ["DITJEN"]],
      ["Bali", ["KANWIL-BA"]],
      ["Jawa Timur", ["KANWIL-JI", "KANIM-BLITAR"]],
    ]);
  });
});
