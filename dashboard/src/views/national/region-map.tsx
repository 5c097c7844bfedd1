import { useMemo } from "react";
import { useI18n } from "../../i18n/i18n.js";
import { type ColourScale, domainOf, quantizedScale, slaStatusScale } from "../../map/colour-scale.js";
import { PROVINCE_GEOMETRY, ProvinceMap, shapeCodeOf } from "../../map/province-map.js";
import { higherIsBetter, kpiValue, type MapKpi, type RowFigures } from "./map-kpi.js";

interface Row {
  unit: { code: string; name: string; provinceCode: string };
  figures: RowFigures;
}

function scaleFor(kpi: MapKpi, values: readonly (number | null)[]): ColourScale {
  const direction = higherIsBetter(kpi) ? "higherIsBetter" : "lowerIsBetter";
  switch (kpi) {
    case "sla":
      return slaStatusScale();
    case "csat":
      return quantizedScale({ domain: [1, 5], direction, steps: 4, palette: "blues" });
    default:
      return quantizedScale({ domain: domainOf(values) ?? [0, 1], direction, steps: 5, integer: true });
  }
}

/**
 * Regional offices on the map of provinces: each office colours the province it serves. Provinces newer
 * than the map's source are drawn within the province they were split from (see map/README.md).
 */
export function RegionMap({
  rows,
  kpi,
  kpiLabel,
  focusProvince,
  onSelectRegion,
}: {
  rows: readonly Row[];
  kpi: MapKpi;
  kpiLabel: string;
  focusProvince?: string;
  onSelectRegion(unitCode: string): void;
}) {
  const { t, number, percent } = useI18n();
  const byShape = useMemo(() => {
    const map = new Map<string, Row>();
    for (const row of rows) {
      const shape = shapeCodeOf(row.unit.provinceCode);
      if (shape) map.set(shape, row);
    }
    return map;
  }, [rows]);
  const values = useMemo(
    () =>
      new Map(
        PROVINCE_GEOMETRY.provinces.map((province) => {
          const row = byShape.get(province.code);
          return [province.code, { value: row ? kpiValue(kpi, row.figures) : null, label: row?.unit.name ?? "" }];
        }),
      ),
    [byShape, kpi],
  );
  const scale = useMemo(
    () =>
      scaleFor(
        kpi,
        [...values.values()].map((v) => v.value),
      ),
    [kpi, values],
  );
  const format = (value: number) =>
    kpi === "sla" ? percent(value) : kpi === "csat" ? number(value, 2) : number(value);
  return (
    <ProvinceMap
      values={values}
      scale={scale}
      title={`${t("mapTitle")}: ${kpiLabel}`}
      legendTitle={kpiLabel}
      formatValue={format}
      noDataLabel={t("noData")}
      focus={focusProvince ? [focusProvince] : undefined}
      selected={focusProvince}
      onSelect={(code) => {
        const row = byShape.get(code);
        if (row) onSelectRegion(row.unit.code);
      }}
      attribution="Natural Earth"
    />
  );
}
