/** The ticket list's filters, read from and written to the URL so a filtered list can be linked. */
export const STATUSES = [
  "NEW",
  "TRIAGED",
  "ASSIGNED",
  "IN_PROGRESS",
  "WAITING_ON_CITIZEN",
  "RESOLVED",
  "CLOSED",
  "REJECTED",
] as const;
export const SLA_STATES = ["RUNNING", "AT_RISK", "BREACHED", "PAUSED", "MET", "REJECTED"] as const;
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

export interface TicketFilterState {
  status: (typeof STATUSES)[number] | null;
  slaState: (typeof SLA_STATES)[number] | null;
  channel: (typeof CHANNELS)[number] | null;
  kind: (typeof KINDS)[number] | null;
  category: string | null;
  search: string;
}

function oneOf<T extends string>(values: readonly T[], value: string | null): T | null {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : null;
}

export function readFilters(params: URLSearchParams): TicketFilterState {
  return {
    status: oneOf(STATUSES, params.get("status")),
    slaState: oneOf(SLA_STATES, params.get("sla")),
    channel: oneOf(CHANNELS, params.get("channel")),
    kind: oneOf(KINDS, params.get("kind")),
    category: params.get("category") || null,
    search: (params.get("q") ?? "").slice(0, 100),
  };
}

const PARAM: Record<keyof TicketFilterState, string> = {
  status: "status",
  slaState: "sla",
  channel: "channel",
  kind: "kind",
  category: "category",
  search: "q",
};

export function writeFilter(
  params: URLSearchParams,
  key: keyof TicketFilterState,
  value: string | null,
): URLSearchParams {
  const updated = new URLSearchParams(params);
  if (value) updated.set(PARAM[key], value);
  else updated.delete(PARAM[key]);
  return updated;
}

/** The API's TicketFilter for a unit and the chosen filters. */
export function toTicketFilter(unitCode: string, state: TicketFilterState) {
  return {
    unitCode,
    ...(state.status ? { status: [state.status] } : {}),
    ...(state.slaState ? { slaState: [state.slaState] } : {}),
    ...(state.channel ? { channel: [state.channel] } : {}),
    ...(state.kind ? { kind: [state.kind] } : {}),
    ...(state.category ? { category: [state.category] } : {}),
    ...(state.search.trim() ? { search: state.search.trim() } : {}),
  };
}
