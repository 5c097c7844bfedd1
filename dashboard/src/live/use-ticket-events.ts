import { useEffect, useRef, useState } from "react";
import { useQuery } from "urql";
import { useAuth } from "../auth/auth.js";
import { graphql, type ResultOf } from "../graphql/graphql.js";
import { isAfter } from "./sequence.js";
import { useLiveSubscription } from "./use-live-subscription.js";

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

const StreamHeadQuery = graphql(`
  query EventStreamHead { eventStreamHead }
`);

/**
 * Every event of a unit's subtree, once and in order, across dropped connections. The stream opens after
 * the head position read first, and after a reconnect it reopens after the last position seen (or that
 * head), so the server replays whatever happened meanwhile; anything delivered twice at a seam is dropped.
 */
export function useTicketEvents(unitCode: string, onEvent: (event: StreamedEvent) => void): void {
  const { reconnects } = useAuth();
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [head, rereadHead] = useQuery({ query: StreamHeadQuery, requestPolicy: "network-only" });
  const start = head.data?.eventStreamHead ?? null;
  const last = useRef<string | null>(null);
  const [resumeAfter, setResumeAfter] = useState<string | null>(null);

  // Another unit is another stream: it starts from the head as it is now.
  const watched = useRef(unitCode);
  useEffect(() => {
    if (watched.current === unitCode) return;
    watched.current = unitCode;
    rereadHead({ requestPolicy: "network-only" });
  }, [unitCode, rereadHead]);
  useEffect(() => {
    last.current = start;
    setResumeAfter(start);
  }, [start]);
  useEffect(() => {
    if (reconnects > 0) setResumeAfter(last.current);
  }, [reconnects]);

  // A client that fell behind is told where to pick up; after any other passing fault it picks up after
  // the last event it showed. One away longer than the replay window starts over.
  useLiveSubscription(
    { query: TicketEventsSubscription, variables: { unitCode, afterSequence: resumeAfter }, pause: start === null },
    (_previous: StreamedEvent | undefined, data) => {
      const event = data.ticketEvents;
      if (event.sequence !== null && isAfter(event.sequence, last.current)) {
        last.current = event.sequence;
        handler.current(event);
      }
      return event;
    },
    (recovery) => {
      if (recovery.kind === "resume") last.current = recovery.after;
      setResumeAfter(last.current);
    },
  );
}

/** Calls `refresh` at most once per `intervalMs` while events keep arriving: figures follow the stream. */
export function useThrottledRefresh(refresh: () => void, intervalMs: number): () => void {
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
