import type { Database } from "../../db/database.js";
import {
  AccountInactiveError,
  type DomainError,
  EmailTakenError,
  ForbiddenError,
  NotFoundError,
  NotGrantableError,
  SelfChangeError,
  UnknownUnitError,
  ValidationError,
} from "../../errors.js";
import type { Prisma, User } from "../../generated/prisma/client.js";
import type { Role } from "../../generated/prisma/enums.js";
import { type AuditActor, writeAudit } from "../audit/audit-log.js";
import { likeLiteral, scopedUnitIds } from "../tickets/ticket-filter.js";
import type { UnitNode, UnitTree } from "../units/unit-tree.js";
import { issueSetupLink, type SetupLink } from "./setup-link.js";
import { administeredAccounts, type Refusal, refusal, type StaffActor, type StaffChange } from "./staff-permissions.js";
import { normaliseEmail, roleFitsUnit } from "./staff-rules.js";

export interface NewUserInput {
  email: string;
  name: string;
  role: Role;
  unitCode: string;
}

export const USER_NAME_MAX = 120;

/** What the audit log keeps of an account. */
export function auditedUser(user: Pick<User, "email" | "name" | "role" | "unitId" | "active">, tree: UnitTree) {
  return {
    email: user.email,
    name: user.name,
    role: user.role,
    unitCode: tree.get(user.unitId)?.code ?? null,
    active: user.active,
  };
}

export function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > USER_NAME_MAX) {
    throw new ValidationError(`name: 1–${USER_NAME_MAX} characters`, "name");
  }
  return trimmed;
}

/** The unit a role is placed at; unknown units and units `within` does not contain read the same. */
export function homeUnit(tree: UnitTree, unitCode: string, role: Role, within?: ReadonlySet<number>): UnitNode {
  const unit = tree.byCode(unitCode);
  if (!unit || (within && !within.has(unit.id))) throw new UnknownUnitError(unitCode);
  if (!roleFitsUnit(role, unit.type)) {
    throw new ValidationError(`role: a ${role} is not based at a unit of type ${unit.type}`, "role");
  }
  return unit;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === "P2002";

function refusalError(tree: UnitTree, found: Refusal): DomainError {
  switch (found.code) {
    case "FORBIDDEN":
      return new ForbiddenError(found.message);
    case "NOT_FOUND":
      return new NotFoundError(found.message);
    case "UNKNOWN_UNIT":
      return new UnknownUnitError(tree.get(found.unitId)?.code ?? String(found.unitId));
    case "ROLE_NOT_GRANTABLE":
      return new NotGrantableError(found.code, "role", found.message);
    case "UNIT_NOT_GRANTABLE":
      return new NotGrantableError(found.code, "unitCode", found.message);
    case "SELF_CHANGE":
      return new SelfChangeError(found.field, found.message);
  }
}

/** Throws the typed error of the table's refusal (staff-permissions.ts), if it refuses. */
function authorise(tree: UnitTree, actor: StaffActor, change: StaffChange): void {
  const found = refusal(actor, change);
  if (found) throw refusalError(tree, found);
}

/**
 * Creates an account without a password and the one-time link that lets its owner set one, with the
 * audit record, in one transaction. `by` is the person creating it, checked against the staff
 * permissions; an operator's command on the server passes none.
 */
export async function createUser(
  db: Database,
  tree: UnitTree,
  actor: AuditActor,
  input: NewUserInput,
  publicUrl: string,
  options: { by?: StaffActor; now?: Date } = {},
): Promise<{ user: User; link: SetupLink }> {
  const now = options.now ?? new Date();
  const email = normaliseEmail(input.email);
  if (!email) throw new ValidationError("email: not an e-mail address", "email");
  const name = checkName(input.name);
  const known = tree.byCode(input.unitCode);
  if (!known) throw new UnknownUnitError(input.unitCode);
  if (options.by) authorise(tree, options.by, { kind: "create", placement: { role: input.role, unitId: known.id } });
  const unit = homeUnit(tree, input.unitCode, input.role);
  try {
    return await db.prisma.$transaction(async (tx: Prisma.TransactionClient) => {
      if (await tx.user.findUnique({ where: { email }, select: { id: true } })) throw new EmailTakenError(email);
      const user = await tx.user.create({
        data: { email, name, role: input.role, unitId: unit.id, passwordHash: null },
      });
      const link = await issueSetupLink(tx, user.id, publicUrl, now);
      await writeAudit(tx, {
        actor,
        entityType: "User",
        entityId: user.id,
        action: "create",
        before: null,
        after: { ...auditedUser(user, tree), setupLinkExpiresAt: link.expiresAt },
        unitId: unit.id,
      });
      return { user, link };
    });
  } catch (error) {
    // Two creations of the same address racing each other: the loser is told the same as if it came second.
    if (isUniqueViolation(error)) throw new EmailTakenError(email);
    throw error;
  }
}

/** An account as the audit log and the permissions see it, read and locked inside the change's transaction. */
async function lockedUser(tx: Prisma.TransactionClient, id: string): Promise<User | null> {
  // Two administrators changing one account take turns, so each record's "before" is what the change replaced.
  await tx.$executeRawUnsafe("SELECT 1 FROM app_user WHERE id = $1::uuid FOR UPDATE", id);
  return tx.user.findUnique({ where: { id } });
}

const accountOf = (user: User) => ({ userId: user.id, role: user.role, unitId: user.unitId });

/**
 * The smallest subtree holding both units: a record of a move belongs there, so the regional head of a
 * move inside their region reads it and a move between regions is the directorate's.
 */
function sharedUnit(tree: UnitTree, a: number, b: number): number {
  if (a === b) return a;
  const ancestry = new Set(tree.ancestry(a).map((unit) => unit.id));
  return [...tree.ancestry(b)].reverse().find((unit) => ancestry.has(unit.id))?.id ?? b;
}

/** Ends an account's sessions and its unused password links; returns how many sessions were open. */
async function closeAccess(tx: Prisma.TransactionClient, userId: string, now: Date): Promise<number> {
  await tx.passwordSetup.updateMany({ where: { userId, usedAt: null, revokedAt: null }, data: { revokedAt: now } });
  const { count } = await tx.session.updateMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now },
  });
  return count;
}

