import { useI18n } from "../i18n/i18n.js";
import { type ClockState, readClock } from "./countdown-state.js";
import { useNow } from "./now.js";

interface Props {
  clock: { state: ClockState; dueAt: string; remainingMinutes: number; atRiskAt?: string | null };
}

/** Time left on an SLA clock, ticking every second, coloured by urgency. */
export function Countdown({ clock }: Props) {
  const { t, seconds: formatSeconds, label } = useI18n();
  const now = useNow();
  const reading = readClock(clock, now);
  if (reading.seconds === null)
    return <span className="tone-done">{label(clock.state === "REJECTED" ? "REJECTED" : "MET")}</span>;
  const overdue = reading.seconds < 0;
  return (
    <span className={`countdown tone-${reading.tone}`} data-tone={reading.tone} data-seconds={reading.seconds}>
      {overdue ? `${t("overdue")} ${formatSeconds(-reading.seconds)}` : formatSeconds(reading.seconds)}
      {clock.state === "PAUSED" ? ` (${label("PAUSED")})` : ""}
    </span>
  );
}
