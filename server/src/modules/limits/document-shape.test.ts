import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { documentShape } from "./document-shape.js";

const KNOWN = new Set(["include", "skip", "deprecated", "specifiedBy", "oneOf"]);

describe("the shape of a document", () => {
  it.each([
    ["no aliases", "{ viewer { name } }", 0, 0],
    ["__typename aliases count", `{ ${Array.from({ length: 3 }, (_, i) => `t${i}: __typename`).join(" ")} }`, 3, 0],
    ["nested aliases", "{ a: viewer { b: name c: role } }", 3, 0],
    [
      "a fragment counts each time it is spread",
      "{ ...F ...F a: viewer { ...F } } fragment F on Query { x: __typename }",
      4,
      0,
    ],
    [
      "directives on fields and spreads",
      "{ viewer @include(if: true) { name @skip(if: false) } ...F @include(if: true) } fragment F on Query { __typename }",
      0,
      3,
    ],
    [
      "directives on the operation and its variables",
      "query Q($a: Boolean @foo, $b: Int @bar) @baz { __typename @skip(if: $a) }",
      0,
      4,
    ],
    [
      "directives inside a fragment, spread twice",
      "{ ...F ...F } fragment F on Query @x { __typename @skip(if: true) }",
      0,
      4,
    ],
    ["a fragment that spreads itself", "{ ...F } fragment F on Query { a: __typename ...F }", 1, 0],
    ["the largest operation counts", "query A { a: __typename } query B { a: __typename b: __typename }", 2, 0],
  ])("%s", (_label, source, aliases, directives) => {
    const shape = documentShape(parse(source), KNOWN);
    expect(shape.aliases).toBe(aliases);
    expect(shape.directives).toBe(directives);
  });

  it("names each unknown directive once", () => {
    const shape = documentShape(parse(`{ viewer @nope @nope @other { name @include(if: true) @nope } }`), KNOWN);
    expect(shape.unknownDirectives.sort()).toEqual(["nope", "other"]);
  });
});
