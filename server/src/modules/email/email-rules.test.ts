import { describe, expect, it } from "vitest";
import {
  attachmentDecision,
  automatedReason,
  headerMap,
  MAX_ATTACHMENTS,
  messageText,
  NO_SUBJECT,
  normalMessageId,
  oversizeText,
  safeFilename,
  threadIds,
  ticketNumberIn,
  ticketSubject,
} from "./email-rules.js";

const facts = (headers: Record<string, string>, extra: Partial<Parameters<typeof automatedReason>[0]> = {}) => ({
  headers: new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
  from: "warga@example.id",
  messageId: "<abc@example.id>",
  sentByUs: false,
  ownAddresses: new Set(["pengaduan@malang.imigrasi.go.id"]),
  ...extra,
});

describe("automatedReason", () => {
  it.each([
    ["a person's message", {}, {}, null],
    ["Auto-Submitted: no", { "Auto-Submitted": "no" }, {}, null],
    ["Auto-Submitted: auto-replied", { "Auto-Submitted": "auto-replied" }, {}, "Auto-Submitted: auto-replied"],
    [
      "Auto-Submitted with parameters",
      { "Auto-Submitted": "auto-generated; owner-email=x@y" },
      {},
      "Auto-Submitted: auto-generated",
    ],
    ["Precedence: bulk", { Precedence: "bulk" }, {}, "Precedence: bulk"],
    ["Precedence: junk", { Precedence: "Junk" }, {}, "Precedence: junk"],
    ["Precedence: list", { Precedence: "list" }, {}, "Precedence: list"],
    ["Precedence: first-class", { Precedence: "first-class" }, {}, null],
    ["X-Autoreply", { "X-Autoreply": "yes" }, {}, "an auto-reply (x-autoreply header)"],
    ["X-Autorespond", { "X-Autorespond": "1" }, {}, "an auto-reply (x-autorespond header)"],
    [
      "a delivery report",
      { "Content-Type": 'multipart/report; report-type=delivery-status; boundary="x"' },
      {},
      "a delivery or read report (multipart/report)",
    ],
    ["an empty Return-Path", { "Return-Path": "< >" }, {}, "a bounce (empty Return-Path)"],
    ["MAILER-DAEMON", {}, { from: "mailer-daemon@mx.example.id" }, "a system sender (mailer-daemon)"],
    ["postmaster", {}, { from: "postmaster@example.id" }, "a system sender (postmaster)"],
    ["X-Pantau-Ticket", { "X-Pantau-Ticket": "IMI-2026-0000001" }, {}, "Pantau's own message (X-Pantau-Ticket)"],
    ["a recorded outbound Message-ID", {}, { sentByUs: true }, "Pantau's own message (its Message-ID)"],
    [
      "Pantau's Message-ID form",
      {},
      { messageId: "<pantau.0b5e1c9a-3f1d-4c8e-9a57-2d6f0e8b1c44@malang.imigrasi.go.id>" },
      "Pantau's own message (its Message-ID)",
    ],
    ["a look-alike Message-ID", {}, { messageId: "<pantau.not-a-uuid@example.id>" }, null],
    ["Pantau's own address", {}, { from: "pengaduan@malang.imigrasi.go.id" }, "sent from Pantau's own address"],
  ])("%s", (_name, headers, extra, expected) => {
    expect(automatedReason(facts(headers, extra))).toBe(expected);
  });
});

describe("headerMap", () => {
  it("keeps the first of each header, unfolded, by lower-case name", () => {
    const map = headerMap([
      { key: "subject", line: "Subject: Paspor\r\n hilang" },
      { key: "received", line: "Received: from a" },
      { key: "received", line: "Received: from b" },
    ]);
    expect(map.get("subject")).toBe("Paspor hilang");
    expect(map.get("received")).toBe("from a");
  });
});

describe("ticketNumberIn", () => {
  it.each([
    ["Re: Paspor [IMI-2026-0001234]", "IMI-2026-0001234"],
    ["imi-2026-0001234 tambahan", "IMI-2026-0001234"],
    ["Tiket IMI-2026-12345678", "IMI-2026-12345678"],
    ["IMI-2026-123456 (too short)", null],
    ["XIMI-2026-0001234", null],
    ["IMI-2026-00012345678901234", null],
    ["no number", null],
    ["", null],
  ])("%s", (subject, expected) => {
    expect(ticketNumberIn(subject)).toBe(expected);
  });
});

describe("threadIds", () => {
  it.each([
    ["<a@x>", "<r1@x> <r2@x>", ["<a@x>", "<r2@x>", "<r1@x>"]],
    [undefined, ["<r1@x>", "<r2@x>"], ["<r2@x>", "<r1@x>"]],
    ["<a@x>", "<a@x>", ["<a@x>"]],
    ["junk", undefined, []],
    [undefined, undefined, []],
  ] as const)("In-Reply-To %s, References %s", (inReplyTo, references, expected) => {
    expect(threadIds(inReplyTo, references)).toEqual(expected);
  });
});

