import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useQuery } from "urql";
import type { Crumb } from "../../components/layout.js";
import { Sparkline } from "../../components/lazy-charts.js";
import { EmptyState, ErrorMessage, Loading, Panel } from "../../components/ui.js";
import { graphql, type ResultOf, readFragment } from "../../graphql/graphql.js";
import { useI18n } from "../../i18n/i18n.js";
import { useThrottledRefresh, useTicketEvents } from "../../live/use-ticket-events.js";
import { FIGURES_REFRESH_MS, useFreshness } from "../freshness.js";
import { complianceTone, HeadlineFigures } from "../kpi-tiles.js";
import { RegionMap } from "../national/region-map.js";
import { usePeriod } from "../period.js";
import { UnitHeader } from "../unit-header.js";
import type { UnitInfo } from "../unit-query.js";
import { UnitTrend, UnitTrendQuery } from "../unit-trend.js";
import { compareOffices, type OfficeSortKey, parseSort } from "./office-sort.js";

export const SubunitMetricsQuery = graphql(`
  query SubunitMetrics($code: String!, $from: DateTime!, $to: DateTime!) {
    subunitMetrics(code: $code, from: $from, to: $to, granularity: DAY) {
      unit { id code name type city }
      totals {
        created
        resolved
        breaches
        slaCompliancePercent
        backlog { open }
        satisfaction { averageRating }
        firstResponse { wall { median } }
      }
      buckets { figures { created } }
    }
  }
`);

export type OfficeRow = ResultOf<typeof SubunitMetricsQuery>["subunitMetrics"][number];

const COLUMNS: {
  key: OfficeSortKey;
  label:
    | "unit"
    | "kpiCreated"
    | "kpiResolved"
    | "kpiBacklog"
    | "kpiSla"
    | "kpiBreaches"
    | "kpiCsat"
    | "kpiFirstResponse";
}[] = [
  { key: "name", label: "unit" },
  { key: "created", label: "kpiCreated" },
  { key: "resolved", label: "kpiResolved" },
  { key: "backlog", label: "kpiBacklog" },
  { key: "sla", label: "kpiSla" },
  { key: "breaches", label: "kpiBreaches" },
  { key: "csat", label: "kpiCsat" },
  { key: "firstResponse", label: "kpiFirstResponse" },
];

/** A regional head's view: the region's offices side by side, the region on the map, its trend. */
export function RegionView({ unit, crumbs }: { unit: UnitInfo; crumbs: Crumb[] }) {
  const { t, number, percent, minutes } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const { key: sortKey, direction } = parseSort(params.get("sort"));
  const period = usePeriod();
  const { from, to } = period;
  const [freshness, setFreshness] = useState(0);
  const refresh = useThrottledRefresh(() => setFreshness((n) => n + 1), FIGURES_REFRESH_MS);
  useTicketEvents(unit.code, refresh);
  const context = useFreshness(freshness);
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: SubunitMetricsQuery,
    variables: { code: unit.code, from, to },
    context,
  });
  // The region's own totals colour its province: the same query as its KPI tiles, so urql sends it once.
  const [trend] = useQuery({ query: UnitTrendQuery, variables: { code: unit.code, from, to }, context });
  const totals = trend.data ? readFragment(HeadlineFigures, trend.data.unitMetrics.totals) : null;
  const regionRows = totals ? [{ unit, figures: totals }] : [];
  const offices = [...(data?.subunitMetrics ?? [])].sort((a, b) => compareOffices(a, b, sortKey, direction));
  const sortBy = (key: OfficeSortKey) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        updated.set("sort", `${key}:${key === sortKey && direction === "asc" ? "desc" : "asc"}`);
        return updated;
      },
      { replace: true },
    );
  return (
    <>
      <UnitHeader unit={unit} crumbs={crumbs} period={period} />
      <UnitTrend
        code={unit.code}
        from={from}
        to={to}
        refreshKey={freshness}
        aside={
          <Panel title={t("mapTitle")}>
            <RegionMap
              rows={regionRows}
              kpi="sla"
              kpiLabel={t("kpiSla")}
              focusProvince={unit.provinceCode}
              onSelectRegion={(code) => navigate(`/units/${code}`)}
            />
          </Panel>
        }
      />
      <Panel title={t("regionOffices")}>
        {error && !data ? (
          <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />
        ) : fetching && !data ? (
          <Loading />
        ) : offices.length === 0 ? (
          <EmptyState />
        ) : (
          <div className="table-wrap">
            <table className="data-table card-table office-table" data-testid="offices">
              <thead>
                <tr>
                  {COLUMNS.map((column) => (
                    <th
                      key={column.key}
                      scope="col"
                      className={column.key === "name" ? "" : "num"}
                      aria-sort={column.key === sortKey ? (direction === "asc" ? "ascending" : "descending") : "none"}
                    >
                      <button type="button" className="sort" onClick={() => sortBy(column.key)}>
                        {t(column.label)}
                        {column.key === sortKey ? (direction === "asc" ? " ▲" : " ▼") : ""}
                      </button>
                    </th>
                  ))}
                  <th scope="col">{t("trend")}</th>
                </tr>
              </thead>
              <tbody>
                {offices.map((row) => (
                  <tr key={row.unit.code}>
                    <td className="name-cell">
                      <Link to={`/units/${row.unit.code}`}>{row.unit.name}</Link>
                    </td>
                    <td className="num" data-label={t("kpiCreated")}>
                      {number(row.totals.created)}
                    </td>
                    <td className="num" data-label={t("kpiResolved")}>
                      {number(row.totals.resolved)}
                    </td>
                    <td className="num" data-label={t("kpiBacklog")}>
                      {number(row.totals.backlog.open)}
                    </td>
                    <td
                      className={`num tone-${complianceTone(row.totals.slaCompliancePercent) ?? "muted"}`}
                      data-label={t("kpiSla")}
                    >
                      {percent(row.totals.slaCompliancePercent)}
                    </td>
                    <td className="num" data-label={t("kpiBreaches")}>
                      {number(row.totals.breaches)}
                    </td>
                    <td className="num" data-label={t("kpiCsat")}>
                      {number(row.totals.satisfaction.averageRating, 2)}
                    </td>
                    <td className="num" data-label={t("kpiFirstResponse")}>
                      {minutes(row.totals.firstResponse.wall.median)}
                    </td>
                    <td className="spark-cell" data-label={t("trend")}>
                      <Sparkline
                        values={row.buckets.map((bucket) => bucket.figures.created)}
                        label={`${t("trend")}: ${row.unit.name}`}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </>
  );
}
