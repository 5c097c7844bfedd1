import { UnitCycleError, UnknownUnitError, ValidationError } from "../../errors.js";
import { builder } from "../../graphql/builder.js";
import type { Context } from "../../graphql/context.js";
import type { AuthenticatedViewer } from "../auth/viewer.js";
import { OfficeClassEnum, UnitTypeEnum } from "./unit.schema.js";
import { createUnit, moveUnit, UNIT_TIME_ZONES, updateUnit } from "./unit-service.js";

const viewerOf = (ctx: Context) => ctx.viewer as AuthenticatedViewer;
const ZONES = UNIT_TIME_ZONES.join(", ");

builder.mutationFields((t) => ({
  createUnit: t.prismaField({
    type: "Unit",
    description:
      "Adds a Kantor Imigrasi or a Rudenim under a Kantor Wilayah (directorate only); it takes the regional office's " +
      "province and, unless given, its time zone. Recorded in the audit log.",
    authScopes: { directorate: true },
    errors: { types: [ValidationError, UnknownUnitError], dataField: { name: "unit" } },
    args: {
      input: t.arg({
        type: builder.inputType("CreateUnitInput", {
          description: "A new office or detention centre.",
          fields: (f) => ({
            code: f.string({
              required: true,
              description: "Stable code (A–Z, 0–9, -; 2–64 characters), e.g. KANIM-PASURUAN; part of the public API.",
            }),
            name: f.string({ required: true, description: "Official name in Indonesian (1–200 characters)." }),
            type: f.field({
              type: UnitTypeEnum,
              required: true,
              description: "IMMIGRATION_OFFICE or DETENTION_CENTER.",
            }),
            parentCode: f.string({ required: true, description: "The Kantor Wilayah it reports to." }),
            officeClass: f.field({
              type: OfficeClassEnum,
              description: "Class of a Kantor Imigrasi; left out while it is not published.",
            }),
            city: f.string({ description: "Seat of the unit." }),
            timeZone: f.string({ description: `IANA time zone (${ZONES}); the regional office's when left out.` }),
            latitude: f.float({ description: "Approximate latitude; with longitude." }),
            longitude: f.float({ description: "Approximate longitude; with latitude." }),
            source: f.string({ description: "Where the facts come from (a decree, an official page)." }),
            uncertainty: f.string({ description: "What is not certain about it yet, e.g. an unpublished class." }),
          }),
        }),
        required: true,
        description: "The unit.",
      }),
    },
    resolve: async (_query, _root, { input }, ctx) => {
      const unit = await createUnit(ctx.db, ctx.units, viewerOf(ctx), input);
      await ctx.unitsChanged();
      return unit;
    },
  }),
  updateUnit: t.prismaField({
    type: "Unit",
    description:
      "Changes a unit's name, office class, time zone or coordinates (directorate only); what is left out stays. A " +
      "new time zone moves its office hours and open deadlines to that zone. Recorded in the audit log.",
    authScopes: { directorate: true },
    errors: { types: [ValidationError, UnknownUnitError], dataField: { name: "unit" } },
    args: {
      input: t.arg({
        type: builder.inputType("UpdateUnitInput", {
          description: "New values; a value left out stays as it is.",
          fields: (f) => ({
            code: f.string({ required: true, description: "The unit's code (it never changes)." }),
            name: f.string({ description: "New official name (1–200 characters)." }),
            officeClass: f.field({ type: OfficeClassEnum, description: "New class of a Kantor Imigrasi." }),
            timeZone: f.string({ description: `New IANA time zone (${ZONES}).` }),
            latitude: f.float({ description: "New approximate latitude; with longitude." }),
            longitude: f.float({ description: "New approximate longitude; with latitude." }),
            uncertainty: f.string({ description: "What is not certain about it; an empty string clears it." }),
          }),
        }),
        required: true,
        description: "The changes.",
      }),
    },
    resolve: async (_query, _root, { input }, ctx) => {
      const { unit, timeZoneChanged } = await updateUnit(ctx.db, ctx.units, viewerOf(ctx), input);
      await ctx.unitsChanged(timeZoneChanged ? [...ctx.units.subtree(unit.id)] : undefined);
      return unit;
    },
  }),
  moveUnit: t.prismaField({
    type: "Unit",
    description:
      "Moves an office or a Rudenim to another Kantor Wilayah (directorate only). Scope follows at once. Figures " +
      "count it under the old region up to the start of today (00:00 WIB) and under the new one from then on, so " +
      "every earlier period of both regions reads as before. Recorded in the audit log.",
    authScopes: { directorate: true },
    errors: { types: [ValidationError, UnknownUnitError, UnitCycleError], dataField: { name: "unit" } },
    args: {
      input: t.arg({
        type: builder.inputType("MoveUnitInput", {
          description: "The unit and its new parent.",
          fields: (f) => ({
            code: f.string({ required: true, description: "The unit that moves." }),
            parentCode: f.string({ required: true, description: "The Kantor Wilayah it moves to." }),
          }),
        }),
        required: true,
        description: "The move.",
      }),
    },
    resolve: async (_query, _root, { input }, ctx) => {
      const { unit } = await moveUnit(ctx.db, ctx.units, viewerOf(ctx), input);
      await ctx.unitsChanged([...ctx.units.subtree(unit.id)]);
      return unit;
    },
  }),
}));
