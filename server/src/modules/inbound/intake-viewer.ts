import { ApiKeyScope, type ApiKeyViewer, scopeOf } from "../auth/viewer.js";
import type { TicketDeps } from "../tickets/ticket-service.js";

/**
 * The principal a channel's items enter as: an integrated channel, which may create tickets and add the
 * citizen's messages, nationally (a conversation's ticket may have been transferred anywhere). Its events
 * name it `channel:<name>`.
 */
export function intakeViewer(deps: TicketDeps, channel: string, name: string): ApiKeyViewer {
  const tree = deps.units();
  const root = [...tree.all()].find((unit) => unit.parentId === null);
  if (!root) throw new Error("the unit tree has no root");
  return {
    kind: "apiKey",
    keyId: `channel:${channel}`,
    name,
    actorLabel: `channel:${channel}`,
    scopes: new Set([ApiKeyScope.TICKETS_READ, ApiKeyScope.TICKETS_WRITE]),
    rateTier: "INTERNAL",
    ...scopeOf(tree, root.id),
  };
}
