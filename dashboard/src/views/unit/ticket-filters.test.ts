import { describe, expect, it } from "vitest";
import { readFilters, toTicketFilter, writeFilter } from "./ticket-filters.js";

describe("ticket filters in the URL", () => {
  it("reads known values and ignores unknown ones", () => {
    const state = readFilters(new URLSearchParams("status=NEW&sla=BREACHED&channel=FAX&q=paspor"));
    expect(state).toEqual({
      status: "NEW",
      slaState: "BREACHED",
      channel: null,
      kind: null,
      category: null,
      search: "paspor",
    });
  });

  it("turns the state into the API filter, leaving out what is not chosen", () => {
    expect(toTicketFilter("KANIM-MALANG", readFilters(new URLSearchParams("kind=COMPLAINT&q=%20%20")))).toEqual({
      unitCode: "KANIM-MALANG",
      kind: ["COMPLAINT"],
    });
    expect(toTicketFilter("X", readFilters(new URLSearchParams("category=PASSPORT&sla=AT_RISK")))).toEqual({
      unitCode: "X",
      slaState: ["AT_RISK"],
      category: ["PASSPORT"],
    });
  });

  it("writes and clears one filter, keeping the others", () => {
    const params = writeFilter(new URLSearchParams("days=7&status=NEW"), "search", "IMI-2026-0000001");
    expect(params.toString()).toBe("days=7&status=NEW&q=IMI-2026-0000001");
    expect(writeFilter(params, "status", null).toString()).toBe("days=7&q=IMI-2026-0000001");
  });

  it("caps the search at the API's 100 characters", () => {
    expect(readFilters(new URLSearchParams(`q=${"a".repeat(150)}`)).search).toHaveLength(100);
  });
});
