import { decodeGlobalID } from "@pothos/plugin-relay";
import { NotFoundError, ValidationError } from "../../errors.js";
import type { WebhookSubscription } from "../../generated/prisma/client.js";
import { TicketEventType } from "../../generated/prisma/enums.js";
import { builder } from "../../graphql/builder.js";
import { type ApiKeyViewer, NO_UUID, uuidOrNone } from "../auth/viewer.js";
import { OutboundStatusEnum } from "../outbound/outbound.schema.js";
import { TicketEventTypeEnum } from "../tickets/ticket.schema.js";
import type { WebhookPayload } from "./webhook-body.js";
import { createWebhookSubscription, removeWebhookSubscription } from "./webhook-service.js";

const KNOWN_TYPES = new Set<string>(Object.values(TicketEventType));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const keyOf = (viewer: unknown) => viewer as ApiKeyViewer;
const ownKeyId = (viewer: { kind: string; keyId?: string }) =>
  viewer.kind === "apiKey" && viewer.keyId ? viewer.keyId : NO_UUID;
const payloadOf = (payload: unknown) => payload as Partial<WebhookPayload> | null;

const WebhookDeliveryRef = builder.prismaObject("OutboundMessage", {
  variant: "WebhookDelivery",
  description:
    "One call to a subscription's endpoint for one event, with its attempts: written when the event was fanned " +
    "out, retried with back-off and dead-lettered after the configured number of attempts.",
  fields: (t) => ({
    id: t.exposeString("id", {
      description:
        "The delivery's id, sent as the Pantau-Delivery header and as deliveryId in the body, the same on every attempt.",
    }),
    eventType: t.field({
      type: TicketEventTypeEnum,
      nullable: true,
      description: "The event it carries.",
      resolve: (row) => {
        const type = payloadOf(row.payload)?.eventType;
        return type && KNOWN_TYPES.has(type) ? (type as TicketEventType) : null;
      },
    }),
    eventSequence: t.string({
      nullable: true,
      description: "The event's position in the event stream (TicketEvent.sequence).",
      resolve: (row) => payloadOf(row.payload)?.sequence ?? null,
    }),
    status: t.expose("status", {
      type: OutboundStatusEnum,
      description: "Where the call is: delivered, retrying, given up.",
    }),
    attempts: t.exposeInt("attempts", { description: "Attempts made so far, the one under way included." }),
    responseCode: t.exposeInt("responseCode", {
      nullable: true,
      description:
        "The endpoint's HTTP status at the last attempt; null when it gave no answer (unreachable, timed out).",
    }),
    lastError: t.exposeString("lastError", {
      nullable: true,
      description: "Why the last attempt failed (an HTTP status, unreachable, timed out); null once delivered.",
    }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When the event was queued for the endpoint." }),
    lastAttemptAt: t.expose("lastAttemptAt", {
      type: "DateTime",
      nullable: true,
      description: "When it was last tried; null before the first attempt.",
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
      description: "When the endpoint answered 2xx; null until then.",
    }),
  }),
});

export const WebhookSubscriptionRef = builder.prismaNode("WebhookSubscription", {
  id: { field: "id" },
  description:
    "An HTTPS endpoint an API key registered for ticket events of its unit scope. Every call is a POST of JSON " +
    "signed with HMAC-SHA256 over the timestamp and the raw body (the Pantau-Signature header; see the README).",
  authScopes: { manageWebhooks: true },
  nullable: true,
  findUnique: (id, ctx) => ({ id: uuidOrNone(id), apiKeyId: ownKeyId(ctx.viewer) }),
  fields: (t) => ({
    url: t.exposeString("url", { description: "Where the calls go." }),
    eventTypes: t.field({
      type: [TicketEventTypeEnum],
      description: "The event types it receives.",
      resolve: (subscription) =>
        subscription.eventTypes.filter((type): type is TicketEventType => KNOWN_TYPES.has(type)),
    }),
    description: t.exposeString("description", { nullable: true, description: "What the key's owner called it." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was registered." }),
    removedAt: t.expose("removedAt", {
      type: "DateTime",
      nullable: true,
      description: "When it was removed; null while active.",
    }),
    active: t.boolean({
      description: "Whether events are still sent to it.",
      resolve: (subscription) => subscription.removedAt === null,
    }),
    deliveries: t.relatedConnection("deliveries", {
      type: WebhookDeliveryRef,
      cursor: "id",
      description: "The calls made or to be made, newest first: the delivery log.",
      args: {
        status: t.arg({ type: [OutboundStatusEnum], required: false, description: "Only calls in these states." }),
      },
      query: ({ status }) => ({
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        ...(status?.length ? { where: { status: { in: status } } } : {}),
      }),
      maxSize: 100,
    }),
  }),
});

const CreateWebhookSubscriptionInput = builder.inputType("CreateWebhookSubscriptionInput", {
  description: "An endpoint to call for ticket events of the key's scope.",
  fields: (t) => ({
    url: t.string({
      required: true,
      description:
        "An https:// URL of a public host, at most 2000 characters, without credentials (loopback http only where the " +
        "server allows it for testing).",
    }),
    eventTypes: t.field({
      type: [TicketEventTypeEnum],
      required: true,
      description: "The event types to receive; at least one.",
    }),
    description: t.string({ required: false, description: "A note for the key's owner, at most 200 characters." }),
  }),
});

const CreateWebhookSubscriptionSuccess = builder
  .objectRef<{ subscription: WebhookSubscription; secret: string }>("CreateWebhookSubscriptionSuccess")
  .implement({
    description: "The registered endpoint, and the secret its calls are signed with, shown now and never again.",
    fields: (t) => ({
      subscription: t.field({
        type: WebhookSubscriptionRef,
        description: "The subscription.",
        resolve: (created) => created.subscription,
      }),
      secret: t.exposeString("secret", {
        description: "The HMAC-SHA256 key of the Pantau-Signature header (whsec_…). Shown only here.",
      }),
    }),
  });

const RemoveWebhookSubscriptionSuccess = builder
  .objectRef<{ subscription: WebhookSubscription }>("RemoveWebhookSubscriptionSuccess")
  .implement({
    description: "The subscription, now removed; its delivery log stays readable.",
    fields: (t) => ({
      subscription: t.field({
        type: WebhookSubscriptionRef,
        description: "The removed subscription.",
        resolve: (removed) => removed.subscription,
      }),
    }),
  });

builder.queryField("webhookSubscriptions", (t) =>
  t.prismaField({
    type: ["WebhookSubscription"],
    authScopes: { manageWebhooks: true },
    description: "The calling API key's webhook subscriptions, newest first (keys with webhooks:manage).",
    args: {
      includeRemoved: t.arg.boolean({ defaultValue: false, description: "Also list removed subscriptions." }),
    },
    resolve: (query, _root, { includeRemoved }, ctx) =>
      ctx.db.prisma.webhookSubscription.findMany({
        ...query,
        where: { apiKeyId: ownKeyId(ctx.viewer), ...(includeRemoved ? {} : { removedAt: null }) },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        take: 100,
      }),
  }),
);

builder.mutationFields((t) => ({
  createWebhookSubscription: t.field({
    type: CreateWebhookSubscriptionSuccess,
    description:
      "Registers an endpoint that receives the chosen ticket events of the key's unit scope (keys with " +
      "webhooks:manage). The signing secret is returned once.",
    authScopes: { manageWebhooks: true },
    errors: { types: [ValidationError], directResult: true },
    args: {
      input: t.arg({ type: CreateWebhookSubscriptionInput, required: true, description: "The endpoint." }),
    },
    resolve: (_root, { input }, ctx) =>
      createWebhookSubscription(ctx.db, keyOf(ctx.viewer), input, {
        allowLoopbackHttp: ctx.webhooks.allowLoopbackHttp,
      }),
  }),
  removeWebhookSubscription: t.field({
    type: RemoveWebhookSubscriptionSuccess,
    description:
      "Stops the calls to one of the key's endpoints, including those queued and not yet made. Removing a removed " +
      "subscription changes nothing.",
    authScopes: { manageWebhooks: true },
    errors: { types: [NotFoundError], directResult: true },
    args: { id: t.arg.id({ required: true, description: "Global id of the subscription." }) },
    resolve: async (_root, { id }, ctx) => ({
      subscription: await removeWebhookSubscription(ctx.db, keyOf(ctx.viewer), subscriptionLocalId(String(id))),
    }),
  }),
}));

function subscriptionLocalId(globalId: string): string {
  try {
    const decoded = decodeGlobalID(globalId);
    if (decoded.typename === "WebhookSubscription" && UUID.test(decoded.id)) return decoded.id;
  } catch {
    // falls through
  }
  throw new NotFoundError("No such webhook subscription of this key.");
}
