import { describe, expect, it } from "vitest";
import { addressDomain, MAX_REFERENCES, redactedError, replyPayload, replySubject } from "./email-message.js";

describe("replySubject", () => {
  it.each([
    ["Kuota M-Paspor selalu habis", "Re: Kuota M-Paspor selalu habis [IMI-2026-0000123]"],
    ["Re: Kuota M-Paspor", "Re: Kuota M-Paspor [IMI-2026-0000123]"],
    ["RE: re: Fwd: Balas: Kuota", "Re: Kuota [IMI-2026-0000123]"],
    ["Kuota [IMI-2026-0000123]", "Re: Kuota [IMI-2026-0000123]"],
    ["Re: [IMI-2026-0000123]", "Re: [IMI-2026-0000123]"],
    ["  spaced \n out  ", "Re: spaced out [IMI-2026-0000123]"],
    // a prefix inside the subject is the citizen's words, not ours to strip
    ["Paspor hilang, re: laporan polisi", "Re: Paspor hilang, re: laporan polisi [IMI-2026-0000123]"],
  ])("%j → %j", (subject, expected) => {
    expect(replySubject("IMI-2026-0000123", subject)).toBe(expected);
  });
});

describe("addressDomain", () => {
  it.each([
    ["pengaduan@malang.imigrasi.go.id", "malang.imigrasi.go.id"],
    ["Kantor Imigrasi Malang <Pengaduan@Malang.Imigrasi.go.id>", "malang.imigrasi.go.id"],
    ["no-domain", null],
  ])("%j → %j", (address, expected) => {
    expect(addressDomain(address)).toBe(expected);
  });
});

describe("replyPayload", () => {
  const base = {
    outboundId: "0d9c3c52-4a43-4f5e-9a55-0f4b6e1f7a10",
    domain: "malang.imigrasi.go.id",
    ticketNumber: "IMI-2026-0000123",
    ticketSubject: "Kuota",
    body: "Terima kasih, kami periksa.\n\n",
  };

  it("opens a thread when there is none", () => {
    const payload = replyPayload({ ...base, thread: [] });
    expect(payload).toMatchObject({
      subject: "Re: Kuota [IMI-2026-0000123]",
      messageId: "<pantau.0d9c3c52-4a43-4f5e-9a55-0f4b6e1f7a10@malang.imigrasi.go.id>",
      inReplyTo: null,
      references: [],
      ticketNumber: "IMI-2026-0000123",
    });
    expect(payload.text).toMatch(
      /^Terima kasih, kami periksa\.\n\n--\nNomor tiket \/ Ticket number: IMI-2026-0000123\n/,
    );
  });

  it("answers the latest message and keeps the latest references", () => {
    const thread = Array.from({ length: MAX_REFERENCES + 5 }, (_, i) => `<m${i}@example.id>`);
    const payload = replyPayload({ ...base, thread });
    expect(payload.inReplyTo).toBe(`<m${MAX_REFERENCES + 4}@example.id>`);
    expect(payload.references).toHaveLength(MAX_REFERENCES);
    expect(payload.references[0]).toBe("<m5@example.id>");
  });
});

describe("redactedError", () => {
  it("removes the recipient and every other address, and keeps one bounded line", () => {
    const message = "550 5.1.1 <budi@example.id>: Recipient address rejected\n(relay via postmaster@mx.example.id)";
    expect(redactedError(message, "budi@example.id")).toBe(
      "550 5.1.1 <<recipient>>: Recipient address rejected (relay via <address>)",
    );
    expect(redactedError("x".repeat(5_000), "budi@example.id")).toHaveLength(1_000);
  });
});
