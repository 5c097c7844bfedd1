import type { WhatsAppStatus } from "./receipt.js";

/** One citizen message of a webhook, with what the webhook said about where and from whom it came. */
export interface WebhookMessage {
  /** Meta's message id (wamid), the same on every redelivery. */
  id: string;
  /** The business number it was sent to. */
  phoneNumberId: string;
  /** The citizen's WhatsApp id (their number, digits only). */
  from: string;
  /** The citizen's profile name, when the webhook carried the contact. */
  profileName: string | null;
  /** When the citizen sent it (Meta's clock); null when the timestamp is missing or malformed. */
  sentAt: Date | null;
  /** The message object as Meta sent it. */
  message: Record<string, unknown>;
}

/** One delivery receipt of a reply Pantau sent. */
export interface WebhookStatus {
  /** The wamid Graph returned when the reply was sent. */
  id: string;
  status: WhatsAppStatus;
  at: Date | null;
  /** What the send request carried in biz_opaque_callback_data: the outbound row's id. */
  callbackData: string | null;
  /** Meta's error on a failed receipt: `131047 Re-engagement message: …`. */
  error: string | null;
}

export interface ParsedWebhook {
  messages: WebhookMessage[];
  statuses: WebhookStatus[];
  /** Parts that are not what Meta documents; the rest of the body is still used. */
  problems: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function epochSeconds(value: unknown): Date | null {
  const seconds = typeof value === "string" && /^\d{1,12}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isFinite(seconds) ? new Date(seconds * 1000) : null;
}

const STATUSES: ReadonlySet<string> = new Set(["sent", "delivered", "read", "failed"]);

function errorOf(status: Record<string, unknown>): string | null {
  const first = list(status.errors).find(isRecord);
  if (!first) return null;
  const details = isRecord(first.error_data) ? text(first.error_data.details) : null;
  const parts = [first.code === undefined ? null : String(first.code), text(first.title) ?? text(first.message)];
  const head = parts.filter(Boolean).join(" ");
  return (details ? `${head}: ${details}` : head).slice(0, 1_000) || "failed";
}

/**
 * Reads a WhatsApp Business webhook body (already checked and parsed JSON) into the citizen messages and
 * delivery receipts it carries, per Meta's documented shape: `entry[].changes[]` with field `messages`,
 * whose value has `metadata.phone_number_id`, `contacts[]`, `messages[]` and `statuses[]`. Other fields
 * (account updates, template reviews) carry nothing to handle and are skipped.
 */
export function parseWebhook(body: unknown): ParsedWebhook {
  const parsed: ParsedWebhook = { messages: [], statuses: [], problems: [] };
  if (!isRecord(body) || !Array.isArray(body.entry)) {
    parsed.problems.push("not a WhatsApp webhook: no entry[] array");
    return parsed;
  }
  if (body.object !== undefined && body.object !== "whatsapp_business_account") {
    parsed.problems.push(`not a WhatsApp webhook: object is ${JSON.stringify(body.object)}`);
    return parsed;
  }
  body.entry.forEach((entry, e) => {
    list(isRecord(entry) ? entry.changes : undefined).forEach((change, c) => {
      if (!isRecord(change) || change.field !== "messages") return;
      const where = `entry[${e}].changes[${c}]`;
      const value = change.value;
      if (!isRecord(value)) {
        parsed.problems.push(`${where}: no value object`);
        return;
      }
      const phoneNumberId = isRecord(value.metadata) ? text(value.metadata.phone_number_id) : null;
      const names = new Map<string, string>();
      for (const contact of list(value.contacts)) {
        if (!isRecord(contact)) continue;
        const waId = text(contact.wa_id);
        const name = isRecord(contact.profile) ? text(contact.profile.name) : null;
        if (waId && name) names.set(waId, name);
      }
      list(value.messages).forEach((message, m) => {
        const id = isRecord(message) ? text(message.id) : null;
        const from = isRecord(message) ? text(message.from) : null;
        if (!isRecord(message) || !id || !from || !phoneNumberId) {
          parsed.problems.push(`${where}.value.messages[${m}]: needs id, from and metadata.phone_number_id`);
          return;
        }
        parsed.messages.push({
          id,
          phoneNumberId,
          from,
          profileName: names.get(from) ?? null,
          sentAt: epochSeconds(message.timestamp),
          message,
        });
      });
      list(value.statuses).forEach((status, s) => {
        const id = isRecord(status) ? text(status.id) : null;
        const state = isRecord(status) ? text(status.status) : null;
        if (!isRecord(status) || !id || !state || !STATUSES.has(state)) {
          parsed.problems.push(`${where}.value.statuses[${s}]: needs id and a status of sent, delivered, read, failed`);
          return;
        }
        parsed.statuses.push({
          id,
          status: state as WhatsAppStatus,
          at: epochSeconds(status.timestamp),
          callbackData: text(status.biz_opaque_callback_data),
          error: state === "failed" ? (errorOf(status) ?? "failed") : null,
        });
      });
    });
  });
  return parsed;
}

/** What a citizen message becomes on a ticket: its text, or why it is recorded and not handled. */
export type MappedMessage =
  | { handled: true; body: string; media: MediaReference | null }
  | { handled: false; reason: string };

/** A photo, document, voice note or video: Pantau keeps Meta's media id and metadata, not the bytes. */
export interface MediaReference {
  kind: string;
  mediaId: string;
  mimeType: string | null;
  sha256: string | null;
  filename: string | null;
}

const MEDIA_KINDS = ["image", "document", "audio", "video", "sticker"] as const;
const MEDIA_LABEL: Record<(typeof MEDIA_KINDS)[number], string> = {
  image: "Gambar / image",
  document: "Dokumen / document",
  audio: "Pesan suara / audio",
  video: "Video",
  sticker: "Stiker / sticker",
};

/**
 * The text a citizen message puts on a ticket. Text as written; media as its caption and a line naming
 * the attachment (the media id is what Graph serves the bytes by); interactive replies (buttons, list
 * rows, template quick replies) as the option chosen; a location as its name, address and coordinates.
 * Reactions, system notices and types Meta calls unsupported are recorded and not turned into messages.
 */
export function mapMessage(message: Record<string, unknown>): MappedMessage {
  const type = text(message.type);
  if (!type) return { handled: false, reason: "the message has no type" };
  const part = isRecord(message[type]) ? (message[type] as Record<string, unknown>) : null;
  if (type === "text") {
    const body = part ? text(part.body) : null;
    return body ? { handled: true, body: body.trim(), media: null } : { handled: false, reason: "empty text message" };
  }
  if ((MEDIA_KINDS as readonly string[]).includes(type)) {
    const mediaId = part ? text(part.id) : null;
    if (!part || !mediaId) return { handled: false, reason: `${type} message without a media id` };
    const media: MediaReference = {
      kind: type,
      mediaId,
      mimeType: text(part.mime_type),
      sha256: text(part.sha256),
      filename: text(part.filename),
    };
    const caption = text(part.caption)?.trim();
    const label = [
      MEDIA_LABEL[type as (typeof MEDIA_KINDS)[number]],
      media.filename,
      media.mimeType,
      `WhatsApp media ${mediaId}`,
    ]
      .filter(Boolean)
      .join(", ");
    return { handled: true, body: caption ? `${caption}\n[${label}]` : `[${label}]`, media };
  }
  if (type === "interactive") {
    const reply = part ? (part.button_reply ?? part.list_reply) : null;
    const title = isRecord(reply) ? text(reply.title) : null;
    if (!isRecord(reply) || !title) return { handled: false, reason: "interactive message without a reply" };
    const description = text(reply.description);
    return { handled: true, body: description ? `${title.trim()} — ${description.trim()}` : title.trim(), media: null };
  }
  if (type === "button") {
    const chosen = part ? (text(part.text) ?? text(part.payload)) : null;
    return chosen
      ? { handled: true, body: chosen.trim(), media: null }
      : { handled: false, reason: "button reply without text" };
  }
  if (type === "location" && part) {
    const at = [part.latitude, part.longitude].every((n) => typeof n === "number")
      ? `${part.latitude}, ${part.longitude}`
      : null;
    const body = [text(part.name), text(part.address), at && `(${at})`].filter(Boolean).join(" ");
    return body
      ? { handled: true, body: `[Lokasi / location] ${body}`, media: null }
      : { handled: false, reason: "empty location" };
  }
  return { handled: false, reason: `${type} messages are not turned into tickets` };
}

/** A subject for a ticket opened by a message: its first line, shortened. */
export function subjectOf(body: string, maxLength = 120): string {
  const line =
    body
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l && !l.startsWith("[")) ?? "";
  const oneLine = line.replace(/\s+/g, " ");
  const short = oneLine.length > maxLength ? `${oneLine.slice(0, maxLength - 1).trimEnd()}…` : oneLine;
  return short.length >= 3 ? `WhatsApp: ${short}` : "Pesan WhatsApp";
}
