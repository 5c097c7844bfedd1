import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database } from "../../db/database.js";
import type { Logger } from "../../logger.js";
import { type InboundRow, storeInbound } from "../inbound/inbound-store.js";
import { verifyWebhook } from "../webhooks/signature.js";
import { readBody, TooLarge } from "../whatsapp/webhook.js";
import type { LaporSettings } from "./lapor-config.js";
import { parseReport, reportsOf } from "./lapor-report.js";

export const LAPOR_PATH = "/webhooks/lapor";
export const LAPOR_SIGNATURE_HEADER = "x-lapor-signature";

export interface LaporWebhookOptions {
  settings: LaporSettings;
  db: Database;
  logger: Logger;
  unitId: (code: string) => number | null;
  /** Told after new reports committed: the processor opens their tickets now. */
  stored: () => void;
  now?: () => Date;
}

const HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

function answer(res: ServerResponse, status: number, body: Record<string, unknown>) {
  res.writeHead(status, { "content-type": "application/json", ...HEADERS }).end(JSON.stringify(body));
}

const storable = (text: string) => text.replaceAll("\u0000", "\uFFFD");

/**
 * `POST /webhooks/lapor`: reports forwarded by SP4N-LAPOR!, one (`{ trackingId, … }`) or an import
 * (`{ "reports": [...] }`). The raw body's `X-Lapor-Signature` (`t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">` with the shared secret, the scheme of Pantau's own webhooks) is checked before anything
 * is parsed: missing 401; wrong, malformed or more than 5 minutes old 403 (a replay), nothing stored.
 * Each report is then committed as an inbound item, once per tracking id, and 202 is answered with what
 * was new; the processor opens the tickets afterwards. A report that cannot become a ticket is kept as a
 * failed item with the reason and counted in the answer. Only a database failure answers 500, to be resent.
 */
export function laporWebhook(options: LaporWebhookOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { settings, db, logger } = options;
  const now = options.now ?? (() => new Date());

  async function receive(req: IncomingMessage, res: ServerResponse) {
    let raw: Buffer;
    try {
      raw = await readBody(req, settings.maxBodyBytes);
    } catch (error) {
      if (error instanceof TooLarge) answer(res, 413, { error: `body larger than ${settings.maxBodyBytes} bytes` });
      else answer(res, 400, { error: "the body could not be read" });
      return;
    }
    const at = now();
    const check = verifyWebhook(
      settings.inboundSecret,
      raw,
      req.headers[LAPOR_SIGNATURE_HEADER]?.toString(),
      Math.floor(at.getTime() / 1000),
    );
    if (check !== "valid") {
      logger.info({ signature: check }, "SP4N-LAPOR! call refused: signature check failed");
      answer(res, check === "missing" ? 401 : 403, {
        error:
          check === "missing"
            ? "X-Lapor-Signature is required"
            : check === "expired"
              ? "X-Lapor-Signature is too old (or the clocks disagree): refused as a replay"
              : "X-Lapor-Signature does not match",
      });
      return;
    }
    const failedBody = (reason: string): InboundRow => ({
      channel: "SP4N_LAPOR",
      externalId: `body:${createHash("sha256").update(raw).digest("hex")}`,
      unitId: null,
      account: null,
      sender: null,
      sentAt: null,
      payload: storable(raw.toString("utf8")),
      status: "FAILED",
      lastError: reason,
    });
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      await storeInbound(db.sql, [failedBody("malformed JSON")], at);
      answer(res, 202, { stored: 0, duplicates: 0, failed: 1 });
      return;
    }
    const reports = reportsOf(body);
    if (!reports) {
      await storeInbound(db.sql, [failedBody("neither a report nor { reports: [...] }")], at);
      answer(res, 202, { stored: 0, duplicates: 0, failed: 1 });
      return;
    }
    const rows: InboundRow[] = [];
    let failed = 0;
    const seen = new Set<string>();
    for (const [index, value] of reports.entries()) {
      const parsed = parseReport(value);
      const text = storable(JSON.stringify(value) ?? "null");
      if (!parsed.ok) {
        failed += 1;
        rows.push({
          channel: "SP4N_LAPOR",
          externalId: `invalid:${createHash("sha256").update(text).digest("hex")}:${index}`,
          unitId: null,
          account: null,
          sender: parsed.trackingId,
          sentAt: null,
          payload: text,
          status: "FAILED",
          lastError: parsed.reason,
        });
        continue;
      }
      const { report } = parsed;
      if (seen.has(report.trackingId)) continue;
      seen.add(report.trackingId);
      rows.push({
        channel: "SP4N_LAPOR",
        externalId: report.trackingId,
        unitId: options.unitId(report.unitCode ?? settings.unitCode),
        account: null,
        sender: report.trackingId,
        sentAt: report.submittedAt ? new Date(report.submittedAt) : null,
        payload: storable(JSON.stringify(report)),
      });
    }
    const invalid = rows.filter((row) => row.status === "FAILED");
    const valid = rows.filter((row) => row.status !== "FAILED");
    const stored = await storeInbound(db.sql, valid, at);
    await storeInbound(db.sql, invalid, at);
    if (stored) options.stored();
    if (failed) logger.warn({ failed }, "SP4N-LAPOR! reports kept as failed");
    answer(res, 202, { stored, duplicates: reports.length - failed - stored, failed });
  }

  return (req, res) => {
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      answer(res, 405, { error: "POST only" });
      return;
    }
    receive(req, res).catch((error: unknown) => {
      logger.error({ err: error }, "SP4N-LAPOR! call failed; to be resent");
      if (!res.headersSent) answer(res, 500, { error: "not stored; resend" });
    });
  };
}
