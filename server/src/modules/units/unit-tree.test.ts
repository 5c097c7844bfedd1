import { describe, expect, it } from "vitest";
import { UnitTree } from "./unit-tree.js";

const tree = new UnitTree([
  { id: 1, code: "IMI", name: "Ditjen", type: "DIRECTORATE", parentId: null, timeZone: "Asia/Jakarta" },
  { id: 2, code: "KANWIL-JI", name: "Jatim", type: "REGIONAL_OFFICE", parentId: 1, timeZone: "Asia/Jakarta" },
  { id: 3, code: "KANIM-MALANG", name: "Malang", type: "IMMIGRATION_OFFICE", parentId: 2, timeZone: "Asia/Jakarta" },
  { id: 4, code: "KANWIL-BA", name: "Bali", type: "REGIONAL_OFFICE", parentId: 1, timeZone: "Asia/Makassar" },
  {
    id: 5,
    code: "KANIM-DENPASAR",
    name: "Denpasar",
    type: "IMMIGRATION_OFFICE",
    parentId: 4,
    timeZone: "Asia/Makassar",
  },
]);

describe("UnitTree", () => {
  it.each([
    [1, [1, 2, 3, 4, 5]],
    [2, [2, 3]],
    [3, [3]],
    [4, [4, 5]],
    [99, []],
  ])("subtree of %i is %j", (root, expected) => {
    expect([...tree.subtree(root)].sort()).toEqual(expected);
  });

  it.each([
    [3, 2, true],
    [3, 1, true],
    [5, 2, false],
    [2, 3, false],
  ])("unit %i within %i: %s", (unit, root, expected) => {
    expect(tree.isWithin(unit, root)).toBe(expected);
  });

  it("gives the ancestry from the directorate down", () => {
    expect(tree.ancestry(3).map((u) => u.code)).toEqual(["IMI", "KANWIL-JI", "KANIM-MALANG"]);
  });
});
