import type { Database } from "../../db/database.js";
import { NotFoundError, ValidationError } from "../../errors.js";
import type { WebhookSubscription } from "../../generated/prisma/client.js";
import { TicketEventType } from "../../generated/prisma/enums.js";
import { auditActorOf, writeAudit } from "../audit/audit-log.js";
import type { ApiKeyViewer } from "../auth/viewer.js";
import { WEBHOOK_CONSUMER } from "./dispatcher.js";
import { newWebhookSecret } from "./signature.js";
import { checkWebhookUrl } from "./webhook-url.js";

/** A key's active subscriptions; more endpoints for one key is a sign of a loop, not of need. */
export const MAX_SUBSCRIPTIONS_PER_KEY = 10;
export const WEBHOOK_DESCRIPTION_MAX = 200;

const KNOWN_TYPES = new Set<string>(Object.values(TicketEventType));

export interface NewWebhookSubscription {
  url: string;
  eventTypes: readonly string[];
  description?: string | null;
}

/**
 * Registers an endpoint for the calling key; the signing secret is returned here once. The subscription
 * receives the events ordered after it commits: its start is read under the dispatcher's cursor lock, so
 * no event falls between what the dispatcher has already fanned out and where the subscription begins.
 */
export async function createWebhookSubscription(
  db: Database,
  viewer: ApiKeyViewer,
  input: NewWebhookSubscription,
  settings: { allowLoopbackHttp: boolean },
): Promise<{ subscription: WebhookSubscription; secret: string }> {
  const checked = checkWebhookUrl(input.url, settings);
  if (!checked.ok) throw new ValidationError(`url: ${checked.reason}`, "url");
  const types = [...new Set(input.eventTypes)].sort();
  if (!types.length) throw new ValidationError("eventTypes: name at least one event type", "eventTypes");
  const unknown = types.find((type) => !KNOWN_TYPES.has(type));
  if (unknown !== undefined) throw new ValidationError(`eventTypes: unknown event type "${unknown}"`, "eventTypes");
  const description = input.description?.trim() || null;
  if (description && description.length > WEBHOOK_DESCRIPTION_MAX) {
    throw new ValidationError(`description: at most ${WEBHOOK_DESCRIPTION_MAX} characters`, "description");
  }
  const secret = newWebhookSecret();
  const subscription = await db.prisma.$transaction(async (tx) => {
    const active = await tx.webhookSubscription.count({ where: { apiKeyId: viewer.keyId, removedAt: null } });
    if (active >= MAX_SUBSCRIPTIONS_PER_KEY) {
      throw new ValidationError(
        `url: a key may have at most ${MAX_SUBSCRIPTIONS_PER_KEY} subscriptions; remove one first`,
        "url",
      );
    }
    const [start] = await tx.$queryRaw<{ position: bigint }[]>`
      SELECT greatest(
        (SELECT coalesce(max(position), 0) FROM event_stream),
        coalesce((SELECT through FROM stream_consumer WHERE name = ${WEBHOOK_CONSUMER} FOR UPDATE), 0)
      )::bigint AS position`;
    const created = await tx.webhookSubscription.create({
      data: {
        apiKeyId: viewer.keyId,
        url: checked.url.toString(),
        eventTypes: types,
        secret,
        description,
        fromPosition: start?.position ?? 0n,
      },
    });
    await writeAudit(tx, {
      actor: auditActorOf(viewer),
      entityType: "WebhookSubscription",
      entityId: created.id,
      action: "create",
      before: null,
      after: { url: created.url, eventTypes: created.eventTypes, description },
      unitId: viewer.unitId,
    });
    return created;
  });
  return { subscription, secret };
}

/** Stops deliveries of the caller's own subscription; calls already queued are not made. Kept for its log. */
export async function removeWebhookSubscription(
  db: Database,
  viewer: ApiKeyViewer,
  id: string,
  now = new Date(),
): Promise<WebhookSubscription> {
  const existing = await db.prisma.webhookSubscription.findFirst({ where: { id, apiKeyId: viewer.keyId } });
  if (!existing) throw new NotFoundError("No such webhook subscription of this key.");
  if (existing.removedAt) return existing;
  return db.prisma.$transaction(async (tx) => {
    const removed = await tx.webhookSubscription.update({ where: { id }, data: { removedAt: now } });
    await writeAudit(tx, {
      actor: auditActorOf(viewer),
      entityType: "WebhookSubscription",
      entityId: id,
      action: "remove",
      before: { url: existing.url, eventTypes: existing.eventTypes },
      after: null,
      unitId: viewer.unitId,
    });
    return removed;
  });
}
