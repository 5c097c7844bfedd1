import { useMemo } from "react";
import { useSearchParams } from "react-router";

export const PERIODS = [7, 30, 90] as const;
export type PeriodDays = (typeof PERIODS)[number];

/** The period a page shows, kept in the URL (`?days=30`) so a link opens the same view. */
export function usePeriod(): { days: PeriodDays; from: string; to: string; setDays(days: PeriodDays): void } {
  const [params, setParams] = useSearchParams();
  const requested = Number(params.get("days"));
  const days: PeriodDays = (PERIODS as readonly number[]).includes(requested) ? (requested as PeriodDays) : 30;
  // Fixed for the page's life so the queries' variables, and so their cache entries, stay the same.
  const { from, to } = useMemo(() => {
    const end = new Date();
    end.setUTCMinutes(0, 0, 0);
    end.setUTCHours(end.getUTCHours() + 1);
    return { from: new Date(end.getTime() - days * 86_400_000).toISOString(), to: end.toISOString() };
  }, [days]);
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
