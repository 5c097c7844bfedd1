import { useQuery } from "urql";
import { graphql } from "../../graphql/graphql.js";
import { useI18n } from "../../i18n/i18n.js";

export const HolidayCoverageQuery = graphql(`
  query HolidayCoverage {
    holidayCoverage { year missing }
  }
`);

/**
 * From 1 October, while next year's national holidays are not loaded: deadlines crossing 1 January would
 * count them as working days. Only the directorate may ask, so anyone else simply sees nothing.
 */
export function HolidayNotice() {
  const { tf } = useI18n();
  const [{ data }] = useQuery({ query: HolidayCoverageQuery, requestPolicy: "cache-and-network" });
  const coverage = data?.holidayCoverage;
  if (!coverage?.missing) return null;
  return (
    <p className="banner banner-warning" role="alert" data-testid="holiday-notice">
      {tf("holidayNotice", { year: coverage.year })}
    </p>
  );
}