describe("normalMessageId", () => {
  it.each([
    ["<a@b>", "<a@b>"],
    [" a@b ", "<a@b>"],
    ["", null],
    ["<a b@c>", null],
    [undefined, null],
  ])("%s", (value, expected) => {
    expect(normalMessageId(value)).toBe(expected);
  });
});

describe("attachmentDecision", () => {
  const MAX = 10 * 1024 * 1024;
  it.each([
    [
      { filename: "surat.pdf", contentType: "application/pdf", size: 1000 },
      { keep: true, contentType: "application/pdf" },
    ],
    [
      { filename: "foto.JPG", contentType: "image/jpeg", size: 1000 },
      { keep: true, contentType: "image/jpeg" },
    ],
    [
      { filename: "data.xlsx", contentType: "application/octet-stream", size: 1000 },
      { keep: true, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
    ],
    [
      { filename: "scan.pdf", contentType: "application/pdf; name=scan.pdf", size: 1000 },
      { keep: true, contentType: "application/pdf" },
    ],
    [
      { filename: "besar.pdf", contentType: "application/pdf", size: MAX + 1 },
      { keep: false, reason: `larger than ${MAX} bytes` },
    ],
    [
      { filename: "program.exe", contentType: "application/octet-stream", size: 10 },
      { keep: false, reason: "type application/octet-stream is not accepted" },
    ],
    [
      { filename: "surat.pdf.exe", contentType: "application/pdf", size: 10 },
      { keep: false, reason: "name .exe does not fit type application/pdf" },
    ],
    [
      { filename: "page.html", contentType: "text/html", size: 10 },
      { keep: false, reason: "type text/html is not accepted" },
    ],
    [
      { filename: null, contentType: "image/png", size: 10 },
      { keep: true, filename: "lampiran-1" },
    ],
  ])("%o", (input, expected) => {
    expect(attachmentDecision({ ...input, position: 0 }, MAX)).toMatchObject(expected);
  });

  it("refuses more than MAX_ATTACHMENTS per message", () => {
    const input = { filename: "a.pdf", contentType: "application/pdf", size: 1 };
    expect(attachmentDecision({ ...input, position: MAX_ATTACHMENTS - 1 }, MAX).keep).toBe(true);
    expect(attachmentDecision({ ...input, position: MAX_ATTACHMENTS }, MAX)).toMatchObject({ keep: false });
  });

  it.each([
    ["../../etc/passwd", "passwd"],
    ["C:\\Users\\warga\\surat.pdf", "surat.pdf"],
    ["ba\u0000d\u0007.pdf", "bad.pdf"],
    ["...hidden", "hidden"],
    ["", "lampiran-3"],
    [`${"a".repeat(300)}.pdf`, `${"a".repeat(251)}.pdf`],
  ])("file name %s → %s", (name, expected) => {
    expect(safeFilename(name, 2)).toBe(expected);
  });
});

describe("ticketSubject and messageText", () => {
  it.each([
    ["Re: Fwd: Paspor hilang", "Paspor hilang"],
    ["AW:  Visa\n  kunjungan", "Visa kunjungan"],
    ["", NO_SUBJECT],
    ["Re:", NO_SUBJECT],
    ["x".repeat(250), `${"x".repeat(199)}…`],
  ])("subject %s", (subject, expected) => {
    expect(ticketSubject(subject, 200)).toBe(expected);
  });

  it.each([
    ["Halo\n\nOn Mon, 7 Dec 2026, Pantau wrote:\n> lama\n> lagi\n", "Halo"],
    ["Halo\nPada 7 Des 2026, Kantor menulis:\n> lama", "Halo"],
    ["> hanya kutipan", "> hanya kutipan"],
    ["Halo\r\n> kutipan\r\nlanjut", "Halo\n> kutipan\nlanjut"],
    ["   ", "(tanpa isi / no text)"],
    [undefined, "(tanpa isi / no text)"],
  ])("text %j", (text, expected) => {
    expect(messageText(text, 10_000)).toBe(expected);
  });

  it("cuts a long text and says so", () => {
    const text = messageText("a".repeat(200), 100);
    expect(text).toHaveLength(100);
    expect(text.endsWith("[…dipotong / truncated]")).toBe(true);
  });
});

describe("oversizeText", () => {
  it("says in both languages that the message was not downloaded", () => {
    expect(oversizeText(52_428_800, 26_214_400)).toBe(
      "(E-mail sebesar 50.0 MB melebihi batas 25.0 MB dan tidak diunduh; isinya tetap di kotak surat unit. / " +
        "The e-mail of 50.0 MB is over the 25.0 MB limit and was not downloaded; it remains in the unit's mailbox.)",
    );
  });
});
