import { decodeGlobalID } from "@pothos/plugin-relay";
import { ValidationError } from "../../errors.js";
import { AccessTransport } from "../../generated/prisma/enums.js";
import { builder } from "../../graphql/builder.js";

const AccessTransportEnum = builder.enumType(AccessTransport, {
  name: "AccessTransport",
  description: "How a read reached the server: HTTP (queries, mutations, server-sent events) or WebSocket.",
});

builder.prismaObject("PersonalDataAccess", {
  description:
    "One read of a reporter's unmasked personal data: who read which fields of which ticket, when and how. " +
    "Written before the data is sent; append-only.",
  fields: (t) => ({
    id: t.string({ description: "Position in the log; grows with time.", resolve: (row) => row.id.toString() }),
    at: t.expose("at", { type: "DateTime", description: "When it was read." }),
    user: t.relation("user", { nullable: true, description: "The person who read it; null when a key did." }),
    apiKey: t.relation("apiKey", { nullable: true, description: "The API key that read it; null when a person did." }),
    ticket: t.relation("ticket", { description: "The ticket whose reporter was read." }),
    fields: t.exposeStringList("fields", { description: "Reporter fields read unmasked: name, email, phone." }),
    transport: t.expose("transport", { type: AccessTransportEnum, description: "HTTP or WebSocket." }),
    operationName: t.exposeString("operationName", {
      nullable: true,
      description: "The GraphQL operation name the client gave, if any.",
    }),
  }),
});

const PersonalDataAccessFilter = builder.inputType("PersonalDataAccessFilter", {
  description: "Narrows the personal-data access log; fields combine with AND.",
  fields: (t) => ({
    ticketId: t.id({ description: "Reads of this ticket (global id)." }),
    userId: t.id({ description: "Reads by this person (global id)." }),
    apiKeyId: t.id({ description: "Reads by this API key (global id)." }),
    from: t.field({ type: "DateTime", description: "Read at or after this instant." }),
    to: t.field({ type: "DateTime", description: "Read before this instant." }),
  }),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function localUuid(globalId: string | number | null | undefined, typename: string, field: string): string | undefined {
  if (globalId === null || globalId === undefined) return undefined;
  try {
    const decoded = decodeGlobalID(String(globalId));
    if (decoded.typename === typename && UUID.test(decoded.id)) return decoded.id;
  } catch {
    // falls through to the typed error
  }
  throw new ValidationError(`${field}: not the global id of a ${typename}`, field);
}

builder.queryField("personalDataAccesses", (t) =>
  t.prismaConnection({
    type: "PersonalDataAccess",
    cursor: "id",
    maxSize: 100,
    defaultSize: 50,
    authScopes: { directorate: true },
    description:
      "Who read reporters' unmasked personal data, newest first, for tickets in your scope (directorate only).",
    args: { filter: t.arg({ type: PersonalDataAccessFilter, description: "Narrows the log." }) },
    resolve: (query, _root, { filter }, ctx) => {
      const unitIds = ctx.viewer.kind === "anonymous" ? [] : [...ctx.viewer.unitIds];
      const ticketId = localUuid(filter?.ticketId, "Ticket", "filter.ticketId");
      const userId = localUuid(filter?.userId, "User", "filter.userId");
      const apiKeyId = localUuid(filter?.apiKeyId, "ApiKey", "filter.apiKeyId");
      return ctx.db.prisma.personalDataAccess.findMany({
        ...query,
        where: {
          ticket: { unitId: { in: unitIds } },
          ...(ticketId ? { ticketId } : {}),
          ...(userId ? { userId } : {}),
          ...(apiKeyId ? { apiKeyId } : {}),
          ...(filter?.from || filter?.to
            ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
            : {}),
        },
        orderBy: { id: "desc" },
      });
    },
  }),
);
