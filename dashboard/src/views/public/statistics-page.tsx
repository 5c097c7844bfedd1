import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import type { ResultOf } from "../../graphql/graphql.js";
import { publicRequest, StatisticsQuery } from "./public-api.js";
import { usePublicText } from "./public-messages.js";
import { PublicShell } from "./public-shell.js";

type Statistics = Extract<
  ResultOf<typeof StatisticsQuery>["publicStatistics"],
  { __typename: "PublicStatisticsSuccess" }
>["statistics"];
type Figures = Statistics["figures"];

/** The months a visitor can pick: this one (WIB) and the eleven before it, newest first. */
function recentMonths(now = new Date()): string[] {
  const local = new Date(now.getTime() + 7 * 3_600_000);
  return Array.from({ length: 12 }, (_, back) => {
    const date = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - back, 1));
    return date.toISOString().slice(0, 7);
  });
}

/** `/statistik`: each unit's month in figures for anyone, drilling from the nation to a region's offices. */
export function StatisticsPage() {
  const { text, language } = usePublicText();
  const [params, setParams] = useSearchParams();
  const months = recentMonths();
  const month = params.get("bulan") ?? (months[0] as string);
  const unitCode = params.get("unit");
  const [statistics, setStatistics] = useState<Statistics | null>(null);
  const [failure, setFailure] = useState<"statsUnknownUnit" | "statsBadMonth" | "statsUnavailable" | null>(null);

  useEffect(() => {
    let live = true;
    setFailure(null);
    publicRequest(StatisticsQuery, { month, unitCode })
      .then(({ publicStatistics: result }) => {
        if (!live) return;
        if (result.__typename === "PublicStatisticsSuccess") setStatistics(result.statistics);
        else {
          setStatistics(null);
          setFailure(result.__typename === "NotFoundError" ? "statsUnknownUnit" : "statsBadMonth");
        }
      })
      .catch(() => live && setFailure("statsUnavailable"));
    return () => {
      live = false;
    };
  }, [month, unitCode]);

  const monthName = (value: string) =>
    new Intl.DateTimeFormat(language === "id" ? "id-ID" : "en-GB", {
      month: "long",
      year: "numeric",
      timeZone: "UTC",
    }).format(new Date(`${value}-01T00:00:00Z`));
  const select = (next: { bulan?: string; unit?: string | null }) => {
    const merged = new URLSearchParams(params);
    if (next.bulan) merged.set("bulan", next.bulan);
    if (next.unit === null) merged.delete("unit");
    else if (next.unit) merged.set("unit", next.unit);
    setParams(merged);
  };
  const query = `month=${month}${unitCode ? `&unit=${encodeURIComponent(unitCode)}` : ""}`;

  return (
    <PublicShell title={text("statsTitle")}>
      <p className="muted">{text("statsIntro")}</p>
      <div className="public-form public-stats-controls">
        <label>
          {text("statsMonth")}
          <select value={month} onChange={(event) => select({ bulan: event.target.value })} data-testid="stats-month">
            {months.map((value) => (
              <option key={value} value={value}>
                {monthName(value)}
              </option>
            ))}
          </select>
        </label>
        {unitCode ? (
          <button type="button" className="secondary" onClick={() => select({ unit: null })}>
            {text("statsNational")}
          </button>
        ) : null}
      </div>
      {failure ? (
        <p className="public-alert" role="alert">
          {text(failure)}
        </p>
      ) : null}
      {statistics ? (
        <section className="public-card" aria-labelledby="stats-unit" data-testid="public-statistics">
          <h2 id="stats-unit">
            {statistics.unit.name} · {monthName(statistics.month)}
            {statistics.complete ? "" : ` (${text("statsRunning")})`}
          </h2>
          <FigureTiles figures={statistics.figures} />
          <h3>{text("statsChannels")}</h3>
          <ChannelMix statistics={statistics} />
          {statistics.subunits.length ? (
            <>
              <h3>{text(statistics.unit.type === "DIRECTORATE" ? "statsRegions" : "statsOffices")}</h3>
              <SubunitTable statistics={statistics} onPick={(code) => select({ unit: code })} />
            </>
          ) : null}
          <p className="muted" data-testid="stats-suppression">
            {text("statsSuppressed", { n: statistics.smallCountThreshold })}
          </p>
          <p>
            {text("statsOpenData")} <a href={`/open-data/statistics.csv?${query}`}>CSV</a> ·{" "}
            <a href={`/open-data/statistics.json?${query}`}>JSON</a>
          </p>
        </section>
      ) : null}
      <p className="muted">
        <Link to="/lapor">{text("navReport")}</Link> · <Link to="/lacak">{text("navTrack")}</Link>
      </p>
    </PublicShell>
  );
}

