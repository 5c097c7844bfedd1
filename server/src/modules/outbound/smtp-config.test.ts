import { describe, expect, it } from "vitest";
import { describeSmtp, parseSmtpSettings, unitEnvSuffix } from "./smtp-config.js";

describe("parseSmtpSettings", () => {
  it("is off without variables", () => {
    const { settings, issues } = parseSmtpSettings({});
    expect(issues).toEqual([]);
    expect(settings.global).toBeNull();
    expect(settings.units.size).toBe(0);
  });

  it("reads a global account and per-unit accounts", () => {
    const { settings, issues } = parseSmtpSettings({
      PANTAU_SMTP_URL: "smtps://pantau:rahasia@mail.imigrasi.go.id:465",
      PANTAU_SMTP_FROM: "Ditjen Imigrasi <pengaduan@imigrasi.go.id>",
      PANTAU_SMTP_URL__KANIM_MALANG: "smtp://malang:s3cret@10.0.0.5:587",
      PANTAU_SMTP_FROM__KANIM_MALANG: "pengaduan@malang.imigrasi.go.id",
    });
    expect(issues).toEqual([]);
    expect(settings.global).toMatchObject({
      from: "Ditjen Imigrasi <pengaduan@imigrasi.go.id>",
      domain: "imigrasi.go.id",
    });
    expect(settings.units.get("KANIM_MALANG")).toMatchObject({ domain: "malang.imigrasi.go.id" });
    expect(describeSmtp(settings.units.get("KANIM_MALANG") ?? (settings.global as never))).toBe("smtp://10.0.0.5:587");
  });

  it.each([
    [{ PANTAU_SMTP_FROM: "a@b.id" }, "PANTAU_SMTP_URL: required"],
    [{ PANTAU_SMTP_URL: "smtp://h:25" }, "PANTAU_SMTP_FROM: required"],
    [{ PANTAU_SMTP_URL: "http://user:topsecret@h", PANTAU_SMTP_FROM: "a@b.id" }, "must be a smtp:// or smtps:// URL"],
    [{ PANTAU_SMTP_URL: "smtp://h", PANTAU_SMTP_FROM: "nobody" }, "must be an e-mail address"],
    [{ PANTAU_SMTP_URL__kanim: "smtp://h", PANTAU_SMTP_FROM__kanim: "a@b.id" }, "the unit part must be"],
  ])("%j is refused (%s), without repeating a secret", (env, message) => {
    const { issues } = parseSmtpSettings(env);
    expect(issues.join("\n")).toContain(message);
    expect(issues.join("\n")).not.toContain("topsecret");
  });

  it("names units as their codes in capitals", () => {
    expect(unitEnvSuffix("KANIM-MALANG")).toBe("KANIM_MALANG");
    expect(unitEnvSuffix("kanwil-ji")).toBe("KANWIL_JI");
  });
});
