import type { Database } from "../../db/database.js";
import { NotFoundError, UnknownUnitError, ValidationError } from "../../errors.js";
import type { ApiKey } from "../../generated/prisma/client.js";
import type { RateTier } from "../../generated/prisma/enums.js";
import { auditActorOf, writeAudit } from "../audit/audit-log.js";
import type { UnitTree } from "../units/unit-tree.js";
import { newApiKey } from "./tokens.js";
import { type ApiKeyScope, type AuthenticatedViewer, ApiKeyScope as Scopes } from "./viewer.js";

export const API_KEY_NAME_MAX = 120;
/** Keys must be rotated at least yearly; a leaked key stops working on its own. */
export const API_KEY_MAX_LIFETIME_MS = 366 * 24 * 60 * 60 * 1000;

const KNOWN_SCOPES = new Set<string>(Object.values(Scopes));

export interface NewApiKeyInput {
  name: string;
  scopes: readonly string[];
  unitCode: string;
  expiresAt: Date;
  /** The query-cost budget the key draws from; STANDARD unless the directorate agrees more. */
  rateTier?: RateTier | null;
}

/** Creates a key; the secret is returned here once and only its SHA-256 is stored. */
export async function createApiKey(
  db: Database,
  tree: UnitTree,
  viewer: AuthenticatedViewer,
  input: NewApiKeyInput,
  now = new Date(),
): Promise<{ key: string; apiKey: ApiKey }> {
  const name = input.name.trim();
  if (name.length === 0) throw new ValidationError("name: must not be blank", "name");
  if (name.length > API_KEY_NAME_MAX) {
    throw new ValidationError(`name: at most ${API_KEY_NAME_MAX} characters`, "name");
  }
  const unknown = input.scopes.find((scope) => !KNOWN_SCOPES.has(scope));
  if (unknown !== undefined) throw new ValidationError(`scopes: unknown scope "${unknown}"`, "scopes");
  const scopes = [...new Set(input.scopes as readonly ApiKeyScope[])].sort();
  const unit = tree.byCode(input.unitCode);
  if (!unit || !viewer.unitIds.has(unit.id)) throw new UnknownUnitError(input.unitCode);
  if (Number.isNaN(input.expiresAt.getTime()) || input.expiresAt.getTime() <= now.getTime()) {
    throw new ValidationError("expiresAt: must be in the future", "expiresAt");
  }
  if (input.expiresAt.getTime() - now.getTime() > API_KEY_MAX_LIFETIME_MS) {
    throw new ValidationError("expiresAt: at most 366 days ahead; create a new key to rotate", "expiresAt");
  }
  const { key, prefix, keyHash } = newApiKey();
  const apiKey = await db.prisma.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: {
        name,
        prefix,
        keyHash,
        scopes,
        unitId: unit.id,
        expiresAt: input.expiresAt,
        rateTier: input.rateTier ?? "STANDARD",
      },
    });
    await writeAudit(tx, {
      actor: auditActorOf(viewer),
      entityType: "ApiKey",
      entityId: created.id,
      action: "create",
      before: null,
      after: { ...auditedKey(created), unitCode: unit.code },
      unitId: unit.id,
    });
    return created;
  });
  return { key, apiKey };
}

/** Revokes a key in the caller's scope; revoking a revoked key changes nothing. */
export async function revokeApiKey(
  db: Database,
  viewer: AuthenticatedViewer,
  id: string,
  now = new Date(),
): Promise<ApiKey> {
  const existing = await db.prisma.apiKey.findFirst({ where: { id, unitId: { in: [...viewer.unitIds] } } });
  if (!existing) throw new NotFoundError("No such API key in your scope.");
  if (existing.revokedAt) return existing;
  return db.prisma.$transaction(async (tx) => {
    const revoked = await tx.apiKey.update({ where: { id }, data: { revokedAt: now } });
    await writeAudit(tx, {
      actor: auditActorOf(viewer),
      entityType: "ApiKey",
      entityId: id,
      action: "revoke",
      before: auditedKey(existing),
      after: auditedKey(revoked),
      unitId: revoked.unitId,
    });
    return revoked;
  });
}

/** What the audit log keeps of a key: everything but its hash. */
function auditedKey(key: ApiKey) {
  return {
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    unitId: key.unitId,
    rateTier: key.rateTier,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
  };
}
