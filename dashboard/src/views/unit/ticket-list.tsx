import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { Countdown } from "../../components/countdown.js";
import { nextClock } from "../../components/countdown-state.js";
import { EmptyState, ErrorMessage, Loading, Panel } from "../../components/ui.js";
import { graphql, type ResultOf } from "../../graphql/graphql.js";
import { useI18n } from "../../i18n/i18n.js";
import { useFreshness } from "../freshness.js";
import {
  CHANNELS,
  KINDS,
  readFilters,
  SLA_STATES,
  STATUSES,
  type TicketFilterState,
  toTicketFilter,
  writeFilter,
} from "./ticket-filters.js";

const PAGE_SIZE = 25;

export const TicketListQuery = graphql(`
  query TicketList($filter: TicketFilter!, $first: Int!, $after: String) {
    tickets(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          number
          subject
          status
          priority
          channel
          kind
          createdAt
          allowedActions
          unit { id code name timeZone }
          assignee { id name }
          sla { kind state dueAt remainingMinutes atRiskAt }
        }
      }
    }
  }
`);

const CategoriesQuery = graphql(`
  query Categories {
    categories { code name nameEn children { code name nameEn } }
  }
`);

export const AssignMutation = graphql(`
  mutation AssignTicket($input: AssignTicketInput!) {
    assignTicket(input: $input) {
      __typename
      ... on AssignTicketSuccess { ticket { id status assignee { id name } allowedActions } }
      ... on Error { code message }
    }
  }
`);

export interface StaffMember {
  id: string;
  name: string;
  role: string;
}

type TicketRow = ResultOf<typeof TicketListQuery>["tickets"]["edges"][number]["node"];

