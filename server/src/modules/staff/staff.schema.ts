import {
  AccountInactiveError,
  EmailTakenError,
  ForbiddenError,
  NotFoundError,
  NotGrantableError,
  SelfChangeError,
  SetupLinkError,
  UnknownUnitError,
  ValidationError,
  WeakPasswordError,
} from "../../errors.js";
import type { User } from "../../generated/prisma/client.js";
import { builder } from "../../graphql/builder.js";
import type { Context } from "../../graphql/context.js";
import { auditActorOf } from "../audit/audit-log.js";
import { LoginPayload, RoleEnum, UserRef, userLocalId } from "../auth/auth.schema.js";
import type { UserViewer } from "../auth/viewer.js";
import { maskEmail } from "../tickets/masking.js";
import { completePasswordSetup, type SetupLink } from "./setup-link.js";
import { seesEmailOf } from "./staff-permissions.js";
import { createUser, deactivateUser, resetUserPassword, updateUser, usersWhere } from "./staff-service.js";

/** The staff scopes let only people through; the table in staff-permissions.ts decides the rest. */
const person = (ctx: Context) => ctx.viewer as UserViewer;

const emailShown = (user: User, ctx: Context) => ctx.viewer.kind === "user" && seesEmailOf(ctx.viewer, user);

builder.prismaObjectFields("User", (t) => ({
  email: t.string({
    description:
      "Work e-mail address (personal data): in full for those whose role administers the account, masked " +
      "(first letter and domain) for everyone else. Your own address is `viewer.email`.",
    resolve: (user, _args, ctx) => (emailShown(user, ctx) ? user.email : (maskEmail(user.email) ?? "")),
  }),
  emailMasked: t.boolean({
    description: "True when `email` is masked for you.",
    resolve: (user, _args, ctx) => !emailShown(user, ctx),
  }),
  active: t.exposeBoolean("active", { description: "False once deactivated: the person cannot sign in." }),
  passwordSet: t.boolean({
    description: "False while the invitation is pending: the person has not set a password yet.",
    resolve: (user) => user.passwordHash !== null,
  }),
  createdAt: t.expose("createdAt", { type: "DateTime", description: "When the account was created." }),
}));

