import type { Role, TicketEventType } from "../../generated/prisma/enums.js";

/**
 * The KIP extension of a ticket's resolution deadline as its event log tells it. An agent asks for it
 * with the written reason (EXTENSION_REQUESTED); a supervisor of the ticket's unit or above grants it
 * (SLA_EXTENDED, which the clock engine reads) or refuses it (EXTENSION_REFUSED). The last of these
 * events decides the state; a refused request may be asked again with a better reason, a granted one
 * is final (the law allows one extension).
 */
export type ExtensionState = "NONE" | "PENDING" | "GRANTED" | "REFUSED";

export interface ExtensionEvent {
  type: TicketEventType;
  actorId: string | null;
  data: unknown;
}

export interface Extension {
  state: ExtensionState;
  /** Who asked, for the pending (or last) request. */
  requestedBy: string | null;
  /** The written reason of the pending (or last) request. */
  reason: string | null;
}

export const EXTENSION_EVENTS: readonly TicketEventType[] = [
  "EXTENSION_REQUESTED",
  "EXTENSION_REFUSED",
  "SLA_EXTENDED",
];

export function extensionOf(events: readonly ExtensionEvent[]): Extension {
  let extension: Extension = { state: "NONE", requestedBy: null, reason: null };
  for (const event of events) {
    if (event.type === "EXTENSION_REQUESTED") {
      const reason = (event.data as { reason?: unknown } | null)?.reason;
      extension = { state: "PENDING", requestedBy: event.actorId, reason: typeof reason === "string" ? reason : null };
    } else if (event.type === "EXTENSION_REFUSED") {
      extension = { ...extension, state: "REFUSED" };
    } else if (event.type === "SLA_EXTENDED") {
      extension = { ...extension, state: "GRANTED" };
    }
  }
  return extension;
}

export type DecisionRefusal = "NOT_A_SUPERVISOR" | "OWN_REQUEST" | "OWN_TICKET";

/**
 * Whether a person may decide on a ticket's extension (the scope check, ticket in the decider's
 * subtree, is the caller's): a supervisor, who neither asked for it nor holds the ticket, so that
 * nobody extends their own deadline.
 */
export function decisionRefusal(
  decider: { userId: string; role: Role },
  ticket: { assigneeId: string | null },
  requestedBy: string | null,
): DecisionRefusal | null {
  if (decider.role === "AGENT") return "NOT_A_SUPERVISOR";
  if (requestedBy !== null && requestedBy === decider.userId) return "OWN_REQUEST";
  if (ticket.assigneeId !== null && ticket.assigneeId === decider.userId) return "OWN_TICKET";
  return null;
}

export const DECISION_REFUSAL_MESSAGE: Record<DecisionRefusal, string> = {
  NOT_A_SUPERVISOR: "Agents request an extension; a supervisor of the ticket's unit or above decides it.",
  OWN_REQUEST: "An extension you asked for is decided by another supervisor.",
  OWN_TICKET: "The extension of a ticket you hold is decided by another supervisor.",
};