/** The unit's tickets with filters in the URL, ticking SLA countdowns and quick assignment. */
export function TicketList({
  unitCode,
  staff,
  canAssign,
  refreshKey,
}: {
  unitCode: string;
  staff: readonly StaffMember[];
  canAssign: boolean;
  /** Changes when live events have made the list stale. */
  refreshKey: number;
}) {
  const { t, label, language } = useI18n();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const [search, setSearch] = useState(filters.search);
  const [categories] = useQuery({ query: CategoriesQuery, requestPolicy: "cache-first" });
  const setFilter = (key: keyof TicketFilterState, value: string | null) => {
    setPages([null]);
    setParams((current) => writeFilter(current, key, value), { replace: true });
  };
  const select = (key: keyof TicketFilterState, values: readonly string[], name: string) => (
    <label className="field">
      {name}
      <select value={filters[key] ?? ""} onChange={(event) => setFilter(key, event.target.value || null)}>
        <option value="">{t("all")}</option>
        {values.map((value) => (
          <option key={value} value={value}>
            {label(value)}
          </option>
        ))}
      </select>
    </label>
  );
  const filter = toTicketFilter(unitCode, filters);
  return (
    <Panel title={t("ticketsTitle")} className="ticket-list">
      <form
        className="filters"
        aria-label={t("search")}
        onSubmit={(event) => {
          event.preventDefault();
          setFilter("search", search.trim() || null);
        }}
      >
        {select("status", STATUSES, t("filterStatus"))}
        {select("slaState", SLA_STATES, t("filterSla"))}
        {select("channel", CHANNELS, t("filterChannel"))}
        {select("kind", KINDS, t("filterKind"))}
        <label className="field">
          {t("filterCategory")}
          <select
            value={filters.category ?? ""}
            onChange={(event) => setFilter("category", event.target.value || null)}
          >
            <option value="">{t("all")}</option>
            {(categories.data?.categories ?? []).map((category) => (
              <optgroup key={category.code} label={language === "id" ? category.name : category.nameEn}>
                <option value={category.code}>
                  {language === "id" ? category.name : category.nameEn} ({t("all").toLowerCase()})
                </option>
                {category.children.map((child) => (
                  <option key={child.code} value={child.code}>
                    {language === "id" ? child.name : child.nameEn}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label className="field field-grow">
          {t("search")}
          <input
            type="search"
            value={search}
            maxLength={100}
            onChange={(event) => setSearch(event.target.value)}
            onBlur={() => setFilter("search", search.trim() || null)}
          />
        </label>
      </form>
      <div className="table-wrap">
        <table className="data-table" data-testid="tickets">
          <thead>
            <tr>
              <th scope="col">{t("number")}</th>
              <th scope="col">{t("subject")}</th>
              <th scope="col">{t("status")}</th>
              <th scope="col">{t("channel")}</th>
              <th scope="col">{t("received")}</th>
              <th scope="col">{t("nextDeadline")}</th>
              <th scope="col">{t("assignee")}</th>
            </tr>
          </thead>
          {pages.map((after, i) => (
            <TicketPage
              key={after ?? "first"}
              filter={filter}
              after={after}
              staff={staff}
              canAssign={canAssign}
              refreshKey={refreshKey}
              onMore={i === pages.length - 1 ? (cursor) => setPages((list) => [...list, cursor]) : null}
            />
          ))}
        </table>
      </div>
    </Panel>
  );
}

function TicketPage({
  filter,
  after,
  staff,
  canAssign,
  refreshKey,
  onMore,
}: {
  filter: ReturnType<typeof toTicketFilter>;
  after: string | null;
  staff: readonly StaffMember[];
  canAssign: boolean;
  refreshKey: number;
  onMore: ((cursor: string) => void) | null;
}) {
  const { t, number } = useI18n();
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: TicketListQuery,
    variables: { filter, first: PAGE_SIZE, after },
    context: useFreshness(refreshKey),
  });
  if (error && !data) {
    return (
      <tbody>
        <tr>
          <td colSpan={7}>
            <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />
          </td>
        </tr>
      </tbody>
    );
  }
  if (!data) {
    return (
      <tbody>
        <tr>
          <td colSpan={7}>{fetching ? <Loading /> : null}</td>
        </tr>
      </tbody>
    );
  }
  const { edges, pageInfo, totalCount } = data.tickets;
  return (
    <tbody data-total={totalCount}>
      {edges.length === 0 && after === null ? (
        <tr>
          <td colSpan={7}>
            <EmptyState>{t("noTickets")}</EmptyState>
          </td>
        </tr>
      ) : null}
      {edges.map(({ node }) => (
        <TicketRowView key={node.id} ticket={node} staff={staff} canAssign={canAssign} />
      ))}
      {onMore && pageInfo.hasNextPage && pageInfo.endCursor ? (
        <tr>
          <td colSpan={7} className="center">
            <button type="button" className="secondary" onClick={() => onMore(pageInfo.endCursor as string)}>
              {t("loadMore")} ({number(totalCount)})
            </button>
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}

function TicketRowView({
  ticket,
  staff,
  canAssign,
}: {
  ticket: TicketRow;
  staff: readonly StaffMember[];
  canAssign: boolean;
}) {
  const { t, label, dateTime } = useI18n();
  const [assigning, assign] = useMutation(AssignMutation);
  const [failure, setFailure] = useState<string | null>(null);
  const clock = nextClock(ticket.sla);
  const mayAssign = canAssign && ticket.allowedActions.includes("assign") && staff.length > 0;
  return (
    <tr data-ticket={ticket.number} className={`priority-${ticket.priority}`}>
      <td>
        <Link to={`/tickets/${ticket.number}`}>{ticket.number}</Link>
      </td>
      <td className="subject">{ticket.subject}</td>
      <td>
        <span className={`status status-${ticket.status}`}>{label(ticket.status)}</span>
      </td>
      <td>{label(ticket.channel)}</td>
      <td>{dateTime(ticket.createdAt, ticket.unit.timeZone)}</td>
      <td>{clock ? <Countdown clock={clock} /> : "–"}</td>
      <td>
        {mayAssign ? (
          <select
            aria-label={`${t("assignTo")} ${ticket.number}`}
            value={ticket.assignee?.id ?? ""}
            disabled={assigning.fetching}
            onChange={async (event) => {
              setFailure(null);
              const result = await assign({ input: { ticketId: ticket.id, assigneeId: event.target.value } });
              const payload = result.data?.assignTicket;
              if (result.error) setFailure(result.error.message);
              else if (payload && payload.__typename !== "AssignTicketSuccess" && "message" in payload) {
                setFailure(payload.message);
              }
            }}
          >
            <option value="" disabled>
              {t("assignTo")}
            </option>
            {staff.map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
              </option>
            ))}
          </select>
        ) : (
          (ticket.assignee?.name ?? "–")
        )}
        {failure ? (
          <span role="alert" className="tone-critical">
            {failure}
          </span>
        ) : null}
      </td>
    </tr>
  );
}