const PasswordLinkRef = builder.objectRef<SetupLink>("PasswordLink").implement({
  description:
    "A one-time link to set a password: it works once, for 24 hours, and a newer link for the same person " +
    "replaces it. Shown only in this answer; hand it to the person over a channel you trust.",
  fields: (t) => ({
    url: t.exposeString("url", { description: "The link; the secret is in its fragment (#token=…)." }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", description: "When the link stops working." }),
  }),
});

const CreateUserInput = builder.inputType("CreateUserInput", {
  description: "A new staff account. It has no password until the person opens the invitation link.",
  fields: (t) => ({
    email: t.string({ required: true, description: "Work e-mail address; unique across Pantau." }),
    name: t.string({ required: true, description: "Full name (1–120 characters)." }),
    role: t.field({ type: RoleEnum, required: true, description: "Role; at most what you may give." }),
    unitCode: t.string({
      required: true,
      description: "Home unit, the root of what the person sees: a unit at which you place staff.",
    }),
  }),
});

const UpdateUserInput = builder.inputType("UpdateUserInput", {
  description: "Changes to an account; fields left out or null stay as they are.",
  fields: (t) => ({
    id: t.id({ required: true, description: "Global id of the person." }),
    name: t.string({ description: "Full name (1–120 characters); you may also correct your own." }),
    role: t.field({ type: RoleEnum, description: "New role; at most what you may give, never your own." }),
    unitCode: t.string({ description: "New home unit; one at which you place staff, never your own." }),
    active: t.boolean({
      description: "False deactivates (like deactivateUser), true reactivates; never your own.",
    }),
  }),
});

const UserFilter = builder.inputType("UserFilter", {
  description: "Narrows the staff list; fields combine with AND.",
  fields: (t) => ({
    unitCode: t.string({ description: "Staff of this unit and the units below it." }),
    role: t.field({ type: [RoleEnum], description: "Staff with one of these roles." }),
    active: t.boolean({ description: "Only active (true) or only deactivated (false) accounts." }),
    search: t.string({
      description:
        "Text in the name, or in the e-mail address of accounts whose address you may see (at most 100 characters).",
    }),
  }),
});

const CreateUserSuccess = builder.objectRef<{ user: User; link: SetupLink }>("CreateUserSuccess").implement({
  description: "The new account and its invitation link, shown only here.",
  fields: (t) => ({
    user: t.field({ type: UserRef, description: "The new account.", resolve: (r) => r.user }),
    invitation: t.field({
      type: PasswordLinkRef,
      description: "The link with which the person sets their password.",
      resolve: (r) => r.link,
    }),
  }),
});

const UpdateUserSuccess = builder.objectRef<{ user: User }>("UpdateUserSuccess").implement({
  description: "The account as it is now.",
  fields: (t) => ({ user: t.field({ type: UserRef, description: "The account.", resolve: (r) => r.user }) }),
});

const DeactivateUserSuccess = builder
  .objectRef<{ user: User; sessionsEnded: number }>("DeactivateUserSuccess")
  .implement({
    description: "The deactivated account.",
    fields: (t) => ({
      user: t.field({ type: UserRef, description: "The account, now inactive.", resolve: (r) => r.user }),
      sessionsEnded: t.exposeInt("sessionsEnded", {
        description: "How many open sessions ended; 0 when the account was already inactive.",
      }),
    }),
  });

const ResetUserPasswordSuccess = builder
  .objectRef<{ user: User; link: SetupLink }>("ResetUserPasswordSuccess")
  .implement({
    description: "The new password link, shown only here; earlier links of the account stop working.",
    fields: (t) => ({
      user: t.field({ type: UserRef, description: "The account.", resolve: (r) => r.user }),
      link: t.field({ type: PasswordLinkRef, description: "The new link.", resolve: (r) => r.link }),
    }),
  });

const PERMISSIONS = "Who may do this to whom: docs/permissions.md.";

builder.queryField("users", (t) =>
  t.prismaConnection(
    {
      type: "User",
      cursor: "id",
      maxSize: 100,
      defaultSize: 20,
      authScopes: { administerStaff: true },
      description:
        `Staff accounts in your scope by name, active and deactivated, for those who administer staff. ${PERMISSIONS} ` +
        "E-mail addresses are masked except for accounts you administer.",
      args: { filter: t.arg({ type: UserFilter, description: "Narrows the list." }) },
      totalCount: (_root, { filter }, ctx) =>
        ctx.db.prisma.user.count({ where: usersWhere(person(ctx), ctx.units, filter ?? undefined) }),
      resolve: (query, _root, { filter }, ctx) =>
        ctx.db.prisma.user.findMany({
          ...query,
          where: usersWhere(person(ctx), ctx.units, filter ?? undefined),
          orderBy: [{ name: "asc" }, { id: "asc" }],
        }),
    },
    {
      description: "A page of staff accounts.",
      fields: (c) => ({
        totalCount: c.int({
          description: "How many accounts match the filter in all pages.",
          // Marks the field as the count Pothos computes, so a query of the count alone reads no rows.
          extensions: { pothosPrismaTotalCount: true },
          resolve: (connection) => (connection as unknown as { totalCount: () => Promise<number> }).totalCount(),
        }),
      }),
    },
  ),
);

builder.mutationFields((t) => ({
  createUser: t.field({
    type: CreateUserSuccess,
    description: `Creates a staff account and returns its one-time invitation link (24 hours). ${PERMISSIONS}`,
    authScopes: { administerStaff: true },
    errors: {
      types: [ValidationError, EmailTakenError, UnknownUnitError, NotGrantableError, ForbiddenError],
      directResult: true,
    },
    args: { input: t.arg({ type: CreateUserInput, required: true, description: "The account to create." }) },
    resolve: (_root, { input }, ctx) =>
      createUser(ctx.db, ctx.units, auditActorOf(ctx.viewer), input, ctx.staff.publicUrl, { by: person(ctx) }),
  }),
  updateUser: t.field({
    type: UpdateUserSuccess,
    description:
      "Changes a person's name, role, home unit or active state. A new role or unit applies to their open " +
      `sessions and live subscriptions within seconds; deactivating ends them. ${PERMISSIONS}`,
    authScopes: { staff: true },
    errors: {
      types: [ValidationError, NotFoundError, ForbiddenError, UnknownUnitError, NotGrantableError, SelfChangeError],
      directResult: true,
    },
    args: { input: t.arg({ type: UpdateUserInput, required: true, description: "The changes." }) },
    resolve: async (_root, { input }, ctx) => {
      const changed = await updateUser(ctx.db, ctx.units, person(ctx), {
        userId: userLocalId(String(input.id)),
        name: input.name,
        role: input.role,
        unitCode: input.unitCode,
        active: input.active,
      });
      if (changed.accessChanged) ctx.realtime.announceAccessChange();
      return { user: changed.user };
    },
  }),
  deactivateUser: t.field({
    type: DeactivateUserSuccess,
    description:
      "Deactivates an account: the person can no longer sign in, and their sessions, password links and live " +
      `subscriptions end, on every instance, within seconds. Never your own. ${PERMISSIONS}`,
    authScopes: { administerStaff: true },
    errors: { types: [NotFoundError, ForbiddenError, SelfChangeError], directResult: true },
    args: { id: t.arg.id({ required: true, description: "Global id of the person." }) },
    resolve: async (_root, { id }, ctx) => {
      const done = await deactivateUser(ctx.db, ctx.units, person(ctx), userLocalId(String(id)));
      ctx.realtime.announceAccessChange();
      return done;
    },
  }),
  resetUserPassword: t.field({
    type: ResetUserPasswordSuccess,
    description:
      "Issues a new one-time password link (24 hours) for an active account; its earlier links stop working. " +
      `The current password keeps working until the link is used. Never your own. ${PERMISSIONS}`,
    authScopes: { administerStaff: true },
    errors: { types: [NotFoundError, ForbiddenError, SelfChangeError, AccountInactiveError], directResult: true },
    args: { id: t.arg.id({ required: true, description: "Global id of the person." }) },
    resolve: (_root, { id }, ctx) =>
      resetUserPassword(ctx.db, ctx.units, person(ctx), userLocalId(String(id)), ctx.staff.publicUrl),
  }),
  completePasswordSetup: t.field({
    type: LoginPayload,
    description:
      "Sets a password with the one-time link an administrator handed out (an invitation or a reset) and signs " +
      "the person in. The link works once and for 24 hours; every other session of the account ends.",
    errors: { types: [SetupLinkError, WeakPasswordError], dataField: { name: "session" } },
    args: {
      token: t.arg.string({ required: true, description: "The token from the link (after #token=)." }),
      password: t.arg.string({
        required: true,
        description:
          "The new password: at least 12 characters, not the demo password, not containing the e-mail address.",
      }),
    },
    resolve: (_root, { token, password }, ctx) =>
      completePasswordSetup(ctx.db, token, password, ctx.staff.knownPasswords),
  }),
}));
