import { createRequest } from "@urql/core";
import { useState } from "react";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { Countdown } from "../../components/countdown.js";
import { nextClock } from "../../components/countdown-state.js";
import { EmptyState, ErrorMessage, Loading, Panel } from "../../components/ui.js";
import { graphql, type ResultOf } from "../../graphql/graphql.js";
import { useI18n } from "../../i18n/i18n.js";
import type { MessageKey } from "../../i18n/messages.js";
import { useFreshness } from "../freshness.js";
import { describeRequestError, describeResultError } from "../ticket/error-words.js";
import {
  CHANNELS,
  isExactly,
  KINDS,
  ORDERS,
  PRIORITIES,
  QUEUE_SLA_STATES,
  readFilters,
  remainingCount,
  replaceFilters,
  SLA_STATES,
  STATUSES,
  type TicketFilterState,
  toTicketFilter,
  toTicketOrder,
  writeFilter,
} from "./ticket-filters.js";
import { useUrlParams } from "./use-url-params.js";

const PAGE_SIZE = 25;
const COLUMNS = 8;

export const TicketListQuery = graphql(`
  query TicketList($filter: TicketFilter!, $orderBy: TicketOrder!, $first: Int!, $after: String) {
    tickets(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      totalCountIsCapped
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
          nextDueAt
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
      ... on ValidationError { field }
    }
  }
`);

export interface StaffMember {
  id: string;
  name: string;
  role: string;
}

type TicketRow = ResultOf<typeof TicketListQuery>["tickets"]["edges"][number]["node"];
type TicketFilterInput = ReturnType<typeof toTicketFilter>;

/** Labels of the SLA states as a work queue names them; the others keep their usual names. */
const SLA_CHOICE_LABEL: Partial<Record<(typeof SLA_STATES)[number], MessageKey>> = {
  BREACHED: "slaOverdue",
  AT_RISK: "slaDueSoon",
  RUNNING: "slaOnTime",
};

const ORDER_LABEL: Record<(typeof ORDERS)[number], MessageKey> = {
  due: "orderDue",
  priority: "orderPriority",
  newest: "orderNewest",
};

