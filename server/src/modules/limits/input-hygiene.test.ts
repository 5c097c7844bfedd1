import { GraphQLError, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { withoutSuggestions } from "./caller-plugin.js";
import { inputFault, MAX_LIST_VALUES, textFault } from "./input-hygiene.js";

const QUERY = parse(`query($i: CreateTicketInput!) { createTicket(input: $i) { __typename } }`);

describe("text that cannot be stored", () => {
  it.each([
    ["clean variables", { i: { subject: "Paspor", reporter: { name: "Budi" } } }, null],
    ["a nested NUL", { i: { reporter: { name: "Bu\u0000di" } } }, { kind: "nul", where: "$i.reporter.name" }],
    ["a NUL in an element of a list", { i: { tags: ["a", "b\u0000"] } }, { kind: "nul", where: "$i.tags.1" }],
    ["a lone high surrogate", { i: { reason: "\ud800" } }, { kind: "surrogate", where: "$i.reason" }],
    ["a lone low surrogate", { i: { subject: "ab\udc00cd" } }, { kind: "surrogate", where: "$i.subject" }],
    ["a high surrogate at the end", { i: { body: "Paspor \ud83d" } }, { kind: "surrogate", where: "$i.body" }],
    ["two high surrogates", { i: { body: "\ud83d\ud83d\ude00" } }, { kind: "surrogate", where: "$i.body" }],
    ["a pair (an emoji)", { i: { body: "Terima kasih \ud83d\ude00" } }, null],
    ["no variables", undefined, null],
  ])("%s", (_label, variables, expected) => {
    expect(inputFault(QUERY, variables)).toEqual(expected);
  });

  it.each([
    ["", null],
    ["Kantor Imigrasi", null],
    ["\u00e9\u4e2d\ud83c\uddee\ud83c\udde9", null],
    ["a\u0000", "nul"],
    ["\udfff", "surrogate"],
    ["\udc00\ud800", "surrogate"],
  ])("textFault(%j)", (text, expected) => {
    expect(textFault(text)).toBe(expected);
  });

  it("finds one in a string literal of the document", () => {
    const document = parse(`{ ticket(number: "IMI\u0000") { number } }`);
    expect(inputFault(document, {})).toEqual({ kind: "nul", where: "a string literal" });
  });
});

describe("lists in input", () => {
  const TICKETS = parse(`query($f: TicketFilter) { tickets(filter: $f) { totalCount } }`);
  const statuses = (n: number) => Array.from({ length: n }, () => "NEW");

  it.each([
    ["a list at the cap", { f: { status: statuses(MAX_LIST_VALUES) } }, null],
    ["a list over the cap", { f: { status: statuses(10_000) } }, { kind: "list", where: "$f.status", found: 10_000 }],
    [
      "a list inside a list",
      { f: { event: [{ type: statuses(101) }] } },
      { kind: "list", where: "$f.event.0.type", found: 101 },
    ],
    ["no variables", undefined, null],
  ])("%s", (_label, variables, expected) => {
    expect(inputFault(TICKETS, variables)).toEqual(expected);
  });

  it("finds one among the literals of the document", () => {
    const literal = parse(`{ tickets(filter: { status: [${statuses(101).join(", ")}] }) { totalCount } }`);
    expect(inputFault(literal, {})).toEqual({ kind: "list", where: "a list literal", found: 101 });
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
