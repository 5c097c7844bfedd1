import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { UnusableInboundError } from "../inbound/processor.js";
import { MailParser } from "./mail-parser.js";

const stored = (source: string) =>
  JSON.stringify({ uidValidity: "1", uid: 1, size: source.length, source: Buffer.from(source).toString("base64") });

describe("MailParser (on its worker thread)", () => {
  const parser = new MailParser();
  afterEach(async () => {
    await parser.close();
  });

  it("returns what the intake reads, attachments with their SHA-256", async () => {
    const mail = await parser.parse(
      stored(
        'From: "Siti" <siti@example.id>\r\nSubject: =?utf-8?B?UGFzcG9yIGhpbGFuZw==?=\r\nMessage-ID: <a@b>\r\nIn-Reply-To: <c@d>\r\n' +
          'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nHalo\r\n' +
          '--x\r\nContent-Type: application/pdf; name="a.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--x--\r\n',
      ),
    );
    expect(mail).toMatchObject({
      from: { address: "siti@example.id", name: "Siti" },
      subject: "Paspor hilang",
      messageId: "<a@b>",
      inReplyTo: "<c@d>",
      text: "Halo",
    });
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({
      filename: "a.pdf",
      contentType: "application/pdf",
      size: 4,
      checksum: createHash("sha256").update("%PDF").digest("hex"),
    });
    expect(Buffer.from(mail.attachments[0]?.content ?? []).toString()).toBe("%PDF");
  });

  it.each([
    ["not JSON", "{", "the stored e-mail is not JSON"],
    ["no source", JSON.stringify({ uid: 1 }), "the stored e-mail has no source"],
  ])("refuses a stored item that is %s as unusable", async (_name, payload, message) => {
    const refused = parser.parse(payload);
    await expect(refused).rejects.toBeInstanceOf(UnusableInboundError);
    await expect(refused).rejects.toThrow(message);
  });

  it("fails the parses under way when its worker ends, and starts a new one for the next", async () => {
    const under = parser.parse(stored("From: a@b.id\r\nSubject: x\r\n\r\nbody")).catch((error: unknown) => error);
    await parser.close();
    const error = await under;
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UnusableInboundError);
    const next = await parser.parse(stored("From: a@b.id\r\nSubject: lagi\r\n\r\nbody"));
    expect(next.subject).toBe("lagi");
  });
});
