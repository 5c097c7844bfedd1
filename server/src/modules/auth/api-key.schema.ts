import { decodeGlobalID } from "@pothos/plugin-relay";
import { NotFoundError, UnknownUnitError, ValidationError } from "../../errors.js";
import type { ApiKey } from "../../generated/prisma/client.js";
import { builder } from "../../graphql/builder.js";
import { createApiKey, revokeApiKey } from "./api-key-service.js";
import { RateTierEnum } from "./auth.schema.js";
import { ApiKeyScope, type AuthenticatedViewer, nodeUnitIds, uuidOrNone, type Viewer } from "./viewer.js";

export const ApiKeyScopeEnum = builder.enumType("ApiKeyScope", {
  description: "What a third-party API key may do. A key may do nothing it was not given.",
  values: {
    TICKETS_READ: { value: ApiKeyScope.TICKETS_READ, description: "Read tickets and their history (tickets:read)." },
    TICKETS_WRITE: {
      value: ApiKeyScope.TICKETS_WRITE,
      description: "Record tickets for an integrated channel and act on them (tickets:write).",
    },
    METRICS_READ: {
      value: ApiKeyScope.METRICS_READ,
      description: "Read KPIs and the national overview (metrics:read).",
    },
    PERSONAL_DATA_READ: {
      value: ApiKeyScope.PERSONAL_DATA_READ,
      description: "See reporters' names and contacts unmasked; every such read is logged (personal-data:read).",
    },
    RATINGS_WRITE: {
      value: ApiKeyScope.RATINGS_WRITE,
      description:
        "Record citizens' satisfaction ratings from an integrated survey channel, one per ticket (ratings:write).",
    },
    WEBHOOKS_MANAGE: {
      value: ApiKeyScope.WEBHOOKS_MANAGE,
      description:
        "Register HTTPS endpoints that receive signed calls for the ticket events of the key's unit scope, and read " +
        "their delivery log (webhooks:manage). The calls carry no personal data.",
    },
  } as const,
});

const KNOWN = new Set<string>(Object.values(ApiKeyScope));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isDirectorate = (viewer: Viewer) => viewer.kind === "user" && viewer.role === "DIRECTORATE";

export const ApiKeyRef = builder.prismaNode("ApiKey", {
  id: { field: "id" },
  description:
    "A third-party API key. The secret is shown once, at creation; only its SHA-256 is stored. The public " +
    "prefix is part of the key, so a leaked key can be recognised and revoked.",
  authScopes: { directorate: true },
  nullable: true,
  findUnique: (id, ctx) => ({ id: uuidOrNone(id), unitId: { in: nodeUnitIds(ctx.viewer, isDirectorate) } }),
  fields: (t) => ({
    name: t.exposeString("name", { description: "Who the key is for, e.g. 'Ombudsman RI — riset'." }),
    prefix: t.exposeString("prefix", {
      description: "The key's public part (ptk_ and 12 hex digits), as it appears at the start of the key.",
    }),
    scopes: t.field({
      type: [ApiKeyScopeEnum],
      description: "What the key may do.",
      resolve: (key) => key.scopes.filter((scope): scope is ApiKeyScope => KNOWN.has(scope)),
    }),
    unit: t.relation("unit", { description: "Root of the key's scope: this unit and everything below it." }),
    rateTier: t.expose("rateTier", { type: RateTierEnum, description: "The query-cost budget the key draws from." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was created." }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", nullable: true, description: "When it stops working." }),
    revokedAt: t.expose("revokedAt", {
      type: "DateTime",
      nullable: true,
      description: "When it was revoked; null while not revoked.",
    }),
    lastUsedAt: t.expose("lastUsedAt", {
      type: "DateTime",
      nullable: true,
      description: "When it was last used, to the minute; null if never.",
    }),
    active: t.boolean({
      description: "Whether the key works now: not revoked and not expired.",
      resolve: (key) => !key.revokedAt && (!key.expiresAt || key.expiresAt > new Date()),
    }),
  }),
});

const CreateApiKeyInput = builder.inputType("CreateApiKeyInput", {
  description: "A new API key for a third party.",
  fields: (t) => ({
    name: t.string({ required: true, description: "Who the key is for (1–120 characters)." }),
    scopes: t.field({ type: [ApiKeyScopeEnum], required: true, description: "What the key may do; may be empty." }),
    unitCode: t.string({
      required: true,
      description: "Root of the key's scope, e.g. IMI for the whole country or KANWIL-JI for one region.",
    }),
    expiresAt: t.field({
      type: "DateTime",
      required: true,
      description: "When the key stops working: in the future, at most 366 days ahead.",
    }),
    rateTier: t.field({
      type: RateTierEnum,
      description: "The query-cost budget the key draws from (see docs/api-limits.md); default STANDARD.",
    }),
  }),
});

const CreateApiKeySuccess = builder.objectRef<{ key: string; apiKey: ApiKey }>("CreateApiKeySuccess").implement({
  description: "The new key. The secret is in `key` now and never again.",
  fields: (t) => ({
    key: t.exposeString("key", {
      description: "The secret to hand to the third party, sent as 'Authorization: Bearer <key>'. Shown only here.",
    }),
    apiKey: t.field({ type: ApiKeyRef, description: "The key's record.", resolve: (created) => created.apiKey }),
  }),
});

const RevokeApiKeySuccess = builder.objectRef<{ apiKey: ApiKey }>("RevokeApiKeySuccess").implement({
  description: "The key, now revoked.",
  fields: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, description: "The revoked key.", resolve: (revoked) => revoked.apiKey }),
  }),
});

const viewerOf = (viewer: unknown) => viewer as AuthenticatedViewer;

builder.queryField("apiKeys", (t) =>
  t.prismaField({
    type: ["ApiKey"],
    authScopes: { directorate: true },
    description: "The third-party API keys in your scope, newest first (directorate only).",
    args: {
      includeInactive: t.arg.boolean({
        defaultValue: false,
        description: "Also list revoked and expired keys.",
      }),
    },
    resolve: (query, _root, { includeInactive }, ctx) =>
      ctx.db.prisma.apiKey.findMany({
        ...query,
        where: {
          unitId: { in: nodeUnitIds(ctx.viewer) },
          ...(includeInactive ? {} : { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] }),
        },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      }),
  }),
);

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeySuccess,
    description: "Creates an API key for a third party (directorate only). The secret is returned once.",
    authScopes: { directorate: true },
    errors: { types: [ValidationError, UnknownUnitError], directResult: true },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true, description: "The key to create." }) },
    resolve: (_root, { input }, ctx) => createApiKey(ctx.db, ctx.units, viewerOf(ctx.viewer), input),
  }),
  revokeApiKey: t.field({
    type: RevokeApiKeySuccess,
    description:
      "Revokes an API key at once, on every instance, including its live subscriptions (directorate only). " +
      "Revoking a revoked key changes nothing.",
    authScopes: { directorate: true },
    errors: { types: [NotFoundError], directResult: true },
    args: { id: t.arg.id({ required: true, description: "Global id of the key." }) },
    resolve: async (_root, { id }, ctx) => {
      const apiKey = await revokeApiKey(ctx.db, viewerOf(ctx.viewer), apiKeyLocalId(String(id)));
      ctx.realtime.announceAccessChange();
      return { apiKey };
    },
  }),
}));

function apiKeyLocalId(globalId: string): string {
  try {
    const decoded = decodeGlobalID(globalId);
    if (decoded.typename === "ApiKey" && UUID.test(decoded.id)) return decoded.id;
  } catch {
    // falls through
  }
  throw new NotFoundError("No such API key in your scope.");
}
