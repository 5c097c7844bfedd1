import { useEffect, useState } from "react";
import { Link } from "react-router";
import { useQuery } from "urql";
import { useAuth, useViewer } from "../../auth/auth.js";
import type { Crumb } from "../../components/layout.js";
import { ErrorMessage, Panel } from "../../components/ui.js";
import { graphql } from "../../graphql/graphql.js";
import { useI18n } from "../../i18n/i18n.js";
import { useThrottledRefresh, useTicketEvents } from "../../live/use-ticket-events.js";
import { FIGURES_REFRESH_MS, LIST_REFRESH_MS } from "../freshness.js";
import { usePeriod } from "../period.js";
import { UnitHeader } from "../unit-header.js";
import type { UnitInfo } from "../unit-query.js";
import { UnitTrend } from "../unit-trend.js";
import { QueueBoard } from "./queue-board.js";
import { TicketList } from "./ticket-list.js";

const StaffQuery = graphql(`
  query UnitStaff($code: String!) {
    unit(code: $code) {
      id
      staff { id name role openTicketCount }
    }
  }
`);

/** A unit supervisor's view: the live queue, the ticket list, the agents' workload and the unit's KPIs. */
export function OfficeView({ unit, crumbs }: { unit: UnitInfo; crumbs: Crumb[] }) {
  const { t, label, number } = useI18n();
  const { viewer } = useViewer();
  const period = usePeriod();
  const { from, to } = period;
  const [freshness, setFreshness] = useState(0);
  const [listFreshness, setListFreshness] = useState(0);
  const refreshFigures = useThrottledRefresh(() => setFreshness((n) => n + 1), FIGURES_REFRESH_MS);
  // Any event may move a ticket into or out of the filtered list (a new ticket, a transfer, a status or SLA
  // change); the list follows within a few seconds however many events arrive.
  const refreshList = useThrottledRefresh(() => setListFreshness((n) => n + 1), LIST_REFRESH_MS);
  const [staffResult, refetchStaff] = useQuery({ query: StaffQuery, variables: { code: unit.code } });
  const refreshStaff = useThrottledRefresh(() => refetchStaff({ requestPolicy: "network-only" }), LIST_REFRESH_MS);
  useTicketEvents(unit.code, () => {
    refreshList();
    refreshFigures();
    refreshStaff();
  });
  // After the live connection comes back, lists and figures are read again as well: whatever changed
  // while it was down shows even before (or without) the resumed stream bringing its events.
  const { reconnects } = useAuth();
  useEffect(() => {
    if (reconnects === 0) return;
    refreshList();
    refreshFigures();
    refreshStaff();
  }, [reconnects]);
  const staff = staffResult.data?.unit?.staff ?? [];
  const canAssign =
    viewer?.role === "UNIT_SUPERVISOR" || viewer?.role === "REGIONAL_HEAD" || viewer?.role === "DIRECTORATE";
  return (
    <>
      <UnitHeader
        unit={unit}
        crumbs={crumbs}
        period={period}
        extra={
          viewer?.kind === "USER" ? (
            <Link
              to={`/tickets/new?unit=${encodeURIComponent(unit.code)}`}
              className="button-link"
              data-testid="office-new-ticket"
            >
              {t("newTicket")}
            </Link>
          ) : null
        }
      />
      <div className="grid-queue">
        <QueueBoard unitCode={unit.code} timeZone={unit.timeZone} />
        <Panel title={t("workloadTitle")} className="workload-panel">
          {staffResult.error && !staffResult.data ? (
            <ErrorMessage error={staffResult.error} onRetry={() => refetchStaff({ requestPolicy: "network-only" })} />
          ) : null}
          <ul className="workload" data-testid="workload">
            {staff
              .filter((member) => member.role === "AGENT" || member.openTicketCount > 0)
              .map((member) => (
                <li key={member.id}>
                  <span>
                    {member.name} <small className="muted">{label(member.role)}</small>
                  </span>
                  <meter
                    min={0}
                    max={Math.max(10, ...staff.map((s) => s.openTicketCount))}
                    value={member.openTicketCount}
                  />
                  <strong title={t("openTickets")}>{number(member.openTicketCount)}</strong>
                </li>
              ))}
          </ul>
        </Panel>
      </div>
      <TicketList
        unitCode={unit.code}
        staff={staff.filter((member) => member.role === "AGENT" || member.role === "UNIT_SUPERVISOR")}
        canAssign={canAssign}
        refreshKey={listFreshness}
      />
      <UnitTrend code={unit.code} from={from} to={to} refreshKey={freshness} />
    </>
  );
}
