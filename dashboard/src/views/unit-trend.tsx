import type { ReactNode } from "react";
import { useQuery } from "urql";
import { CHART_HEIGHT } from "../components/chart-sizes.js";
import { ChannelMix, TrendChart } from "../components/lazy-charts.js";
import { EmptyState, ErrorMessage, Panel } from "../components/ui.js";
import { graphql } from "../graphql/graphql.js";
import { useI18n } from "../i18n/i18n.js";
import { useFreshness } from "./freshness.js";
import { HeadlineFigures, KpiTiles } from "./kpi-tiles.js";

export const UnitTrendQuery = graphql(
  `
  query UnitTrend($code: String!, $from: DateTime!, $to: DateTime!) {
    unitMetrics(code: $code, from: $from, to: $to, granularity: DAY) {
      timeZone
      totals { ...HeadlineFigures }
      buckets { start figures { created resolved } }
      breakdown { dimension key created sharePercent }
    }
  }
`,
  [HeadlineFigures],
);

/** A unit's headline KPIs, its daily trend and its channel mix over the period. */
export function UnitTrend({
  code,
  from,
  to,
  refreshKey,
  aside,
}: {
  code: string;
  from: string;
  to: string;
  refreshKey: number;
  /** A further panel shown beside the charts, e.g. the map. */
  aside?: ReactNode;
}) {
  const { t } = useI18n();
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: UnitTrendQuery,
    variables: { code, from, to },
    context: useFreshness(refreshKey),
  });
  if (error && !data)
    return <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />;
  // While loading, the tiles and panels already take their places, so the page below does not move.
  if (fetching && !data) return <TrendSkeleton aside={aside} />;
  if (!data) return <EmptyState />;
  const metrics = data.unitMetrics;
  const channels = metrics.breakdown.filter((row) => row.dimension === "CHANNEL");
  return (
    <>
      <KpiTiles figures={metrics.totals} />
      <div className={aside ? "grid-3" : "grid-2"}>
        <Panel title={t("trendTitle")}>
          <TrendChart
            timeZone={metrics.timeZone}
            points={metrics.buckets.map((bucket) => ({ start: bucket.start, ...bucket.figures }))}
          />
        </Panel>
        <Panel title={t("channelMixTitle")}>{channels.length ? <ChannelMix rows={channels} /> : <EmptyState />}</Panel>
        {aside}
      </div>
    </>
  );
}

function TrendSkeleton({ aside }: { aside?: ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <div className="kpis kpis-loading" role="status" aria-label={t("loading")} />
      <div className={aside ? "grid-3" : "grid-2"}>
        <Panel title={t("trendTitle")}>
          <div className="chart" style={{ height: CHART_HEIGHT }} />
        </Panel>
        <Panel title={t("channelMixTitle")}>
          <div className="chart" style={{ height: CHART_HEIGHT }} />
        </Panel>
        {aside}
      </div>
    </>
  );
}
