import { decodeGlobalID } from "@pothos/plugin-relay";
import { ValidationError } from "../../errors.js";
import type { Prisma } from "../../generated/prisma/client.js";
import { AuditActorKind } from "../../generated/prisma/enums.js";
import { builder } from "../../graphql/builder.js";
import type { AuthenticatedViewer } from "../auth/viewer.js";
import { scopedUnitIds } from "../tickets/ticket-filter.js";

const AuditActorKindEnum = builder.enumType(AuditActorKind, {
  name: "AuditActorKind",
  description: "Who made an audited change: a person, an API key, or an operator's command on the server.",
});

builder.prismaObject("AuditLog", {
  name: "AuditRecord",
  description:
    "One administrative change: who made it, when, to which entity, and the values before and after. " +
    "Written in the same transaction as the change, so it exists exactly when the change committed; append-only.",
  fields: (t) => ({
    id: t.string({ description: "Position in the log; grows with time.", resolve: (row) => row.id.toString() }),
    at: t.expose("at", { type: "DateTime", description: "When the change committed." }),
    actorKind: t.expose("actorKind", { type: AuditActorKindEnum, description: "A person, a key or the server." }),
    actorName: t.exposeString("actorName", {
      description: "The actor as it was named then: a person's e-mail, a key's name, or the command run.",
    }),
    actorId: t.id({
      nullable: true,
      description: "Global id of the person (User) or key (ApiKey) who made the change; null for the server.",
      resolve: (row) =>
        row.userId
          ? Buffer.from(`User:${row.userId}`).toString("base64")
          : row.apiKeyId
            ? Buffer.from(`ApiKey:${row.apiKeyId}`).toString("base64")
            : null,
    }),
    entityType: t.exposeString("entityType", {
      description: "What was changed: User, Session, ApiKey, Unit, Category, SlaPolicy, Holiday, BusinessCalendar.",
    }),
    entityId: t.exposeString("entityId", { description: "The entity's own id (not its global id)." }),
    action: t.exposeString("action", { description: "What was done, e.g. create, update, deactivate." }),
    before: t.field({
      type: "JSON",
      nullable: true,
      description: "The entity's values before the change; null when it was created. Secrets are never recorded.",
      resolve: (row) => row.before,
    }),
    after: t.field({
      type: "JSON",
      nullable: true,
      description: "The entity's values after the change; null when it was removed.",
      resolve: (row) => row.after,
    }),
    unit: t.relation("unit", {
      nullable: true,
      description: "The unit the change belongs to; null for a national change (read by the directorate only).",
    }),
  }),
});

const AuditLogFilter = builder.inputType("AuditLogFilter", {
  description: "Narrows the audit log; fields combine with AND.",
  fields: (t) => ({
    entity: t.id({ description: "Changes to this object (its global id, e.g. a User's)." }),
    entityType: t.string({ description: "Changes to entities of this type, e.g. User." }),
    action: t.string({ description: "Changes of this kind, e.g. deactivate." }),
    actorId: t.id({ description: "Changes made by this person or key (global id of a User or an ApiKey)." }),
    unitCode: t.string({ description: "Changes belonging to this unit and the units below it." }),
    from: t.field({ type: "DateTime", description: "Made at or after this instant." }),
    to: t.field({ type: "DateTime", description: "Made before this instant." }),
  }),
});

function decode(globalId: string | number, field: string): { typename: string; id: string } {
  try {
    return decodeGlobalID(String(globalId));
  } catch {
    throw new ValidationError(`${field}: not a global id`, field);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function actorWhere(globalId: string | number): Prisma.AuditLogWhereInput {
  const { typename, id } = decode(globalId, "filter.actorId");
  if (!UUID.test(id) || (typename !== "User" && typename !== "ApiKey")) {
    throw new ValidationError("filter.actorId: not the global id of a User or an ApiKey", "filter.actorId");
  }
  return typename === "User" ? { userId: id } : { apiKeyId: id };
}

builder.queryField("auditLog", (t) =>
  t.prismaConnection({
    type: "AuditLog",
    cursor: "id",
    maxSize: 100,
    defaultSize: 50,
    authScopes: { readAuditLog: true },
    description:
      "Administrative changes, newest first: the whole log for the directorate, the changes belonging to " +
      "their region's units for a regional head.",
    args: { filter: t.arg({ type: AuditLogFilter, description: "Narrows the log." }) },
    resolve: (query, _root, { filter }, ctx) => {
      const viewer = ctx.viewer as AuthenticatedViewer;
      // Null: the whole country, national changes included.
      const unitIds = scopedUnitIds(viewer, ctx.units, filter?.unitCode);
      const where: Prisma.AuditLogWhereInput[] = [];
      if (unitIds) where.push({ unitId: { in: unitIds } });
      if (filter?.entity) {
        const { typename, id } = decode(filter.entity, "filter.entity");
        where.push({ entityType: typename, entityId: id });
      }
      if (filter?.entityType) where.push({ entityType: filter.entityType });
      if (filter?.action) where.push({ action: filter.action });
      if (filter?.actorId) where.push(actorWhere(filter.actorId));
      if (filter?.from) where.push({ at: { gte: filter.from } });
      if (filter?.to) where.push({ at: { lt: filter.to } });
      return ctx.db.prisma.auditLog.findMany({ ...query, where: { AND: where }, orderBy: { id: "desc" } });
    },
  }),
);
