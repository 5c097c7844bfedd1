import type { ClockFigures, Figures } from "./metrics-service.js";

/** Percent with one decimal, or null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

/**
 * Service level as contact centres define it: clocks met on time ÷ clocks judged (met + breached). A
 * rejection is in neither, so rejecting a request cannot raise or lower it.
 */
export function compliance(clock: Pick<ClockFigures, "met" | "judged">): number | null {
  return percent(clock.met, clock.judged);
}

/** Both clocks together. */
export function overallCompliance(figures: Pick<Figures, "clocks">): number | null {
  const met = figures.clocks.reduce((sum, c) => sum + c.met, 0);
  const judged = figures.clocks.reduce((sum, c) => sum + c.judged, 0);
  return percent(met, judged);
}

/** Reopened ÷ resolved in the period. */
export function reopenRate(figures: Pick<Figures, "reopened" | "resolved">): number | null {
  return percent(figures.reopened, figures.resolved);
}

/** Average of 1–5 ratings, two decimals. */
export function averageRating(figures: Pick<Figures, "ratings" | "ratingSum">): number | null {
  return figures.ratings > 0 ? Math.round((figures.ratingSum / figures.ratings) * 100) / 100 : null;
}

/** CSAT as the industry reports it: ratings of 4 or 5 ÷ all ratings. */
export function satisfiedPercent(figures: Pick<Figures, "ratings" | "ratingsSatisfied">): number | null {
  return percent(figures.ratingsSatisfied, figures.ratings);
}

/** Ratings received ÷ resolutions (each resolution sends a survey) in the period. */
export function responseRate(figures: Pick<Figures, "ratings" | "resolved">): number | null {
  return percent(figures.ratings, figures.resolved);
}

/** The 1–5 average on a 0–100 scale (1 → 0, 5 → 100), as the care index uses it. */
export function satisfactionScore(figures: Pick<Figures, "ratings" | "ratingSum">): number | null {
  return figures.ratings > 0 ? Math.round(((figures.ratingSum / figures.ratings - 1) / 4) * 1000) / 10 : null;
}

export type MetricStatus = "GREEN" | "AMBER" | "RED" | "NO_DATA";

/** Map colour of a unit: by overall SLA compliance (≥ 90% green, ≥ 75% amber, below red). */
export const STATUS_THRESHOLDS = { green: 90, amber: 75 } as const;

export function statusOf(compliancePercent: number | null): MetricStatus {
  if (compliancePercent === null) return "NO_DATA";
  if (compliancePercent >= STATUS_THRESHOLDS.green) return "GREEN";
  if (compliancePercent >= STATUS_THRESHOLDS.amber) return "AMBER";
  return "RED";
}

/** Weights of the care index components; absent components give their weight to the others. */
export const CARE_WEIGHTS = {
  responsiveness: 0.25,
  slaCompliance: 0.25,
  resolution: 0.2,
  satisfaction: 0.15,
  consistency: 0.15,
} as const;

export interface CareIndex {
  /** 0–100, or null when no component could be computed. */
  score: number | null;
  /** First-response clocks met on time, %. */
  responsiveness: number | null;
  /** Resolution clocks met on time, %. */
  slaCompliance: number | null;
  /** Resolved ÷ received in the period, %, capped at 100. */
  resolution: number | null;
  /** Average satisfaction rating scaled to 0–100 (1 → 0, 5 → 100); null without ratings. */
  satisfaction: number | null;
  /** 100 × (1 − coefficient of variation of daily SLA compliance), floored at 0. */
  consistency: number | null;
}

/**
 * A composition in the spirit of the AHII "The Most Caring One" assessment: every input is a figure
 * shown elsewhere, so the score can be traced and recomputed by hand.
 */
export function careIndex(
  totals: Figures,
  dailyCompliance: readonly (number | null)[],
  satisfaction: number | null = null,
): CareIndex {
  const [firstResponse, resolutionClock] = ["FIRST_RESPONSE", "RESOLUTION"].map((kind) =>
    totals.clocks.find((c) => c.clock === kind),
  );
  const components = {
    responsiveness: firstResponse ? compliance(firstResponse) : null,
    slaCompliance: resolutionClock ? compliance(resolutionClock) : null,
    resolution: totals.created > 0 ? Math.min(100, Math.round((totals.resolved / totals.created) * 1000) / 10) : null,
    satisfaction,
    consistency: consistencyOf(dailyCompliance),
  };
  let weighted = 0;
  let weights = 0;
  for (const [name, weight] of Object.entries(CARE_WEIGHTS) as [keyof typeof CARE_WEIGHTS, number][]) {
    const value = components[name];
    if (value === null) continue;
    weighted += value * weight;
    weights += weight;
  }
  return { score: weights > 0 ? Math.round((weighted / weights) * 10) / 10 : null, ...components };
}

/** Needs at least two days with judged clocks; a unit that is always at the same level scores 100. */
export function consistencyOf(daily: readonly (number | null)[]): number | null {
  const values = daily.filter((value): value is number => value !== null);
  if (values.length < 2) return null;
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  if (mean === 0) return 0;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
  return Math.round(Math.max(0, 1 - Math.sqrt(variance) / mean) * 1000) / 10;
}

/** Competition ranking (1, 2, 2, 4) by score, highest first; rows without a score come last, unranked. */
export function rank<T>(rows: readonly T[], score: (row: T) => number | null): (number | null)[] {
  return rows.map((row) => {
    const mine = score(row);
    if (mine === null) return null;
    return 1 + rows.filter((other) => (score(other) ?? Number.NEGATIVE_INFINITY) > mine).length;
  });
}
