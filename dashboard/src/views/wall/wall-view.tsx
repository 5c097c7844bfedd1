import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { useQuery } from "urql";
import { useAuth, type Viewer } from "../../auth/auth.js";
import { usePageTitle } from "../../components/page-title.js";
import { EmptyState, ErrorMessage, Loading } from "../../components/ui.js";
import { graphql } from "../../graphql/graphql.js";
import { useI18n } from "../../i18n/i18n.js";
import { useThrottledRefresh, useTicketEvents } from "../../live/use-ticket-events.js";
import { FIGURES_REFRESH_MS, useFreshness } from "../freshness.js";
import { HeadlineFigures, KpiTiles } from "../kpi-tiles.js";
import { NationalOverviewQuery } from "../national/national-view.js";
import { RegionMap } from "../national/region-map.js";
import { useLocalDay } from "./local-day.js";

const WallFiguresQuery = graphql(
  `
  query WallFigures($code: String!, $from: DateTime!, $to: DateTime!) {
    unitMetrics(code: $code, from: $from, to: $to, granularity: DAY) {
      totals { ...HeadlineFigures }
    }
    tickets(
      first: 8
      filter: { unitCode: $code, event: { type: [SLA_BREACHED], from: $from, to: $to } }
      orderBy: { field: CREATED_AT, direction: DESC }
    ) {
      totalCount
      edges { node { id number subject priority unit { id name } } }
    }
  }
`,
  [HeadlineFigures],
);

/** A screen of the rotation: the viewer's whole scope, or one regional office inside it. */
interface Screen {
  code: string;
  name: string;
  provinceCode: string | null;
}

function useClock(timeZone: string, language: string): string {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return new Intl.DateTimeFormat(language === "en" ? "en-GB" : "id-ID", {
    timeZone,
    weekday: "long",
    day: "numeric",
    month: "long",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(now);
}

/**
 * The operations-room wall: today's figures, the map and today's breaches on one screen without scrolling,
 * in type that scales with the screen. With `?rotate=<seconds>` a directorate wall shows the nation and
 * then each regional office in turn.
 */
export function WallView({ viewer }: { viewer: Viewer }) {
  const { t, language } = useI18n();
  const { liveStatus } = useAuth();
  const [params] = useSearchParams();
  const rotateSeconds = Math.max(0, Math.min(3600, Number(params.get("rotate")) || 0));
  const root = viewer.unit;
  const timeZone = root.timeZone;
  const { from, to } = useLocalDay(timeZone);
  const [freshness, setFreshness] = useState(0);
  const refresh = useThrottledRefresh(() => setFreshness((n) => n + 1), FIGURES_REFRESH_MS);
  useTicketEvents(root.code, refresh);
  const context = useFreshness(freshness);
  const national = root.type === "DIRECTORATE";
  const [overview] = useQuery({ query: NationalOverviewQuery, variables: { from, to }, context, pause: !national });
  const rows = overview.data?.nationalOverview ?? [];

  const screens = useMemo<Screen[]>(() => {
    const own: Screen = { code: root.code, name: national ? t("nationalTitle") : root.name, provinceCode: null };
    if (!rotateSeconds || !national) return [own];
    return [
      own,
      ...rows.map((row) => ({ code: row.unit.code, name: row.unit.name, provinceCode: row.unit.provinceCode })),
    ];
  }, [root, national, rotateSeconds, rows, t]);
  const [index, setIndex] = useState(0);
  useEffect(() => {
    if (screens.length < 2) return;
    const timer = setInterval(() => setIndex((i) => (i + 1) % screens.length), rotateSeconds * 1000);
    return () => clearInterval(timer);
  }, [screens.length, rotateSeconds]);
  const screen = screens[index % screens.length] ?? screens[0];
  const clock = useClock(timeZone, language);
  usePageTitle(screen ? `${t("wallTitle")}: ${screen.name}` : t("wallTitle"));

  useEffect(() => {
    document.documentElement.classList.add("wall-mode");
    return () => document.documentElement.classList.remove("wall-mode");
  }, []);

  if (!screen) return <Loading />;
  return (
    <main className="wall" data-testid="wall" data-screen={screen.code} data-day-from={from}>
      <header className="wall-header">
        <h1>
          {screen.name} · {t("today")}
        </h1>
        <div className="wall-status">
          <span className={`live live-${liveStatus}`} data-live={liveStatus} data-testid="live-status" role="status">
            <span className="live-dot" aria-hidden="true" />
            {liveStatus === "connected" ? t("live") : liveStatus === "reconnecting" ? t("offline") : t("loading")}
          </span>
          <time data-testid="wall-clock">{clock}</time>
        </div>
      </header>
      <WallFigures code={screen.code} from={from} to={to} context={context} />
      <div className="wall-body">
        <section className="wall-map" aria-label={t("mapTitle")}>
          {national ? (
            overview.error && !overview.data ? (
              <ErrorMessage error={overview.error} />
            ) : overview.fetching && !overview.data ? (
              <Loading />
            ) : (
              <RegionMap
                rows={rows}
                kpi="sla"
                kpiLabel={t("kpiSla")}
                focusProvince={screen.provinceCode ?? undefined}
                onSelectRegion={() => undefined}
              />
            )
          ) : (
            <EmptyState />
          )}
        </section>
        <WallBreaches code={screen.code} from={from} to={to} context={context} />
      </div>
    </main>
  );
}

type Freshness = ReturnType<typeof useFreshness>;

function useWallFigures(code: string, from: string, to: string, context: Freshness) {
  return useQuery({ query: WallFiguresQuery, variables: { code, from, to }, context });
}

function WallFigures({ code, from, to, context }: { code: string; from: string; to: string; context: Freshness }) {
  const [{ data, error, fetching }] = useWallFigures(code, from, to, context);
  if (error && !data) return <ErrorMessage error={error} />;
  if (fetching && !data) return <div className="kpis wall-kpis-placeholder" />;
  if (!data) return <EmptyState />;
  return (
    <div className="wall-kpis" data-testid="wall-kpis">
      <KpiTiles figures={data.unitMetrics.totals} />
    </div>
  );
}

function WallBreaches({ code, from, to, context }: { code: string; from: string; to: string; context: Freshness }) {
  const { t, label, number } = useI18n();
  const [{ data }] = useWallFigures(code, from, to, context);
  const tickets = data?.tickets;
  return (
    <section className="wall-breaches" aria-labelledby="wall-breaches-title">
      <h2 id="wall-breaches-title">
        {t("wallBreachesToday")}
        {tickets ? <span className="wall-count"> {number(tickets.totalCount)}</span> : null}
      </h2>
      {!tickets ? null : tickets.edges.length === 0 ? (
        <EmptyState>{t("wallNoBreaches")}</EmptyState>
      ) : (
        <ol className="wall-breach-list" data-testid="wall-breaches">
          {tickets.edges.map(({ node }) => (
            <li key={node.id}>
              <span className="wall-breach-number">{node.number}</span>
              <span className="wall-breach-unit">{node.unit.name}</span>
              <span className="wall-breach-subject">{node.subject}</span>
              <span className={`wall-priority wall-priority-${node.priority}`}>{label(node.priority)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
