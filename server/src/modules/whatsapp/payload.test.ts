import { describe, expect, it } from "vitest";
import { mapMessage, parseWebhook, subjectOf } from "./payload.js";

/** Meta's documented shape of a messages webhook. */
const webhook = (value: Record<string, unknown>) => ({
  object: "whatsapp_business_account",
  entry: [{ id: "WABA", changes: [{ field: "messages", value: { messaging_product: "whatsapp", ...value } }] }],
});
const metadata = { display_phone_number: "6281100000000", phone_number_id: "106540352242922" };

describe("parseWebhook", () => {
  it("reads messages with their contact and receipts with their callback data", () => {
    const parsed = parseWebhook(
      webhook({
        metadata,
        contacts: [{ profile: { name: "Siti" }, wa_id: "6281234567890" }],
        messages: [
          { from: "6281234567890", id: "wamid.A", timestamp: "1765101600", type: "text", text: { body: "Halo" } },
        ],
        statuses: [
          {
            id: "wamid.OUT",
            status: "failed",
            timestamp: "1765101601",
            recipient_id: "6281234567890",
            biz_opaque_callback_data: "0b0d4c1e-7c43-4c5b-9b8e-0c0f7f3a9d11",
            errors: [{ code: 131047, title: "Re-engagement message", error_data: { details: "more than 24 hours" } }],
          },
        ],
      }),
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.messages).toEqual([
      {
        id: "wamid.A",
        phoneNumberId: "106540352242922",
        from: "6281234567890",
        profileName: "Siti",
        sentAt: new Date(1765101600 * 1000),
        message: expect.objectContaining({ type: "text" }),
      },
    ]);
    expect(parsed.statuses).toEqual([
      {
        id: "wamid.OUT",
        status: "failed",
        at: new Date(1765101601 * 1000),
        callbackData: "0b0d4c1e-7c43-4c5b-9b8e-0c0f7f3a9d11",
        error: "131047 Re-engagement message: more than 24 hours",
      },
    ]);
  });

  it.each([
    ["not an object", "halo", "no entry[] array"],
    ["no entry", { object: "whatsapp_business_account" }, "no entry[] array"],
    ["another product's webhook", { object: "page", entry: [] }, 'object is "page"'],
    ["a change without a value", { entry: [{ changes: [{ field: "messages" }] }] }, "no value object"],
    [
      "a message without an id",
      webhook({ metadata, messages: [{ from: "62", type: "text" }] }),
      "messages[0]: needs id",
    ],
    ["a message without metadata", webhook({ messages: [{ id: "w", from: "62", type: "text" }] }), "phone_number_id"],
    ["an unknown status", webhook({ metadata, statuses: [{ id: "w", status: "deleted" }] }), "statuses[0]"],
  ])("%s → a problem", (_case, body, problem) => {
    const parsed = parseWebhook(body);
    expect(parsed.messages).toEqual([]);
    expect(parsed.problems.join("; ")).toContain(problem);
  });

  it("skips fields that carry nothing to handle", () => {
    const parsed = parseWebhook({
      object: "whatsapp_business_account",
      entry: [{ changes: [{ field: "message_template_status_update", value: { event: "APPROVED" } }] }],
    });
    expect(parsed).toEqual({ messages: [], statuses: [], problems: [] });
  });
});

describe("mapMessage", () => {
  it.each([
    ["text", { type: "text", text: { body: "  Paspor saya rusak  " } }, "Paspor saya rusak"],
    [
      "an image with a caption",
      { type: "image", image: { id: "m1", mime_type: "image/jpeg", sha256: "abc", caption: "Foto paspor" } },
      "Foto paspor\n[Gambar / image, image/jpeg, WhatsApp media m1]",
    ],
    [
      "a document",
      { type: "document", document: { id: "m2", mime_type: "application/pdf", filename: "surat.pdf" } },
      "[Dokumen / document, surat.pdf, application/pdf, WhatsApp media m2]",
    ],
    [
      "a voice note",
      { type: "audio", audio: { id: "m3", mime_type: "audio/ogg" } },
      "[Pesan suara / audio, audio/ogg, WhatsApp media m3]",
    ],
    [
      "a button reply",
      { type: "interactive", interactive: { type: "button_reply", button_reply: { id: "b1", title: "Ya" } } },
      "Ya",
    ],
    [
      "a list reply",
      {
        type: "interactive",
        interactive: { type: "list_reply", list_reply: { id: "l1", title: "Paspor", description: "Antrean M-Paspor" } },
      },
      "Paspor — Antrean M-Paspor",
    ],
    ["a template quick reply", { type: "button", button: { payload: "P", text: "Hubungi saya" } }, "Hubungi saya"],
    [
      "a location",
      { type: "location", location: { latitude: -7.98, longitude: 112.63, name: "Kanim Malang" } },
      "[Lokasi / location] Kanim Malang (-7.98, 112.63)",
    ],
  ])("%s", (_case, message, body) => {
    expect(mapMessage(message)).toMatchObject({ handled: true, body });
  });

  it("keeps a media message's id and metadata", () => {
    expect(mapMessage({ type: "image", image: { id: "m1", mime_type: "image/png", sha256: "h" } })).toMatchObject({
      media: { kind: "image", mediaId: "m1", mimeType: "image/png", sha256: "h", filename: null },
    });
  });

  it.each([
    ["a reaction", { type: "reaction", reaction: { message_id: "w", emoji: "👍" } }, "reaction messages"],
    ["an unsupported message", { type: "unsupported", errors: [] }, "unsupported messages"],
    ["an empty text", { type: "text", text: { body: "  " } }, "empty text"],
    ["an image without an id", { type: "image", image: {} }, "without a media id"],
    ["no type", { text: { body: "x" } }, "no type"],
  ])("%s is recorded, not handled", (_case, message, reason) => {
    const mapped = mapMessage(message);
    expect(mapped.handled).toBe(false);
    if (!mapped.handled) expect(mapped.reason).toContain(reason);
  });
});

describe("subjectOf", () => {
  it.each([
    ["Paspor saya rusak\nMohon bantuan", "WhatsApp: Paspor saya rusak"],
    ["Foto paspor\n[Gambar / image, WhatsApp media m1]", "WhatsApp: Foto paspor"],
    ["[Gambar / image, WhatsApp media m1]", "Pesan WhatsApp"],
    ["ok", "Pesan WhatsApp"],
    ["a".repeat(200), `WhatsApp: ${"a".repeat(119)}…`],
  ])("%j → %j", (body, subject) => {
    expect(subjectOf(body)).toBe(subject);
  });
});
