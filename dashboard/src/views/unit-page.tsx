import { Navigate, useParams } from "react-router";
import { useQuery } from "urql";
import type { Crumb } from "../components/layout.js";
import { ErrorMessage, Loading } from "../components/ui.js";
import { graphql, type ResultOf } from "../graphql/graphql.js";
import { useI18n } from "../i18n/i18n.js";
import { RegionView } from "./region/region-view.js";
import { OfficeView } from "./unit/office-view.js";

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

/** `/units/:code` opens a regional office's view or an office's live queue, whichever the unit is. */
export function UnitPage() {
  const { code = "" } = useParams();
  const { t } = useI18n();
  const [{ data, error, fetching }, reexecute] = useQuery({ query: UnitQuery, variables: { code } });
  if (error && !data)
    return <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />;
  if (fetching && !data) return <Loading />;
  const unit = data?.unit;
  // Unknown and out of scope look the same, as in the API.
  if (!unit) return <ErrorMessage error={t("notFound")} />;
  if (unit.type === "DIRECTORATE") return <Navigate to="/national" replace />;
  const crumbs = crumbsOf(unit, t("national"));
  return unit.type === "REGIONAL_OFFICE" ? (
    <RegionView unit={unit} crumbs={crumbs} />
  ) : (
    <OfficeView unit={unit} crumbs={crumbs} />
  );
}
