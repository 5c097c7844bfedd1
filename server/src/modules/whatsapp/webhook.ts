import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database } from "../../db/database.js";
import type { Logger } from "../../logger.js";
import { type InboundRow, storeInbound } from "../inbound/inbound-store.js";
import type { StoredWhatsAppMessage } from "./intake.js";
import { parseWebhook, type WebhookStatus } from "./payload.js";
import { afterReceipt, type ReceiptState } from "./receipt.js";
import { checkSignature, sameSecret } from "./signature.js";
import type { WhatsAppSettings } from "./whatsapp-config.js";

export const WEBHOOK_PATH = "/webhooks/whatsapp";

export interface WhatsAppWebhookOptions {
  settings: WhatsAppSettings;
  db: Database;
  logger: Logger;
  /** The unit id of a unit code (the phone-number map names units by code). */
  unitId: (code: string) => number | null;
  /** Told after new items committed: the processor handles them now rather than at its next sweep. */
  stored: () => void;
  /** Told after a receipt changed a reply's delivery, per ticket. */
  receipted: (ticketId: string) => void;
  now?: () => Date;
}

const HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A body over the limit, refused before it is read whole. */
export class TooLarge extends Error {}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(new TooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new TooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks, length)));
    req.on("error", reject);
  });
}

function answer(res: ServerResponse, status: number, body: Record<string, unknown>) {
  res.writeHead(status, { "content-type": "application/json", ...HEADERS }).end(JSON.stringify(body));
}

/** Text as PostgreSQL can store it: no NUL characters. */
const storable = (text: string) => text.replaceAll("\u0000", "\uFFFD");

/**
 * `/webhooks/whatsapp`. GET is Meta's verification handshake: `hub.challenge` is echoed when `hub.mode` is
 * subscribe and `hub.verify_token` is the configured token. POST carries messages and receipts: the body
 * is read raw (up to the size limit, else 413) and its X-Hub-Signature-256 checked before anything is
 * parsed (missing: 401, wrong: 403, nothing stored). Each citizen message is then committed as an inbound
 * item, once per wamid, and 200 is answered; the processor turns it into a ticket or message afterwards.
 * Receipts update their reply's delivery in place. A signed body that is not Meta's JSON is kept as a
 * failed item with the reason and answered 200, since Meta retrying it would not make it readable. Only a
 * database failure answers 500, so that Meta redelivers.
 */
