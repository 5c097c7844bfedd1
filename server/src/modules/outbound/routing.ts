import type { Channel, OutboundChannel } from "../../generated/prisma/enums.js";

export type { OutboundChannel };
/** The channels a public reply can go out on. */
export type ReplyChannel = Extract<OutboundChannel, "EMAIL" | "WHATSAPP">;

export interface ReplyRoute {
  channel: ReplyChannel;
  recipient: string;
}

/** What a reply can be sent to: the reporter's contact as recorded on the ticket. */
export interface TicketContact {
  channel: Channel;
  reporterEmail: string | null;
  reporterPhone: string | null;
}

/**
 * Where a public reply of a ticket from each channel goes. E-mail tickets are answered by e-mail; so is
 * the web form, which has no way back of its own and asks for an e-mail address. A channel mapped to
 * null is answered by staff on that channel themselves (a call, the counter, a letter, the social
 * network, SP4N-LAPOR!'s own status sync) until Pantau has a driver for it: its replies are recorded but
 * not sent, and `Message.delivery` stays null. WhatsApp tickets are answered on WhatsApp, at the
 * reporter's number (their WhatsApp id).
 */
const REPLY_CHANNEL: Record<Channel, ReplyChannel | null> = {
  EMAIL: "EMAIL",
  WEB_FORM: "EMAIL",
  WHATSAPP: "WHATSAPP",
  LIVE_CHAT: null,
  PHONE: null,
  WALK_IN: null,
  LETTER: null,
  INSTAGRAM: null,
  X: null,
  FACEBOOK: null,
  TIKTOK: null,
  SP4N_LAPOR: null,
  PRESS: null,
};

/** A plain address only: no display name, no list, nothing a header could be smuggled through. */
const DELIVERABLE_EMAIL = /^[^\s@<>,;"()[\]\\]+@[^\s@<>,;"()[\]\\]+\.[^\s@<>,;"()[\]\\]+$/;

/**
 * The route of a public reply, or null when it is not sent: the ticket's channel has no outbound route,
 * the route's driver is not configured for the ticket's unit (`configured`), or the reporter left no
 * usable contact for it.
 */
export function replyRoute(ticket: TicketContact, configured: ReadonlySet<OutboundChannel>): ReplyRoute | null {
  const channel = REPLY_CHANNEL[ticket.channel];
  if (!channel || !configured.has(channel)) return null;
  if (channel === "WHATSAPP") {
    const waId = whatsAppId(ticket.reporterPhone);
    return waId ? { channel, recipient: waId } : null;
  }
  const email = ticket.reporterEmail?.trim();
  if (!email || email.length > 254 || !DELIVERABLE_EMAIL.test(email)) return null;
  return { channel, recipient: email };
}

/**
 * A phone number as WhatsApp names its user (wa_id): the international number in digits only, e.g.
 * +62 812-3456-7890 → 6281234567890. Null for anything that is not 8 to 15 digits with separators.
 */
export function whatsAppId(phone: string | null): string | null {
  const trimmed = phone?.trim();
  if (!trimmed || !/^\+?[0-9 ()-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, "");
  return digits.length >= 8 && digits.length <= 15 ? digits : null;
}
