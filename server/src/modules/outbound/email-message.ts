/** What the SMTP driver sends for one outbound row; built when the row is written and stored with it. */
export interface EmailPayload {
  subject: string;
  text: string;
  /** `<…@domain>`: the same on every attempt, so a receiver recognises a retry after a lost answer. */
  messageId: string;
  /** The latest message of the ticket's thread, when there is one. */
  inReplyTo: string | null;
  /** The thread, oldest first, at most MAX_REFERENCES of its latest messages. */
  references: string[];
  ticketNumber: string;
}

/** RFC 5322 advises keeping References short; the first and the latest messages carry the thread. */
export const MAX_REFERENCES = 20;

const REPLY_PREFIX = /^\s*((re|aw|fw|fwd|balas|tr)\s*:\s*)+/i;

/** `Re: <subject> [IMI-2026-0000123]`: the number in brackets is how a reply by e-mail finds its ticket. */
export function replySubject(ticketNumber: string, ticketSubject: string): string {
  const tag = `[${ticketNumber}]`;
  const bare = ticketSubject.replace(REPLY_PREFIX, "").split(tag).join("").replace(/\s+/g, " ").trim();
  return bare ? `Re: ${bare} ${tag}` : `Re: ${tag}`;
}

/** A Message-ID for an outbound row: unique per row, stable across its attempts. */
export function outboundMessageId(outboundId: string, domain: string): string {
  return `<pantau.${outboundId}@${domain}>`;
}

/** The domain Message-IDs are made under: the sender's. */
export function addressDomain(address: string): string | null {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(address.trim());
  return match?.[1]?.toLowerCase() ?? null;
}

export function replyText(body: string, ticketNumber: string): string {
  return `${body.trimEnd()}\n\n--\nNomor tiket / Ticket number: ${ticketNumber}\nBalas e-mail ini untuk menanggapi. / Reply to this e-mail to respond.\n`;
}

/** The payload of a reply, threaded after the ticket's earlier messages (oldest first). */
export function replyPayload(input: {
  outboundId: string;
  domain: string;
  ticketNumber: string;
  ticketSubject: string;
  body: string;
  thread: readonly string[];
}): EmailPayload {
  const references = input.thread.slice(-MAX_REFERENCES);
  return {
    subject: replySubject(input.ticketNumber, input.ticketSubject),
    text: replyText(input.body, input.ticketNumber),
    messageId: outboundMessageId(input.outboundId, input.domain),
    inReplyTo: references.at(-1) ?? null,
    references,
    ticketNumber: input.ticketNumber,
  };
}

const EMAIL_ADDRESS = /[^\s<>()[\]@,;:"]+@[^\s<>()[\]@,;:"]+/g;

/**
 * A receiving side's error as kept on the row and shown through the API: without the recipient's or any
 * other address (personal data), on one line, and bounded.
 */
export function redactedError(message: string, recipient: string): string {
  const withoutRecipient = recipient ? message.split(recipient).join("<recipient>") : message;
  return withoutRecipient.replace(EMAIL_ADDRESS, "<address>").replace(/\s+/g, " ").trim().slice(0, 1_000);
}
