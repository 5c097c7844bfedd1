import type { OutboundChannel } from "./routing.js";

/** One claimed outbound row, as a driver receives it. */
export interface OutboundItem {
  id: string;
  channel: OutboundChannel;
  unitId: number;
  /** The ticket it belongs to, if any. */
  ticketId: string | null;
  recipient: string;
  payload: unknown;
  /** This attempt's number, 1 for the first. */
  attempt: number;
}

/** What a provider said when it took a message it reports on later (WhatsApp: the wamid of its receipts). */
export interface Accepted {
  externalId: string;
}

/** What an HTTP peer answered when it took the message at once (webhooks, SP4N-LAPOR!): kept on the row. */
export interface Answered {
  responseCode: number;
}

/**
 * A failed attempt with what the receiving side said about retrying: `permanent` failures (a refused
 * recipient, a malformed request) are dead-lettered at once; `retryAfterMs` (a 429's Retry-After) is the
 * least the next attempt waits; `responseCode` is the peer's HTTP status, kept on the row.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly options: { permanent?: boolean; retryAfterMs?: number; responseCode?: number } = {},
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

/**
 * Sends on one channel. `deliver` resolves once the receiving side has accepted the message and throws
 * otherwise (a DeliveryError says whether to retry); it resolves with `Accepted` when the provider reports
 * the message's delivery later (the row is then SENT until a receipt arrives), else the row is DELIVERED; the worker retries and dead-letters. A driver must make a retry recognisable to the
 * receiver (the e-mail Message-ID, WhatsApp's and webhooks' idempotency keys), because an attempt whose
 * answer was lost is retried.
 */
export interface ChannelDriver {
  readonly channel: OutboundChannel;
  /** Whether this unit's messages can be sent (its configuration or an ancestor's or the global one). */
  configuredFor(unitId: number): boolean;
  deliver(item: OutboundItem): Promise<Accepted | Answered | undefined>;
  close(): Promise<void>;
}
