import { Navigate, useParams } from "react-router";
import { useQuery } from "urql";
import { ErrorMessage, Loading } from "../components/ui.js";
import { useI18n } from "../i18n/i18n.js";
import { RegionView } from "./region/region-view.js";
import { OfficeView } from "./unit/office-view.js";
import { crumbsOf, UnitQuery } from "./unit-query.js";

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
