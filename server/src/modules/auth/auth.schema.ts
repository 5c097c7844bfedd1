import { builder } from "../../graphql/builder.js";
import "../../graphql/errors.js";
import { decodeGlobalID } from "@pothos/plugin-relay";
import { ForbiddenError, InvalidCredentialsError, NotFoundError, TooManyAttemptsError } from "../../errors.js";
import { RateTier, Role } from "../../generated/prisma/enums.js";
import { auditActorOf } from "../audit/audit-log.js";
import { administers } from "../staff/staff-permissions.js";
import { login, logout, revokeSessionsOf } from "./auth-service.js";
import { type AuthenticatedViewer, nodeUnitIds, uuidOrNone } from "./viewer.js";

export const RoleEnum = builder.enumType(Role, { name: "Role", description: "What a staff member does in Pantau." });

export const RateTierEnum = builder.enumType(RateTier, {
  name: "RateTier",
  description: "The query-cost budget an API key draws from; see the API limits documentation for each tier's size.",
});

const ViewerKind = builder.enumType("ViewerKind", {
  description: "Whether the caller is a signed-in person or a third-party API key.",
  values: { USER: { value: "user" }, API_KEY: { value: "apiKey" } } as const,
});

export const UserRef = builder.prismaNode("User", {
  id: { field: "id" },
  description: "A staff member of a unit.",
  authScopes: { authenticated: true },
  // Staff are visible to those who can see their unit; anyone else gets null.
  nullable: true,
  findUnique: (id, ctx) => ({ id: uuidOrNone(id), unitId: { in: nodeUnitIds(ctx.viewer) } }),
  fields: (t) => ({
    name: t.exposeString("name", { description: "Full name." }),
    role: t.expose("role", { type: RoleEnum, description: "Role in Pantau." }),
    unit: t.relation("unit", { description: "Home unit: the root of what this person may see." }),
  }),
});

const ViewerRef = builder.objectRef<AuthenticatedViewer>("Viewer").implement({
  description: "Who is calling and what they may see.",
  fields: (t) => ({
    kind: t.field({ type: ViewerKind, description: "A person or an API key.", resolve: (v) => v.kind }),
    name: t.exposeString("name", { description: "The person's or the key's name." }),
    email: t.string({
      nullable: true,
      description: "The person's e-mail address; null for API keys.",
      resolve: (v) => (v.kind === "user" ? v.email : null),
    }),
    role: t.field({
      type: RoleEnum,
      nullable: true,
      description: "The person's role; null for API keys.",
      resolve: (v) => (v.kind === "user" ? v.role : null),
    }),
    scopes: t.stringList({
      description: "What an API key may do (e.g. tickets:read); empty for people, whose role decides.",
      resolve: (v) => (v.kind === "apiKey" ? [...v.scopes].sort() : []),
    }),
    rateTier: t.field({
      type: RateTierEnum,
      nullable: true,
      description: "The budget tier of an API key; null for people, whose budget is the staff tier.",
      resolve: (v) => (v.kind === "apiKey" ? v.rateTier : null),
    }),
    user: t.prismaField({
      type: "User",
      nullable: true,
      description: "The signed-in person; null for API keys.",
      resolve: (query, v, _args, ctx) =>
        v.kind === "user" ? ctx.db.prisma.user.findUnique({ ...query, where: { id: v.userId } }) : null,
    }),
    unit: t.prismaField({
      type: "Unit",
      description: "Root of the caller's scope: this unit and everything below it.",
      resolve: (query, v, _args, ctx) => ctx.db.prisma.unit.findUniqueOrThrow({ ...query, where: { id: v.unitId } }),
    }),
  }),
});

builder.queryField("viewer", (t) =>
  t.field({
    type: ViewerRef,
    nullable: true,
    description: "The caller; null when no credentials were sent.",
    resolve: (_root, _args, ctx) => (ctx.viewer.kind === "anonymous" ? null : ctx.viewer),
  }),
);

export const LoginPayload = builder.objectRef<{ token: string; expiresAt: Date }>("LoginPayload").implement({
  description: "A new session.",
  fields: (t) => ({
    token: t.exposeString("token", { description: "Send as 'Authorization: Bearer <token>'." }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", description: "When the session ends." }),
  }),
});

const RevokedSessions = builder.objectRef<{ revoked: number }>("RevokedSessions").implement({
  description: "Sessions ended at once.",
  fields: (t) => ({
    revoked: t.exposeInt("revoked", { description: "How many open sessions were ended." }),
  }),
});

builder.mutationFields((t) => ({
  login: t.field({
    type: LoginPayload,
    description: "Signs a staff member in and returns a session token.",
    errors: { types: [InvalidCredentialsError, TooManyAttemptsError], dataField: { name: "session" } },
    args: {
      email: t.arg.string({ required: true, description: "Work e-mail address." }),
      password: t.arg.string({ required: true, description: "Password." }),
    },
    resolve: (_root, { email, password }, ctx) => {
      if (email.length > 254 || password.length > 1024) throw new InvalidCredentialsError();
      return login(ctx.db, email, password, { throttle: ctx.loginThrottle, address: ctx.clientAddress });
    },
  }),
  logout: t.boolean({
    description: "Ends the current session; true when a session was ended.",
    authScopes: { staff: true },
    resolve: async (_root, _args, ctx) => {
      if (ctx.viewer.kind !== "user") return false;
      await logout(ctx.db, ctx.viewer.sessionId);
      // Live subscriptions opened with this session stop at their next item, on every instance.
      ctx.realtime.announceAccessChange();
      return true;
    },
  }),
  revokeSessions: t.field({
    type: RevokedSessions,
    description:
      "Ends every session of a person at once (sign out everywhere), including live subscriptions. Without " +
      "`userId`, your own; another person's needs the authority to administer their account (docs/permissions.md).",
    authScopes: { staff: true },
    errors: { types: [NotFoundError, ForbiddenError], dataField: { name: "sessions" } },
    args: {
      userId: t.arg.id({ description: "Global id of the person; omit for yourself." }),
    },
    resolve: async (_root, { userId }, ctx) => {
      if (ctx.viewer.kind !== "user") throw new ForbiddenError("Only people have sessions.");
      let target = ctx.viewer.userId;
      let unitId = ctx.viewer.unitId;
      if (userId !== null && userId !== undefined) {
        target = userLocalId(String(userId));
        const user = await ctx.db.prisma.user.findFirst({
          where: { id: target, unitId: { in: [...ctx.viewer.unitIds] } },
          select: { id: true, unitId: true, role: true },
        });
        if (!user) throw new NotFoundError("No such person in your scope.");
        // The same table as every staff change: whoever may deactivate the account may sign it out.
        if (user.id !== ctx.viewer.userId && !administers(ctx.viewer, { userId: user.id, ...user })) {
          throw new ForbiddenError("You do not administer this person's account.");
        }
        unitId = user.unitId;
      }
      const revoked = await revokeSessionsOf(ctx.db, target, { actor: auditActorOf(ctx.viewer), unitId });
      ctx.realtime.announceAccessChange();
      return { revoked };
    },
  }),
}));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed or foreign id names nobody, like an id outside the scope. */
export function userLocalId(globalId: string): string {
  try {
    const decoded = decodeGlobalID(globalId);
    if (decoded.typename === "User" && UUID.test(decoded.id)) return decoded.id;
  } catch {
    // falls through
  }
  throw new NotFoundError("No such person in your scope.");
}
