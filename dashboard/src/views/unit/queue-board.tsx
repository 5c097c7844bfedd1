import { useNow } from "../../components/now.js";
import { KpiTile, Loading, Panel } from "../../components/ui.js";
import { graphql } from "../../graphql/graphql.js";
import { useI18n } from "../../i18n/i18n.js";
import { useLiveSubscription } from "../../live/use-live-subscription.js";

const QueueSubscription = graphql(`
  subscription Queue($unitCode: String!) {
    queue(unitCode: $unitCode) {
      computedAt
      open
      unassigned
      waitingOnCitizen
      atRisk
      breached
      oldestWaitingSince
      agentsActive
      agentsWithOpenTickets
      byStatus { status count }
      byChannel { channel count }
    }
  }
`);

/** The live queue: pushed by the server whenever it changes, never polled. */
export function QueueBoard({ unitCode, timeZone }: { unitCode: string; timeZone: string }) {
  const { t, number, label, seconds, dateTime } = useI18n();
  const { data, error } = useLiveSubscription({ query: QueueSubscription, variables: { unitCode } });
  const queue = data?.queue;
  const now = useNow();
  return (
    <Panel
      title={t("queueTitle")}
      className="queue-board"
      actions={
        queue ? (
          <span className="muted" data-testid="queue-updated">
            {t("queueUpdated")} {dateTime(queue.computedAt, timeZone)}
          </span>
        ) : null
      }
    >
      {error && !queue ? <p role="alert">{error.message}</p> : null}
      {!queue ? (
        <Loading />
      ) : (
        <div data-testid="queue-board">
          <div className="kpis kpis-queue">
            <KpiTile label={t("queueOpen")} value={number(queue.open)} />
            <KpiTile label={t("queueUnassigned")} value={number(queue.unassigned)} />
            <KpiTile label={t("queueWaiting")} value={number(queue.waitingOnCitizen)} />
            <KpiTile
              label={t("queueAtRisk")}
              value={number(queue.atRisk)}
              tone={queue.atRisk ? "warning" : undefined}
            />
            <KpiTile
              label={t("queueBreached")}
              value={number(queue.breached)}
              tone={queue.breached ? "critical" : undefined}
            />
            <KpiTile
              label={t("queueOldest")}
              value={
                queue.oldestWaitingSince
                  ? seconds(Math.max(0, Math.floor((now - Date.parse(queue.oldestWaitingSince)) / 1000)))
                  : "–"
              }
              hint={queue.oldestWaitingSince ? dateTime(queue.oldestWaitingSince, timeZone) : undefined}
            />
            <KpiTile
              label={t("queueAgentsActive")}
              value={`${number(queue.agentsActive)} / ${number(queue.agentsWithOpenTickets)}`}
            />
          </div>
          <ul className="chips" aria-label={t("filterStatus")}>
            {queue.byStatus
              .filter((row) => row.count > 0)
              .map((row) => (
                <li key={row.status} className={`chip status-${row.status}`}>
                  {label(row.status)} <strong>{number(row.count)}</strong>
                </li>
              ))}
          </ul>
          <ul className="chips" aria-label={t("filterChannel")}>
            {queue.byChannel.map((row) => (
              <li key={row.channel} className="chip">
                {label(row.channel)} <strong>{number(row.count)}</strong>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Panel>
  );
}
