import { randomBytes } from "node:crypto";
import type { Database } from "../../db/database.js";
import { NotFoundError, SetupLinkError, WeakPasswordError } from "../../errors.js";
import type { Prisma } from "../../generated/prisma/client.js";
import { type AuditActor, writeAudit } from "../audit/audit-log.js";
import { SESSION_TTL_MS } from "../auth/auth-service.js";
import { hashPassword } from "../auth/password.js";
import { newSessionToken, sha256Hex } from "../auth/tokens.js";
import { brokenPasswordRule, PASSWORD_RULE_MESSAGES } from "./password-policy.js";

/** A link to set a password works once, within this long of being issued. */
export const SETUP_LINK_TTL_MS = 24 * 60 * 60 * 1000;
export const SETUP_TOKEN_PREFIX = "ptp_";

export interface SetupLink {
  /** The secret, shown once; only its SHA-256 is stored. */
  token: string;
  url: string;
  expiresAt: Date;
}

/** The token travels in the fragment, which browsers send to no server and put in no Referer. */
export function setupLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/set-password#token=${token}`;
}

/**
 * Issues a new link inside the caller's transaction; links issued before and not yet used stop
 * working, so only the newest link an administrator handed out opens the account.
 */
export async function issueSetupLink(
  tx: Prisma.TransactionClient,
  userId: string,
  publicUrl: string,
  now = new Date(),
): Promise<SetupLink> {
  await tx.passwordSetup.updateMany({ where: { userId, usedAt: null, revokedAt: null }, data: { revokedAt: now } });
  const token = SETUP_TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SETUP_LINK_TTL_MS);
  await tx.passwordSetup.create({ data: { tokenHash: sha256Hex(token), userId, createdAt: now, expiresAt } });
  return { token, url: setupLinkUrl(publicUrl, token), expiresAt };
}

/** A new link for an existing account, by e-mail (the operator's reset), with its audit record. */
export async function reissueSetupLink(
  db: Database,
  actor: AuditActor,
  email: string,
  publicUrl: string,
  now = new Date(),
): Promise<{ email: string; link: SetupLink }> {
  const folded = email.trim().toLowerCase();
  return db.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: folded } });
    if (!user?.active) throw new NotFoundError(`No active account with the e-mail address "${folded}".`);
    const link = await issueSetupLink(tx, user.id, publicUrl, now);
    await writeAudit(tx, {
      actor,
      entityType: "User",
      entityId: user.id,
      action: "reset-password",
      before: null,
      after: { setupLinkExpiresAt: link.expiresAt },
      unitId: user.unitId,
    });
    return { email: user.email, link };
  });
}

interface LinkRow {
  id: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  user: { id: string; email: string; active: boolean; unitId: number };
}

function refusal(link: LinkRow | null, now: Date): SetupLinkError | null {
  if (!link || link.revokedAt || !link.user.active) {
    return new SetupLinkError(
      "SETUP_LINK_INVALID",
      "This link is not valid (it may have been replaced by a newer one).",
    );
  }
  if (link.usedAt) return new SetupLinkError("SETUP_LINK_USED", "This link was already used.");
  if (link.expiresAt <= now) return new SetupLinkError("SETUP_LINK_EXPIRED", "This link has expired.");
  return null;
}

/**
 * Sets the password of the link's account and uses the link up, in one transaction with the audit
 * record; every open session of the account ends, since a reset means the old password is not trusted,
 * and a new one is opened for the person who set it.
 * The link is checked before the password is hashed, so an unknown token costs no hashing.
 */
export async function completePasswordSetup(
  db: Database,
  token: string,
  password: string,
  knownPasswords: readonly string[],
  now = new Date(),
): Promise<{ userId: string; email: string; token: string; expiresAt: Date }> {
  const tokenHash = token.startsWith(SETUP_TOKEN_PREFIX) && token.length < 200 ? sha256Hex(token) : null;
  const select = {
    id: true,
    userId: true,
    expiresAt: true,
    usedAt: true,
    revokedAt: true,
    user: { select: { id: true, email: true, active: true, unitId: true } },
  } as const;
  const found = tokenHash ? await db.prisma.passwordSetup.findUnique({ where: { tokenHash }, select }) : null;
  const early = refusal(found, now);
  if (early || !found) throw early;
  const rule = brokenPasswordRule(password, { email: found.user.email, knownPasswords });
  if (rule) throw new WeakPasswordError(rule, PASSWORD_RULE_MESSAGES[rule]);
  const passwordHash = await hashPassword(password);
  return db.prisma.$transaction(async (tx) => {
    // The link is taken in the transaction, so two uses racing each other cannot both succeed.
    const { count } = await tx.passwordSetup.updateMany({
      where: { id: found.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count === 0) {
      throw (
        refusal(await tx.passwordSetup.findUnique({ where: { id: found.id }, select }), now) ??
        new SetupLinkError("SETUP_LINK_USED", "This link was already used.")
      );
    }
    const before = await tx.user.findUniqueOrThrow({ where: { id: found.userId }, select: { passwordHash: true } });
    await tx.user.update({ where: { id: found.userId }, data: { passwordHash } });
    const { count: sessionsEnded } = await tx.session.updateMany({
      where: { userId: found.userId, revokedAt: null, expiresAt: { gt: now } },
      data: { revokedAt: now },
    });
    await writeAudit(tx, {
      actor: { kind: "USER", userId: found.userId, name: found.user.email },
      entityType: "User",
      entityId: found.userId,
      action: "set-password",
      before: { hasPassword: before.passwordHash !== null },
      after: { hasPassword: true, sessionsEnded },
      unitId: found.user.unitId,
    });
    // The person is signed in at once with a session of their own, opened after the old ones ended.
    const token = newSessionToken();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await tx.session.create({ data: { tokenHash: sha256Hex(token), userId: found.userId, expiresAt } });
    return { userId: found.userId, email: found.user.email, token, expiresAt };
  });
}
