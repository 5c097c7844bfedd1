import { describe, expect, it } from "vitest";
import { describeImap, parseImapSettings } from "./imap-config.js";

describe("parseImapSettings", () => {
  it("is off with no mailbox, with the default limits", () => {
    const { settings, issues } = parseImapSettings({});
    expect(issues).toEqual([]);
    expect(settings).toMatchObject({
      mailboxes: [],
      pollMs: 60_000,
      maxMessageBytes: 25 * 1024 * 1024,
      maxAttachmentBytes: 10 * 1024 * 1024,
    });
  });

  it.each([
    [
      "imaps://pengaduan%40malang:s%3Acret@mail.imigrasi.go.id/INBOX",
      {
        host: "mail.imigrasi.go.id",
        port: 993,
        secure: true,
        user: "pengaduan@malang",
        password: "s:cret",
        folder: "INBOX",
      },
    ],
    ["imap://u:p@127.0.0.1:1143", { port: 1143, secure: false, folder: "INBOX" }],
    ["imap://u:p@host/Pengaduan%20Masuk", { port: 143, folder: "Pengaduan Masuk" }],
  ])("reads %s", (url, expected) => {
    const { settings, issues } = parseImapSettings({ PANTAU_IMAP_URL__KANIM_MALANG: url });
    expect(issues).toEqual([]);
    expect(settings.mailboxes[0]).toMatchObject({ unitSuffix: "KANIM_MALANG", ...expected });
  });

  it("names the mailbox without its password, for logs and the stored account", () => {
    const { settings } = parseImapSettings({
      PANTAU_IMAP_URL__KANIM_MALANG: "imaps://user:rahasia@mail.example:993/INBOX",
    });
    const [mailbox] = settings.mailboxes;
    expect(mailbox?.account).toBe("user@mail.example:993/INBOX");
    expect(describeImap(mailbox as NonNullable<typeof mailbox>)).toBe("imaps://mail.example:993/INBOX");
  });

  it.each([
    [{ PANTAU_IMAP_URL__KANIM_MALANG: "https://u:p@host" }, "must be an imap:// or imaps:// URL"],
    [{ PANTAU_IMAP_URL__KANIM_MALANG: "not a url rahasia" }, "must be an imap:// or imaps:// URL"],
    [{ PANTAU_IMAP_URL__KANIM_MALANG: "imaps://host" }, "must carry the user and password"],
    [{ "PANTAU_IMAP_URL__kanim-malang": "imaps://u:p@host" }, "the unit part must be the unit code"],
    [{ PANTAU_IMAP_POLL_MS: "soon" }, "PANTAU_IMAP_POLL_MS: a whole number"],
    [{ PANTAU_IMAP_MAX_MESSAGE_BYTES: "10" }, "PANTAU_IMAP_MAX_MESSAGE_BYTES: a whole number"],
  ])("refuses %o", (env, issue) => {
    const { issues } = parseImapSettings(env);
    expect(issues.join("\n")).toContain(issue);
    expect(issues.join("\n")).not.toContain("rahasia");
  });
});
