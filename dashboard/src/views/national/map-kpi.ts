/** What the national map can be coloured by, and how to read each KPI from an overview row. */
export const MAP_KPIS = ["sla", "backlog", "breaches", "csat"] as const;
export type MapKpi = (typeof MAP_KPIS)[number];

export interface RowFigures {
  slaCompliancePercent: number | null;
  breaches: number;
  backlog: { open: number };
  satisfaction: { averageRating: number | null };
}

export function kpiValue(kpi: MapKpi, figures: RowFigures): number | null {
  switch (kpi) {
    case "sla":
      return figures.slaCompliancePercent;
    case "backlog":
      return figures.backlog.open;
    case "breaches":
      return figures.breaches;
    case "csat":
      return figures.satisfaction.averageRating;
  }
}

/** Whether a larger value is better (greener). */
export function higherIsBetter(kpi: MapKpi): boolean {
  return kpi === "sla" || kpi === "csat";
}

export function parseKpi(value: string | null): MapKpi {
  return (MAP_KPIS as readonly string[]).includes(value ?? "") ? (value as MapKpi) : "sla";
}
