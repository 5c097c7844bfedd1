export const OFFICE_SORT_KEYS = [
  "name",
  "created",
  "resolved",
  "backlog",
  "sla",
  "breaches",
  "csat",
  "firstResponse",
] as const;
export type OfficeSortKey = (typeof OFFICE_SORT_KEYS)[number];
export type Direction = "asc" | "desc";

interface Sortable {
  unit: { name: string };
  totals: {
    created: number;
    resolved: number;
    breaches: number;
    slaCompliancePercent: number | null;
    backlog: { open: number };
    satisfaction: { averageRating: number | null };
    firstResponse: { wall: { median: number | null } };
  };
}

/** `?sort=sla:asc` → the key and direction; anything else sorts by name. */
export function parseSort(value: string | null): { key: OfficeSortKey; direction: Direction } {
  const [key, direction] = (value ?? "").split(":");
  return {
    key: (OFFICE_SORT_KEYS as readonly string[]).includes(key ?? "") ? (key as OfficeSortKey) : "name",
    direction: direction === "desc" ? "desc" : "asc",
  };
}

function figureOf(row: Sortable, key: Exclude<OfficeSortKey, "name">): number | null {
  const t = row.totals;
  switch (key) {
    case "created":
      return t.created;
    case "resolved":
      return t.resolved;
    case "backlog":
      return t.backlog.open;
    case "sla":
      return t.slaCompliancePercent;
    case "breaches":
      return t.breaches;
    case "csat":
      return t.satisfaction.averageRating;
    case "firstResponse":
      return t.firstResponse.wall.median;
  }
}

/** Sorts by one column; offices without a value go last whichever the direction, then by name. */
export function compareOffices(a: Sortable, b: Sortable, key: OfficeSortKey, direction: Direction): number {
  const byName = a.unit.name.localeCompare(b.unit.name, "id");
  if (key === "name") return direction === "asc" ? byName : -byName;
  const x = figureOf(a, key);
  const y = figureOf(b, key);
  if (x === null || y === null) return x === y ? byName : x === null ? 1 : -1;
  return (direction === "asc" ? x - y : y - x) || byName;
}
