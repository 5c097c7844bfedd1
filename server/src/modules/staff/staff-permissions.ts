import type { Role } from "../../generated/prisma/enums.js";

/**
 * Who administers whom: the roles each role may give, take and edit, and the units at which. This is the
 * one table behind every staff mutation and the masking of staff e-mail addresses; docs/permissions.md
 * prints it. "scope" is the caller's whole unit subtree, "home" their own unit only.
 *
 * Only the directorate appoints peers: a regional head who could create regional heads could hand their
 * authority to anyone, which the rule "no one grants a role above their own" is meant to prevent.
 */
export const STAFF_AUTHORITY: Record<
  Role,
  { readonly roles: readonly Role[]; readonly units: "scope" | "home" | "none" }
> = {
  DIRECTORATE: { roles: ["DIRECTORATE", "REGIONAL_HEAD", "UNIT_SUPERVISOR", "AGENT"], units: "scope" },
  REGIONAL_HEAD: { roles: ["UNIT_SUPERVISOR", "AGENT"], units: "scope" },
  UNIT_SUPERVISOR: { roles: ["AGENT"], units: "home" },
  AGENT: { roles: [], units: "none" },
};

/** The person making a change: their role, home unit and the units they see (home unit and below). */
export interface StaffActor {
  readonly userId: string;
  readonly role: Role;
  readonly unitId: number;
  readonly unitIds: ReadonlySet<number>;
}

/** Where an account sits: what it does and at which unit. */
export interface Placement {
  readonly role: Role;
  readonly unitId: number;
}

export interface Account extends Placement {
  readonly userId: string;
}

/**
 * Why a change is refused. NOT_FOUND and UNKNOWN_UNIT are given for accounts and units outside the
 * caller's scope, so a refusal never tells that they exist.
 */
export type Refusal =
  | { code: "FORBIDDEN"; message: string }
  | { code: "NOT_FOUND"; message: string }
  | { code: "UNKNOWN_UNIT"; unitId: number }
  | { code: "ROLE_NOT_GRANTABLE"; role: Role; message: string }
  | { code: "UNIT_NOT_GRANTABLE"; unitId: number; message: string }
  | { code: "SELF_CHANGE"; field: string; message: string };

export type StaffChange =
  | { kind: "create"; placement: Placement }
  /** `next` carries what the change would make of the account; fields left out stay as they are. */
  | { kind: "update"; account: Account; next: { role?: Role; unitId?: number; active?: boolean } }
  | { kind: "deactivate"; account: Account }
  | { kind: "reset-password"; account: Account };

/** Whether the role administers anybody at all: the gate in front of every staff mutation and list. */
export function administersStaff(role: Role): boolean {
  return STAFF_AUTHORITY[role].roles.length > 0;
}

/** Whether the caller may place staff at the unit (it must also be in their scope). */
function placesAt(actor: Pick<StaffActor, "role" | "unitId" | "unitIds">, unitId: number): boolean {
  const { units } = STAFF_AUTHORITY[actor.role];
  if (units === "scope") return actor.unitIds.has(unitId);
  return units === "home" && unitId === actor.unitId;
}

/** Whether the caller administers this account as it is now: its role is one they give, at a unit they place at. */
export function administers(actor: StaffActor, account: Account): boolean {
  return (
    account.userId !== actor.userId &&
    STAFF_AUTHORITY[actor.role].roles.includes(account.role) &&
    placesAt(actor, account.unitId)
  );
}

/**
 * Staff e-mail addresses are personal data: shown to those whose role administers accounts of that role
 * at that unit. It depends on the caller's role and units only, never on who they are (your own address
 * is `viewer.email`), so live subscribers of one access profile may share one result (shared-results.ts).
 */
export function seesEmailOf(actor: Pick<StaffActor, "role" | "unitId" | "unitIds">, account: Placement): boolean {
  return STAFF_AUTHORITY[actor.role].roles.includes(account.role) && placesAt(actor, account.unitId);
}

/** The roles and units whose accounts the caller administers, for narrowing a list in the database. */
export function administeredAccounts(actor: StaffActor): { roles: readonly Role[]; unitIds: readonly number[] } {
  const { roles, units } = STAFF_AUTHORITY[actor.role];
  const unitIds = units === "scope" ? [...actor.unitIds] : units === "home" ? [actor.unitId] : [];
  return { roles, unitIds };
}

function placementRefusal(actor: StaffActor, placement: Placement): Refusal | null {
  if (!actor.unitIds.has(placement.unitId)) return { code: "UNKNOWN_UNIT", unitId: placement.unitId };
  if (!STAFF_AUTHORITY[actor.role].roles.includes(placement.role)) {
    return {
      code: "ROLE_NOT_GRANTABLE",
      role: placement.role,
      message: `A ${actor.role} cannot give the role ${placement.role}.`,
    };
  }
  if (!placesAt(actor, placement.unitId)) {
    return {
      code: "UNIT_NOT_GRANTABLE",
      unitId: placement.unitId,
      message: `A ${actor.role} places staff only at their own unit.`,
    };
  }
  return null;
}

const SELF: Record<string, string> = {
  role: "You cannot change your own role.",
  unitCode: "You cannot move yourself to another unit.",
  active: "You cannot deactivate or reactivate yourself.",
  deactivate: "You cannot deactivate yourself.",
  "reset-password": "You cannot reset your own password; another administrator issues the link.",
};

/** The refusal of a change, or null when the caller may make it. Checks run in this order, first hit wins. */
export function refusal(actor: StaffActor, change: StaffChange): Refusal | null {
  if (change.kind === "create") {
    if (!administersStaff(actor.role)) return { code: "FORBIDDEN", message: "Your role administers no staff." };
    return placementRefusal(actor, change.placement);
  }
  const { account } = change;
  if (!actor.unitIds.has(account.unitId)) return { code: "NOT_FOUND", message: "No such person in your scope." };
  if (account.userId === actor.userId) {
    if (change.kind !== "update") return { code: "SELF_CHANGE", field: "id", message: SELF[change.kind] as string };
    const { next } = change;
    const field =
      next.role !== undefined && next.role !== account.role
        ? "role"
        : next.unitId !== undefined && next.unitId !== account.unitId
          ? "unitCode"
          : next.active !== undefined
            ? "active"
            : null;
    // Your own name is yours to correct.
    return field ? { code: "SELF_CHANGE", field, message: SELF[field] as string } : null;
  }
  if (!administers(actor, account)) {
    return { code: "FORBIDDEN", message: "You do not administer this account (see the staff permissions)." };
  }
  if (change.kind === "update" && (change.next.role !== undefined || change.next.unitId !== undefined)) {
    return placementRefusal(actor, {
      role: change.next.role ?? account.role,
      unitId: change.next.unitId ?? account.unitId,
    });
  }
  return null;
}
