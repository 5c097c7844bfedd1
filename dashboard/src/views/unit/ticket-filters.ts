/** The ticket list's filters and order, read from and written to the URL so a filtered list can be linked. */
export const OPEN_STATUSES = ["NEW", "TRIAGED", "ASSIGNED", "IN_PROGRESS", "WAITING_ON_CITIZEN"] as const;
export const STATUSES = [...OPEN_STATUSES, "RESOLVED", "CLOSED", "REJECTED"] as const;
export const SLA_STATES = ["RUNNING", "AT_RISK", "BREACHED", "PAUSED", "MET", "REJECTED"] as const;
/** The SLA states a work queue is filtered by, most pressing first: overdue, due soon, on time. */
export const QUEUE_SLA_STATES = ["BREACHED", "AT_RISK", "RUNNING", "PAUSED"] as const;
export const PRIORITIES = ["URGENT", "HIGH", "NORMAL", "LOW"] as const;
export const CHANNELS = [
  "PHONE",
  "WHATSAPP",
  "EMAIL",
  "WEB_FORM",
  "LIVE_CHAT",
  "SP4N_LAPOR",
  "WALK_IN",
  "LETTER",
  "INSTAGRAM",
  "FACEBOOK",
  "X",
  "TIKTOK",
  "PRESS",
] as const;
export const KINDS = [
  "INFORMATION_REQUEST",
  "COMPLAINT",
  "ASPIRATION",
  "APPRECIATION",
  "VIOLATION_REPORT",
  "WHISTLEBLOWING",
] as const;
/** next due first (the work queue), most urgent first, newest first. */
export const ORDERS = ["due", "priority", "newest"] as const;

/** `open` (the default) is every open status; `all` is every status, finished ones included. */
export type StatusChoice = "open" | "all" | (typeof STATUSES)[number];
/** `none`: assigned to nobody; otherwise a user's global id. */
export type AssigneeChoice = "none" | string;

export interface TicketFilterState {
  status: StatusChoice;
  slaState: (typeof SLA_STATES)[number] | null;
  priority: (typeof PRIORITIES)[number] | null;
  mine: boolean;
  assignee: AssigneeChoice | null;
  channel: (typeof CHANNELS)[number] | null;
  kind: (typeof KINDS)[number] | null;
  category: string | null;
  search: string;
  order: (typeof ORDERS)[number];
}

function oneOf<T extends string>(values: readonly T[], value: string | null): T | null {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : null;
}

export function readFilters(params: URLSearchParams): TicketFilterState {
  const status = params.get("status");
  return {
    status: status === "all" ? "all" : (oneOf(STATUSES, status) ?? "open"),
    slaState: oneOf(SLA_STATES, params.get("sla")),
    priority: oneOf(PRIORITIES, params.get("priority")),
    mine: params.get("mine") === "1",
    assignee: (params.get("assignee") || null)?.slice(0, 200) ?? null,
    channel: oneOf(CHANNELS, params.get("channel")),
    kind: oneOf(KINDS, params.get("kind")),
    category: params.get("category") || null,
    search: (params.get("q") ?? "").slice(0, 100),
    order: oneOf(ORDERS, params.get("sort")) ?? "due",
  };
}

const PARAM: Record<keyof TicketFilterState, string> = {
  status: "status",
  slaState: "sla",
  priority: "priority",
  mine: "mine",
  assignee: "assignee",
  channel: "channel",
  kind: "kind",
  category: "category",
  search: "q",
  order: "sort",
};

/** What a key holds when it is not in the URL. */
const DEFAULTS: Partial<Record<keyof TicketFilterState, string>> = { status: "open", order: "due" };

export type FilterPatch = { [K in keyof TicketFilterState]?: TicketFilterState[K] | null };

function encode(value: TicketFilterState[keyof TicketFilterState] | null | undefined): string | null {
  if (value === true) return "1";
  if (value === false || value === null || value === undefined || value === "") return null;
  return value;
}

/** Sets (or clears, with null or the default) some filters, keeping every other parameter. */
export function writeFilters(params: URLSearchParams, patch: FilterPatch): URLSearchParams {
  const updated = new URLSearchParams(params);
  for (const [key, value] of Object.entries(patch) as [keyof TicketFilterState, FilterPatch[keyof FilterPatch]][]) {
    const text = encode(value);
    if (text === null || text === DEFAULTS[key]) updated.delete(PARAM[key]);
    else updated.set(PARAM[key], text);
  }
  return updated;
}

export function writeFilter(
  params: URLSearchParams,
  key: keyof TicketFilterState,
  value: string | boolean | null,
): URLSearchParams {
  return writeFilters(params, { [key]: value } as FilterPatch);
}

/** Only `patch` on top of the default list (open tickets by next deadline), other parameters kept: what a board tile shows. */
export function replaceFilters(params: URLSearchParams, patch: FilterPatch): URLSearchParams {
  const cleared = new URLSearchParams(params);
  for (const name of Object.values(PARAM)) cleared.delete(name);
  return writeFilters(cleared, patch);
}

/** True when the list shows exactly the default list plus `patch`: the board tile for it is the one pressed. */
export function isExactly(state: TicketFilterState, patch: FilterPatch): boolean {
  const expected = readFilters(replaceFilters(new URLSearchParams(), patch));
  return (Object.keys(PARAM) as (keyof TicketFilterState)[]).every((key) => state[key] === expected[key]);
}

/** The API's TicketFilter for a unit and the chosen filters. */
export function toTicketFilter(unitCode: string, state: TicketFilterState) {
  const status =
    state.status === "open" ? [...OPEN_STATUSES] : state.status === "all" ? null : ([state.status] as const);
  return {
    unitCode,
    ...(status ? { status: [...status] } : {}),
    ...(state.slaState ? { slaState: [state.slaState] } : {}),
    ...(state.priority ? { priority: [state.priority] } : {}),
    ...(state.mine ? { assignedToMe: true } : {}),
    ...(state.assignee === "none" ? { unassigned: true } : state.assignee ? { assignee: [state.assignee] } : {}),
    ...(state.channel ? { channel: [state.channel] } : {}),
    ...(state.kind ? { kind: [state.kind] } : {}),
    ...(state.category ? { category: [state.category] } : {}),
    ...(state.search.trim() ? { search: state.search.trim() } : {}),
  };
}

/** The API's TicketOrder for the chosen order. */
export function toTicketOrder(state: TicketFilterState) {
  switch (state.order) {
    case "priority":
      return { field: "PRIORITY", direction: "DESC" } as const;
    case "newest":
      return { field: "CREATED_AT", direction: "DESC" } as const;
    default:
      return { field: "NEXT_DUE", direction: "ASC" } as const;
  }
}

/** Tickets not yet shown: what "load more" says is left. Never below zero, as counts and pages are read apart. */
export function remainingCount(totalCount: number, loaded: number): number {
  return Math.max(0, totalCount - loaded);
}
