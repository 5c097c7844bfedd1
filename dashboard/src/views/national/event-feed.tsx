import { Link } from "react-router";
import { EmptyState } from "../../components/ui.js";
import { useI18n } from "../../i18n/i18n.js";
import type { StreamedEvent } from "../../live/use-ticket-events.js";

const NOTABLE = new Set(["SLA_BREACHED", "TRANSFERRED", "REOPENED", "REJECTED"]);

/** Breaches, escalations (transfers), reopenings and rejections, and every urgent new ticket. */
export function isNotable(event: StreamedEvent): boolean {
  return NOTABLE.has(event.type) || (event.type === "CREATED" && event.ticket?.priority === "URGENT");
}

export function EventFeed({ events }: { events: readonly StreamedEvent[] }) {
  const { t, label, dateTime } = useI18n();
  if (!events.length) return <EmptyState>{t("feedEmpty")}</EmptyState>;
  return (
    <ol className="feed" aria-live="polite" data-testid="event-feed">
      {events.map((event) => (
        <li key={event.id} className={`feed-item feed-${event.type}`}>
          <span className="feed-type">{label(event.type)}</span>
          {event.ticket ? <Link to={`/tickets/${event.ticket.number}`}>{event.ticket.number}</Link> : null}
          <span className="feed-unit">{event.unit.name}</span>
          <time dateTime={event.at}>{dateTime(event.at, event.unit.timeZone)}</time>
        </li>
      ))}
    </ol>
  );
}
