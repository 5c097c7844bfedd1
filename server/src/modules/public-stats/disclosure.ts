/**
 * What the public statistics may show. Published counts must not let anyone single out a citizen: a count
 * below the threshold is withheld, and so is a second one beside it whenever a single withheld figure could
 * be recovered by subtracting the shown ones from a shown total (complementary suppression).
 */

/** Counts below this are withheld, and medians and shares computed from fewer cases. */
export const SMALL_COUNT_THRESHOLD = 5;

/** Withheld counts are null. */
export type Shown = number | null;

/** A count as published: null when it is small (but not zero: "none" identifies no one). */
export function showCount(count: number, threshold = SMALL_COUNT_THRESHOLD): Shown {
  return count > 0 && count < threshold ? null : count;
}

/** A figure computed from `cases` cases (a median, a share): null unless there are enough of them. */
export function showFrom<T>(value: T | null, cases: number, threshold = SMALL_COUNT_THRESHOLD): T | null {
  return cases >= threshold ? value : null;
}

/**
 * Counts of the parts of a shown total (the offices of a region, the channels of a unit), published.
 * Each small count is withheld; if exactly one part is withheld, the smallest other non-zero part is
 * withheld with it, so that the total minus the shown parts never reveals a small count. When the total
 * itself is withheld every part is.
 */
export function showParts(counts: readonly number[], totalShown: boolean, threshold = SMALL_COUNT_THRESHOLD): Shown[] {
  if (!totalShown) return counts.map((count) => (count === 0 ? 0 : null));
  const shown: Shown[] = counts.map((count) => showCount(count, threshold));
  const withheld = shown.filter((value) => value === null).length;
  if (withheld !== 1) return shown;
  let partner = -1;
  counts.forEach((count, index) => {
    if (shown[index] === null || count === 0) return;
    if (partner === -1 || count < (counts[partner] as number)) partner = index;
  });
  if (partner !== -1) shown[partner] = null;
  return shown;
}

/** A month as "YYYY-MM", checked: months from January 2020 up to the current one. */
export function parseMonth(text: string, now: Date, timeZoneOffsetMinutes: number): { year: number; month: number } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text.trim());
  if (!match) throw new MonthError("month: write it as YYYY-MM, e.g. 2026-11");
  const year = Number(match[1]);
  const month = Number(match[2]);
  const local = new Date(now.getTime() + timeZoneOffsetMinutes * 60_000);
  const current = local.getUTCFullYear() * 12 + local.getUTCMonth();
  const asked = year * 12 + (month - 1);
  if (asked > current) throw new MonthError("month: figures exist only up to the current month");
  if (year < 2020) throw new MonthError("month: figures start in January 2020");
  return { year, month };
}

export class MonthError extends Error {
  override name = "MonthError";
}
