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

/**
 * Sends on one channel. `deliver` resolves once the receiving side has accepted the message and throws
 * otherwise; the worker retries and dead-letters. A driver must make a retry recognisable to the
 * receiver (the e-mail Message-ID, WhatsApp's and webhooks' idempotency keys), because an attempt whose
 * answer was lost is retried.
 */
export interface ChannelDriver {
  readonly channel: OutboundChannel;
  /** Whether this unit's messages can be sent (its configuration or an ancestor's or the global one). */
  configuredFor(unitId: number): boolean;
  deliver(item: OutboundItem): Promise<void>;
  close(): Promise<void>;
}
