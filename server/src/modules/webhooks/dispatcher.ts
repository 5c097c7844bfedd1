import { randomUUID } from "node:crypto";
import type { Sql } from "../../db/database.js";
import { ApiKeyScope } from "../auth/viewer.js";
import { type ConsumeBatch, type ConsumerOutboundRow, insertOutboundRows } from "../outbound/stream-consumer.js";
import type { UnitTree } from "../units/unit-tree.js";
import { type WebhookPayload, webhookBody } from "./webhook-body.js";

export const WEBHOOK_CONSUMER = "webhooks";

interface ActiveSubscription {
  id: string;
  url: string;
  event_types: string[];
  from_position: string;
  unit_id: number;
}

/** Subscriptions whose key may still receive events: not removed, key not revoked or expired, scope kept. */
const ACTIVE_SUBSCRIPTIONS = `
  SELECT w.id, w.url, w.event_types, w.from_position::text AS from_position, k.unit_id
  FROM webhook_subscription w JOIN api_key k ON k.id = w.api_key_id
  WHERE w.removed_at IS NULL AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
    AND $1 = ANY(k.scopes)`;

export async function hasActiveSubscriptions(sql: Sql): Promise<boolean> {
  const [row] = await sql.query<{ any: boolean }>(`SELECT EXISTS (${ACTIVE_SUBSCRIPTIONS}) AS any`, [
    ApiKeyScope.WEBHOOKS_MANAGE,
  ]);
  return row?.any ?? false;
}

/**
 * Fans a batch of events out to the subscriptions that want them: the event's type is one the subscription
 * named, it came after the subscription was registered, and its ticket is in the key's unit scope (the unit
 * owning the ticket after the event, or the one a transfer took it from, as the live `ticketEvents` feed
 * does). One outbound row per (subscription, event), keyed so that a batch read twice queues nothing twice.
 */
export function webhookDispatch(units: () => UnitTree, now: () => Date = () => new Date()): ConsumeBatch {
  return async (sql, events) => {
    const subscriptions = await sql.query<ActiveSubscription>(ACTIVE_SUBSCRIPTIONS, [ApiKeyScope.WEBHOOKS_MANAGE]);
    if (!subscriptions.length) return 0;
    const tree = units();
    const rows: ConsumerOutboundRow[] = [];
    for (const subscription of subscriptions) {
      const scope = tree.subtree(subscription.unit_id);
      const types = new Set(subscription.event_types);
      const from = BigInt(subscription.from_position);
      const origin = new URL(subscription.url).origin;
      for (const event of events) {
        if (event.position <= from || !types.has(event.type)) continue;
        if (!scope.has(event.unitId) && !(event.fromUnitId !== null && scope.has(event.fromUnitId))) continue;
        const id = randomUUID();
        const payload: WebhookPayload = {
          subscriptionId: subscription.id,
          eventType: event.type,
          sequence: event.position.toString(),
          body: webhookBody({
            deliveryId: id,
            subscriptionId: subscription.id,
            event,
            unitCode: tree.get(event.unitId)?.code ?? null,
            fromUnitCode: event.fromUnitId !== null ? (tree.get(event.fromUnitId)?.code ?? null) : null,
          }),
        };
        rows.push({
          id,
          channel: "WEBHOOK",
          ticketId: event.ticket.id,
          unitId: event.unitId,
          recipient: origin,
          payload,
          idempotencyKey: `webhook:${subscription.id}:${event.position}`,
          webhookId: subscription.id,
        });
      }
    }
    return insertOutboundRows(sql, rows, now());
  };
}
