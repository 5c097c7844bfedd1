import type { Sql } from "../../db/database.js";
import type { Prisma } from "../../generated/prisma/client.js";
import type { Viewer } from "../auth/viewer.js";

/** What an audited change was made to. A new kind of administrative change adds its entity here. */
export type AuditEntityType =
  | "User"
  | "Session"
  | "ApiKey"
  | "Unit"
  | "Category"
  | "SlaPolicy"
  | "Holiday"
  | "BusinessCalendar"
  | "RateTier"
  | "WebhookSubscription";

/** Who made a change. `system` is an operator's command on the server (e.g. creating the first administrator). */
export type AuditActor =
  | { kind: "USER"; userId: string; name: string }
  | { kind: "API_KEY"; apiKeyId: string; name: string }
  | { kind: "SYSTEM"; name: string };

export interface AuditEntry {
  actor: AuditActor;
  entityType: AuditEntityType;
  /** The entity's own id (a uuid, a number, a code), not its global id. */
  entityId: string | number | bigint;
  /** A verb in lower case: create, update, deactivate, reset-password, revoke, remove, ... */
  action: string;
  /** The entity's values before the change; null when it was created. */
  before: Record<string, unknown> | null;
  /** Its values after the change; null when it was removed. */
  after: Record<string, unknown> | null;
  /**
   * The unit whose subtree the change belongs to: a regional head reads records of units in their
   * region. Null for national changes (policies, national holidays), which only the directorate reads.
   */
  unitId: number | null;
}

/** A transaction of either kind the project opens: `db.transaction(sql => …)` or `db.prisma.$transaction(tx => …)`. */
export type AuditTransaction = Sql | Prisma.TransactionClient;

/** Secrets never enter the log, whatever a caller passes: a key that names one is replaced. */
const SECRET_KEY = /hash|password|secret|token/i;

function withoutSecrets(values: Record<string, unknown> | null): string | null {
  if (values === null) return null;
  return JSON.stringify(values, (key, value: unknown) => {
    if (key !== "" && SECRET_KEY.test(key)) return "[redacted]";
    return typeof value === "bigint" ? value.toString() : value;
  });
}

const INSERT = `INSERT INTO audit_log (actor_kind, user_id, api_key_id, actor_name, entity_type, entity_id, action, before, after, unit_id)
  VALUES ($1::"AuditActorKind", $2::uuid, $3::uuid, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::int)`;

/**
 * Appends one record inside the caller's transaction, so it commits or rolls back with the change it
 * describes: write it after the change's own statements succeeded, with the same `tx`.
 */
export async function writeAudit(tx: AuditTransaction, entry: AuditEntry): Promise<void> {
  const { actor } = entry;
  const params = [
    actor.kind,
    actor.kind === "USER" ? actor.userId : null,
    actor.kind === "API_KEY" ? actor.apiKeyId : null,
    actor.name.slice(0, 200),
    entry.entityType,
    String(entry.entityId).slice(0, 128),
    entry.action.slice(0, 64),
    withoutSecrets(entry.before),
    withoutSecrets(entry.after),
    entry.unitId,
  ];
  if ("$executeRawUnsafe" in tx) await tx.$executeRawUnsafe(INSERT, ...params);
  else await tx.query(INSERT, params);
}

/** The actor of a change made through the API. */
export function auditActorOf(viewer: Viewer): AuditActor {
  if (viewer.kind === "user") return { kind: "USER", userId: viewer.userId, name: viewer.email };
  if (viewer.kind === "apiKey") return { kind: "API_KEY", apiKeyId: viewer.keyId, name: viewer.name };
  throw new Error("An anonymous caller makes no administrative change.");
}
