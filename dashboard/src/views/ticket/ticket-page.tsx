import { useMemo, useState } from "react";
import { useNavigate, useParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { useViewer } from "../../auth/auth.js";
import { Countdown } from "../../components/countdown.js";
import { flashState } from "../../components/flash.js";
import { PageHeader } from "../../components/layout.js";
import { ErrorMessage, Loading, Panel } from "../../components/ui.js";
import { graphql, type ResultOf, readFragment } from "../../graphql/graphql.js";
import { useI18n } from "../../i18n/i18n.js";
import { useLiveSubscription } from "../../live/use-live-subscription.js";
import { crumbsOf, UnitQuery } from "../unit-query.js";
import { CategoryOptions } from "./category-options.js";
import { DeliveryBadge } from "./delivery-badge.js";
import { failureOf } from "./error-words.js";
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
import { actorWords, eventDetails, transferRegions } from "./ticket-words.js";

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

const CategoriesQuery = graphql(`
  query TicketCategories {
    categories { code name nameEn children { code name nameEn } }
  }
`);

// Any unit may receive a transfer, also outside the sender's scope: the directory of every active unit.
const TransferTargetsQuery = graphql(`
  query TransferTargets {
    publicUnits { code name type provinceName }
  }
`);

type Ticket = ResultOf<typeof TicketDetailFields>;
type Categories = ResultOf<typeof CategoriesQuery>["categories"];

const KINDS = [
  "COMPLAINT",
  "INFORMATION_REQUEST",
  "ASPIRATION",
  "APPRECIATION",
  "VIOLATION_REPORT",
  "WHISTLEBLOWING",
] as const;
const PRIORITIES = ["LOW", "NORMAL", "HIGH", "URGENT"] as const;

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
  const [categoriesResult] = useQuery({ query: CategoriesQuery, pause: !ticket });
  const categories = categoriesResult.data?.categories ?? [];
  if (error && !data)
    return <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />;
  if (fetching && !data) return <Loading />;
  if (!ticket) return <ErrorMessage error={t("notFound")} />;
  const unit = unitResult.data?.unit;
  const crumbs = unit ? [...crumbsOf(unit, t("national")), { to: `/units/${unit.code}`, label: unit.name }] : [];
  return (
    <>
      <PageHeader crumbs={crumbs} title={`${ticket.number} · ${ticket.subject}`} />
      {/* One column on a phone reads in source order: what the ticket is, its clocks and actions, then its history. */}
      <div className="grid-ticket">
        <div className="ticket-facts-area">
          <TicketFacts ticket={ticket} />
        </div>
        <div className="stack ticket-side">
          <Clocks ticket={ticket} />
          <Actions
            ticket={ticket}
            categories={categories}
            refresh={() => reexecute({ requestPolicy: "network-only" })}
          />
        </div>
        <div className="stack ticket-history">
          <Messages ticket={ticket} />
          <Timeline ticket={ticket} categories={categories} />
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

function Timeline({ ticket, categories }: { ticket: Ticket; categories: Categories }) {
  const i18n = useI18n();
  const { t, label, dateTime, language } = i18n;
  const events = [...ticket.events.edges].reverse();
  const names = useMemo(() => {
    const byCode = new Map<string, string>();
    for (const category of categories) {
      for (const node of [category, ...category.children]) {
        byCode.set(node.code, language === "en" ? node.nameEn : node.name);
      }
    }
    return byCode;
  }, [categories, language]);
  return (
    <Panel title={t("timeline")}>
      <ol className="timeline" data-testid="timeline">
        {events.map(({ node }) => (
          <li key={node.id} data-event={node.type}>
            <time dateTime={node.at}>{dateTime(node.at, ticket.unit.timeZone)}</time>
            <span className="timeline-type">{label(node.type)}</span>
            <span className="muted">{node.actor?.name ?? actorWords(node.actorLabel, i18n)}</span>
            {eventDetails(node, i18n, (code) => names.get(code) ?? code).map((detail) => (
              <span key={detail} className="timeline-detail">
                {detail}
              </span>
            ))}
          </li>
        ))}
      </ol>
    </Panel>
  );
}

function Actions({ ticket, categories, refresh }: { ticket: Ticket; categories: Categories; refresh(): void }) {
  const { t, label } = useI18n();
  const [open, setOpen] = useState<StaffAction | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
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
            onClick={() => {
              setNotice(null);
              setOpen(open === action ? null : action);
            }}
            data-action={action}
          >
            {label(action)}
          </button>
        ))}
      </div>
      <p className="action-notice" role="status" data-testid="action-notice">
        {notice}
      </p>
      {open ? (
        <ActionForm
          key={open}
          action={open}
          ticket={ticket}
          categories={categories}
          refresh={refresh}
          onCancel={() => setOpen(null)}
          onDone={(text) => {
            setOpen(null);
            setNotice(text);
          }}
        />
      ) : null}
    </Panel>
  );
}

