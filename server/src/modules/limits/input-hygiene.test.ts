import { GraphQLError, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { withoutSuggestions } from "./caller-plugin.js";
import { MAX_LIST_VALUES, nulCharacterAt, oversizedListAt } from "./input-hygiene.js";

const QUERY = parse(`query($i: CreateTicketInput!) { createTicket(input: $i) { __typename } }`);

describe("NUL characters in input", () => {
  it.each([
    ["clean variables", { i: { subject: "Paspor", reporter: { name: "Budi" } } }, null],
    ["a nested variable", { i: { reporter: { name: "Bu\u0000di" } } }, "$i.reporter.name"],
    ["an element of a list", { i: { tags: ["a", "b\u0000"] } }, "$i.tags.1"],
    ["no variables", undefined, null],
  ])("%s", (_label, variables, expected) => {
    expect(nulCharacterAt(QUERY, variables)).toBe(expected);
  });

  it("finds one in a string literal of the document", () => {
    const document = parse(`{ ticket(number: "IMI\u0000") { number } }`);
    expect(nulCharacterAt(document, {})).toBe("a string literal");
  });
});

describe("lists in input", () => {
  const TICKETS = parse(`query($f: TicketFilter) { tickets(filter: $f) { totalCount } }`);
  const statuses = (n: number) => Array.from({ length: n }, () => "NEW");

  it.each([
    ["a list at the cap", { f: { status: statuses(MAX_LIST_VALUES) } }, null],
    ["a list over the cap", { f: { status: statuses(10_000) } }, { where: "$f.status", found: 10_000 }],
    ["a list inside a list", { f: { event: [{ type: statuses(101) }] } }, { where: "$f.event.0.type", found: 101 }],
    ["no variables", undefined, null],
  ])("%s", (_label, variables, expected) => {
    expect(oversizedListAt(TICKETS, variables)).toEqual(expected);
  });

  it("finds one among the literals of the document", () => {
    const literal = parse(`{ tickets(filter: { status: [${statuses(101).join(", ")}] }) { totalCount } }`);
    expect(oversizedListAt(literal, {})).toEqual({ where: "a list literal", found: 101 });
  });
});

describe("suggestions removed for anonymous callers", () => {
  it.each([
    [
      'Cannot query field "tickts" on type "Query". Did you mean "tickets"?',
      'Cannot query field "tickts" on type "Query".',
    ],
    [
      'Value "COMPLAIN" does not exist in "TicketKind" enum. Did you mean the enum value "COMPLAINT"?',
      'Value "COMPLAIN" does not exist in "TicketKind" enum.',
    ],
    ["Nothing to remove.", "Nothing to remove."],
  ])("%s", (message, expected) => {
    const error = new GraphQLError(message, { extensions: { code: "X" } });
    const cleaned = withoutSuggestions(error);
    expect(cleaned.message).toBe(expected);
    expect(cleaned.extensions.code).toBe("X");
    expect(error.message).toBe(message);
  });
});