function FigureTiles({ figures }: { figures: Figures }) {
  const { text, number, percent, minutes } = usePublicText();
  const withheld = (value: number | null | undefined, shown: string) =>
    value === null ? text("statsWithheld") : shown;
  const tiles: [string, string, string][] = [
    ["received", text("statsReceived"), withheld(figures.received, number(figures.received))],
    ["resolved", text("statsResolved"), withheld(figures.resolved, number(figures.resolved))],
    ["within", text("statsWithinDeadline"), percent(figures.withinDeadlinePercent)],
    ["first-response", text("statsFirstResponse"), minutes(figures.medianFirstResponseMinutes)],
    ["resolution", text("statsResolution"), minutes(figures.medianResolutionMinutes)],
  ];
  return (
    <dl className="public-stats-tiles">
      {tiles.map(([key, label, value]) => (
        <div key={key} data-testid={`stats-${key}`}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ChannelMix({ statistics }: { statistics: Statistics }) {
  const { text, label, number } = usePublicText();
  const total = statistics.figures.received ?? 0;
  if (!statistics.channels.length) return <p className="muted">{text("statsNone")}</p>;
  return (
    <table className="public-stats-table" data-testid="stats-channels">
      <thead>
        <tr>
          <th scope="col">{text("statsChannel")}</th>
          <th scope="col">{text("statsReceived")}</th>
          <th scope="col">{text("statsShare")}</th>
        </tr>
      </thead>
      <tbody>
        {statistics.channels.map((row) => {
          const share = row.received !== null && total ? (row.received / total) * 100 : null;
          return (
            <tr key={row.channel}>
              <th scope="row">{label(row.channel)}</th>
              <td>{row.received === null ? text("statsWithheld") : number(row.received)}</td>
              <td>
                {share === null ? (
                  "–"
                ) : (
                  <span className="public-stats-bar">
                    <span style={{ width: `${Math.max(0.1, share * 0.06)}rem` }} aria-hidden="true" />
                    {number(share, 1)}%
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** "Kantor Wilayah Direktorat Jenderal Imigrasi Jawa Timur" as people say it in a table: "Kanwil Jawa Timur". */
const shortName = (name: string) => name.replace(/^Kantor Wilayah Direktorat Jenderal Imigrasi\s+/, "Kanwil ");

function SubunitTable({ statistics, onPick }: { statistics: Statistics; onPick: (code: string) => void }) {
  const { text, number, percent, minutes } = usePublicText();
  const drills = statistics.unit.type === "DIRECTORATE";
  const shown = (value: number | null) => (value === null ? text("statsWithheld") : number(value));
  return (
    <div className="public-stats-scroll">
      <table className="public-stats-table" data-testid="stats-subunits">
        <thead>
          <tr>
            <th scope="col">{text("statsUnit")}</th>
            <th scope="col">{text("statsReceived")}</th>
            <th scope="col">{text("statsResolved")}</th>
            <th scope="col">{text("statsWithinDeadline")}</th>
            <th scope="col">{text("statsFirstResponse")}</th>
          </tr>
        </thead>
        <tbody>
          {statistics.subunits.map(({ unit, figures }) => (
            <tr key={unit.code}>
              <th scope="row">
                {drills ? (
                  <button type="button" className="link" title={unit.name} onClick={() => onPick(unit.code)}>
                    {shortName(unit.name)}
                  </button>
                ) : (
                  unit.name
                )}
              </th>
              <td>{shown(figures.received)}</td>
              <td>{shown(figures.resolved)}</td>
              <td>{percent(figures.withinDeadlinePercent)}</td>
              <td>{minutes(figures.medianFirstResponseMinutes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
