import { InvalidTransitionError } from "../../errors.js";
import type { ApiKeyViewer } from "../auth/viewer.js";
import { type InboundItem, markProcessed } from "../inbound/inbound-store.js";
import { intakeViewer } from "../inbound/intake-viewer.js";
import { type InboundHandler, type InboundOutcome, UnusableInboundError } from "../inbound/processor.js";
import { OPEN_STATUSES } from "../tickets/status-machine.js";
import { LIMITS } from "../tickets/ticket-input.js";
import { createTicket, receiveCitizenMessage, type TicketDeps } from "../tickets/ticket-service.js";
import { mapMessage, subjectOf, type WebhookMessage } from "./payload.js";
import type { WhatsAppSettings } from "./whatsapp-config.js";

/** What the webhook stores for one citizen message: the message and what its webhook said around it. */
export type StoredWhatsAppMessage = Omit<WebhookMessage, "sentAt"> & { sentAt: string | null };

/** The principal WhatsApp messages enter as (see intakeViewer). */
export function whatsAppViewer(deps: TicketDeps): ApiKeyViewer {
  return intakeViewer(deps, "whatsapp", "WhatsApp");
}

/**
 * Turns a stored WhatsApp message into a ticket (channel WHATSAPP, in the unit its business number is
 * configured for, reported by the citizen's profile name and number) or into a message on the open ticket
 * of the same citizen and number, through the ticket services like any API call, so it shows on the queue
 * board and in the event stream the same way.
 */
export function whatsAppIntake(settings: WhatsAppSettings, deps: TicketDeps): InboundHandler {
  let viewer: ApiKeyViewer | null = null;
  const principal = () => {
    viewer ??= whatsAppViewer(deps);
    return viewer;
  };
  const now = () => deps.now?.() ?? new Date();

  async function openTicketOf(sender: string, account: string): Promise<string | null> {
    const [row] = await deps.db.sql.prepared<{ id: string }>(
      "whatsapp_open_ticket",
      `SELECT t.id FROM inbound_message im JOIN ticket t ON t.id = im.ticket_id
       WHERE im.channel = 'WHATSAPP' AND im.sender = $1 AND im.account = $2 AND t.status::text = ANY($3::text[])
       ORDER BY im.received_at DESC LIMIT 1`,
      [sender, account, OPEN_STATUSES],
    );
    return row?.id ?? null;
  }

  return {
    channel: "WHATSAPP",
    async handle(item: InboundItem, owner: string): Promise<InboundOutcome> {
      let stored: StoredWhatsAppMessage;
      try {
        stored = JSON.parse(item.payload) as StoredWhatsAppMessage;
      } catch {
        throw new UnusableInboundError("the stored message is not JSON");
      }
      if (!item.sender || !item.account || typeof stored?.message !== "object" || stored.message === null) {
        throw new UnusableInboundError("the stored message lacks its sender, number or message");
      }
      const mapped = mapMessage(stored.message);
      if (!mapped.handled) return { status: "IGNORED", reason: mapped.reason };
      const unitCode = settings.phoneNumbers.get(item.account);
      if (!unitCode) {
        return { status: "IGNORED", reason: `phone number id ${item.account} is not in PANTAU_WHATSAPP_PHONE_NUMBERS` };
      }
      const body = mapped.body.slice(0, LIMITS.message);
      const open = await openTicketOf(item.sender, item.account);
      if (open) {
        try {
          await receiveCitizenMessage(deps, principal(), {
            ticketId: open,
            body,
            recorded: async (tx, messageId) => {
              const mark = markProcessed(item, owner, { ticketId: open, messageId }, now());
              const changed = await tx.$executeRawUnsafe(mark.text, ...mark.params);
              if (changed !== 1) throw new Error("the inbound item was taken over by another processor");
            },
          });
          return { status: "PROCESSED" };
        } catch (error) {
          // Resolved or closed since the lookup: the citizen's message opens a new ticket.
          if (!(error instanceof InvalidTransitionError)) throw error;
        }
      }
      const name = stored.profileName?.trim().slice(0, LIMITS.reporterName) || null;
      const ticket = await createTicket(deps, principal(), {
        // Per item, so a repeated attempt (a crash after the commit) finds the ticket it made.
        idempotencyKey: `inbound:${item.id}`,
        unitCode,
        kind: "INFORMATION_REQUEST",
        channel: "WHATSAPP",
        subject: subjectOf(body),
        description: body,
        reporter: { name, phone: `+${item.sender}` },
      });
      const mark = markProcessed(item, owner, { ticketId: ticket.id, messageId: null }, now());
      await deps.db.sql.query(mark.text, mark.params);
      return { status: "PROCESSED" };
    },
  };
}
