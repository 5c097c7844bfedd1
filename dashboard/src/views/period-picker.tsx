import { useI18n } from "../i18n/i18n.js";
import { PERIODS, type PeriodDays } from "./period.js";

const LABEL = { 7: "last7", 30: "last30", 90: "last90" } as const;

export function PeriodPicker({ days, onChange }: { days: PeriodDays; onChange(days: PeriodDays): void }) {
  const { t } = useI18n();
  return (
    <fieldset className="segmented">
      <legend>{t("period")}</legend>
      {PERIODS.map((option) => (
        <label key={option} className={option === days ? "active" : ""}>
          <input
            type="radio"
            name="period"
            value={option}
            checked={option === days}
            onChange={() => onChange(option)}
          />
          {t(LABEL[option])}
        </label>
      ))}
    </fieldset>
  );
}
