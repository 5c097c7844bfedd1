import { useNow } from "../../components/now.js";
import { Panel } from "../../components/ui.js";
import { graphql } from "../../graphql/graphql.js";
import { useI18n } from "../../i18n/i18n.js";
import { useLiveSubscription } from "../../live/use-live-subscription.js";
import { type FilterPatch, isExactly, readFilters, replaceFilters } from "./ticket-filters.js";
import { useUrlParams } from "./use-url-params.js";

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
      agents
      agentsWithOpenTickets
      byStatus { status count }
      byChannel { channel count }
    }
  }
`);

interface Tile {
  key: string;
  label: string;
  value: string;
  hint?: string;
  title?: string;
  tone?: "warning" | "critical";
  /** The list filter the tile stands for; tiles without one are figures only. */
  filter?: FilterPatch;
}

/**
 * The live queue: pushed by the server whenever it changes, never polled. Its tiles and chips set the ticket
 * list's filter (in the URL, which the list reads), so a figure opens the tickets it counts.
 */
export function QueueBoard({ unitCode, timeZone }: { unitCode: string; timeZone: string }) {
  const { t, number, label, seconds, dateTime } = useI18n();
  const { data, error } = useLiveSubscription({ query: QueueSubscription, variables: { unitCode } });
  const [params, setParams] = useUrlParams();
  const filters = readFilters(params);
  const queue = data?.queue;
  const now = useNow();
  const choose = (filter: FilterPatch) => {
    setParams((current) => replaceFilters(current, filter));
  };
  const tiles: Tile[] = queue
    ? [
        { key: "open", label: t("queueOpen"), value: number(queue.open), filter: {} },
        {
          key: "unassigned",
          label: t("queueUnassigned"),
          value: number(queue.unassigned),
          filter: { assignee: "none" },
        },
        {
          key: "waiting",
          label: t("queueWaiting"),
          value: number(queue.waitingOnCitizen),
          filter: { status: "WAITING_ON_CITIZEN" },
        },
        {
          key: "atRisk",
          label: t("queueAtRisk"),
          value: number(queue.atRisk),
          tone: queue.atRisk ? "warning" : undefined,
          filter: { slaState: "AT_RISK" },
        },
        {
          key: "breached",
          label: t("queueBreached"),
          value: number(queue.breached),
          tone: queue.breached ? "critical" : undefined,
          filter: { slaState: "BREACHED" },
        },
        {
          key: "oldest",
          label: t("queueOldest"),
          value: queue.oldestWaitingSince
            ? seconds(Math.max(0, Math.floor((now - Date.parse(queue.oldestWaitingSince)) / 1000)))
            : "–",
          hint: queue.oldestWaitingSince ? dateTime(queue.oldestWaitingSince, timeZone) : undefined,
        },
        {
          key: "agents",
          label: t("queueAgentsActive"),
          // Both from one snapshot, and the active ones are counted among the unit's agents, so the first
          // never exceeds the second.
          value: `${number(queue.agentsActive)} / ${number(queue.agents)}`,
          hint: `${t("queueAgentsActiveHint")} · ${number(queue.agentsWithOpenTickets)} ${t("queueAgentsWithTickets")}`,
          title: t("queueAgentsActiveHelp"),
        },
      ]
    : [];
  return (
    <Panel
      title={t("queueTitle")}
      className="queue-board"
      actions={
        <span className="muted" data-testid="queue-updated">
          {queue ? `${t("queueUpdated")} ${dateTime(queue.computedAt, timeZone)}` : t("loading")}
        </span>
      }
    >
      {error && !queue ? <p role="alert">{error.message}</p> : null}
      {!queue ? (
        // Placeholders of the board's own size, so nothing below moves when the first snapshot arrives.
        <div className="queue-board-body" aria-busy="true">
          <div className="kpis kpis-queue">
            {Array.from({ length: 7 }, (_, i) => (
              <div key={i} className="kpi kpi-placeholder" />
            ))}
          </div>
          <ul className="chips" />
          <ul className="chips" />
        </div>
      ) : (
        <div className="queue-board-body" data-testid="queue-board">
          <div className="kpis kpis-queue">
            {tiles.map((tile) =>
              tile.filter ? (
                <button
                  key={tile.key}
                  type="button"
                  className={`kpi kpi-button ${tile.tone ? `tone-${tile.tone}` : ""}`}
                  data-kpi={tile.label}
                  data-tile={tile.key}
                  aria-pressed={isExactly(filters, tile.filter)}
                  title={t("queueFilterHint")}
                  onClick={() => choose(tile.filter ?? {})}
                >
                  <span className="kpi-label">{tile.label}</span>
                  <span className="kpi-value">{tile.value}</span>
                  {tile.hint ? <span className="kpi-hint">{tile.hint}</span> : null}
                </button>
              ) : (
                <div key={tile.key} className="kpi" data-kpi={tile.label} data-tile={tile.key} title={tile.title}>
                  <div className="kpi-label">{tile.label}</div>
                  <div className="kpi-value">{tile.value}</div>
                  {tile.hint ? <div className="kpi-hint">{tile.hint}</div> : null}
                </div>
              ),
            )}
          </div>
          <ul className="chips" aria-label={t("filterStatus")}>
            {queue.byStatus
              .filter((row) => row.count > 0)
              .map((row) => (
                <li key={row.status}>
                  <button
                    type="button"
                    className={`chip status-${row.status}`}
                    data-chip={row.status}
                    aria-pressed={isExactly(filters, { status: row.status })}
                    onClick={() => choose({ status: row.status })}
                  >
                    {label(row.status)} <strong>{number(row.count)}</strong>
                  </button>
                </li>
              ))}
          </ul>
          <ul className="chips" aria-label={t("filterChannel")}>
            {queue.byChannel.map((row) => (
              <li key={row.channel}>
                <button
                  type="button"
                  className="chip"
                  data-chip={row.channel}
                  aria-pressed={isExactly(filters, { channel: row.channel })}
                  onClick={() => choose({ channel: row.channel })}
                >
                  {label(row.channel)} <strong>{number(row.count)}</strong>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Panel>
  );
}
