import type { Database } from "../../db/database.js";
import { type Accepted, type ChannelDriver, DeliveryError, type OutboundItem } from "../outbound/driver.js";
import type { WhatsAppPayload } from "../outbound/outbound-store.js";
import type { UnitTree } from "../units/unit-tree.js";
import { graphFailure } from "./graph-errors.js";
import type { WhatsAppSettings } from "./whatsapp-config.js";
import { replyForm } from "./window.js";

/** WhatsApp's limit for a text message's body. */
export const MAX_TEXT_LENGTH = 4096;
/** One Graph call; well inside the worker's lease, so a stalled call costs one attempt. */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Replies through the WhatsApp Business Cloud API: POST {graph}/{phone-number-id}/messages. The number is
 * the one the citizen last wrote to on the ticket, else the one configured for the ticket's unit or its
 * nearest ancestor. Inside the 24-hour customer-service window the reply goes as text; outside it, as the
 * configured approved template (its body parameter is the ticket number), since Graph refuses free text
 * there. Graph has no idempotency key for sends: each attempt carries the outbound row's id as
 * `biz_opaque_callback_data`, which every receipt echoes, so a receipt finds its row even when the answer
 * with the wamid was lost, and a row is never sent again once Graph has accepted it.
 */
export class WhatsAppDriver implements ChannelDriver {
  readonly channel = "WHATSAPP" as const;
  private readonly unitNumbers = new Map<string, string>();

  constructor(
    private readonly settings: WhatsAppSettings,
    private readonly units: () => UnitTree,
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const [phoneNumberId, unitCode] of settings.phoneNumbers) {
      if (!this.unitNumbers.has(unitCode)) this.unitNumbers.set(unitCode, phoneNumberId);
    }
  }

  /** Any unit's WhatsApp tickets can be answered: through the number the citizen wrote to. */
  configuredFor(): boolean {
    return true;
  }

  /** The business number configured for a unit, its nearest ancestor's, else the first configured. */
  numberForUnit(unitId: number): string | null {
    const path = this.units().ancestry(unitId);
    for (let i = path.length - 1; i >= 0; i--) {
      const found = path[i] && this.unitNumbers.get(path[i]?.code ?? "");
      if (found) return found;
    }
    return this.settings.phoneNumbers.keys().next().value ?? null;
  }

  private async conversation(item: OutboundItem): Promise<{ account: string | null; lastInboundAt: Date | null }> {
    const [latest] = item.ticketId
      ? await this.db.sql.prepared<{ account: string | null }>(
          "whatsapp_ticket_account",
          `SELECT account FROM inbound_message WHERE channel = 'WHATSAPP' AND ticket_id = $1::uuid AND account IS NOT NULL
           ORDER BY received_at DESC LIMIT 1`,
          [item.ticketId],
        )
      : [];
    const account = latest?.account ?? this.numberForUnit(item.unitId);
    if (!account) return { account: null, lastInboundAt: null };
    const [window] = await this.db.sql.prepared<{ at: Date | null }>(
      "whatsapp_last_inbound",
      `SELECT max(coalesce(sent_at, received_at)) AS at FROM inbound_message
       WHERE channel = 'WHATSAPP' AND sender = $1 AND account = $2`,
      [item.recipient, account],
    );
    return { account, lastInboundAt: window?.at ? new Date(window.at) : null };
  }

  async deliver(item: OutboundItem): Promise<Accepted> {
    const payload = item.payload as WhatsAppPayload;
    const { account, lastInboundAt } = await this.conversation(item);
    if (!account) throw new DeliveryError("no WhatsApp business number is configured", { permanent: true });
    const now = this.now();
    const common = {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: item.recipient,
      biz_opaque_callback_data: item.id,
    };
    let body: Record<string, unknown>;
    if (replyForm(lastInboundAt, now) === "text") {
      if (payload.text.length > MAX_TEXT_LENGTH) {
        throw new DeliveryError(`the reply is longer than WhatsApp's ${MAX_TEXT_LENGTH} characters`, {
          permanent: true,
        });
      }
      body = { ...common, type: "text", text: { preview_url: false, body: payload.text } };
    } else {
      const { template } = this.settings;
      if (!template) {
        throw new DeliveryError(
          "outside WhatsApp's 24-hour customer-service window and no template is configured (PANTAU_WHATSAPP_TEMPLATE)",
          { permanent: true },
        );
      }
      body = {
        ...common,
        type: "template",
        template: {
          name: template.name,
          language: { code: template.language },
          components: [{ type: "body", parameters: [{ type: "text", text: payload.ticketNumber }] }],
        },
      };
    }
    let response: Response;
    try {
      response = await fetch(`${this.settings.graphUrl}/${encodeURIComponent(account)}/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${this.settings.accessToken}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new DeliveryError(`Graph API unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    const answer: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const failure = graphFailure(response.status, answer, response.headers.get("retry-after"), now);
      throw new DeliveryError(failure.message, {
        permanent: failure.permanent,
        ...(failure.retryAfterMs !== null ? { retryAfterMs: failure.retryAfterMs } : {}),
      });
    }
    const id = (answer as { messages?: { id?: unknown }[] } | null)?.messages?.[0]?.id;
    if (typeof id !== "string" || !id) throw new DeliveryError("Graph API accepted the message without an id");
    return { externalId: id };
  }

  async close(): Promise<void> {}
}
