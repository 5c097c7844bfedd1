import { encodeGlobalID } from "@pothos/plugin-relay";
import type { ConsumedEvent } from "../outbound/stream-consumer.js";

/** What the outbound row of one webhook call carries; the body is sent byte for byte on every attempt. */
export interface WebhookPayload {
  subscriptionId: string;
  eventType: string;
  /** The stream position, as TicketEvent.sequence says it. */
  sequence: string;
  body: string;
}

/**
 * The JSON a subscriber receives for one event. It says what `TicketEvent` and the ticket's identity say
 * to a key with tickets:read in the API (global ids, the event's details), and no personal data: no
 * reporter, no message text, no staff member's name. `deliveryId` is the same on every attempt, so a
 * receiver recognises a retry of a call it already took.
 */
export function webhookBody(input: {
  deliveryId: string;
  subscriptionId: string;
  event: ConsumedEvent;
  unitCode: string | null;
  fromUnitCode: string | null;
}): string {
  const { event } = input;
  return JSON.stringify({
    deliveryId: input.deliveryId,
    subscriptionId: encodeGlobalID("WebhookSubscription", input.subscriptionId),
    event: {
      id: encodeGlobalID("TicketEvent", event.sequence.toString()),
      sequence: event.position.toString(),
      type: event.type,
      at: event.at.toISOString(),
      actorLabel: event.actorLabel,
      unitCode: input.unitCode,
      ...(input.fromUnitCode ? { fromUnitCode: input.fromUnitCode } : {}),
      data: event.data,
    },
    ticket: {
      id: encodeGlobalID("Ticket", event.ticket.id),
      number: event.ticket.number,
      kind: event.ticket.kind,
      channel: event.ticket.channel,
    },
  });
}
