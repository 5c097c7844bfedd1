import { useEffect, useRef } from "react";
import { type AnyVariables, type SubscriptionHandler, type UseSubscriptionArgs, useSubscription } from "urql";
import { type Recovery, recoveryFor, retryDelayMs } from "./recovery.js";

/**
 * urql's useSubscription, recovering from whatever ends the stream (see recovery.ts): it resubscribes at
 * once after SUBSCRIBER_TOO_SLOW and later with back-off after a passing fault, and leaves a final refusal
 * in `error` for the view to show. UNAUTHENTICATED needs nothing here: the client ends the session on any
 * answer that carries it (graphql/client.ts). `onRecover` runs just
 * before it resubscribes, so a stream can set where to resume.
 */
export function useLiveSubscription<Data = unknown, Result = Data, Variables extends AnyVariables = AnyVariables>(
  args: UseSubscriptionArgs<Variables, Data>,
  handler?: SubscriptionHandler<Data, Result>,
  onRecover?: (recovery: Extract<Recovery, { kind: "resume" | "retry" }>) => void,
) {
  const [state, resubscribe] = useSubscription<Data, Result, Variables>(args, handler);
  const attempts = useRef(0);
  const recover = useRef(onRecover);
  recover.current = onRecover;

  // A delivered item means the stream works again: the next fault starts the back-off over.
  useEffect(() => {
    if (state.data !== undefined) attempts.current = 0;
  }, [state.data]);

  const { error } = state;
  useEffect(() => {
    if (!error) return;
    const recovery = recoveryFor(error.graphQLErrors[0]?.extensions);
    if (recovery.kind === "sign-out" || recovery.kind === "stop") return;
    const delay = recovery.kind === "resume" ? 0 : retryDelayMs(attempts.current++);
    const timer = setTimeout(() => {
      recover.current?.(recovery);
      resubscribe();
    }, delay);
    return () => clearTimeout(timer);
  }, [error, resubscribe]);

  return state;
}
