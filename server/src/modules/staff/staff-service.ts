import type { Database } from "../../db/database.js";
import { EmailTakenError, UnknownUnitError, ValidationError } from "../../errors.js";
import type { Prisma, User } from "../../generated/prisma/client.js";
import type { Role } from "../../generated/prisma/enums.js";
import { type AuditActor, writeAudit } from "../audit/audit-log.js";
import type { UnitNode, UnitTree } from "../units/unit-tree.js";
import { issueSetupLink, type SetupLink } from "./setup-link.js";
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

/**
 * Creates an account without a password and the one-time link that lets its owner set one, with the
 * audit record, in one transaction. Who may create which account is decided by the caller.
 */
export async function createUser(
  db: Database,
  tree: UnitTree,
  actor: AuditActor,
  input: NewUserInput,
  publicUrl: string,
  now = new Date(),
): Promise<{ user: User; link: SetupLink }> {
  const email = normaliseEmail(input.email);
  if (!email) throw new ValidationError("email: not an e-mail address", "email");
  const name = checkName(input.name);
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
