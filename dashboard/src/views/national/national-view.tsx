import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { ExportButton } from "../../components/export-button.js";
import { PageHeader } from "../../components/layout.js";
import { EmptyState, ErrorMessage, Loading, Panel } from "../../components/ui.js";
import { graphql, type ResultOf } from "../../graphql/graphql.js";
import { useI18n } from "../../i18n/i18n.js";
import { type StreamedEvent, useThrottledRefresh, useTicketEvents } from "../../live/use-ticket-events.js";
import { FIGURES_REFRESH_MS, useFreshness } from "../freshness.js";
import { complianceTone } from "../kpi-tiles.js";
import { usePeriod } from "../period.js";
import { PeriodPicker } from "../period-picker.js";
import { UnitTrend } from "../unit-trend.js";
import { EventFeed, isNotable } from "./event-feed.js";
import { HolidayNotice } from "./holiday-notice.js";
import { MAP_KPIS, type MapKpi, parseKpi } from "./map-kpi.js";
import { RegionMap } from "./region-map.js";

export const NationalOverviewQuery = graphql(`
  query NationalOverview($from: DateTime!, $to: DateTime!) {
    nationalOverview(from: $from, to: $to) {
      rank
      status
      unit { id code name provinceCode provinceName }
      figures {
        created
        resolved
        breaches
        slaCompliancePercent
        backlog { open }
        satisfaction { averageRating }
      }
      careIndex { score }
    }
  }
`);

export type OverviewRow = ResultOf<typeof NationalOverviewQuery>["nationalOverview"][number];

const KPI_LABEL = { sla: "kpiSla", backlog: "kpiBacklog", breaches: "kpiBreaches", csat: "kpiCsat" } as const;

/** The directorate's view: every regional office on the map, ranked, with the national trend and live events. */
export function NationalView({ rootCode }: { rootCode: string }) {
  const { t, label, number, percent } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const kpi = parseKpi(params.get("kpi"));
  const { days, from, to, setDays } = usePeriod();
  const [freshness, setFreshness] = useState(0);
  const [events, setEvents] = useState<StreamedEvent[]>([]);
  const refresh = useThrottledRefresh(() => setFreshness((n) => n + 1), FIGURES_REFRESH_MS);
  useTicketEvents(rootCode, (event) => {
    refresh();
    if (isNotable(event)) setEvents((list) => [event, ...list].slice(0, 30));
  });
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: NationalOverviewQuery,
    variables: { from, to },
    context: useFreshness(freshness),
  });
  const setKpi = (next: MapKpi) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        updated.set("kpi", next);
        return updated;
      },
      { replace: true },
    );
  const rows = data?.nationalOverview ?? [];
  return (
    <>
      <PageHeader
        crumbs={[]}
        title={t("nationalTitle")}
        actions={
          <>
            <PeriodPicker days={days} onChange={setDays} />
            <ExportButton path="/export/national-overview.csv" params={{ from, to }} />
          </>
        }
      />
      <HolidayNotice />
      <UnitTrend code={rootCode} from={from} to={to} refreshKey={freshness} />
      <div className="grid-map">
        <Panel
          title={t("mapTitle")}
          actions={
            <label className="inline-field">
              {t("mapKpi")}
              <select value={kpi} onChange={(event) => setKpi(parseKpi(event.target.value))} data-testid="map-kpi">
                {MAP_KPIS.map((option) => (
                  <option key={option} value={option}>
                    {t(KPI_LABEL[option])}
                  </option>
                ))}
              </select>
            </label>
          }
        >
          {error && !data ? (
            <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />
          ) : fetching && !data ? (
            <Loading />
          ) : (
            <RegionMap
              rows={rows}
              kpi={kpi}
              kpiLabel={t(KPI_LABEL[kpi])}
              onSelectRegion={(code) => navigate(`/units/${code}?days=${days}`)}
            />
          )}
        </Panel>
        <Panel title={t("feedTitle")}>
          <EventFeed events={events} />
        </Panel>
      </div>
      <Panel title={t("rankingTitle")}>
        {fetching && !data ? (
          <Loading />
        ) : rows.length === 0 ? (
          <EmptyState />
        ) : (
          <div className="table-wrap">
            <table className="data-table" data-testid="ranking">
              <caption className="muted">{t("careIndexHelp")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("rank")}</th>
                  <th scope="col">{t("region")}</th>
                  <th scope="col" className="num">
                    {t("kpiCareIndex")}
                  </th>
                  <th scope="col" className="num">
                    {t("kpiSla")}
                  </th>
                  <th scope="col" className="num">
                    {t("kpiCreated")}
                  </th>
                  <th scope="col" className="num">
                    {t("kpiBacklog")}
                  </th>
                  <th scope="col" className="num">
                    {t("kpiBreaches")}
                  </th>
                  <th scope="col" className="num">
                    {t("kpiCsat")}
                  </th>
                  <th scope="col">{t("status")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.unit.code}>
                    <td>{row.rank ?? "–"}</td>
                    <td>
                      <Link to={`/units/${row.unit.code}?days=${days}`} title={row.unit.name}>
                        {row.unit.provinceName}
                      </Link>
                    </td>
                    <td className="num">{number(row.careIndex.score, 1)}</td>
                    <td className={`num tone-${complianceTone(row.figures.slaCompliancePercent) ?? "muted"}`}>
                      {percent(row.figures.slaCompliancePercent)}
                    </td>
                    <td className="num">{number(row.figures.created)}</td>
                    <td className="num">{number(row.figures.backlog.open)}</td>
                    <td className="num">{number(row.figures.breaches)}</td>
                    <td className="num">{number(row.figures.satisfaction.averageRating, 2)}</td>
                    <td>
                      <span className={`status status-${row.status}`}>{label(row.status)}</span>
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
