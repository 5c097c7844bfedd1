import { OutboundStatus } from "../../generated/prisma/enums.js";
import { builder } from "../../graphql/builder.js";
import { ChannelEnum } from "../tickets/ticket.schema.js";

export const OutboundStatusEnum = builder.enumType(OutboundStatus, {
  name: "DeliveryStatus",
  description: "Where a message to the citizen is on its way.",
  values: {
    PENDING: { description: "Written with the reply; not tried yet." },
    SENDING: { description: "An attempt is under way." },
    SENT: {
      description:
        "WhatsApp: the Graph API accepted it and it is on its way to the citizen's phone; a receipt moves it on.",
    },
    DELIVERED: {
      description:
        "The receiving side accepted it (for e-mail: the SMTP server took it; for WhatsApp: the citizen's phone received it).",
    },
    READ: { description: "WhatsApp: the citizen read it (a read receipt)." },
    FAILED: { description: "The last attempt failed; it is tried again (see nextAttemptAt)." },
    DEAD: {
      description:
        "Given up: after the configured number of attempts, at once on a permanent refusal (e.g. a 4xx from WhatsApp's " +
        "Graph API), or on a WhatsApp failure receipt; lastError says why.",
    },
  },
});

builder.prismaObject("OutboundMessage", {
  name: "MessageDelivery",
  description:
    "How a public reply travels to the citizen on the ticket's channel. Written in the same transaction as the " +
    "reply, retried with back-off and dead-lettered after the configured number of attempts.",
  fields: (t) => ({
    channel: t.field({
      type: ChannelEnum,
      description: "The channel it is sent on (EMAIL or WHATSAPP).",
      // A reply's row is always on a citizen's channel; webhook calls and status syncs are no MessageDelivery.
      resolve: (row) => (row.channel === "WHATSAPP" ? "WHATSAPP" : "EMAIL"),
    }),
    status: t.expose("status", { type: OutboundStatusEnum, description: "Where it is on its way." }),
    attempts: t.exposeInt("attempts", { description: "Attempts made so far, the one under way included." }),
    lastError: t.exposeString("lastError", {
      nullable: true,
      description:
        "The receiving side's answer to the last failed attempt (an SMTP reply, a Graph API error), without addresses; " +
        "null once delivered.",
    }),
    nextAttemptAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When it is tried again; null once delivered or dead-lettered.",
      resolve: (row) => (row.status === "FAILED" || row.status === "PENDING" ? row.nextAttemptAt : null),
    }),
    deliveredAt: t.expose("deliveredAt", {
      type: "DateTime",
      nullable: true,
      description:
        "When the receiving side accepted it (WhatsApp: when the citizen's phone received it); null until then.",
    }),
    readAt: t.expose("readAt", {
      type: "DateTime",
      nullable: true,
      description: "WhatsApp: when the citizen read it; null until a read receipt arrives, and for e-mail.",
    }),
  }),
});
