import {
  type GraphQLOutputType,
  getIntrospectionQuery,
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
} from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../../graphql/schema.js";
import { metricsPoints } from "../metrics/metrics-cost.js";
import {
  COUNT_COST,
  costVariables,
  FIELD_COSTS,
  INTROSPECTION_COST,
  MUTATION_COST,
  operationCost,
  SUBSCRIPTION_COST,
  type UnitCounts,
} from "./cost.js";

const cost = (query: string, variables?: Record<string, unknown>, units?: UnitCounts) =>
  operationCost({ schema, document: parse(query), variables, units });

describe("operation cost", () => {
  it.each([
    ["scalars of the viewer", "{ viewer { name scopes } }", 1],
    ["a scalar at the root", "{ __typename }", 0],
    ["a page of 50 tickets, scalars only", "{ tickets(first: 50) { edges { node { number status } } } }", 1 + 50],
    ["the count alone", "{ tickets(first: 50) { totalCount pageInfo { hasNextPage } } }", 1 + COUNT_COST],
    ["whether the count was capped", "{ tickets(first: 0) { totalCountIsCapped } }", 1 + COUNT_COST],
    ["the count and whether it was capped, one count", "{ tickets(first: 0) { totalCount totalCountIsCapped } }", 11],
    ["the count asked twice, one count", "{ tickets(first: 0) { a: totalCount b: totalCount } }", 1 + COUNT_COST],
    ["the default page of 20", "{ tickets { edges { node { number } } } }", 1 + 20],
    ["last counts like first", "{ tickets(last: 30) { edges { node { number } } } }", 1 + 30],
    ["a page over the cap costs the cap", "{ tickets(first: 1000) { edges { node { number } } } }", 1 + 100],
    [
      "a related object per ticket",
      "{ tickets(first: 10) { edges { node { number unit { code } assignee { name } } } } }",
      1 + 10 * 3,
    ],
    [
      "nested connections multiply",
      "{ tickets(first: 10) { edges { node { events(first: 5) { edges { node { type actor { name } } } } } } } }",
      1 + 10 * (1 + 1 + 5 * 2),
    ],
    ["a list with a known size", "{ units { code parent { code } } }", 1 + 200 * 1],
    ["a list of scalars only", "{ units { code name } }", 1],
    ["two clocks per ticket", '{ ticket(number: "X") { sla { kind state } } }', 1 + 1 + 2 * 0],
    // 30 days by default, of one unit (no unit tree given): 30 rollup rows, one point.
    ["an aggregate", "{ nationalOverview { unit { code } } }", 10 + 1 + 40 * 1],
    ["the schema introspection is flat", getIntrospectionQuery(), INTROSPECTION_COST],
    ["one type's introspection", '{ __type(name: "Ticket") { name fields { name type { name } } } }', 1 + (1 + 10 * 1)],
  ])("%s", (_label, query, expected) => {
    expect(cost(query)).toBe(expected);
  });

  it("counts each connection's count once, through fragments, and every aliased connection apart", () => {
    const twenty = `{ ${Array.from({ length: 20 }, (_, i) => `s${i}: tickets(first: 0, filter: { search: "zzqqxx" }) { totalCount }`).join(" ")} }`;
    expect(cost(twenty)).toBe(20 * (1 + COUNT_COST));
    expect(cost("{ tickets(first: 0) { ...C } } fragment C on QueryTicketsConnection { totalCount }")).toBe(11);
    expect(cost("{ tickets(first: 0) { ... on QueryTicketsConnection { totalCountIsCapped } } }")).toBe(11);
  });

  describe("metrics priced by the rollup rows they read", () => {
    const units: UnitCounts = {
      subtree: (code) => ({ IMI: 193, "KANWIL-JI": 25, "KANIM-MALANG": 1 })[code] ?? 1,
      all: 193,
    };
    const threeYears = { from: new Date("2023-12-01T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z") };
    const METRICS = `query($code: String!, $from: DateTime!, $to: DateTime!, $g: Granularity!) {
      unitMetrics(code: $code, from: $from, to: $to, granularity: $g) { totals { created } } }`;
    const rows = (code: string, granularity: "DAY" | "HOUR", selected: string[] = ["totals", "created"]) =>
      metricsPoints({ units: units.subtree(code), ...threeYears, granularity, selected: new Set(selected) });

    it.each([
      ["one office over three years", "KANIM-MALANG", "DAY"],
      ["a region over three years", "KANWIL-JI", "DAY"],
      ["the directorate over three years", "IMI", "DAY"],
    ] as const)("%s", (_label, code, g) => {
      const variables = { code, ...threeYears, g };
      expect(cost(METRICS, variables, units)).toBe(10 + rows(code, g) + 1);
    });

    it("grows with units and days, and costs more for each rollup family read", () => {
      const at = (code: string, from: string, selection = "totals { created }") =>
        cost(
          `query($from: DateTime!) { unitMetrics(code: "${code}", from: $from, to: "2026-12-01T00:00:00Z", granularity: DAY) { ${selection} } }`,
          { from: new Date(from) },
          units,
        );
      expect(at("IMI", "2023-12-01T00:00:00Z")).toBeGreaterThan(at("IMI", "2026-09-01T00:00:00Z"));
      expect(at("IMI", "2023-12-01T00:00:00Z")).toBeGreaterThan(at("KANWIL-JI", "2023-12-01T00:00:00Z"));
      const counts = at("IMI", "2023-12-01T00:00:00Z");
      const durations = at("IMI", "2023-12-01T00:00:00Z", "totals { created resolution { wall { median } } }");
      const everything = at(
        "IMI",
        "2023-12-01T00:00:00Z",
        "totals { backlog { age0to1d } firstResponse { wall { median } } } breakdown { key }",
      );
      expect(durations).toBeGreaterThan(counts);
      expect(everything).toBeGreaterThan(durations);
    });

    it("prices the national overview for every unit, whatever the caller's scope", () => {
      const overview = cost(
        "query($from: DateTime, $to: DateTime) { nationalOverview(from: $from, to: $to) { unit { code } } }",
        threeYears,
        units,
      );
      expect(overview).toBe(10 + rows("IMI", "DAY", ["unit", "code"]) + 40);
    });
  });

  it("charges a mutation more than the same read", () => {
    const mutation = `mutation { closeTicket(input: { ticketId: "x" }) { __typename } }`;
    expect(cost(mutation)).toBe(MUTATION_COST + 1);
    expect(cost(mutation)).toBeGreaterThan(cost(`{ ticket(number: "x") { __typename } }`));
  });

  it("charges a subscription at subscribe time", () => {
    expect(cost(`subscription { queue(unitCode: "IMI") { open byStatus { status count } } }`)).toBe(
      SUBSCRIPTION_COST + 1 + 1,
    );
  });

  it("reads page sizes from variables", () => {
    const query = "query($n: Int) { tickets(first: $n) { edges { node { unit { code } } } } }";
    expect(cost(query, { n: 5 })).toBe(1 + 5 * 2);
    expect(cost(query, { n: 80 })).toBe(1 + 80 * 2);
  });

  it("counts fields an alias repeats", () => {
    const one = cost("{ a: tickets(first: 10) { edges { node { number } } } }");
    const two = cost(
      "{ a: tickets(first: 10) { edges { node { number } } } b: tickets(first: 10) { edges { node { number } } } }",
    );
    expect(two).toBe(2 * one);
  });

  it("counts only the operation that runs", () => {
    const document = "query A { viewer { name } } query B { tickets(first: 100) { edges { node { unit { code } } } } }";
    expect(operationCost({ schema, document: parse(document), operationName: "A" })).toBe(1);
  });

  it("sizes every list of objects in the schema on purpose", () => {
    const unwrap = (type: GraphQLOutputType) => (isNonNullType(type) ? type.ofType : type);
    const unsized: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      const connection = "edges" in type.getFields() && "pageInfo" in type.getFields();
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        const list = isListType(unwrap(field.type)) && isCompositeType(getNamedType(field.type));
        if (list && !(connection && field.name === "edges") && !FIELD_COSTS[coordinate]) unsized.push(coordinate);
      }
    }
    expect(unsized).toEqual([]);
  });

  it("names only fields that exist", () => {
    const missing = Object.keys(FIELD_COSTS).filter((coordinate) => {
      const [typeName, fieldName] = coordinate.split(".") as [string, string];
      const type = schema.getType(typeName);
      return !(isObjectType(type) && fieldName in type.getFields());
    });
    expect(missing).toEqual([]);
  });

  it.each([
    ["a mutation's input", "mutation($i: CreateTicketInput!) { createTicket(input: $i) { __typename } }", []],
    ["a page size", "query($n: Int, $f: TicketFilter) { tickets(first: $n, filter: $f) { totalCount } }", ["n"]],
    [
      "last, inside a fragment",
      "query($l: Int) { ...F } fragment F on Query { tickets(last: $l) { totalCount } }",
      ["l"],
    ],
    [
      "a metrics period and unit",
      "query($c: String!, $a: DateTime, $b: DateTime, $g: Granularity) { unitMetrics(code: $c, from: $a, to: $b, granularity: $g) { __typename } }",
      ["a", "b", "c", "g"],
    ],
    ["a directive", "query($x: Boolean!) { viewer @include(if: $x) { name } }", ["x"]],
  ])("keys remembered costs by the variables that can change them: %s", (_label, query, expected) => {
    expect(costVariables(parse(query))).toEqual(expected);
  });

  it("costs the same whatever the variables left out of the key", () => {
    const query = "query($n: Int, $f: TicketFilter) { tickets(first: $n, filter: $f) { edges { node { number } } } }";
    for (const filter of [{}, { search: "paspor" }, { status: ["NEW", "TRIAGED"] }]) {
      expect(cost(query, { n: 7, f: filter })).toBe(1 + 7);
    }
  });
});
