import { secondsUntil } from "../i18n/format.js";

export type ClockState = "RUNNING" | "PAUSED" | "AT_RISK" | "BREACHED" | "MET" | "REJECTED";
export type Tone = "ok" | "warning" | "critical" | "muted" | "done";

export interface ClockReading {
  /** Seconds left (negative when overdue), or null when the clock no longer counts down. */
  seconds: number | null;
  tone: Tone;
  /** Whether the display changes by itself every second. */
  ticking: boolean;
}

/**
 * What a countdown shows. A running clock counts down to its due instant in wall time; a paused clock
 * stands still at the counted time the server reported; a met or rejected clock shows nothing left to count.
 */
export function readClock(
  clock: { state: ClockState; dueAt: string; remainingMinutes: number; atRiskAt?: string | null },
  now: number,
): ClockReading {
  switch (clock.state) {
    case "MET":
    case "REJECTED":
      return { seconds: null, tone: "done", ticking: false };
    case "PAUSED":
      return { seconds: Math.round(clock.remainingMinutes * 60), tone: "muted", ticking: false };
    default: {
      const seconds = secondsUntil(clock.dueAt, now);
      const atRisk = clock.state === "AT_RISK" || (clock.atRiskAt != null && Date.parse(clock.atRiskAt) <= now);
      const tone: Tone = seconds < 0 || clock.state === "BREACHED" ? "critical" : atRisk ? "warning" : "ok";
      return { seconds, tone, ticking: true };
    }
  }
}

/** The clock that matters most in a list: the open one due soonest. */
export function nextClock<T extends { state: ClockState; dueAt: string }>(clocks: readonly T[]): T | null {
  const open = clocks.filter((clock) => clock.state !== "MET" && clock.state !== "REJECTED");
  if (!open.length) return null;
  return open.reduce((soonest, clock) => (Date.parse(clock.dueAt) < Date.parse(soonest.dueAt) ? clock : soonest));
}
