import { type Answered, type ChannelDriver, DeliveryError, type OutboundItem } from "../outbound/driver.js";
import { retryAfterMs } from "../webhooks/webhook-driver.js";
import type { LaporSettings } from "./lapor-config.js";
import type { LaporStatusPayload } from "./lapor-sync.js";

const REQUEST_TIMEOUT_MS = 15_000;
/** Answers that say the call itself is wrong (an unknown report, a refused body): retrying cannot help. */
const PERMANENT = new Set([400, 404, 409, 410, 422]);

/**
 * Sends status changes to SP4N-LAPOR!: `POST {PANTAU_LAPOR_API_URL}/reports/{trackingId}/status` with the
 * stored JSON, a bearer token and the outbound row's id as `Idempotency-Key`, the same on every attempt,
 * so LAPOR! can recognise a retry after a lost answer. Any 2xx takes it; 400, 404, 409, 410 and 422
 * dead-letter it at once; anything else is retried with the queue's back-off.
 */
export class LaporDriver implements ChannelDriver {
  readonly channel = "SP4N_LAPOR" as const;

  constructor(
    private readonly settings: LaporSettings & { apiUrl: string; apiToken: string },
    private readonly now: () => Date = () => new Date(),
  ) {}

  configuredFor(): boolean {
    return true;
  }

  async deliver(item: OutboundItem): Promise<Answered> {
    const payload = item.payload as LaporStatusPayload;
    let response: Response;
    try {
      response = await fetch(`${this.settings.apiUrl}/reports/${encodeURIComponent(payload.trackingId)}/status`, {
        method: "POST",
        redirect: "manual",
        headers: {
          authorization: `Bearer ${this.settings.apiToken}`,
          "content-type": "application/json",
          "idempotency-key": item.id,
        },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      const reason =
        error instanceof Error && error.name === "TimeoutError" ? "no answer in time" : (cause ?? "unreachable");
      throw new DeliveryError(`SP4N-LAPOR! could not be reached: ${reason}`);
    }
    await response.body?.cancel().catch(() => {});
    const code = response.status;
    if (code >= 200 && code < 300) return { responseCode: code };
    const wait = code === 429 || code === 503 ? retryAfterMs(response.headers.get("retry-after"), this.now()) : null;
    throw new DeliveryError(`SP4N-LAPOR! answered HTTP ${code}`, {
      responseCode: code,
      permanent: PERMANENT.has(code),
      ...(wait !== null ? { retryAfterMs: wait } : {}),
    });
  }

  async close(): Promise<void> {}
}