export interface UserChange {
  userId: string;
  name?: string | null;
  role?: Role | null;
  unitCode?: string | null;
  active?: boolean | null;
}

export interface ChangedUser {
  user: User;
  /** Role, unit or active state changed: every instance must re-read the credentials it holds. */
  accessChanged: boolean;
  sessionsEnded: number;
}

/**
 * Changes name, role, unit or active state of an account, with the audit record, in one transaction.
 * Fields left out (or null) stay as they are; a change that changes nothing writes no record.
 * Deactivating ends the account's sessions and password links at once.
 */
export async function updateUser(
  db: Database,
  tree: UnitTree,
  by: StaffActor & { email: string },
  change: UserChange,
  now = new Date(),
): Promise<ChangedUser> {
  const name = change.name === null || change.name === undefined ? undefined : checkName(change.name);
  let unitId: number | undefined;
  if (change.unitCode !== null && change.unitCode !== undefined) {
    const unit = tree.byCode(change.unitCode);
    if (!unit || !by.unitIds.has(unit.id)) throw new UnknownUnitError(change.unitCode);
    unitId = unit.id;
  }
  const role = change.role ?? undefined;
  const active = change.active ?? undefined;
  return db.prisma.$transaction(async (tx) => {
    const before = await lockedUser(tx, change.userId);
    if (!before) throw new NotFoundError("No such person in your scope.");
    authorise(tree, by, { kind: "update", account: accountOf(before), next: { role, unitId, active } });
    const next = {
      name: name ?? before.name,
      role: role ?? before.role,
      unitId: unitId ?? before.unitId,
      active: active ?? before.active,
    };
    if (next.role !== before.role || next.unitId !== before.unitId) {
      homeUnit(tree, tree.get(next.unitId)?.code ?? "", next.role);
    }
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((key) => next[key] !== before[key]);
    if (changed.length === 0) return { user: before, accessChanged: false, sessionsEnded: 0 };
    const user = await tx.user.update({ where: { id: before.id }, data: next });
    const sessionsEnded = before.active && !next.active ? await closeAccess(tx, before.id, now) : 0;
    const audited = (row: User) => {
      const all = auditedUser(row, tree);
      const keyOf = { name: "name", role: "role", unitId: "unitCode", active: "active" } as const;
      return Object.fromEntries(changed.map((key) => [keyOf[key], all[keyOf[key]]]));
    };
    await writeAudit(tx, {
      actor: { kind: "USER", userId: by.userId, name: by.email },
      entityType: "User",
      entityId: user.id,
      action: before.active === next.active ? "update" : next.active ? "reactivate" : "deactivate",
      before: { ...audited(before), ...(sessionsEnded ? { openSessions: sessionsEnded } : {}) },
      after: { ...audited(user), ...(sessionsEnded ? { openSessions: 0 } : {}) },
      unitId: sharedUnit(tree, before.unitId, user.unitId),
    });
    const accessChanged = changed.some((key) => key !== "name");
    return { user, accessChanged, sessionsEnded };
  });
}

