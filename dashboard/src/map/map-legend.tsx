import type { CSSProperties } from "react";
import { type ColourScale, legendSteps } from "./colour-scale";

export interface MapLegendProps {
  readonly scale: ColourScale;
  readonly formatValue: (value: number) => string;
  readonly noDataLabel: string;
  /** Heading of the legend, e.g. the KPI's name. */
  readonly title: string;
  /** Show the no-data swatch (default true). */
  readonly showNoData?: boolean;
  readonly className?: string;
  readonly style?: CSSProperties;
}

/** The hatch the map uses for provinces without data, as a CSS background. */
export function noDataBackground(colour: string): string {
  return `repeating-linear-gradient(45deg, ${colour} 0 3px, ${HATCH_COLOUR} 3px 4.5px)`;
}

export const HATCH_COLOUR = "#8b929b";

const swatchStyle: CSSProperties = {
  display: "inline-block",
  width: "1.6em",
  height: "1em",
  border: "1px solid rgba(0, 0, 0, 0.45)",
  borderRadius: 2,
  flex: "none",
};

/** The scale's bands in ascending order with their colours, and the no-data hatch. */
export function MapLegend({
  scale,
  formatValue,
  noDataLabel,
  title,
  showNoData = true,
  className,
  style,
}: MapLegendProps) {
  const steps = legendSteps(scale, formatValue);
  return (
    <div className={className} style={{ fontSize: "clamp(0.8125rem, 0.7rem + 0.3vw, 1.5rem)", ...style }}>
      <div style={{ fontWeight: 600, marginBottom: "0.25em" }}>{title}</div>
      <ul
        aria-label={title}
        style={{ display: "flex", flexWrap: "wrap", gap: "0.35em 1.1em", listStyle: "none", margin: 0, padding: 0 }}
      >
        {steps.map((step) => (
          <li
            key={`${step.from}-${step.to}`}
            data-legend-colour={step.colour}
            style={{ display: "flex", alignItems: "center", gap: "0.4em" }}
          >
            <span aria-hidden="true" style={{ ...swatchStyle, background: step.colour }} />
            <span>{step.label}</span>
          </li>
        ))}
        {showNoData && (
          <li data-legend-colour={scale.noDataColour} style={{ display: "flex", alignItems: "center", gap: "0.4em" }}>
            <span aria-hidden="true" style={{ ...swatchStyle, background: noDataBackground(scale.noDataColour) }} />
            <span>{noDataLabel}</span>
          </li>
        )}
      </ul>
    </div>
  );
}