function ActionForm({
  action,
  ticket,
  categories,
  refresh,
  onCancel,
  onDone,
}: {
  action: StaffAction;
  ticket: Ticket;
  categories: Categories;
  refresh(): void;
  onCancel(): void;
  onDone(notice: string): void;
}) {
  const i18n = useI18n();
  const { t, tf, label } = i18n;
  const navigate = useNavigate();
  // Triage starts from what the ticket has, so pressing send keeps anything not changed.
  const [values, setValues] = useState<Partial<Record<ActionField, string>>>(
    action === "triage" ? { kind: ticket.kind, priority: ticket.priority, category: ticket.category?.code ?? "" } : {},
  );
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
    const failed = failureOf(result, i18n);
    if (failed) {
      setFailure(failed);
      const code = (result.data as { result?: { code?: string } } | undefined)?.result?.code;
      // The ticket changed under the form (someone else acted, or it moved away): show it as it is now.
      if (code === "INVALID_TRANSITION" || code === "NOT_FOUND") refresh();
      return;
    }
    if (action === "transfer") {
      const moved = (result.data as { result?: { ticket?: { inScope: boolean; unit: { name: string } } } } | undefined)
        ?.result?.ticket;
      if (moved && !moved.inScope) {
        navigate(`/units/${ticket.unit.code}`, {
          state: flashState({ kind: "transferredAway", number: ticket.number, unitName: moved.unit.name }),
        });
        return;
      }
      onDone(tf("transferredTo", { unit: moved?.unit.name ?? "–" }));
      return;
    }
    if (action === "assign") {
      const member = staff.data?.unit?.staff.find((s) => s.id === values.assignee);
      onDone(`${tf("assignedToName", { name: member?.name ?? "–" })}.`);
      return;
    }
    onDone(tf("actionDone", { action: label(action) }));
  };
  return (
    <form
      className="action-form"
      aria-label={label(action)}
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
          <TransferTarget
            key={field}
            currentCode={ticket.unit.code}
            value={values.unitCode ?? ""}
            onChange={(code) => set("unitCode", code)}
          />
        ) : field === "kind" || field === "priority" ? (
          <label key={field} className="field">
            {t(field)}
            <select value={values[field] ?? ""} onChange={(event) => set(field, event.target.value)}>
              {(field === "kind" ? KINDS : PRIORITIES).map((value) => (
                <option key={value} value={value}>
                  {label(value)}
                </option>
              ))}
            </select>
          </label>
        ) : field === "category" ? (
          <label key={field} className="field">
            {t("category")}
            <select value={values.category ?? ""} onChange={(event) => set("category", event.target.value)}>
              <option value="">{t("categoryNone")}</option>
              <CategoryOptions categories={categories} />
            </select>
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
        <p role="alert" className="tone-critical" data-testid="action-failure">
          {t("actionFailed")}: {failure}
        </p>
      ) : null}
      <div className="action-buttons">
        <button type="submit" disabled={state.fetching || !isComplete(action, values)}>
          {t("submit")}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}

/** The receiving unit, chosen from the tree: first the province's region, then the unit in it. */
function TransferTarget({
  currentCode,
  value,
  onChange,
}: {
  currentCode: string;
  value: string;
  onChange(code: string): void;
}) {
  const { t } = useI18n();
  const [{ data, error }] = useQuery({ query: TransferTargetsQuery });
  const regions = useMemo(() => transferRegions(data?.publicUnits ?? [], currentCode), [data, currentCode]);
  const [province, setProvince] = useState("");
  const units = regions.find((region) => region.province === province)?.units ?? [];
  if (error && !data) return <ErrorMessage error={error} />;
  return (
    <div className="transfer-target">
      <label className="field">
        {t("regionOrCentre")}
        <select
          required
          value={province}
          onChange={(event) => {
            setProvince(event.target.value);
            onChange("");
          }}
        >
          <option value="">{t("chooseRegion")}</option>
          {regions.map((region) => (
            <option key={region.province} value={region.province}>
              {region.province}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        {t("transferTo")}
        <select required disabled={!province} value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">{t("chooseUnit")}</option>
          {units.map((unit) => (
            <option key={unit.code} value={unit.code}>
              {unit.name}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
