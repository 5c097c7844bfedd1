import type { ReactNode } from "react";
import { Link } from "react-router";
import { useViewer } from "../auth/auth.js";
import { ExportButton } from "../components/export-button.js";
import { type Crumb, PageHeader } from "../components/layout.js";
import { useI18n } from "../i18n/i18n.js";
import type { usePeriod } from "./period.js";
import { PeriodPicker } from "./period-picker.js";
import type { UnitInfo } from "./unit-query.js";

/** A unit's title under its place in the tree, with the period and the CSV of its daily figures. */
export function UnitHeader({
  unit,
  crumbs,
  period,
  extra,
}: {
  unit: UnitInfo;
  crumbs: Crumb[];
  period: ReturnType<typeof usePeriod>;
  extra?: ReactNode;
}) {
  const { days, from, to, setDays } = period;
  const { t } = useI18n();
  const { viewer } = useViewer();
  // Figures per person are for those who supervise (the API refuses everyone else).
  const supervises = viewer?.kind === "USER" && viewer.role !== "AGENT";
  return (
    <PageHeader
      crumbs={crumbs}
      title={unit.name}
      actions={
        <>
          {extra}
          {supervises ? <Link to={`/units/${unit.code}/team?days=${days}`}>{t("teamLink")}</Link> : null}
          <PeriodPicker days={days} onChange={setDays} />
          <ExportButton path="/export/unit-metrics.csv" params={{ code: unit.code, from, to, granularity: "DAY" }} />
        </>
      }
    />
  );
}
