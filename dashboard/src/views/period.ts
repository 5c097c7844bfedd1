import { useMemo } from "react";
import { useSearchParams } from "react-router";
import { useRollover } from "../components/rollover.js";

export const PERIODS = [7, 30, 90] as const;
export type PeriodDays = (typeof PERIODS)[number];

/** The period a page shows, kept in the URL (`?days=30`) so a link opens the same view. */
export function usePeriod(): { days: PeriodDays; from: string; to: string; setDays(days: PeriodDays): void } {
  const [params, setParams] = useSearchParams();
  const requested = Number(params.get("days"));
  const days: PeriodDays = (PERIODS as readonly number[]).includes(requested) ? (requested as PeriodDays) : 30;
  // The window ends at the next full hour and moves on when the hour passes: between two hours the
  // queries' variables, and so their cache entries, stay the same.
  const end = useNextFullHour();
  const { from, to } = useMemo(
    () => ({ from: new Date(end - days * 86_400_000).toISOString(), to: new Date(end).toISOString() }),
    [days, end],
  );
  const setDays = (next: PeriodDays) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        updated.set("days", String(next));
        return updated;
      },
      { replace: true },
    );
  return { days, from, to, setDays };
}

function nextFullHour(now = Date.now()): number {
  return Math.floor(now / 3_600_000) * 3_600_000 + 3_600_000;
}

/** The next full hour, as epoch milliseconds, moving on when it is reached. */
export function useNextFullHour(): number {
  return useRollover(nextFullHour, (end) => end, "hour");
}
