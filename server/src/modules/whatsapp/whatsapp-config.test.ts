import { describe, expect, it } from "vitest";
import { parseWhatsAppSettings } from "./whatsapp-config.js";

const FULL = {
  PANTAU_WHATSAPP_APP_SECRET: "s",
  PANTAU_WHATSAPP_VERIFY_TOKEN: "v",
  PANTAU_WHATSAPP_ACCESS_TOKEN: "a",
  PANTAU_WHATSAPP_PHONE_NUMBERS: "106540352242922=KANIM-MALANG, 106540352242923=KANWIL-JI",
};

describe("parseWhatsAppSettings", () => {
  it("is off without any of its variables", () => {
    expect(parseWhatsAppSettings({})).toEqual({ settings: null, issues: [] });
  });

  it("reads the map, the defaults and the template", () => {
    const { settings, issues } = parseWhatsAppSettings({ ...FULL, PANTAU_WHATSAPP_TEMPLATE: "balasan_tiket" });
    expect(issues).toEqual([]);
    expect(settings?.phoneNumbers).toEqual(
      new Map([
        ["106540352242922", "KANIM-MALANG"],
        ["106540352242923", "KANWIL-JI"],
      ]),
    );
    expect(settings?.graphUrl).toBe("https://graph.facebook.com/v21.0");
    expect(settings?.template).toEqual({ name: "balasan_tiket", language: "id" });
    expect(settings?.maxBodyBytes).toBe(1024 * 1024);
  });

  it.each([
    [{ PANTAU_WHATSAPP_APP_SECRET: "s" }, "PANTAU_WHATSAPP_VERIFY_TOKEN: required"],
    [{ ...FULL, PANTAU_WHATSAPP_PHONE_NUMBERS: "KANIM-MALANG" }, "is not <phone-number-id>=<unit code>"],
    [{ ...FULL, PANTAU_WHATSAPP_PHONE_NUMBERS: "123456=A,123456=B" }, "123456 is listed twice"],
    [{ ...FULL, PANTAU_WHATSAPP_GRAPH_URL: "ftp://graph" }, "PANTAU_WHATSAPP_GRAPH_URL"],
    [{ ...FULL, PANTAU_WHATSAPP_TEMPLATE: "Balasan Tiket" }, "PANTAU_WHATSAPP_TEMPLATE:"],
    [{ ...FULL, PANTAU_WHATSAPP_TEMPLATE_LANGUAGE: "indonesian" }, "PANTAU_WHATSAPP_TEMPLATE_LANGUAGE"],
    [{ ...FULL, PANTAU_WHATSAPP_MAX_BODY_BYTES: "10" }, "PANTAU_WHATSAPP_MAX_BODY_BYTES"],
  ])("%j → an issue naming %s", (env, expected) => {
    const { settings, issues } = parseWhatsAppSettings(env);
    expect(settings).toBeNull();
    expect(issues.join("\n")).toContain(expected);
  });

  it("never repeats a secret in its issues", () => {
    const { issues } = parseWhatsAppSettings({
      ...FULL,
      PANTAU_WHATSAPP_APP_SECRET: "sangat-rahasia",
      PANTAU_WHATSAPP_GRAPH_URL: "x",
    });
    expect(issues.join("\n")).not.toContain("sangat-rahasia");
  });
});
