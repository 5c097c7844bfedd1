import { describe, expect, it } from "vitest";
import type { Channel } from "../../generated/prisma/enums.js";
import { type OutboundChannel, replyRoute, whatsAppId } from "./routing.js";

const EMAIL_ON = new Set<OutboundChannel>(["EMAIL"]);
const BOTH_ON = new Set<OutboundChannel>(["EMAIL", "WHATSAPP"]);
const NOTHING = new Set<OutboundChannel>();
const contact = (channel: Channel, reporterEmail: string | null, reporterPhone: string | null = null) => ({
  channel,
  reporterEmail,
  reporterPhone,
});

describe("replyRoute", () => {
  it.each([
    ["EMAIL", "budi@example.id", EMAIL_ON, { channel: "EMAIL", recipient: "budi@example.id" }],
    ["EMAIL", "  budi@example.id ", EMAIL_ON, { channel: "EMAIL", recipient: "budi@example.id" }],
    ["WEB_FORM", "sari@example.com", EMAIL_ON, { channel: "EMAIL", recipient: "sari@example.com" }],
    // SMTP not configured for the unit: recorded, not sent
    ["EMAIL", "budi@example.id", NOTHING, null],
    // no reachable contact
    ["EMAIL", null, EMAIL_ON, null],
    ["EMAIL", "", EMAIL_ON, null],
    ["EMAIL", "not-an-address", EMAIL_ON, null],
    ["EMAIL", "Budi <budi@example.id>", EMAIL_ON, null],
    ["EMAIL", "a@example.id, b@example.id", EMAIL_ON, null],
    ["EMAIL", "budi@example.id\r\nBcc: x@example.id", EMAIL_ON, null],
    // WhatsApp answers on WhatsApp, at the reporter's number, when its driver is configured
    ["WHATSAPP", "budi@example.id", BOTH_ON, { channel: "WHATSAPP", recipient: "6281234567890" }],
    ["WHATSAPP", "budi@example.id", EMAIL_ON, null],
    // channels without a driver yet, even with an e-mail address on file
    ["PHONE", "budi@example.id", EMAIL_ON, null],
    ["WALK_IN", "budi@example.id", EMAIL_ON, null],
    ["LETTER", "budi@example.id", EMAIL_ON, null],
    ["SP4N_LAPOR", "budi@example.id", EMAIL_ON, null],
    ["INSTAGRAM", "budi@example.id", EMAIL_ON, null],
  ] as const)("%s ticket, reporter %j, configured %o → %j", (channel, email, configured, expected) => {
    expect(replyRoute(contact(channel, email, "+62 812 3456 7890"), configured)).toEqual(expected);
  });
});

describe("whatsAppId", () => {
  it.each([
    ["+62 812 3456 7890", "6281234567890"],
    ["6281234567890", "6281234567890"],
    ["+1 (650) 555-1111", "16505551111"],
    ["  +62-812-3456-7890 ", "6281234567890"],
    [null, null],
    ["", null],
    ["1234567", null],
    ["+1234567890123456", null],
    ["+62 812 3456 7890 ext 2", null],
    ["budi@example.id", null],
  ])("%j → %j", (phone, expected) => {
    expect(whatsAppId(phone)).toBe(expected);
  });
});
