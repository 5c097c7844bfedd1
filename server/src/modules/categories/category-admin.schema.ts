import { UnknownCategoryError, ValidationError } from "../../errors.js";
import { builder } from "../../graphql/builder.js";
import type { Context } from "../../graphql/context.js";
import type { AuthenticatedViewer } from "../auth/viewer.js";
import { createCategory, renameCategory, retireCategory } from "./category-service.js";

const viewerOf = (ctx: Context) => ctx.viewer as AuthenticatedViewer;

builder.mutationFields((t) => ({
  createCategory: t.prismaField({
    type: "Category",
    description:
      "Adds a category to the national tree, at the top or under a category that is not retired (directorate " +
      "only). Recorded in the audit log.",
    authScopes: { directorate: true },
    errors: { types: [ValidationError, UnknownCategoryError], dataField: { name: "category" } },
    args: {
      input: t.arg({
        type: builder.inputType("CreateCategoryInput", {
          description: "A new category.",
          fields: (f) => ({
            code: f.string({
              required: true,
              description: "Stable code (A–Z, 0–9, _; 2–64 characters), matched by SLA policies and integrations.",
            }),
            name: f.string({ required: true, description: "Name in Indonesian (1–120 characters)." }),
            nameEn: f.string({ required: true, description: "Name in English (1–120 characters)." }),
            parentCode: f.string({ description: "The broader category; none for a top-level one." }),
            position: f.int({ description: "Order among its siblings (0–10,000); last when left out." }),
          }),
        }),
        required: true,
        description: "The category.",
      }),
    },
    resolve: (_query, _root, { input }, ctx) => createCategory(ctx.db, viewerOf(ctx), input),
  }),
  renameCategory: t.prismaField({
    type: "Category",
    description:
      "Renames a category in Indonesian, English or both (directorate only); its code stays. Tickets filed under " +
      "it show the new name. Recorded in the audit log.",
    authScopes: { directorate: true },
    errors: { types: [ValidationError, UnknownCategoryError], dataField: { name: "category" } },
    args: {
      input: t.arg({
        type: builder.inputType("RenameCategoryInput", {
          description: "New names; a name left out stays as it is.",
          fields: (f) => ({
            code: f.string({ required: true, description: "The category's code." }),
            name: f.string({ description: "New name in Indonesian (1–120 characters)." }),
            nameEn: f.string({ description: "New name in English (1–120 characters)." }),
          }),
        }),
        required: true,
        description: "The names.",
      }),
    },
    resolve: (_query, _root, { input }, ctx) => renameCategory(ctx.db, viewerOf(ctx), input),
  }),
  retireCategory: t.prismaField({
    type: "Category",
    description:
      "Retires a category and those below it (directorate only): tickets already filed keep them; new tickets, " +
      "triage and the citizens' form can no longer choose them, and lists leave them out unless asked. Recorded " +
      "in the audit log.",
    authScopes: { directorate: true },
    errors: { types: [ValidationError, UnknownCategoryError], dataField: { name: "category" } },
    args: { code: t.arg.string({ required: true, description: "The category's code." }) },
    resolve: (_query, _root, { code }, ctx) => retireCategory(ctx.db, viewerOf(ctx), code),
  }),
}));
