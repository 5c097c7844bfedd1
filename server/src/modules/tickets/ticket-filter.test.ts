import { describe, expect, it } from "vitest";
import { UnknownUnitError, ValidationError } from "../../errors.js";
import { scopeOf, type UserViewer } from "../auth/viewer.js";
import { UnitTree } from "../units/unit-tree.js";
import { isSearchable, likeLiteral, pagePlan, ticketWhere } from "./ticket-filter.js";

const tree = new UnitTree([
  { id: 1, code: "IMI", name: "Ditjen", type: "DIRECTORATE", parentId: null, timeZone: "Asia/Jakarta" },
  { id: 2, code: "KANWIL-JI", name: "Jatim", type: "REGIONAL_OFFICE", parentId: 1, timeZone: "Asia/Jakarta" },
  { id: 3, code: "KANIM-MALANG", name: "Malang", type: "IMMIGRATION_OFFICE", parentId: 2, timeZone: "Asia/Jakarta" },
  { id: 4, code: "KANWIL-BA", name: "Bali", type: "REGIONAL_OFFICE", parentId: 1, timeZone: "Asia/Makassar" },
]);
const viewer = (unitId: number): UserViewer => ({
  kind: "user",
  userId: "u",
  email: "e",
  name: "n",
  role: "REGIONAL_HEAD",
  sessionId: "s",
  ...scopeOf(tree, unitId),
});

describe("ticketWhere", () => {
  it.each([
    ["directorate, no unit filter: no unit condition", 1, undefined, {}],
    ["directorate narrowed to a region", 1, "KANWIL-JI", { unitId: { in: [2, 3] } }],
    ["regional head sees only the region", 2, undefined, { unitId: { in: [2, 3] } }],
    ["one office", 2, "KANIM-MALANG", { unitId: 3 }],
  ])("%s", (_label, unitId, unitCode, expected) => {
    const where = ticketWhere(viewer(unitId), tree, { unitCode });
    expect(where).toEqual(Object.keys(expected).length ? expected : { AND: [] });
  });

  it.each([
    ["another region", "KANWIL-BA"],
    ["a unit that does not exist", "KANIM-ATLANTIS"],
  ])("refuses %s the same way", (_label, unitCode) => {
    expect(() => ticketWhere(viewer(2), tree, { unitCode })).toThrow(UnknownUnitError);
  });

  it("matches a ticket number exactly and text loosely", () => {
    expect(ticketWhere(viewer(3), tree, { search: "imi-2026-0000123" })).toEqual({
      AND: [{ unitId: 3 }, { number: "IMI-2026-0000123" }],
    });
    const loose = JSON.stringify(ticketWhere(viewer(3), tree, { search: "paspor" }));
    expect(loose).toContain('"contains":"paspor"');
  });

  it.each([
    ["a word", "paspor", true],
    ["three letters", "kua", true],
    ["three digits", "123", true],
    ["a run inside punctuation", "e-paspor!", true],
    ["letters beyond ASCII", "Müh", true],
    ["a ticket number", "IMI-2026-0000123", true],
    ["two letters", "ab", false],
    ["two-letter words", "ab cd ef", false],
    ["letters split by punctuation", "a-b-c-d", false],
    ["wildcards only", "%_%", false],
    ["an emoji", "😀😀😀", false],
  ])("searches %s (%j): %s", (_label, search, searchable) => {
    expect(isSearchable(search)).toBe(searchable);
  });

  it("names each value of a list once", () => {
    const where = ticketWhere(viewer(3), tree, {
      status: ["NEW", "NEW", "ASSIGNED", "NEW"],
      kind: ["COMPLAINT", "COMPLAINT"],
      category: ["PASSPORT", "PASSPORT"],
      event: { type: ["CREATED", "CREATED"] },
    });
    const json = JSON.stringify(where);
    expect(json).toContain('"status":{"in":["NEW","ASSIGNED"]}');
    expect(json).toContain('"kind":{"in":["COMPLAINT"]}');
    expect(json).toContain('"code":{"in":["PASSPORT"]}');
    expect(json).toContain('"type":{"in":["CREATED"]}');
  });

  it("matches a category or its narrower ones", () => {
    expect(ticketWhere(viewer(3), tree, { category: ["PASSPORT"] })).toEqual({
      AND: [
        { unitId: 3 },
        { category: { OR: [{ code: { in: ["PASSPORT"] } }, { parent: { code: { in: ["PASSPORT"] } } }] } },
      ],
    });
  });

  it.each([
    [{ search: "x".repeat(101) }, "filter.search"],
    [{ search: "ab" }, "filter.search"],
    [{ category: ["X".repeat(65)] }, "filter.category"],
    [{ category: Array.from({ length: 51 }, (_, i) => `C${i}`) }, "filter.category"],
    [{ createdFrom: new Date("2026-02-01"), createdTo: new Date("2026-01-01") }, "filter.createdFrom"],
  ])("refuses bad filter %#", (filter, field) => {
    try {
      ticketWhere(viewer(1), tree, filter);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
    }
  });
});

