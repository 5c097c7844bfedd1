import { useSyncExternalStore } from "react";

// One timer for every countdown on the page, so a list of fifty tickets re-renders once a second, not fifty times.
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
let now = Date.now();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const notify of listeners) notify();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The current time, updated every second while anything on the page shows it. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}
