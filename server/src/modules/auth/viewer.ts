import type { RateTier, Role } from "../../generated/prisma/enums.js";
import type { UnitTree } from "../units/unit-tree.js";

/** API key scopes. A key may do nothing it was not given. */
export const ApiKeyScope = {
  TICKETS_READ: "tickets:read",
  TICKETS_WRITE: "tickets:write",
  METRICS_READ: "metrics:read",
  PERSONAL_DATA_READ: "personal-data:read",
  RATINGS_WRITE: "ratings:write",
  WEBHOOKS_MANAGE: "webhooks:manage",
} as const;
export type ApiKeyScope = (typeof ApiKeyScope)[keyof typeof ApiKeyScope];

interface Scoped {
  /** Root of the unit subtree the caller may see. */
  readonly unitId: number;
  /** Ids of every unit in that subtree. */
  readonly unitIds: ReadonlySet<number>;
}

export interface UserViewer extends Scoped {
  readonly kind: "user";
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly sessionId: string;
}

export interface ApiKeyViewer extends Scoped {
  readonly kind: "apiKey";
  readonly keyId: string;
  readonly name: string;
  readonly scopes: ReadonlySet<string>;
  /** Which query-cost budget the key draws from. */
  readonly rateTier: RateTier;
  /** How its events name it, for a channel's intake (e.g. `channel:whatsapp`); else `api-key:<name>`. */
  readonly actorLabel?: string;
}

export interface AnonymousViewer {
  readonly kind: "anonymous";
}

export type Viewer = UserViewer | ApiKeyViewer | AnonymousViewer;
export type AuthenticatedViewer = UserViewer | ApiKeyViewer;

export const ANONYMOUS: AnonymousViewer = { kind: "anonymous" };

export function scopeOf(tree: UnitTree, unitId: number): Scoped {
  return { unitId, unitIds: tree.subtree(unitId) };
}

export function canReadTickets(viewer: Viewer): viewer is AuthenticatedViewer {
  if (viewer.kind === "user") return true;
  return viewer.kind === "apiKey" && viewer.scopes.has(ApiKeyScope.TICKETS_READ);
}

/** Staff see the figures of their scope; keys need the metrics scope. */
export function canReadMetrics(viewer: Viewer): viewer is AuthenticatedViewer {
  if (viewer.kind === "user") return true;
  return viewer.kind === "apiKey" && viewer.scopes.has(ApiKeyScope.METRICS_READ);
}

/** Staff act on tickets; regional heads and the directorate supervise and may act too. */
export function canWriteTickets(viewer: Viewer): viewer is AuthenticatedViewer {
  if (viewer.kind === "user") return true;
  return viewer.kind === "apiKey" && viewer.scopes.has(ApiKeyScope.TICKETS_WRITE);
}

/**
 * Who may record a citizen's satisfaction rating: an integrated survey channel's key with the ratings
 * scope, or staff transcribing a paper form (the service checks that they did not handle the ticket).
 * tickets:write alone does not suffice, so a channel that works tickets cannot also score them.
 */
export function canRateTickets(viewer: Viewer): viewer is AuthenticatedViewer {
  if (viewer.kind === "user") return true;
  return viewer.kind === "apiKey" && viewer.scopes.has(ApiKeyScope.RATINGS_WRITE);
}

/**
 * Reporter identity is confidential (Perpres 76/2013): only those who handle tickets, the unit's
 * supervisors and agents, see it, plus keys explicitly entitled to it.
 */
export function canSeePersonalData(viewer: Viewer): boolean {
  if (viewer.kind === "user") return viewer.role === "AGENT" || viewer.role === "UNIT_SUPERVISOR";
  return viewer.kind === "apiKey" && viewer.scopes.has(ApiKeyScope.PERSONAL_DATA_READ);
}

/** A third party's key that registers endpoints for the ticket events of its scope. */
export function canManageWebhooks(viewer: Viewer): viewer is ApiKeyViewer {
  return viewer.kind === "apiKey" && viewer.scopes.has(ApiKeyScope.WEBHOOKS_MANAGE);
}

/**
 * Figures per person (staff competency) are for the people measured and those who supervise them: a
 * supervisor sees their unit's, a regional head their region's, the directorate everyone's. Never an API
 * key, whatever its scopes: third parties see units, not persons.
 */
export function canReadTeamFigures(viewer: Viewer): viewer is UserViewer {
  return viewer.kind === "user" && viewer.role !== "AGENT";
}

/** Who watches the administrators: the directorate for the country, regional heads for their region. */
export function canReadAuditLog(viewer: Viewer): viewer is UserViewer {
  return viewer.kind === "user" && (viewer.role === "DIRECTORATE" || viewer.role === "REGIONAL_HEAD");
}

export function actorOf(viewer: AuthenticatedViewer): { actorId: string | null; actorLabel: string | null } {
  return viewer.kind === "user"
    ? { actorId: viewer.userId, actorLabel: null }
    : { actorId: null, actorLabel: viewer.actorLabel ?? `api-key:${viewer.name}` };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Never matches a row: stands in for a malformed id, so it reads like one that does not exist. */
export const NO_UUID = "00000000-0000-0000-0000-000000000000";

export const uuidOrNone = (id: string): string => (UUID.test(id) ? id : NO_UUID);

/**
 * The units whose rows a global id may resolve to for this caller: none unless `may` allows the kind of
 * object at all, so a node the caller may not read answers like one that does not exist.
 */
export function nodeUnitIds(viewer: Viewer, may: (viewer: Viewer) => boolean = () => true): number[] {
  return viewer.kind !== "anonymous" && may(viewer) ? [...viewer.unitIds] : [];
}
