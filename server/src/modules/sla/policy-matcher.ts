import type { Channel, Priority, TicketKind } from "../../generated/prisma/enums.js";

export interface MatchablePolicy {
  id: number;
  position: number;
  matchKinds: readonly TicketKind[];
  matchChannels: readonly Channel[];
  matchCategories: readonly string[];
  matchPriorities: readonly Priority[];
}

export interface TicketFacts {
  kind: TicketKind;
  channel: Channel;
  /** The ticket's category code and its ancestors' codes: a policy on PASSPORT covers its subtopics. */
  categoryCodes: readonly string[];
  priority: Priority;
}

const matches = <T>(allowed: readonly T[], value: T) => allowed.length === 0 || allowed.includes(value);

/** The first policy by position whose every non-empty condition holds; an empty condition matches anything. */
export function matchPolicy<P extends MatchablePolicy>(policies: readonly P[], ticket: TicketFacts): P | null {
  const ordered = [...policies].sort((a, b) => a.position - b.position || a.id - b.id);
  return (
    ordered.find(
      (policy) =>
        matches(policy.matchKinds, ticket.kind) &&
        matches(policy.matchChannels, ticket.channel) &&
        matches(policy.matchPriorities, ticket.priority) &&
        (policy.matchCategories.length === 0 ||
          ticket.categoryCodes.some((code) => policy.matchCategories.includes(code))),
    ) ?? null
  );
}