/**
 * Deactivates an account: it can no longer sign in, its sessions and unused password links end in the
 * same transaction as the audit record. Deactivating an inactive account changes nothing.
 */
export async function deactivateUser(
  db: Database,
  tree: UnitTree,
  by: StaffActor & { email: string },
  userId: string,
  now = new Date(),
): Promise<{ user: User; sessionsEnded: number }> {
  return db.prisma.$transaction(async (tx) => {
    const before = await lockedUser(tx, userId);
    if (!before) throw new NotFoundError("No such person in your scope.");
    authorise(tree, by, { kind: "deactivate", account: accountOf(before) });
    if (!before.active) return { user: before, sessionsEnded: 0 };
    const user = await tx.user.update({ where: { id: userId }, data: { active: false } });
    const sessionsEnded = await closeAccess(tx, userId, now);
    await writeAudit(tx, {
      actor: { kind: "USER", userId: by.userId, name: by.email },
      entityType: "User",
      entityId: userId,
      action: "deactivate",
      before: { active: true, openSessions: sessionsEnded },
      after: { active: false, openSessions: 0 },
      unitId: user.unitId,
    });
    return { user, sessionsEnded };
  });
}

/** A new password link for an account; links issued before it stop working. */
export async function resetUserPassword(
  db: Database,
  tree: UnitTree,
  by: StaffActor & { email: string },
  userId: string,
  publicUrl: string,
  now = new Date(),
): Promise<{ user: User; link: SetupLink }> {
  return db.prisma.$transaction(async (tx) => {
    const user = await lockedUser(tx, userId);
    if (!user) throw new NotFoundError("No such person in your scope.");
    authorise(tree, by, { kind: "reset-password", account: accountOf(user) });
    if (!user.active) throw new AccountInactiveError();
    const replaced = await tx.passwordSetup.count({
      where: { userId, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
    });
    const link = await issueSetupLink(tx, userId, publicUrl, now);
    await writeAudit(tx, {
      actor: { kind: "USER", userId: by.userId, name: by.email },
      entityType: "User",
      entityId: userId,
      action: "reset-password",
      before: { openSetupLinks: replaced },
      after: { openSetupLinks: 1, setupLinkExpiresAt: link.expiresAt },
      unitId: user.unitId,
    });
    return { user, link };
  });
}

export interface UserFilter {
  unitCode?: string | null;
  role?: Role[] | null;
  active?: boolean | null;
  search?: string | null;
}

export const USER_SEARCH_MAX = 100;

/**
 * The accounts a list shows: those in the caller's scope, narrowed by the filter. A search matches the
 * name, and the e-mail address only of accounts whose address the caller may see, so a search cannot
 * tell what a masked address is.
 */
export function usersWhere(actor: StaffActor, tree: UnitTree, filter: UserFilter = {}): Prisma.UserWhereInput {
  const where: Prisma.UserWhereInput[] = [];
  // Null: the whole country, which needs no list of units.
  const unitIds = scopedUnitIds(actor, tree, filter.unitCode);
  if (unitIds) where.push({ unitId: { in: unitIds } });
  if (filter.role?.length) where.push({ role: { in: [...new Set(filter.role)] } });
  if (filter.active !== null && filter.active !== undefined) where.push({ active: filter.active });
  const search = filter.search?.trim();
  if (search) {
    if (search.length > USER_SEARCH_MAX) {
      throw new ValidationError(`filter.search: at most ${USER_SEARCH_MAX} characters`, "filter.search");
    }
    const contains = { contains: likeLiteral(search), mode: "insensitive" as const };
    const administered = administeredAccounts(actor);
    where.push({
      OR: [
        { name: contains },
        { role: { in: [...administered.roles] }, unitId: { in: [...administered.unitIds] }, email: contains },
      ],
    });
  }
  return { AND: where };
}