describe("assignee filters", () => {
  const agent = "0f8fad5b-d9cb-469f-a165-70867728950e";
  const other = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
  const me = { ...viewer(3), userId: agent };
  const globalId = (id: string) => Buffer.from(`User:${id}`).toString("base64");
  it.each([
    ["by assignee", { assignee: [globalId(other)] }, { assigneeId: { in: [other] } }],
    ["a repeated assignee once", { assignee: [globalId(other), globalId(other)] }, { assigneeId: { in: [other] } }],
    ["mine", { assignedToMe: true }, { assigneeId: agent }],
    ["not mine", { assignedToMe: false }, { OR: [{ assigneeId: null }, { assigneeId: { not: agent } }] }],
    ["unassigned", { unassigned: true }, { assigneeId: null }],
    ["assigned to someone", { unassigned: false }, { assigneeId: { not: null } }],
  ])("%s, inside the unit scope", (_label, filter, expected) => {
    expect(ticketWhere(me, tree, filter)).toEqual({ AND: [{ unitId: 3 }, expected] });
  });

  it.each([
    ["a ticket's id", { assignee: [Buffer.from(`Ticket:${agent}`).toString("base64")] }, "filter.assignee"],
    ["not a global id", { assignee: ["nobody"] }, "filter.assignee"],
    ["a user id that is no uuid", { assignee: [Buffer.from("User:42").toString("base64")] }, "filter.assignee"],
    ["too many", { assignee: Array.from({ length: 51 }, () => globalId(agent)) }, "filter.assignee"],
  ])("refuses %s", (_label, filter, field) => {
    expect(() => ticketWhere(me, tree, filter)).toThrow(expect.objectContaining({ field }));
  });

  it("refuses assignedToMe for an API key, which has no tickets of its own", () => {
    const key = { kind: "apiKey", keyId: "k", name: "k", scopes: new Set(), rateTier: "STANDARD", ...scopeOf(tree, 1) };
    expect(() => ticketWhere(key as never, tree, { assignedToMe: true })).toThrow(ValidationError);
  });
});

describe("pages", () => {
  it.each([
    [{ first: 10 }, "DESC", { size: 10, backwards: false, readDirection: "DESC" }],
    [{ last: 5 }, "DESC", { size: 5, backwards: true, readDirection: "ASC" }],
    [{ first: 5 }, "ASC", { size: 5, backwards: false, readDirection: "ASC" }],
    [{ last: 5 }, "ASC", { size: 5, backwards: true, readDirection: "DESC" }],
    [{}, "DESC", { size: 20, backwards: false, readDirection: "DESC" }],
  ] as const)("plans %j %s", (args, direction, expected) => {
    expect(pagePlan(args, { field: "CREATED_AT", direction })).toMatchObject(expected);
  });

  it("reads the order's columns backwards for last", () => {
    expect(pagePlan({ last: 5 }, { field: "NEXT_DUE", direction: "ASC" }).sort).toEqual([
      { column: "nextDueAt", descending: true, nullsLast: false },
      { column: "id", descending: true, nullsLast: false },
    ]);
  });

  it.each([[{ first: 101 }], [{ last: 1000 }], [{ first: -1 }], [{ first: 1, last: 1 }]])("refuses %j", (args) => {
    expect(() => pagePlan(args)).toThrow(ValidationError);
  });
});

describe("likeLiteral", () => {
  it.each([
    ["paspor", "paspor"],
    ["100%", "100\\%"],
    ["a_b", "a\\_b"],
    ["c:\\x", "c:\\\\x"],
  ])("%j → %j", (input, expected) => {
    expect(likeLiteral(input)).toBe(expected);
  });
});
