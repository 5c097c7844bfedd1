/**
 * The e-mail intake's rules, free of I/O: which messages are automatic (auto-replies, bounces, lists, our
 * own mail coming back) and must never open a ticket or be answered, which ticket a subject names, which
 * attachments are kept, and how a message becomes a ticket's subject and text.
 */

/** Header values by lower-case name (the first occurrence of each). */
export type MailHeaders = ReadonlyMap<string, string>;

/** The headers of a message as mailparser lists them (`headerLines`: "Name: value", possibly folded). */
export function headerMap(lines: readonly { key: string; line: string }[]): MailHeaders {
  const headers = new Map<string, string>();
  for (const { key, line } of lines) {
    const name = key.toLowerCase();
    if (headers.has(name)) continue;
    const colon = line.indexOf(":");
    headers.set(name, (colon === -1 ? "" : line.slice(colon + 1)).replace(/\r?\n[ \t]+/g, " ").trim());
  }
  return headers;
}

const BULK_PRECEDENCE = new Set(["bulk", "junk", "list", "auto_reply", "auto-reply"]);
const AUTORESPONDER_HEADERS = ["x-autoreply", "x-autorespond", "x-autoresponder", "x-auto-reply"];
const SYSTEM_SENDERS = new Set(["mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"]);
/** The Message-IDs Pantau gives its own replies (outboundMessageId). */
const OWN_MESSAGE_ID = /^<pantau\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@[^>]+>$/i;

export interface AutomationFacts {
  headers: MailHeaders;
  /** The From address, lower case, or null. */
  from: string | null;
  messageId: string | null;
  /** Whether the Message-ID is one Pantau sent (recorded as an outbound message of a thread). */
  sentByUs: boolean;
  /** Pantau's own sender addresses (the SMTP accounts' From), lower case. */
  ownAddresses: ReadonlySet<string>;
}

/**
 * Why a message is automatic and must be recorded, not answered, or null for a person's message (RFC 3834
 * Auto-Submitted, Precedence, the common auto-responder headers, delivery reports and their senders, and
 * Pantau's own mail coming back: its Message-IDs, its X-Pantau-Ticket header, its sender addresses).
 */
export function automatedReason(facts: AutomationFacts): string | null {
  const { headers } = facts;
  const autoSubmitted = headers.get("auto-submitted")?.split(";")[0]?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== "no") return `Auto-Submitted: ${autoSubmitted.slice(0, 40)}`;
  const precedence = headers.get("precedence")?.trim().toLowerCase();
  if (precedence && BULK_PRECEDENCE.has(precedence)) return `Precedence: ${precedence}`;
  for (const name of AUTORESPONDER_HEADERS) if (headers.has(name)) return `an auto-reply (${name} header)`;
  const contentType = headers.get("content-type")?.toLowerCase() ?? "";
  if (/^\s*multipart\/report\b/.test(contentType)) return "a delivery or read report (multipart/report)";
  if (headers.get("return-path")?.replace(/\s/g, "") === "<>") return "a bounce (empty Return-Path)";
  const local = facts.from?.split("@")[0]?.toLowerCase();
  if (local && SYSTEM_SENDERS.has(local)) return `a system sender (${local})`;
  if (headers.has("x-pantau-ticket")) return "Pantau's own message (X-Pantau-Ticket)";
  if (facts.sentByUs || (facts.messageId && OWN_MESSAGE_ID.test(facts.messageId))) {
    return "Pantau's own message (its Message-ID)";
  }
  if (facts.from && facts.ownAddresses.has(facts.from)) return "sent from Pantau's own address";
  return null;
}

/** A ticket number in a subject, e.g. "Re: Paspor [IMI-2026-0001234]" → IMI-2026-0001234. */
export function ticketNumberIn(subject: string | null | undefined): string | null {
  const match = /(?<![A-Za-z0-9-])IMI-(\d{4})-(\d{7,12})(?![0-9])/i.exec(subject ?? "");
  return match ? `IMI-${match[1]}-${match[2]}` : null;
}

/** Message-IDs named by In-Reply-To and References, the most recent first, each once. */
export function threadIds(
  inReplyTo: string | null | undefined,
  references: string | readonly string[] | null | undefined,
) {
  const all = [inReplyTo ?? "", ...(typeof references === "string" ? [references] : (references ?? []))]
    .join(" ")
    .match(/<[^<>\s]{1,990}>/g);
  if (!all) return [];
  const [first, ...refs] = all;
  // In-Reply-To first, then References from the latest (last) to the oldest.
  const ordered = inReplyTo ? [first as string, ...refs.reverse()] : [...all].reverse();
  return [...new Set(ordered)].slice(0, 50);
}

/** A Message-ID with its angle brackets, or null when there is none usable. */
export function normalMessageId(value: string | null | undefined): string | null {
  const id = value?.trim();
  if (!id) return null;
  const bracketed = id.startsWith("<") ? id : `<${id}>`;
  return /^<[^<>\s]{1,990}>$/.test(bracketed) ? bracketed : null;
}

// Attachments ------------------------------------------------------------------------------------------