/**
 * The unit's work queue: open tickets by next deadline unless the URL says otherwise, with filters in the
 * URL, ticking SLA countdowns and assignment that is confirmed before it is sent.
 */
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
  const [params, setParams] = useUrlParams();
  const filters = readFilters(params);
  const filter = toTicketFilter(unitCode, filters);
  const orderBy = toTicketOrder(filters);
  // Pages belong to one filter and order: any change (here, on the board, by a link) starts at the first page.
  const listKey = JSON.stringify([filter, orderBy]);
  const [paging, setPaging] = useState<{ key: string; pages: (string | null)[] }>({ key: listKey, pages: [null] });
  const pages = paging.key === listKey ? paging.pages : [null];
  const [search, setSearch] = useState(filters.search);
  const [notice, setNotice] = useState<string | null>(null);
  const [categories] = useQuery({ query: CategoriesQuery, requestPolicy: "cache-first" });
  const setFilter = (key: keyof TicketFilterState, value: string | boolean | null) => {
    setParams((current) => writeFilter(current, key, value));
  };
  const select = (
    key: keyof TicketFilterState,
    name: string,
    options: readonly { value: string; text: string }[],
    any: { value: string; text: string } = { value: "", text: t("all") },
  ) => (
    <label className="field">
      {name}
      <select
        data-filter={key}
        value={(filters[key] as string | null) ?? ""}
        onChange={(event) => setFilter(key, event.target.value || null)}
      >
        <option value={any.value}>{any.text}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.text}
          </option>
        ))}
      </select>
    </label>
  );
  const enumOptions = (values: readonly string[]) => values.map((value) => ({ value, text: label(value) }));
  // States outside the queue's three are offered only when a link asks for them, so the select can show it.
  const slaChoices = SLA_STATES.filter(
    (state) => (QUEUE_SLA_STATES as readonly string[]).includes(state) || state === filters.slaState,
  ).sort((a, b) => QUEUE_SLA_STATES.indexOf(a as never) - QUEUE_SLA_STATES.indexOf(b as never));
  const assigneeKnown =
    filters.assignee === null || filters.assignee === "none" || staff.some((m) => m.id === filters.assignee);
  return (
    <Panel
      title={t("ticketsTitle")}
      className="ticket-list"
      actions={
        isExactly(filters, {}) ? null : (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setSearch("");
              setParams((current) => replaceFilters(current, {}));
            }}
          >
            {t("clearFilters")}
          </button>
        )
      }
    >
      <form
        className="filters"
        aria-label={t("filtersLabel")}
        onSubmit={(event) => {
          event.preventDefault();
          setFilter("search", search.trim() || null);
        }}
      >
        <button
          type="button"
          className={`toggle ${filters.mine ? "toggle-on" : ""}`}
          aria-pressed={filters.mine}
          onClick={() => setFilter("mine", !filters.mine)}
        >
          {t("filterMine")}
        </button>
        {select("status", t("filterStatus"), [...enumOptions(STATUSES), { value: "all", text: t("statusAll") }], {
          value: "open",
          text: t("statusOpen"),
        })}
        {select(
          "slaState",
          t("filterSla"),
          slaChoices.map((state) => {
            const key = SLA_CHOICE_LABEL[state];
            return { value: state, text: key ? t(key) : label(state) };
          }),
        )}
        {select("priority", t("priority"), enumOptions(PRIORITIES))}
        {select("assignee", t("assignee"), [
          { value: "none", text: t("unassigned") },
          ...staff.map((member) => ({ value: member.id, text: member.name })),
          ...(assigneeKnown ? [] : [{ value: filters.assignee ?? "", text: t("otherAssignee") }]),
        ])}
        {select("channel", t("filterChannel"), enumOptions(CHANNELS))}
        {select("kind", t("filterKind"), enumOptions(KINDS))}
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
        {select(
          "order",
          t("sortBy"),
          ORDERS.filter((order) => order !== "due").map((order) => ({ value: order, text: t(ORDER_LABEL[order]) })),
          { value: "due", text: t(ORDER_LABEL.due) },
        )}
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
      <p className="list-notice" role="status" data-testid="list-notice">
        {notice}
      </p>
      <div className="table-wrap">
        <table className="data-table ticket-table card-table" data-testid="tickets">
          {/* Fixed column widths: the header does not move when the rows arrive and widen a column. */}
          <colgroup>
            <col className="col-number" />
            <col />
            <col className="col-priority" />
            <col className="col-status" />
            <col className="col-channel" />
            <col className="col-received" />
            <col className="col-due" />
            <col className="col-assignee" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">{t("number")}</th>
              <th scope="col">{t("subject")}</th>
              <th scope="col">{t("priority")}</th>
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
              orderBy={orderBy}
              after={after}
              listKey={listKey}
              loadedBefore={i * PAGE_SIZE}
              staff={staff}
              canAssign={canAssign}
              refreshKey={refreshKey}
              onAssigned={setNotice}
              onMore={
                i === pages.length - 1 ? (cursor) => setPaging({ key: listKey, pages: [...pages, cursor] }) : null
              }
            />
          ))}
        </table>
      </div>
    </Panel>
  );
}

