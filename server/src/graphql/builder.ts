import SchemaBuilder, { PothosValidationError } from "@pothos/core";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin, { decodeGlobalID } from "@pothos/plugin-relay";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import { GraphQLError } from "graphql";
import { DateTimeResolver, JSONResolver } from "graphql-scalars";
import type PrismaTypes from "../generated/pothos-prisma-types.js";
import { getDatamodel } from "../generated/pothos-prisma-types.js";
import {
  canManageWebhooks,
  canRateTickets,
  canReadAuditLog,
  canReadMetrics,
  canReadTeamFigures,
  canReadTickets,
  canWriteTickets,
} from "../modules/auth/viewer.js";
import { administersStaff } from "../modules/staff/staff-permissions.js";
import type { Context } from "./context.js";

const upperFirst = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export interface Types {
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: {
    /**
     * Granted to every caller, signed in or not: the anonymous entry points (the citizens' web form and
     * tracking) name it, so that what is open is declared through the same check as everything else.
     */
    public: boolean;
    authenticated: boolean;
    readTickets: boolean;
    readMetrics: boolean;
    writeTickets: boolean;
    /** A survey channel's key with ratings:write, or staff transcribing a paper form. */
    rateTickets: boolean;
    staff: boolean;
    /** National supervisors: policies and national holidays. */
    directorate: boolean;
    /** Those who run units or above. */
    supervisor: boolean;
    /** The directorate and regional heads: office hours and regional holidays within their scope. */
    regional: boolean;
    /** The directorate and regional heads: the audit log of their scope. */
    readAuditLog: boolean;
    /** A third party's key with webhooks:manage: its own endpoints and their delivery log. */
    manageWebhooks: boolean;
    /** People who supervise: the figures of each person of their scope (never an API key). */
    readTeamFigures: boolean;
    /** People whose role administers some staff (docs/permissions.md); the table decides whom. */
    administerStaff: boolean;
  };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}

/** Names of the types that implement Node, filled once the schema is built. */
export const nodeTypeNames = new Set<string>();

export const builder = new SchemaBuilder<Types>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin],
  // Every entry point passes through these scopes; the data layer then narrows rows to the viewer's units.
  scopeAuth: {
    authScopes: (ctx) => ({
      public: true,
      authenticated: ctx.viewer.kind !== "anonymous",
      readTickets: canReadTickets(ctx.viewer),
      readMetrics: canReadMetrics(ctx.viewer),
      writeTickets: canWriteTickets(ctx.viewer),
      rateTickets: canRateTickets(ctx.viewer),
      staff: ctx.viewer.kind === "user",
      directorate: ctx.viewer.kind === "user" && ctx.viewer.role === "DIRECTORATE",
      supervisor: ctx.viewer.kind === "user" && ctx.viewer.role !== "AGENT",
      // The directorate and the regional offices: what moves the figures of the offices below them.
      regional:
        ctx.viewer.kind === "user" && (ctx.viewer.role === "DIRECTORATE" || ctx.viewer.role === "REGIONAL_HEAD"),
      readAuditLog: canReadAuditLog(ctx.viewer),
      readTeamFigures: canReadTeamFigures(ctx.viewer),
      administerStaff: ctx.viewer.kind === "user" && administersStaff(ctx.viewer.role),
      manageWebhooks: canManageWebhooks(ctx.viewer),
    }),
    treatErrorsAsUnauthorized: true,
    // A stream is refused when it is opened, not on its first item: a caller without the scope must not
    // hold a subscription that merely stays silent.
    authorizeOnSubscribe: true,
    // A type's scopes are checked when an object of it is returned, not only when one of its fields is read,
    // so `node(id:) { __typename }` cannot tell a caller without the scope that the object exists.
    runScopesOnType: true,
    unauthorizedError: (_parent, context) =>
      new ForbiddenGraphQLError(
        context.viewer.kind === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN",
        context.viewer.kind === "anonymous" ? "Sign in or send an API key first." : "You are not allowed to do this.",
      ),
  },
  errors: {
    defaultTypes: [],
    defaultUnionOptions: { name: ({ fieldName }) => `${upperFirst(fieldName)}Result` },
    defaultResultOptions: { name: ({ fieldName }) => `${upperFirst(fieldName)}Success` },
  },
  prisma: {
    client: (ctx) => ctx.db.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    nodesQueryOptions: false,
    // A well-formed id naming a type that is no Node is malformed input, not a lookup that failed.
    decodeGlobalID: (globalID) => {
      const decoded = decodeGlobalID(globalID);
      if (!nodeTypeNames.has(decoded.typename)) {
        throw new PothosValidationError(`Invalid global ID: ${globalID} names no type of object.`);
      }
      return decoded;
    },
    nodeQueryOptions: {
      description: "Any object by its global id; null when it does not exist or is outside your scope.",
    },
  },
});

export class ForbiddenGraphQLError extends GraphQLError {
  constructor(code: "UNAUTHENTICATED" | "FORBIDDEN", message: string) {
    super(message, { extensions: { code } });
  }
}

builder.addScalarType("DateTime", DateTimeResolver, {});
builder.addScalarType("JSON", JSONResolver, {});
builder.queryType({});
builder.mutationType({});
