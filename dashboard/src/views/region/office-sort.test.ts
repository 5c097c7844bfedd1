import { describe, expect, it } from "vitest";
import { compareOffices, parseSort } from "./office-sort.js";

const office = (name: string, sla: number | null, created: number) => ({
  unit: { name },
  totals: {
    created,
    resolved: 0,
    breaches: 0,
    slaCompliancePercent: sla,
    backlog: { open: 0 },
    satisfaction: { averageRating: null },
    firstResponse: { wall: { median: null } },
  },
});

const rows = [office("Malang", 80, 5), office("Blitar", null, 9), office("Kediri", 95, 5), office("Jember", 80, 1)];
const names = (key: Parameters<typeof compareOffices>[2], direction: "asc" | "desc") =>
  [...rows].sort((a, b) => compareOffices(a, b, key, direction)).map((row) => row.unit.name);

describe("office table sorting", () => {
  it.each([
    ["name", "asc", ["Blitar", "Jember", "Kediri", "Malang"]],
    ["name", "desc", ["Malang", "Kediri", "Jember", "Blitar"]],
    ["sla", "asc", ["Jember", "Malang", "Kediri", "Blitar"]],
    ["sla", "desc", ["Kediri", "Jember", "Malang", "Blitar"]],
    ["created", "desc", ["Blitar", "Kediri", "Malang", "Jember"]],
  ] as const)("%s %s", (key, direction, expected) => {
    expect(names(key, direction)).toEqual(expected);
  });

  it.each([
    ["sla:desc", { key: "sla", direction: "desc" }],
    ["created", { key: "created", direction: "asc" }],
    ["nonsense:desc", { key: "name", direction: "desc" }],
    [null, { key: "name", direction: "asc" }],
  ] as const)("parses %s", (value, expected) => {
    expect(parseSort(value)).toEqual(expected);
  });
});
