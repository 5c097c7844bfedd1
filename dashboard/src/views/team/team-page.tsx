import { useParams } from "react-router";
import { useQuery } from "urql";
import { ExportButton } from "../../components/export-button.js";
import { PageHeader } from "../../components/layout.js";
import { EmptyState, ErrorMessage, Loading, Panel } from "../../components/ui.js";
import { graphql, type ResultOf } from "../../graphql/graphql.js";
import { useI18n } from "../../i18n/i18n.js";
import { complianceTone } from "../kpi-tiles.js";
import { usePeriod } from "../period.js";
import { PeriodPicker } from "../period-picker.js";
import { crumbsOf, UnitQuery } from "../unit-query.js";

export const TeamFiguresQuery = graphql(`
  query TeamFigures($code: String!, $from: DateTime!, $to: DateTime!) {
    teamFigures(code: $code, from: $from, to: $to) {
      totals {
        replies
        resolved
        reopenRatePercent
        slaCompliancePercent
        firstResponse { business { median } }
        resolution { business { median } }
        satisfaction { ratings satisfiedPercent }
      }
      members {
        user { id name role }
        openAssigned
        figures {
          replies
          resolved
          reopenRatePercent
          slaCompliancePercent
          firstResponse { business { median } }
          resolution { business { median } }
          satisfaction { ratings satisfiedPercent }
        }
      }
    }
  }
`);

type Cells = ResultOf<typeof TeamFiguresQuery>["teamFigures"]["totals"];

/** `/units/:code/team`: each person of a unit's team over the period, and the team added up. */
export function TeamPage() {
  const { code = "" } = useParams();
  const { t, label, number, percent, minutes } = useI18n();
  const period = usePeriod();
  const { days, from, to, setDays } = period;
  const [unitResult] = useQuery({ query: UnitQuery, variables: { code } });
  const [{ data, error, fetching }, reexecute] = useQuery({ query: TeamFiguresQuery, variables: { code, from, to } });
  const unit = unitResult.data?.unit;
  if (unitResult.fetching && !unitResult.data) return <Loading />;
  if (!unit) return <ErrorMessage error={t("notFound")} />;
  const crumbs = [...crumbsOf(unit, t("national")), { to: `/units/${unit.code}`, label: unit.name }];
  const cells = (f: Cells) => {
    return (
      <>
        <td className="num">{number(f.replies)}</td>
        <td className="num">{number(f.resolved)}</td>
        <td className="num">{minutes(f.firstResponse.business.median)}</td>
        <td className="num">{minutes(f.resolution.business.median)}</td>
        <td className={`num tone-${complianceTone(f.slaCompliancePercent) ?? "muted"}`}>
          {percent(f.slaCompliancePercent)}
        </td>
        <td className="num">{percent(f.reopenRatePercent)}</td>
        <td className="num" title={`${number(f.satisfaction.ratings)}`}>
          {percent(f.satisfaction.satisfiedPercent)}
        </td>
      </>
    );
  };
  const headers = [
    "teamReplies",
    "teamResolved",
    "teamFirstResponse",
    "teamResolution",
    "teamSla",
    "teamReopen",
    "teamCsat",
  ] as const;
  const team = data?.teamFigures;
  return (
    <>
      <PageHeader
        crumbs={crumbs}
        title={`${t("teamTitle")} — ${unit.name}`}
        actions={
          <>
            <PeriodPicker days={days} onChange={setDays} />
            <ExportButton path="/export/team-figures.csv" params={{ code: unit.code, from, to }} />
          </>
        }
      />
      <Panel title={t("teamTitle")}>
        <p className="muted">{t("teamHelp")}</p>
        {error && !data ? (
          <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />
        ) : fetching && !data ? (
          <Loading />
        ) : !team || team.members.length === 0 ? (
          <EmptyState />
        ) : (
          <div className="table-wrap">
            <table className="data-table" data-testid="team">
              <thead>
                <tr>
                  <th scope="col">{t("teamMember")}</th>
                  <th scope="col" className="num">
                    {t("teamOpen")}
                  </th>
                  {headers.map((key) => (
                    <th key={key} scope="col" className="num">
                      {t(key)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {team.members.map((member) => (
                  <tr key={member.user.id} data-member={member.user.name}>
                    <th scope="row" className="name-cell">
                      {member.user.name} <small className="muted">{label(member.user.role)}</small>
                    </th>
                    <td className="num">{number(member.openAssigned)}</td>
                    {cells(member.figures)}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-member="">
                  <th scope="row">{t("teamTotal")}</th>
                  <td className="num">{number(team.members.reduce((sum, m) => sum + m.openAssigned, 0))}</td>
                  {cells(team.totals)}
                </tr>
              </tfoot>
            </table>
          </div>
        )}
      </Panel>
    </>
  );
}
