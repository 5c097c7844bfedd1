import { useEffect, useRef, useState } from "react";
import { useSubscription } from "urql";
import { useAuth } from "../auth/auth.js";
import { graphql, type ResultOf } from "../graphql/graphql.js";
import { isAfter } from "./sequence.js";

export const TicketEventsSubscription = graphql(`
  subscription TicketEvents($unitCode: String!, $afterSequence: String) {
    ticketEvents(unitCode: $unitCode, afterSequence: $afterSequence) {
      id
      sequence
      type
      at
      data
      actorLabel
      actor { id name }
      unit { id code name timeZone }
      ticket {
        id
        number
        subject
        status
        priority
        assignee { id name }
        sla { kind state dueAt remainingMinutes atRiskAt }
      }
    }
  }
`);

export type StreamedEvent = ResultOf<typeof TicketEventsSubscription>["ticketEvents"];

/**
 * Every event of a unit's subtree, once and in order, across dropped connections: after a reconnect the
 * stream is reopened after the last position seen, so the server replays what was missed, and anything
 * delivered twice at the seam is dropped here.
 */
export function useTicketEvents(unitCode: string, onEvent: (event: StreamedEvent) => void): void {
  const { reconnects } = useAuth();
  const last = useRef<string | null>(null);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [resumeAfter, setResumeAfter] = useState<string | null>(null);

  useEffect(() => {
    last.current = null;
    setResumeAfter(null);
  }, [unitCode]);
  useEffect(() => {
    if (reconnects > 0) setResumeAfter(last.current);
  }, [reconnects]);

  useSubscription(
    { query: TicketEventsSubscription, variables: { unitCode, afterSequence: resumeAfter } },
    (_previous: StreamedEvent | undefined, data) => {
      const event = data.ticketEvents;
      if (event.sequence !== null && isAfter(event.sequence, last.current)) {
        last.current = event.sequence;
        handler.current(event);
      }
      return event;
    },
  );
}

/** Calls `refresh` at most once per `intervalMs` while events keep arriving: figures follow the stream. */
export function useThrottledRefresh(refresh: () => void, intervalMs = 10_000): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, intervalMs);
  };
}