function TicketPage({
  filter,
  orderBy,
  after,
  listKey,
  loadedBefore,
  staff,
  canAssign,
  refreshKey,
  onAssigned,
  onMore,
}: {
  filter: TicketFilterInput;
  orderBy: ReturnType<typeof toTicketOrder>;
  after: string | null;
  /** The filter and order, as the list's rows are marked for whoever reads them (and tests). */
  listKey: string;
  /** Rows of the pages above this one. */
  loadedBefore: number;
  staff: readonly StaffMember[];
  canAssign: boolean;
  refreshKey: number;
  onAssigned(notice: string): void;
  onMore: ((cursor: string) => void) | null;
}) {
  const { t, number } = useI18n();
  const variables = { filter, orderBy, first: PAGE_SIZE, after };
  // Always from the network, never a list stored earlier: which tickets match a filter changes with every
  // event of the unit, and a filter revisited must not show the tickets it matched before. The stored
  // tickets still update the rows shown as events arrive. (cache-and-network would cost the same requests
  // and show the old list first.)
  const [result, reexecute] = useQuery({
    query: TicketListQuery,
    variables,
    requestPolicy: "network-only",
    context: useFreshness(refreshKey),
  });
  // While another filter's answer is on its way urql keeps the previous one; it is not this list, so it is
  // not shown as if it were.
  const own = result.operation?.key === createRequest(TicketListQuery, variables).key;
  const data = own ? result.data : undefined;
  const { error, fetching } = result;
  if (error && !data) {
    return (
      <tbody>
        <tr>
          <td colSpan={COLUMNS}>
            <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />
          </td>
        </tr>
      </tbody>
    );
  }
  if (!data) {
    return (
      <tbody aria-busy="true" data-key={listKey} className="rows-loading">
        <tr>
          <td colSpan={COLUMNS}>{fetching || !own ? <Loading /> : null}</td>
        </tr>
      </tbody>
    );
  }
  const { edges, pageInfo, totalCount, totalCountIsCapped } = data.tickets;
  const left = remainingCount(totalCount, loadedBefore + edges.length);
  return (
    <tbody data-total={totalCount} data-key={listKey} aria-busy={fetching || result.stale}>
      {edges.length === 0 && after === null ? (
        <tr>
          <td colSpan={COLUMNS}>
            <EmptyState>{t("noTickets")}</EmptyState>
          </td>
        </tr>
      ) : null}
      {edges.map(({ node }) => (
        <TicketRowView key={node.id} ticket={node} staff={staff} canAssign={canAssign} onAssigned={onAssigned} />
      ))}
      {onMore && pageInfo.hasNextPage && pageInfo.endCursor ? (
        <tr>
          <td colSpan={COLUMNS} className="center">
            <button
              type="button"
              className="secondary"
              data-left={left}
              onClick={() => onMore(pageInfo.endCursor as string)}
            >
              {t("loadMore")} ({totalCountIsCapped ? t("moreThan") : ""}
              {number(left)} {t("more")})
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
  onAssigned,
}: {
  ticket: TicketRow;
  staff: readonly StaffMember[];
  canAssign: boolean;
  onAssigned(notice: string): void;
}) {
  const i18n = useI18n();
  const { t, label, dateTime } = i18n;
  const [assigning, assign] = useMutation(AssignMutation);
  const [failure, setFailure] = useState<string | null>(null);
  // The person picked in the row's select, not yet sent: an assignment waits for its confirmation, so a
  // slip of the mouse or an arrow key in the select does not move someone's ticket.
  const [pending, setPending] = useState<StaffMember | null>(null);
  const clock = nextClock(ticket.sla);
  const mayAssign = canAssign && ticket.allowedActions.includes("assign") && staff.length > 0;
  const confirm = async (member: StaffMember) => {
    setFailure(null);
    const result = await assign({ input: { ticketId: ticket.id, assigneeId: member.id } });
    const payload = result.data?.assignTicket;
    if (result.error) setFailure(describeRequestError(result.error, i18n));
    else if (payload && payload.__typename !== "AssignTicketSuccess" && "code" in payload) {
      setFailure(describeResultError(payload, i18n));
    } else {
      setPending(null);
      onAssigned(`${ticket.number}: ${t("assignedTo")} ${member.name}.`);
    }
  };
  return (
    <tr data-ticket={ticket.number} data-priority={ticket.priority} className={`priority-${ticket.priority}`}>
      <td data-label={t("number")}>
        <Link to={`/tickets/${ticket.number}`}>{ticket.number}</Link>
      </td>
      <td className="subject" data-label={t("subject")}>
        {ticket.subject}
      </td>
      <td data-label={t("priority")}>
        <span className={`priority-badge priority-badge-${ticket.priority}`}>{label(ticket.priority)}</span>
      </td>
      <td data-label={t("status")}>
        <span className={`status status-${ticket.status}`}>{label(ticket.status)}</span>
      </td>
      <td data-label={t("channel")}>{label(ticket.channel)}</td>
      <td data-label={t("received")}>{dateTime(ticket.createdAt, ticket.unit.timeZone)}</td>
      <td data-due={ticket.nextDueAt ?? ""} data-label={t("nextDeadline")}>
        {clock ? <Countdown clock={clock} /> : "–"}
      </td>
      <td className="assignee-cell" data-label={t("assignee")}>
        {mayAssign ? (
          <select
            aria-label={`${t("assignTo")} ${ticket.number}`}
            value={pending?.id ?? ticket.assignee?.id ?? ""}
            disabled={assigning.fetching}
            onChange={(event) => {
              setFailure(null);
              const member = staff.find((m) => m.id === event.target.value) ?? null;
              setPending(member && member.id !== ticket.assignee?.id ? member : null);
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
        {pending ? (
          // biome-ignore lint/a11y/useSemanticElements: a group of two buttons, not a form field set
          <div className="confirm" role="group" aria-label={`${t("confirmAssign")} ${ticket.number}`}>
            <span>
              {ticket.assignee
                ? `${t("reassignFrom")} ${ticket.assignee.name} ${t("to")} ${pending.name}?`
                : `${t("assignQuestion")} ${pending.name}?`}
            </span>
            <button type="button" disabled={assigning.fetching} onClick={() => confirm(pending)}>
              {t("confirmAssignYes")}
            </button>
            <button type="button" className="secondary" disabled={assigning.fetching} onClick={() => setPending(null)}>
              {t("cancel")}
            </button>
          </div>
        ) : null}
        {failure ? (
          <span role="alert" className="tone-critical">
            {failure}
          </span>
        ) : null}
      </td>
    </tr>
  );
}
