import { KpiTile } from "../components/ui.js";
import { type FragmentOf, graphql, readFragment } from "../graphql/graphql.js";
import { useI18n } from "../i18n/i18n.js";

export const HeadlineFigures = graphql(`
  fragment HeadlineFigures on MetricFigures {
    created
    resolved
    breaches
    slaCompliancePercent
    backlog { open }
    satisfaction { averageRating responseRatePercent }
    firstResponse { wall { median } }
  }
`);

/** Same bands as the API's status colour rule (MetricStatus): ≥ 90 good, ≥ 75 needs attention. */
export function complianceTone(percent: number | null | undefined): "ok" | "warning" | "critical" | undefined {
  if (percent === null || percent === undefined) return undefined;
  return percent >= 90 ? "ok" : percent >= 75 ? "warning" : "critical";
}

export function KpiTiles({ figures }: { figures: FragmentOf<typeof HeadlineFigures> }) {
  const { t, number, percent, minutes } = useI18n();
  const f = readFragment(HeadlineFigures, figures);
  return (
    <div className="kpis">
      <KpiTile label={t("kpiCreated")} value={number(f.created)} />
      <KpiTile label={t("kpiResolved")} value={number(f.resolved)} />
      <KpiTile label={t("kpiBacklog")} value={number(f.backlog.open)} />
      <KpiTile
        label={t("kpiSla")}
        value={percent(f.slaCompliancePercent)}
        tone={complianceTone(f.slaCompliancePercent)}
      />
      <KpiTile label={t("kpiBreaches")} value={number(f.breaches)} tone={f.breaches > 0 ? "warning" : undefined} />
      <KpiTile
        label={t("kpiCsat")}
        value={f.satisfaction.averageRating === null ? "–" : `${number(f.satisfaction.averageRating, 2)} / 5`}
        hint={f.satisfaction.responseRatePercent === null ? undefined : percent(f.satisfaction.responseRatePercent)}
      />
      <KpiTile label={t("kpiFirstResponse")} value={minutes(f.firstResponse.wall.median)} />
    </div>
  );
}
