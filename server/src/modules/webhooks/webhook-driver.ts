import type { Database } from "../../db/database.js";
import { ApiKeyScope } from "../auth/viewer.js";
import { type Answered, type ChannelDriver, DeliveryError, type OutboundItem } from "../outbound/driver.js";
import { SIGNATURE_HEADER, signWebhook } from "./signature.js";
import type { WebhookPayload } from "./webhook-body.js";
import { checkWebhookUrl } from "./webhook-url.js";

export interface WebhookSettings {
  /** Accept http:// and https:// endpoints on loopback hosts (tests, local development); never in production. */
  readonly allowLoopbackHttp: boolean;
  /** One call's limit; well inside the outbound lease, so a stalled receiver costs one attempt. */
  readonly timeoutMs: number;
}

/** A 429's or 503's Retry-After in ms (seconds or an HTTP date), capped at an hour; null when absent. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header.trim()) * 1000 : Date.parse(header) - now.getTime();
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), 3_600_000) : null;
}

/**
 * Calls third parties' endpoints: one POST per outbound row, its stored body as is, signed afresh at each
 * attempt. Any 2xx delivers it; 410 Gone dead-letters it at once (the receiver says the endpoint is no
 * more); every other answer or no answer is retried with the queue's back-off, a Retry-After respected.
 * Redirects are not followed: the registered URL is the one that was checked. The subscription and its
 * key are read at each attempt, so a call queued before the subscription was removed or the key revoked
 * is not made.
 */
export class WebhookDriver implements ChannelDriver {
  readonly channel = "WEBHOOK" as const;

  constructor(
    private readonly db: Database,
    private readonly settings: WebhookSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  configuredFor(): boolean {
    return true;
  }

  async deliver(item: OutboundItem): Promise<Answered> {
    const payload = item.payload as WebhookPayload;
    const [subscription] = await this.db.sql.prepared<{
      url: string;
      secret: string;
      removed: boolean;
      usable: boolean;
    }>(
      "webhook_subscription_for_delivery",
      `SELECT w.url, w.secret, w.removed_at IS NOT NULL AS removed,
         (k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now()) AND $2 = ANY(k.scopes)) AS usable
       FROM webhook_subscription w JOIN api_key k ON k.id = w.api_key_id WHERE w.id = $1::uuid`,
      [payload.subscriptionId, ApiKeyScope.WEBHOOKS_MANAGE],
    );
    if (!subscription || subscription.removed) {
      throw new DeliveryError("the subscription was removed", { permanent: true });
    }
    if (!subscription.usable) {
      throw new DeliveryError("the API key was revoked, expired or lost webhooks:manage", { permanent: true });
    }
    const checked = checkWebhookUrl(subscription.url, { allowLoopbackHttp: this.settings.allowLoopbackHttp });
    if (!checked.ok) throw new DeliveryError(`the endpoint ${checked.reason}`, { permanent: true });
    const now = this.now();
    let response: Response;
    try {
      response = await fetch(checked.url, {
        method: "POST",
        redirect: "manual",
        headers: {
          "content-type": "application/json",
          "user-agent": "Pantau-Webhooks/1",
          "pantau-delivery": item.id,
          "pantau-event-type": payload.eventType,
          "pantau-attempt": String(item.attempt),
          [SIGNATURE_HEADER]: signWebhook(subscription.secret, payload.body, Math.floor(now.getTime() / 1000)),
        },
        body: payload.body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      const reason =
        error instanceof Error && error.name === "TimeoutError" ? "no answer in time" : (cause ?? "unreachable");
      throw new DeliveryError(`the endpoint could not be reached: ${reason}`);
    }
    // The answer's body is not read: a receiver's words are not ours to keep, and it could be of any size.
    await response.body?.cancel().catch(() => {});
    const code = response.status;
    if (code >= 200 && code < 300) return { responseCode: code };
    const wait = code === 429 || code === 503 ? retryAfterMs(response.headers.get("retry-after"), now) : null;
    throw new DeliveryError(`HTTP ${code}${code >= 300 && code < 400 ? " (redirects are not followed)" : ""}`, {
      responseCode: code,
      permanent: code === 410,
      ...(wait !== null ? { retryAfterMs: wait } : {}),
    });
  }

  async close(): Promise<void> {}
}
