import type { Crumb } from "../components/layout.js";
import { graphql, type ResultOf } from "../graphql/graphql.js";

export const UnitQuery = graphql(`
  query Unit($code: String!) {
    unit(code: $code) {
      id
      code
      name
      type
      provinceCode
      provinceName
      timeZone
      parent { id code name type parent { id code name type } }
    }
  }
`);

export type UnitInfo = NonNullable<ResultOf<typeof UnitQuery>["unit"]>;

/** The units above this one that the viewer may open, from the top. */
export function crumbsOf(unit: UnitInfo, nationalLabel: string): Crumb[] {
  const parent = unit.parent;
  const ancestors = parent ? [...(parent.parent ? [parent.parent] : []), parent] : [];
  const crumbs: Crumb[] = ancestors.map((ancestor) =>
    ancestor.type === "DIRECTORATE"
      ? { to: "/national", label: nationalLabel }
      : { to: `/units/${ancestor.code}`, label: ancestor.name },
  );
  return crumbs;
}