/** The types kept, by the extension they go with: documents, images, plain text and office files. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  "application/pdf": ["pdf"],
  "image/jpeg": ["jpg", "jpeg", "jfif"],
  "image/png": ["png"],
  "image/gif": ["gif"],
  "image/webp": ["webp"],
  "image/heic": ["heic"],
  "image/heif": ["heif"],
  "image/tiff": ["tif", "tiff"],
  "image/bmp": ["bmp"],
  "text/plain": ["txt"],
  "text/csv": ["csv"],
  "application/rtf": ["rtf"],
  "application/msword": ["doc"],
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ["docx"],
  "application/vnd.ms-excel": ["xls"],
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["xlsx"],
  "application/vnd.ms-powerpoint": ["ppt"],
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": ["pptx"],
  "application/vnd.oasis.opendocument.text": ["odt"],
  "application/vnd.oasis.opendocument.spreadsheet": ["ods"],
  "application/vnd.oasis.opendocument.presentation": ["odp"],
};
const TYPE_OF_EXTENSION = new Map(
  Object.entries(ALLOWED).flatMap(([type, extensions]) => extensions.map((extension) => [extension, type] as const)),
);
/** Types a sender's mail program gives files it does not know; the extension then decides. */
const GENERIC_TYPES = new Set(["application/octet-stream", "application/x-octet-stream", "binary/octet-stream"]);

export const MAX_ATTACHMENTS = 20;

export type AttachmentDecision =
  | { keep: true; filename: string; contentType: string }
  | { keep: false; filename: string; contentType: string; reason: string };

/**
 * Whether an attachment's content is kept: it must be at most `maxBytes`, of an allowed type, with a name
 * whose extension (if any) fits that type, and among the first MAX_ATTACHMENTS of its message. The name
 * loses any path and control characters. A refused one is still recorded, with the reason.
 */
export function attachmentDecision(
  input: {
    filename: string | null | undefined;
    contentType: string | null | undefined;
    size: number;
    position: number;
  },
  maxBytes: number,
): AttachmentDecision {
  const filename = safeFilename(input.filename, input.position);
  const declared = (input.contentType ?? "").split(";")[0]?.trim().toLowerCase() || "application/octet-stream";
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(filename)?.[1]?.toLowerCase() ?? null;
  const contentType =
    GENERIC_TYPES.has(declared) && extension ? (TYPE_OF_EXTENSION.get(extension) ?? declared) : declared;
  const refuse = (reason: string) => ({
    keep: false as const,
    filename,
    contentType: contentType.slice(0, 127),
    reason,
  });
  if (input.position >= MAX_ATTACHMENTS) return refuse(`more than ${MAX_ATTACHMENTS} attachments in one message`);
  if (input.size > maxBytes) return refuse(`larger than ${maxBytes} bytes`);
  const extensions = ALLOWED[contentType];
  if (!extensions) return refuse(`type ${contentType.slice(0, 80)} is not accepted`);
  if (extension && !extensions.includes(extension))
    return refuse(`name .${extension} does not fit type ${contentType}`);
  return { keep: true, filename, contentType };
}

/** A file name to keep: the last path part, without control characters, at most 255 characters. */
export function safeFilename(name: string | null | undefined, position: number): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const printable = [...base].filter((char) => char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) !== 0x7f).join("");
  const cleaned = printable.trim().replace(/^\.+/, "");
  if (!cleaned) return `lampiran-${position + 1}`;
  if (cleaned.length <= 255) return cleaned;
  const extension = /\.[A-Za-z0-9]{1,8}$/.exec(cleaned)?.[0] ?? "";
  return cleaned.slice(0, 255 - extension.length) + extension;
}

// Subject and text -------------------------------------------------------------------------------------

const REPLY_PREFIX = /^\s*((re|aw|fw|fwd|balas|tr|sv|antw)\s*(\[\d+\])?\s*:\s*)+/i;
export const NO_SUBJECT = "E-mail tanpa subjek";

/** A ticket's subject from an e-mail's: without reply prefixes, on one line, 3 to `max` characters. */
export function ticketSubject(subject: string | null | undefined, max: number): string {
  const bare = (subject ?? "").replace(REPLY_PREFIX, "").replace(/\s+/g, " ").trim();
  if (bare.length < 3) return NO_SUBJECT;
  return bare.length <= max ? bare : `${bare.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The citizen's own words of a message: the text part (or the text of the HTML), without the quoted
 * earlier messages a reply carries at its end ("> …" lines and the "On … wrote:" line before them), at
 * most `max` characters (a longer text is cut and says so: the raw message is kept until processed).
 */
export function messageText(text: string | null | undefined, max: number): string {
  const lines = (text ?? "").replace(/\r\n?/g, "\n").split("\n");
  let end = lines.length;
  while (end > 0 && (lines[end - 1]?.trim() ?? "") === "") end--;
  let quoted = end;
  while (quoted > 0 && /^\s*>/.test(lines[quoted - 1] ?? "")) quoted--;
  if (quoted < end) {
    let cut = quoted;
    while (cut > 0 && (lines[cut - 1]?.trim() ?? "") === "") cut--;
    const intro = lines[cut - 1] ?? "";
    if (/(wrote|menulis|schrieb|a écrit|escribió)\s*:\s*$/i.test(intro)) cut--;
    // A message that is nothing but a quote keeps the quote.
    if (lines.slice(0, cut).some((line) => line.trim())) end = cut;
  }
  const body = lines.slice(0, end).join("\n").trim();
  if (!body) return "(tanpa isi / no text)";
  const marker = "\n[…dipotong / truncated]";
  return body.length <= max ? body : `${body.slice(0, max - marker.length)}${marker}`;
}

/** The text that stands for a message over the size limit, which was not downloaded. */
export function oversizeText(size: number, limit: number): string {
  const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return (
    `(E-mail sebesar ${mb(size)} melebihi batas ${mb(limit)} dan tidak diunduh; isinya tetap di kotak surat unit. / ` +
    `The e-mail of ${mb(size)} is over the ${mb(limit)} limit and was not downloaded; it remains in the unit's mailbox.)`
  );
}
