import type { Database } from "../../db/database.js";
import { InvalidCredentialsError } from "../../errors.js";
import type { Role } from "../../generated/prisma/enums.js";
import { type AuditActor, writeAudit } from "../audit/audit-log.js";
import type { UnitTree } from "../units/unit-tree.js";
import type { CredentialCache } from "./credential-cache.js";
import type { LoginThrottle } from "./login-throttle.js";
import { hashPassword, needsRehash, verifyPassword } from "./password.js";
import { API_KEY_PREFIX, newSessionToken, SESSION_TOKEN_PREFIX, sha256Hex } from "./tokens.js";
import { ANONYMOUS, type AuthenticatedViewer, scopeOf, type Viewer } from "./viewer.js";

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

// Verifying against a real hash when the account does not exist keeps the response time the same,
// so timing does not tell which e-mail addresses have accounts.
let dummyHash: Promise<string> | undefined;

export async function login(
  db: Database,
  email: string,
  password: string,
  guard: { throttle: LoginThrottle; address: string },
  now = new Date(),
): Promise<{ token: string; expiresAt: Date; userId: string }> {
  await guard.throttle.attempt(email, guard.address);
  const user = await db.prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  dummyHash ??= hashPassword("not-a-password");
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
  // An invited person without a password yet signs in nowhere, whatever they type.
  if (!user?.active || !user.passwordHash || !valid) throw new InvalidCredentialsError();
  await guard.throttle.succeeded(email, guard.address);
  if (needsRehash(user.passwordHash)) {
    // Only this moment has the password: raise an older hash to today's parameters. A concurrent change of
    // the password wins (the update matches the hash that was checked).
    const raised = await hashPassword(password);
    await db.prisma.user.updateMany({
      where: { id: user.id, passwordHash: user.passwordHash },
      data: { passwordHash: raised },
    });
  }
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.prisma.session.create({ data: { tokenHash: sha256Hex(token), userId: user.id, expiresAt } });
  return { token, expiresAt, userId: user.id };
}

export async function logout(db: Database, sessionId: string): Promise<void> {
  await db.prisma.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Ends every open session of a user; returns how many were ended. The audit log records who did it. */
export async function revokeSessionsOf(
  db: Database,
  userId: string,
  audit: { actor: AuditActor; unitId: number },
  now = new Date(),
): Promise<number> {
  return db.prisma.$transaction(async (tx) => {
    const { count } = await tx.session.updateMany({
      where: { userId, revokedAt: null, expiresAt: { gt: now } },
      data: { revokedAt: now },
    });
    await writeAudit(tx, {
      actor: audit.actor,
      entityType: "Session",
      entityId: userId,
      action: "revoke-all",
      before: { openSessions: count },
      after: { openSessions: 0 },
      unitId: audit.unitId,
    });
    return count;
  });
}

/** `last_used_at` is kept to this resolution, so a busy key costs one write a minute, not one per request. */
export const KEY_USE_RESOLUTION_MS = 60_000;
// Keys whose write is under way: concurrent requests read the row before it lands and would write too.
const keyUseWriting = new Set<string>();
// Each key's last use as last read or written here, for requests answered from the credential cache.
const keyLastUsed = new Map<string, Date | null>();

function recordKeyUse(db: Database, keyId: string, lastUsedAt: Date | null, now: Date): void {
  const threshold = new Date(now.getTime() - KEY_USE_RESOLUTION_MS);
  if ((lastUsedAt && lastUsedAt > threshold) || keyUseWriting.has(keyId)) return;
  keyUseWriting.add(keyId);
  keyLastUsed.set(keyId, now);
  // Guarded in SQL too, so instances sharing the database also write at most once per interval.
  db.sql
    .query(
      "UPDATE api_key SET last_used_at = $2 WHERE id = $1::uuid AND (last_used_at IS NULL OR last_used_at <= $3)",
      [keyId, now, threshold],
    )
    // Best effort: a lost write only leaves last use a little older than it is.
    .catch(() => {})
    .finally(() => keyUseWriting.delete(keyId));
}

interface SessionRow {
  sessionId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  userId: string;
  email: string;
  name: string;
  role: Role;
  unitId: number;
  active: boolean;
}

export class AuthenticationError extends Error {
  override name = "AuthenticationError";
}

/**
 * Resolves an Authorization header to the caller. No header is anonymous; a bad token is an error.
 * With a cache, a credential verified moments ago is not read again (see CredentialCache).
 */
export async function authenticate(
  db: Database,
  tree: UnitTree,
  authorization: string | null | undefined,
  now = new Date(),
  cache?: CredentialCache,
): Promise<Viewer> {
  if (!authorization) return ANONYMOUS;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  const token = match?.[1];
  if (!token) throw new AuthenticationError("The Authorization header must read 'Bearer <token>'.");
  const cached = cache?.get(token, now.getTime());
  if (cached) {
    if (cached.kind === "apiKey") recordKeyUse(db, cached.keyId, keyLastUsed.get(cached.keyId) ?? null, now);
    return cached;
  }
  const hash = sha256Hex(token);
  if (token.startsWith(SESSION_TOKEN_PREFIX)) {
    // One round trip on every request: the session and its user together.
    const [session] = await db.sql.prepared<SessionRow>(
      "auth_session",
      `SELECT s.id AS "sessionId", s.expires_at AS "expiresAt", s.revoked_at AS "revokedAt", u.id AS "userId",
              u.email, u.name, u.role::text AS role, u.unit_id AS "unitId", u.active
       FROM session s JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = $1`,
      [hash],
    );
    if (!session || session.revokedAt || session.expiresAt <= now || !session.active) {
      throw new AuthenticationError("The session token is invalid or has expired; sign in again.");
    }
    const viewer: AuthenticatedViewer = {
      kind: "user",
      userId: session.userId,
      email: session.email,
      name: session.name,
      role: session.role,
      sessionId: session.sessionId,
      ...scopeOf(tree, session.unitId),
    };
    cache?.set(token, viewer, now.getTime(), session.expiresAt);
    return viewer;
  }
  if (token.startsWith(API_KEY_PREFIX)) {
    const key = await db.prisma.apiKey.findUnique({ where: { keyHash: hash } });
    if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) {
      throw new AuthenticationError("The API key is invalid, revoked or expired.");
    }
    if (keyLastUsed.size >= 10_000) keyLastUsed.clear();
    keyLastUsed.set(key.id, key.lastUsedAt);
    recordKeyUse(db, key.id, key.lastUsedAt, now);
    const viewer: AuthenticatedViewer = {
      kind: "apiKey",
      keyId: key.id,
      name: key.name,
      scopes: new Set(key.scopes),
      rateTier: key.rateTier,
      ...scopeOf(tree, key.unitId),
    };
    cache?.set(token, viewer, now.getTime(), key.expiresAt);
    return viewer;
  }
  throw new AuthenticationError("Unrecognised token.");
}