export function whatsAppWebhook(options: WhatsAppWebhookOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { settings, db, logger } = options;
  const now = options.now ?? (() => new Date());

  function handshake(req: IncomingMessage, res: ServerResponse) {
    const query = new URL(req.url ?? "/", "http://localhost").searchParams;
    const challenge = query.get("hub.challenge") ?? "";
    if (
      query.get("hub.mode") !== "subscribe" ||
      !sameSecret(query.get("hub.verify_token"), settings.verifyToken) ||
      !/^[A-Za-z0-9_-]{1,256}$/.test(challenge)
    ) {
      answer(res, 403, { error: "verification failed" });
      return;
    }
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8", ...HEADERS }).end(challenge);
  }

  async function applyReceipt(receipt: WebhookStatus): Promise<string | null> {
    const callback = receipt.callbackData && UUID.test(receipt.callbackData) ? receipt.callbackData : null;
    for (let tries = 0; tries < 3; tries++) {
      const [row] = await db.sql.prepared<{ id: string; status: ReceiptState; ticket_id: string | null }>(
        "whatsapp_receipt_row",
        `SELECT id, status::text AS status, ticket_id FROM outbound_message
         WHERE channel = 'WHATSAPP' AND (external_id = $1 OR id = $2::uuid) LIMIT 1`,
        [receipt.id, callback],
      );
      if (!row) return null;
      const next = afterReceipt(row.status, receipt.status);
      if (!next) return null;
      const at = receipt.at ?? now();
      const changed = await db.sql.prepared<{ id: string }>(
        "whatsapp_receipt_apply",
        `UPDATE outbound_message
         SET status = $3::text::"OutboundStatus", updated_at = $4, external_id = COALESCE(external_id, $5),
           delivered_at = CASE WHEN $3 IN ('DELIVERED', 'READ') THEN COALESCE(delivered_at, $6) ELSE delivered_at END,
           read_at = CASE WHEN $3 = 'READ' THEN $6 ELSE read_at END,
           last_error = CASE WHEN $3 = 'DEAD' THEN $7 ELSE NULL END
         WHERE id = $1::uuid AND status::text = $2
         RETURNING id`,
        [row.id, row.status, next, now(), receipt.id, at, receipt.error ?? "failed"],
      );
      if (changed.length) return row.ticket_id;
    }
    return null;
  }

  async function receive(req: IncomingMessage, res: ServerResponse) {
    let raw: Buffer;
    try {
      raw = await readBody(req, settings.maxBodyBytes);
    } catch (error) {
      if (error instanceof TooLarge) answer(res, 413, { error: `body larger than ${settings.maxBodyBytes} bytes` });
      else answer(res, 400, { error: "the body could not be read" });
      return;
    }
    const signature = checkSignature(raw, req.headers["x-hub-signature-256"]?.toString(), settings.appSecret);
    if (signature !== "valid") {
      logger.info({ signature }, "WhatsApp webhook refused: signature check failed");
      answer(res, signature === "missing" ? 401 : 403, {
        error: signature === "missing" ? "X-Hub-Signature-256 is required" : "X-Hub-Signature-256 does not match",
      });
      return;
    }
    const at = now();
    const bodyRow = (error: string): InboundRow => ({
      channel: "WHATSAPP",
      externalId: `body:${createHash("sha256").update(raw).digest("hex")}`,
      unitId: null,
      account: null,
      sender: null,
      sentAt: null,
      payload: storable(raw.toString("utf8")),
      status: "FAILED",
      lastError: error,
    });
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch (error) {
      const reason = `malformed JSON: ${error instanceof Error ? error.message : String(error)}`;
      await storeInbound(db.sql, [bodyRow(reason)], at);
      logger.warn({ reason }, "WhatsApp webhook body kept as failed");
      answer(res, 200, { stored: 0, failed: reason });
      return;
    }
    const parsed = parseWebhook(body);
    const rows: InboundRow[] = parsed.messages.map((message) => {
      const unitCode = settings.phoneNumbers.get(message.phoneNumberId);
      const stored: StoredWhatsAppMessage = { ...message, sentAt: message.sentAt?.toISOString() ?? null };
      return {
        channel: "WHATSAPP",
        externalId: message.id,
        unitId: unitCode ? options.unitId(unitCode) : null,
        account: message.phoneNumberId,
        sender: message.from,
        sentAt: message.sentAt,
        payload: storable(JSON.stringify(stored)),
      };
    });
    if (parsed.problems.length) {
      rows.push(bodyRow(`not as Meta documents it: ${parsed.problems.join("; ")}`));
      logger.warn({ problems: parsed.problems.slice(0, 5) }, "WhatsApp webhook parts kept as failed");
    }
    const stored = await storeInbound(db.sql, rows, at);
    if (stored) options.stored();
    const tickets = new Set<string>();
    for (const receipt of parsed.statuses) {
      const ticketId = await applyReceipt(receipt);
      if (ticketId) tickets.add(ticketId);
    }
    for (const ticketId of tickets) options.receipted(ticketId);
    answer(res, 200, { stored, receipts: parsed.statuses.length });
  }

  return (req, res) => {
    if (req.method === "GET") {
      handshake(req, res);
      return;
    }
    if (req.method !== "POST") {
      res.setHeader("allow", "GET, POST");
      answer(res, 405, { error: "GET or POST only" });
      return;
    }
    receive(req, res).catch((error: unknown) => {
      logger.error({ err: error }, "WhatsApp webhook failed; Meta will redeliver");
      if (!res.headersSent) answer(res, 500, { error: "not stored; retry" });
    });
  };
}
