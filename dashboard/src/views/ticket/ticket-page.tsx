import { useState } from "react";
import { useParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { useViewer } from "../../auth/auth.js";
import { Countdown } from "../../components/countdown.js";
import { PageHeader } from "../../components/layout.js";
import { ErrorMessage, Loading, Panel } from "../../components/ui.js";
import { graphql, type ResultOf, readFragment } from "../../graphql/graphql.js";
import { useI18n } from "../../i18n/i18n.js";
import { useLiveSubscription } from "../../live/use-live-subscription.js";
import { crumbsOf, UnitQuery } from "../unit-query.js";
import { DeliveryBadge } from "./delivery-badge.js";
import {
  ACTION_FIELDS,
  ACTION_MUTATIONS,
  type ActionField,
  actionInput,
  isComplete,
  offeredActions,
  type StaffAction,
} from "./ticket-actions.js";
import { TicketDetailFields } from "./ticket-fields.js";

const TicketQuery = graphql(
  `
  query TicketDetail($number: String!) {
    ticket(number: $number) { ...TicketDetailFields }
  }
`,
  [TicketDetailFields],
);

const TicketSubscription = graphql(
  `
  subscription TicketLive($id: ID!) {
    ticket(id: $id) { ...TicketDetailFields }
  }
`,
  [TicketDetailFields],
);

const StaffOfUnitQuery = graphql(`
  query StaffOfUnit($code: String!) {
    unit(code: $code) { id staff { id name role } }
  }
`);

type Ticket = ResultOf<typeof TicketDetailFields>;

/** A ticket with its clocks, history and messages, kept live, and the actions the viewer may take. */
export function TicketPage() {
  const { number = "" } = useParams();
  const { t } = useI18n();
  const [{ data, error, fetching }, reexecute] = useQuery({ query: TicketQuery, variables: { number } });
  const masked = data?.ticket ?? null;
  const ticket = masked ? readFragment(TicketDetailFields, masked) : null;
  // The cache stores what the subscription sends under the same ticket, so the page re-renders from it.
  useLiveSubscription({ query: TicketSubscription, variables: { id: ticket?.id ?? "" }, pause: !ticket });
  const [unitResult] = useQuery({
    query: UnitQuery,
    variables: { code: ticket?.unit.code ?? "" },
    pause: !ticket,
  });
  if (error && !data)
    return <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />;
  if (fetching && !data) return <Loading />;
  if (!ticket) return <ErrorMessage error={t("notFound")} />;
  const unit = unitResult.data?.unit;
  const crumbs = unit ? [...crumbsOf(unit, t("national")), { to: `/units/${unit.code}`, label: unit.name }] : [];
  return (
    <>
      <PageHeader crumbs={crumbs} title={`${ticket.number} · ${ticket.subject}`} />
      <div className="grid-ticket">
        <div className="stack">
          <TicketFacts ticket={ticket} />
          <Messages ticket={ticket} />
          <Timeline ticket={ticket} />
        </div>
        <div className="stack">
          <Clocks ticket={ticket} />
          <Actions ticket={ticket} />
        </div>
      </div>
    </>
  );
}

function TicketFacts({ ticket }: { ticket: Ticket }) {
  const { t, label, dateTime, language } = useI18n();
  const zone = ticket.unit.timeZone;
  const when = (iso: string | null) => (iso ? dateTime(iso, zone) : "–");
  const rows: [string, string][] = [
    [t("status"), label(ticket.status)],
    [t("unit"), ticket.unit.name],
    [t("kind"), label(ticket.kind)],
    [t("channel"), label(ticket.channel)],
    [t("priority"), label(ticket.priority)],
    [t("category"), ticket.category ? (language === "id" ? ticket.category.name : ticket.category.nameEn) : "–"],
    [t("assignee"), ticket.assignee?.name ?? "–"],
    [t("createdAt"), when(ticket.createdAt)],
    [t("firstRespondedAt"), when(ticket.firstRespondedAt)],
    [t("resolvedAt"), when(ticket.resolvedAt)],
    [t("closedAt"), when(ticket.closedAt)],
  ];
  const reporter = ticket.reporter;
  return (
    <Panel title={t("details")}>
      <dl className="facts" data-testid="ticket-facts" data-status={ticket.status}>
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
        <div>
          <dt>{t("reporter")}</dt>
          <dd>
            {reporter.masked ? (
              <span className="muted">{t("masked")}</span>
            ) : (
              [reporter.name, reporter.email, reporter.phone].filter(Boolean).join(" · ") || "–"
            )}
          </dd>
        </div>
      </dl>
      <h3>{t("description")}</h3>
      <p className="prose">{ticket.description}</p>
    </Panel>
  );
}

function Clocks({ ticket }: { ticket: Ticket }) {
  const { t, label, dateTime, number } = useI18n();
  return (
    <Panel title={t("clocks")}>
      <ul className="clocks">
        {ticket.sla.map((clock) => (
          <li key={clock.kind} className={`clock clock-${clock.state}`} data-clock={clock.kind}>
            <div className="clock-head">
              <strong>{label(clock.kind)}</strong>
              <span className={`status status-${clock.state}`}>{label(clock.state)}</span>
            </div>
            <div className="clock-countdown">
              <Countdown clock={clock} />
            </div>
            <div className="muted">
              {t("due")}: {dateTime(clock.dueAt, ticket.unit.timeZone)}
            </div>
            <div className="muted">
              {t("target")}: {number(clock.target.amount)} {label(clock.target.unit)} (
              {clock.target.counting === "BUSINESS_HOURS" ? t("businessHours") : t("allHours")})
            </div>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

function Messages({ ticket }: { ticket: Ticket }) {
  const { t, dateTime } = useI18n();
  if (!ticket.messages.length) return null;
  return (
    <Panel title={t("messages")}>
      <ol className="messages">
        {ticket.messages.map((message) => (
          <li key={message.id} className={`message message-${message.visibility}`}>
            <div className="muted">
              <span className="badge">
                {message.visibility === "INTERNAL_NOTE"
                  ? t("internal")
                  : message.visibility === "CITIZEN"
                    ? t("fromCitizen")
                    : t("public")}
              </span>{" "}
              {message.author?.name ?? (message.visibility === "CITIZEN" ? t("citizen") : t("system"))} ·{" "}
              {dateTime(message.createdAt, ticket.unit.timeZone)}
              {message.delivery ? (
                <>
                  {" "}
                  <DeliveryBadge delivery={message.delivery} timeZone={ticket.unit.timeZone} />
                </>
              ) : null}
            </div>
            <p className="prose">{message.body}</p>
          </li>
        ))}
      </ol>
    </Panel>
  );
}

function Timeline({ ticket }: { ticket: Ticket }) {
  const { t, label, dateTime } = useI18n();
  const events = [...ticket.events.edges].reverse();
  return (
    <Panel title={t("timeline")}>
      <ol className="timeline" data-testid="timeline">
        {events.map(({ node }) => (
          <li key={node.id} data-event={node.type}>
            <time dateTime={node.at}>{dateTime(node.at, ticket.unit.timeZone)}</time>
            <span className="timeline-type">{label(node.type)}</span>
            <span className="muted">
              {node.actor?.name ?? node.actorLabel ?? t("system")}
              {node.type === "TRANSFERRED" ? ` → ${node.unit.name}` : ""}
            </span>
          </li>
        ))}
      </ol>
    </Panel>
  );
}

function Actions({ ticket }: { ticket: Ticket }) {
  const { t, label } = useI18n();
  const [open, setOpen] = useState<StaffAction | null>(null);
  const { viewer } = useViewer();
  const actions = offeredActions(
    ticket.allowedActions,
    [...ticket.events.edges].map((edge) => edge.node.type),
    viewer?.role ?? null,
    ticket.sla.map((clock) => clock.kind),
  );
  return (
    <Panel title={t("actions")}>
      {actions.length === 0 ? <p className="muted">{t("noActions")}</p> : null}
      <div className="action-buttons">
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            className={open === action ? "" : "secondary"}
            aria-expanded={open === action}
            onClick={() => setOpen(open === action ? null : action)}
            data-action={action}
          >
            {label(action)}
          </button>
        ))}
      </div>
      {open ? <ActionForm key={open} action={open} ticket={ticket} onDone={() => setOpen(null)} /> : null}
    </Panel>
  );
}

function ActionForm({ action, ticket, onDone }: { action: StaffAction; ticket: Ticket; onDone(): void }) {
  const { t, label } = useI18n();
  const [values, setValues] = useState<Partial<Record<ActionField, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [state, execute] = useMutation(ACTION_MUTATIONS[action]);
  const needsStaff = ACTION_FIELDS[action].includes("assignee");
  const [staff] = useQuery({ query: StaffOfUnitQuery, variables: { code: ticket.unit.code }, pause: !needsStaff });
  const set = (field: ActionField, value: string) => setValues((current) => ({ ...current, [field]: value }));
  const submit = async () => {
    setFailure(null);
    // Each action's document has its own input type; actionInput builds the one this action needs, which
    // TypeScript cannot follow through the lookup by action name.
    const result = await execute({ input: actionInput(action, ticket.id, values) } as never);
    const payload = (result.data as { result?: { __typename: string; message?: string } } | undefined)?.result;
    if (result.error) setFailure(result.error.message);
    else if (payload && !payload.__typename.endsWith("Success")) setFailure(payload.message ?? payload.__typename);
    else onDone();
  };
  return (
    <form
      className="action-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3>{label(action)}</h3>
      {ACTION_FIELDS[action].map((field) =>
        field === "assignee" ? (
          <label key={field} className="field">
            {t("assignee")}
            <select required value={values.assignee ?? ""} onChange={(event) => set("assignee", event.target.value)}>
              <option value="" disabled>
                {t("assignTo")}
              </option>
              {(staff.data?.unit?.staff ?? []).map((member) => (
                <option key={member.id} value={member.id}>
                  {member.name} ({label(member.role)})
                </option>
              ))}
            </select>
          </label>
        ) : field === "unitCode" ? (
          <label key={field} className="field">
            {t("transferTo")}
            <input
              required
              value={values.unitCode ?? ""}
              onChange={(event) => set("unitCode", event.target.value.toUpperCase())}
              placeholder="KANIM-…"
              maxLength={64}
            />
          </label>
        ) : (
          <label key={field} className="field">
            {field === "body"
              ? t("body")
              : field === "resolution"
                ? t("resolution")
                : field === "missing"
                  ? t("fileMissing")
                  : field === "answer"
                    ? t("fileAnswer")
                    : t("reason")}
            <textarea
              required={field !== "optionalReason"}
              rows={3}
              maxLength={field === "body" || field === "missing" || field === "answer" ? 10_000 : 2_000}
              value={values[field] ?? ""}
              onChange={(event) => set(field, event.target.value)}
            />
          </label>
        ),
      )}
      {failure ? (
        <p role="alert" className="tone-critical">
          {t("actionFailed")}: {failure}
        </p>
      ) : null}
      <div className="action-buttons">
        <button type="submit" disabled={state.fetching || !isComplete(action, values)}>
          {t("submit")}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}
