import { OfficeClass, UnitType } from "../../generated/prisma/enums.js";
import { builder } from "../../graphql/builder.js";
import type { Context } from "../../graphql/context.js";

export const UnitTypeEnum = builder.enumType(UnitType, {
  name: "UnitType",
  description: "Where a unit sits in the organisation.",
});
export const OfficeClassEnum = builder.enumType(OfficeClass, {
  name: "OfficeClass",
  description: "Class of a Kantor Imigrasi, set by ministerial decision.",
});

const inScope = (unitIds: ReadonlySet<number> | undefined, id: number | null): boolean =>
  id !== null && unitIds?.has(id) === true;

/**
 * Whether a unit is in the caller's scope: the check `node(id:)` makes. A unit's identity (code, name, type,
 * place) is public within the API, so any edge may name one; what lies inside it (its staff, the units
 * below) is read only within scope. A set lookup per unit.
 */
export const unitInScope = (unitId: number | null, ctx: Context): boolean =>
  ctx.viewer.kind !== "anonymous" && inScope(ctx.viewer.unitIds, unitId);

export const UnitRef = builder.prismaNode("Unit", {
  id: { field: "id" },
  description:
    "An organisational unit: the directorate, a regional office, an immigration office or a detention centre.",
  authScopes: { authenticated: true },
  // A unit outside the scope resolves like one that does not exist (-1 never matches).
  nullable: true,
  findUnique: (id, ctx) => ({
    id: ctx.viewer.kind !== "anonymous" && inScope(ctx.viewer.unitIds, Number(id)) ? Number(id) : -1,
  }),
  fields: (t) => ({
    code: t.exposeString("code", { description: "Stable short code, e.g. KANIM-MALANG." }),
    name: t.exposeString("name", { description: "Official name in Indonesian." }),
    type: t.expose("type", { type: UnitTypeEnum, description: "Level in the organisation." }),
    officeClass: t.expose("officeClass", {
      type: OfficeClassEnum,
      nullable: true,
      description: "Office class of a Kantor Imigrasi; null for other units or when not published.",
    }),
    provinceCode: t.exposeString("provinceCode", { description: "ISO 3166-2:ID code of the province, e.g. ID-JI." }),
    provinceName: t.exposeString("provinceName", { description: "Province name in Indonesian." }),
    city: t.exposeString("city", { nullable: true, description: "Seat of the unit." }),
    timeZone: t.exposeString("timeZone", {
      description: "IANA time zone of the unit (Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura).",
    }),
    latitude: t.exposeFloat("latitude", { nullable: true, description: "Approximate latitude (town level)." }),
    longitude: t.exposeFloat("longitude", { nullable: true, description: "Approximate longitude (town level)." }),
    uncertainty: t.exposeString("uncertainty", {
      nullable: true,
      description: "Why a fact about this unit (class, name, seat) is not certain; null when verified.",
    }),
    active: t.exposeBoolean("active", { description: "Whether the unit currently receives tickets." }),
    parent: t.prismaField({
      type: "Unit",
      nullable: true,
      description: "The unit above; null for the directorate or when it is outside your scope.",
      resolve: async (query, unit, _args, ctx) =>
        ctx.viewer.kind !== "anonymous" && inScope(ctx.viewer.unitIds, unit.parentId)
          ? ctx.db.prisma.unit.findUnique({ ...query, where: { id: unit.parentId as number } })
          : null,
    }),
    children: t.relation("children", {
      description: "Units directly below, ordered by name; refused (FORBIDDEN) for a unit outside your scope.",
      authScopes: (unit, _args, ctx) => unitInScope(unit.id, ctx),
      query: { orderBy: { name: "asc" } },
    }),
  }),
});

builder.queryFields((t) => ({
  unit: t.prismaField({
    type: "Unit",
    nullable: true,
    authScopes: { authenticated: true },
    description: "A unit by its code; null when unknown or outside your scope.",
    args: { code: t.arg.string({ required: true, description: "Unit code, e.g. KANWIL-JI." }) },
    resolve: (query, _root, { code }, ctx) => {
      const unit = ctx.units.byCode(code);
      if (!unit || ctx.viewer.kind === "anonymous" || !ctx.viewer.unitIds.has(unit.id)) return null;
      return ctx.db.prisma.unit.findUnique({ ...query, where: { id: unit.id } });
    },
  }),
  units: t.prismaField({
    type: ["Unit"],
    authScopes: { authenticated: true },
    description: "Units in your scope, optionally of one type and/or directly under one parent, ordered by name.",
    args: {
      type: t.arg({ type: UnitTypeEnum, required: false, description: "Only units of this type." }),
      parentCode: t.arg.string({ required: false, description: "Only units directly under this unit." }),
    },
    resolve: (query, _root, { type, parentCode }, ctx) => {
      if (ctx.viewer.kind === "anonymous") return [];
      const parent = parentCode ? ctx.units.byCode(parentCode) : undefined;
      if (parentCode && !parent) return [];
      return ctx.db.prisma.unit.findMany({
        ...query,
        where: {
          id: { in: [...ctx.viewer.unitIds] },
          ...(type ? { type } : {}),
          ...(parent ? { parentId: parent.id } : {}),
        },
        orderBy: { name: "asc" },
      });
    },
  }),
}));
