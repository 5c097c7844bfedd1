import { useEffect, useRef, useState } from "react";

/**
 * A value that holds until an instant and is computed again then, for windows that must move with time.
 * Checked every minute as well: a timer set far ahead can fire late or not at all when the machine sleeps.
 * `key` starts over when what the value is computed from changes.
 */
export function useRollover<T>(compute: () => T, endsAt: (value: T) => number, key: string): T {
  // The functions may be new on every render; only `key` and the value's end decide when to roll.
  const latest = useRef({ compute, endsAt });
  latest.current = { compute, endsAt };
  const [state, setState] = useState(() => ({ key, value: compute() }));
  const value = state.key === key ? state.value : compute();
  const end = endsAt(value);
  useEffect(() => {
    const roll = () =>
      setState((current) => {
        const { compute, endsAt } = latest.current;
        const next = compute();
        return current.key === key && endsAt(current.value) === endsAt(next) ? current : { key, value: next };
      });
    roll();
    const atEnd = setTimeout(roll, Math.max(0, end - Date.now()) + 50);
    const everyMinute = setInterval(roll, 60_000);
    return () => {
      clearTimeout(atEnd);
      clearInterval(everyMinute);
    };
  }, [key, end]);
  return value;
}
