import { describe, expect, it } from "vitest";
import {
  isExactly,
  OPEN_STATUSES,
  readFilters,
  remainingCount,
  replaceFilters,
  toTicketFilter,
  toTicketOrder,
  writeFilter,
  writeFilters,
} from "./ticket-filters.js";

describe("ticket filters in the URL", () => {
  it("reads known values and ignores unknown ones", () => {
    const state = readFilters(new URLSearchParams("status=NEW&sla=BREACHED&channel=FAX&priority=SOON&q=paspor"));
    expect(state).toEqual({
      status: "NEW",
      slaState: "BREACHED",
      priority: null,
      mine: false,
      assignee: null,
      channel: null,
      kind: null,
      category: null,
      search: "paspor",
      order: "due",
    });
  });

  it("defaults to the open tickets by next deadline", () => {
    const state = readFilters(new URLSearchParams(""));
    expect(state.status).toBe("open");
    expect(state.order).toBe("due");
    expect(toTicketFilter("KANIM-MALANG", state)).toEqual({ unitCode: "KANIM-MALANG", status: [...OPEN_STATUSES] });
    expect(toTicketOrder(state)).toEqual({ field: "NEXT_DUE", direction: "ASC" });
  });

  it.each([
    ["status=all", { unitCode: "X" }],
    ["kind=COMPLAINT&q=%20%20", { unitCode: "X", status: [...OPEN_STATUSES], kind: ["COMPLAINT"] }],
    ["status=all&category=PASSPORT&sla=AT_RISK", { unitCode: "X", slaState: ["AT_RISK"], category: ["PASSPORT"] }],
    ["mine=1", { unitCode: "X", status: [...OPEN_STATUSES], assignedToMe: true }],
    ["mine=yes", { unitCode: "X", status: [...OPEN_STATUSES] }],
    ["assignee=none", { unitCode: "X", status: [...OPEN_STATUSES], unassigned: true }],
    ["assignee=VXNlcjox", { unitCode: "X", status: [...OPEN_STATUSES], assignee: ["VXNlcjox"] }],
    ["priority=HIGH&status=RESOLVED", { unitCode: "X", status: ["RESOLVED"], priority: ["HIGH"] }],
  ])("turns %s into the API filter, leaving out what is not chosen", (query, expected) => {
    expect(toTicketFilter("X", readFilters(new URLSearchParams(query)))).toEqual(expected);
  });

  it.each([
    ["", { field: "NEXT_DUE", direction: "ASC" }],
    ["sort=priority", { field: "PRIORITY", direction: "DESC" }],
    ["sort=newest", { field: "CREATED_AT", direction: "DESC" }],
    ["sort=sideways", { field: "NEXT_DUE", direction: "ASC" }],
  ])("orders %s as the API's %o", (query, expected) => {
    expect(toTicketOrder(readFilters(new URLSearchParams(query)))).toEqual(expected);
  });

  it("writes and clears one filter, keeping the others", () => {
    const params = writeFilter(new URLSearchParams("days=7&status=NEW"), "search", "IMI-2026-0000001");
    expect(params.toString()).toBe("days=7&status=NEW&q=IMI-2026-0000001");
    expect(writeFilter(params, "status", null).toString()).toBe("days=7&q=IMI-2026-0000001");
    expect(writeFilter(params, "mine", true).toString()).toBe("days=7&status=NEW&q=IMI-2026-0000001&mine=1");
    expect(writeFilters(params, { status: "open", order: "due" }).toString()).toBe("days=7&q=IMI-2026-0000001");
  });

  it("replaces every list filter for a board tile, keeping the period", () => {
    const params = replaceFilters(new URLSearchParams("days=30&mine=1&priority=LOW&sort=newest"), {
      slaState: "BREACHED",
    });
    expect(params.toString()).toBe("days=30&sla=BREACHED");
    expect(isExactly(readFilters(params), { slaState: "BREACHED" })).toBe(true);
    expect(isExactly(readFilters(params), { slaState: "AT_RISK" })).toBe(false);
    expect(isExactly(readFilters(new URLSearchParams("sla=BREACHED&mine=1")), { slaState: "BREACHED" })).toBe(false);
    expect(isExactly(readFilters(new URLSearchParams("")), {})).toBe(true);
  });

  it("caps the search at the API's 100 characters", () => {
    expect(readFilters(new URLSearchParams(`q=${"a".repeat(150)}`)).search).toHaveLength(100);
  });

  it.each([
    [60, 25, 35],
    [60, 60, 0],
    [20, 25, 0],
    [0, 0, 0],
  ])("of %i tickets with %i loaded, %i are left", (total, loaded, left) => {
    expect(remainingCount(total, loaded)).toBe(left);
  });
});
