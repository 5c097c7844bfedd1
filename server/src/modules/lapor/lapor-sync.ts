import { randomUUID } from "node:crypto";
import type { Sql } from "../../db/database.js";
import { type ConsumeBatch, type ConsumerOutboundRow, insertOutboundRows } from "../outbound/stream-consumer.js";
import type { UnitTree } from "../units/unit-tree.js";
import { LAPOR_STATUS_OF_EVENT, LAPOR_TEXT_OF_EVENT, type LaporStatus } from "./lapor-mapping.js";

export const LAPOR_CONSUMER = "lapor";

/** What one status call to LAPOR! says; stored with the outbound row and sent as is on every attempt. */
export interface LaporStatusPayload {
  trackingId: string;
  status: LaporStatus;
  /** The Pantau event it reports, for LAPOR!'s log and for a later mapping. */
  eventType: string;
  at: string;
  ticketNumber: string;
  /** The unit handling the report after the event (for a disposition, the receiving one). */
  unit: { code: string; name: string } | null;
  /** The public text that goes with it: a reply, a resolution, a rejection's reason. */
  text: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Queues one status call per event of an SP4N-LAPOR! ticket that the mapping table reports
 * (lapor-mapping.ts), keyed by the event's stream position so that a batch read twice queues nothing
 * twice. Events of other tickets cost a comparison each; public texts are read in one query per batch.
 */
export function laporSync(units: () => UnitTree, now: () => Date = () => new Date()): ConsumeBatch {
  return async (sql: Sql, events) => {
    const reported = events.filter(
      (event) => event.ticket.channel === "SP4N_LAPOR" && event.ticket.externalRef && LAPOR_STATUS_OF_EVENT[event.type],
    );
    if (!reported.length) return 0;
    const messageIds = reported.flatMap((event) => {
      const id = (event.data as { messageId?: unknown } | null)?.messageId;
      return LAPOR_TEXT_OF_EVENT[event.type] === "message" && typeof id === "string" && UUID.test(id) ? [id] : [];
    });
    const bodies = new Map(
      messageIds.length
        ? (
            await sql.query<{ id: string; body: string }>(
              "SELECT id, body FROM message WHERE id = ANY($1::uuid[]) AND visibility = 'PUBLIC_REPLY'",
              [messageIds],
            )
          ).map((row) => [row.id, row.body])
        : [],
    );
    const tree = units();
    const rows: ConsumerOutboundRow[] = reported.map((event) => {
      const data = (event.data ?? {}) as { messageId?: string; reason?: string };
      const textKind = LAPOR_TEXT_OF_EVENT[event.type];
      const text =
        textKind === "message"
          ? (bodies.get(data.messageId ?? "") ?? null)
          : textKind === "reason"
            ? (data.reason ?? null)
            : null;
      const unit = tree.get(event.unitId);
      const payload: LaporStatusPayload = {
        trackingId: event.ticket.externalRef as string,
        status: LAPOR_STATUS_OF_EVENT[event.type] as LaporStatus,
        eventType: event.type,
        at: event.at.toISOString(),
        ticketNumber: event.ticket.number,
        unit: unit ? { code: unit.code, name: unit.name } : null,
        text,
      };
      return {
        id: randomUUID(),
        channel: "SP4N_LAPOR",
        ticketId: event.ticket.id,
        unitId: event.unitId,
        recipient: payload.trackingId,
        payload,
        idempotencyKey: `lapor:${event.position}`,
        webhookId: null,
      };
    });
    return insertOutboundRows(sql, rows, now());
  };
}
