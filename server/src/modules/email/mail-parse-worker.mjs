// Parses stored e-mails (mailparser) on a worker thread of their own, so that decoding a large message
// never holds up the thread that answers requests, and a message that exhausts the worker's memory
// ends only the worker. Plain JavaScript: started by URL, next to the module that starts it (and copied
// next to the compiled server by scripts/build.mjs).
import { parentPort } from "node:worker_threads";
import { simpleParser } from "mailparser";

parentPort.on("message", async ({ id, payload }) => {
  let stored;
  try {
    stored = JSON.parse(payload);
  } catch {
    parentPort.postMessage({ id, ok: false, unusable: true, error: "the stored e-mail is not JSON" });
    return;
  }
  const oversize = typeof stored?.source !== "string" && typeof stored?.headers === "string";
  if (typeof stored?.source !== "string" && !oversize) {
    parentPort.postMessage({ id, ok: false, unusable: true, error: "the stored e-mail has no source" });
    return;
  }
  // A message over the size limit was stored with its headers only: they are parsed as a message without a body.
  const source = oversize
    ? Buffer.concat([Buffer.from(stored.headers, "base64"), Buffer.from("\r\n\r\n")])
    : Buffer.from(stored.source, "base64");
  let mail;
  try {
    mail = await simpleParser(source, {
      skipTextToHtml: true,
      skipImageLinks: true,
      checksumAlgo: "sha256",
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    parentPort.postMessage({
      id,
      ok: false,
      unusable: true,
      error: `the message could not be parsed as MIME: ${message}`,
    });
    return;
  }
  const from = mail.from?.value?.[0];
  const attachments = (oversize ? [] : mail.attachments).map((attachment) => {
    const content = new Uint8Array(attachment.content.length);
    content.set(attachment.content);
    return {
      filename: attachment.filename ?? null,
      contentType: attachment.contentType ?? null,
      size: attachment.size,
      checksum: attachment.checksum,
      content,
    };
  });
  parentPort.postMessage(
    {
      id,
      ok: true,
      mail: {
        headerLines: mail.headerLines.map(({ key, line }) => ({ key, line })),
        from: from ? { address: from.address ?? null, name: from.name ?? null } : null,
        subject: mail.subject ?? null,
        text: oversize ? null : (mail.text ?? null),
        oversize: oversize ? { size: Number(stored.size) || 0, limit: Number(stored.limit) || 0 } : null,
        messageId: mail.messageId ?? null,
        inReplyTo: mail.inReplyTo ?? null,
        references: mail.references ?? null,
        attachments,
      },
    },
    attachments.map((attachment) => attachment.content.buffer),
  );
});
