import { type CSSProperties, type KeyboardEvent, type PointerEvent, useId, useMemo, useRef, useState } from "react";
import { type ColourScale, colourOf } from "./colour-scale";
import { focusViewBox, PROVINCE_GEOMETRY, pointInView, shapeCodeOf } from "./geometry";
import { HATCH_COLOUR, MapLegend } from "./map-legend";

export type { Direction, PaletteName } from "./colour-scale";
export type { Box, ProvinceShape } from "./geometry";
export { aliasesOf, MAP_ATTRIBUTION, PROVINCE_GEOMETRY, shapeCodeOf } from "./geometry";
export { MapLegend, type MapLegendProps } from "./map-legend";

/** A province's figure: `value` is coloured by the scale (null = no data); `label` adds context to the
 * tooltip, e.g. the regional office's name or "1,234 tickets". */
export interface ProvinceDatum {
  readonly value: number | null;
  readonly label: string;
}

export interface ProvinceDescription {
  readonly code: string;
  readonly name: string;
  readonly value: number | null;
  /** The formatted value, or the no-data label. */
  readonly valueText: string;
  readonly label: string;
}

export interface ProvinceMapProps {
  /** Figures by ISO 3166-2:ID code of the drawn provinces (see README.md for the five drawn within another). */
  readonly values: ReadonlyMap<string, ProvinceDatum>;
  readonly scale: ColourScale;
  /** Accessible name of the map, e.g. "SLA compliance by province". */
  readonly title: string;
  readonly formatValue: (value: number) => string;
  readonly noDataLabel: string;
  /** Zoom to these provinces (aliases such as ID-PS allowed); the whole country when absent or empty. */
  readonly focus?: readonly string[];
  /** With `focus`, fade the provinces outside it and make them inert (default true). */
  readonly dimOutsideFocus?: boolean;
  /** Outlined province; an alias outlines the province drawn in its place. */
  readonly selected?: string;
  /** Called with the drawn province's code on click, Enter or Space; without it provinces are not buttons. */
  readonly onSelect?: (code: string) => void;
  /** Heading of the legend (default: the title). */
  readonly legendTitle?: string;
  /** Default true. */
  readonly showLegend?: boolean;
  /** Shown under the legend, e.g. a translation of "Map: made with Natural Earth". */
  readonly attribution?: string;
  /** Display name of a province (default: its official Indonesian name). */
  readonly provinceName?: (code: string, officialName: string) => string;
  /** Accessible name of a province (default: "name, value, label"). */
  readonly describeProvince?: (province: ProvinceDescription) => string;
  readonly className?: string;
  readonly style?: CSSProperties;
}

interface Tip {
  readonly code: string;
  /** Percent of the map's width and height. */
  readonly x: number;
  readonly y: number;
}

const STROKE = "#59616c";
const SELECTED_STROKE = "#111827";
const FOCUS_RING = "#0b57d0";

const defaultDescription = ({ name, valueText, label }: ProvinceDescription) =>
  [name, valueText, label].filter((part) => part !== "").join(", ");

/** Indonesia by province, coloured by a KPI, with tooltip, keyboard and click selection, and a legend. */
export function ProvinceMap({
  values,
  scale,
  title,
  formatValue,
  noDataLabel,
  focus,
  dimOutsideFocus = true,
  selected,
  onSelect,
  legendTitle,
  showLegend = true,
  attribution,
  provinceName,
  describeProvince = defaultDescription,
  className,
  style,
}: ProvinceMapProps) {
  const hatchId = `province-map-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}-no-data`;
  const surface = useRef<HTMLDivElement>(null);
  const [pointerTip, setPointerTip] = useState<Tip | null>(null);
  const [focused, setFocused] = useState<{ code: string; ring: boolean } | null>(null);
  const [tipDismissed, setTipDismissed] = useState(false);
  // A click focuses the province too; the focus ring is for keyboard users, the selection outline
  // already marks what was clicked.
  const pointerDown = useRef(false);

  const focusKey = focus?.join(" ") ?? "";
  // The joined codes stand for the array, which callers often rebuild on every render.
  const view = useMemo(() => focusViewBox(focus), [focusKey]);
  const focusSet = useMemo(() => {
    const codes = (focus ?? []).map((code) => shapeCodeOf(code)).filter((code) => code !== undefined);
    return codes.length > 0 ? new Set(codes) : null;
  }, [focusKey]);
  const full = PROVINCE_GEOMETRY.viewBox;
  const zoom = view[2] / full[2];
  const selectedCode = selected === undefined ? undefined : shapeCodeOf(selected);

  const provinces = useMemo(
    () =>
      PROVINCE_GEOMETRY.provinces.map((shape) => {
        const datum = values.get(shape.code);
        const value = datum?.value ?? null;
        const hasData = value !== null && Number.isFinite(value);
        const name = provinceName ? provinceName(shape.code, shape.name) : shape.name;
        const valueText = hasData ? formatValue(value) : noDataLabel;
        const label = datum?.label ?? "";
        return {
          shape,
          name,
          valueText,
          label,
          hasData,
          colour: colourOf(scale, hasData ? value : null),
          description: describeProvince({ code: shape.code, name, value: hasData ? value : null, valueText, label }),
        };
      }),
    [values, scale, formatValue, noDataLabel, provinceName, describeProvince],
  );

  const tip: Tip | null = pointerTip ?? (focused && !tipDismissed ? centroidTip(focused.code) : null);
  function centroidTip(code: string): Tip | null {
    const shape = PROVINCE_GEOMETRY.provinces.find((p) => p.code === code);
    return shape ? { code, ...pointInView(shape.centroid, view) } : null;
  }
  const tipProvince = tip ? provinces.find((p) => p.shape.code === tip.code) : undefined;

  const pointerAt = (code: string, event: PointerEvent<SVGPathElement>) => {
    const box = surface.current?.getBoundingClientRect();
    if (!box || box.width === 0 || box.height === 0) {
      setPointerTip(centroidTip(code));
      return;
    }
    setPointerTip({
      code,
      x: ((event.clientX - box.left) / box.width) * 100,
      y: ((event.clientY - box.top) / box.height) * 100,
    });
  };

  const onKeyDown = (code: string, selectable: boolean, event: KeyboardEvent<SVGPathElement>) => {
    if (selectable && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      onSelect?.(code);
    } else if (event.key === "Escape") {
      setTipDismissed(true);
    }
  };

  const highlight = (code: string | undefined) => provinces.find((p) => p.shape.code === code)?.shape.d;
  const selectedPath = highlight(selectedCode);
  const focusPath = focused?.ring ? highlight(focused.code) : undefined;

  return (
    <figure className={className} style={{ margin: 0, ...style }}>
      <div ref={surface} style={{ position: "relative" }}>
        {/* biome-ignore lint/a11y/useSemanticElements: an svg cannot be a fieldset; "group" keeps the province buttons inside it reachable, where "img" would hide them. */}
        <svg
          viewBox={view.join(" ")}
          role="group"
          aria-label={title}
          preserveAspectRatio="xMidYMid meet"
          style={{ display: "block", width: "100%", height: "auto", aspectRatio: `${full[2]} / ${full[3]}` }}
          onPointerLeave={() => setPointerTip(null)}
        >
          <defs>
            <pattern
              id={hatchId}
              patternUnits="userSpaceOnUse"
              width={4 * zoom}
              height={4 * zoom}
              patternTransform="rotate(45)"
            >
              <rect width={4 * zoom} height={4 * zoom} fill={scale.noDataColour} />
              <rect width={1.3 * zoom} height={4 * zoom} fill={HATCH_COLOUR} />
            </pattern>
          </defs>
          {provinces.map(({ shape, colour, hasData, description }) => {
            const inert = dimOutsideFocus && focusSet !== null && !focusSet.has(shape.code);
            const selectable = onSelect !== undefined && !inert;
            return (
              // biome-ignore lint/a11y/noStaticElementInteractions: the role is "button" whenever the path takes a selection; the pointer handlers only move the tooltip.
              <path
                key={shape.code}
                d={shape.d}
                fill={hasData ? colour : `url(#${hatchId})`}
                fillRule="evenodd"
                stroke={STROKE}
                strokeWidth={0.6}
                strokeLinejoin="round"
                vectorEffect="non-scaling-stroke"
                opacity={inert ? 0.35 : 1}
                data-province={shape.code}
                data-fill={colour}
                data-no-data={hasData ? undefined : "true"}
                data-selected={shape.code === selectedCode ? "true" : undefined}
                role={selectable ? "button" : "img"}
                aria-label={description}
                aria-current={shape.code === selectedCode ? "true" : undefined}
                tabIndex={inert ? undefined : 0}
                style={{ cursor: selectable ? "pointer" : "default", outline: "none" }}
                onClick={selectable ? () => onSelect(shape.code) : undefined}
                onKeyDown={inert ? undefined : (event) => onKeyDown(shape.code, selectable, event)}
                onPointerEnter={inert ? undefined : (event) => pointerAt(shape.code, event)}
                onPointerMove={inert ? undefined : (event) => pointerAt(shape.code, event)}
                onPointerDown={() => {
                  pointerDown.current = true;
                }}
                onFocus={() => {
                  setTipDismissed(false);
                  setFocused({ code: shape.code, ring: !pointerDown.current });
                  pointerDown.current = false;
                }}
                onBlur={() => setFocused(null)}
              />
            );
          })}
          {/* Outlines go last so no neighbour paints over them. */}
          {selectedPath && (
            <path
              d={selectedPath}
              fill="none"
              stroke={SELECTED_STROKE}
              strokeWidth={2.5}
              strokeLinejoin="round"
              vectorEffect="non-scaling-stroke"
              pointerEvents="none"
            />
          )}
          {focusPath && (
            <g pointerEvents="none" data-focus-ring="true">
              <path
                d={focusPath}
                fill="none"
                stroke="#ffffff"
                strokeWidth={6}
                strokeLinejoin="round"
                vectorEffect="non-scaling-stroke"
              />
              <path
                d={focusPath}
                fill="none"
                stroke={FOCUS_RING}
                strokeWidth={3}
                strokeLinejoin="round"
                vectorEffect="non-scaling-stroke"
              />
            </g>
          )}
        </svg>
        {tip && tipProvince && (
          <div role="tooltip" data-province={tip.code} style={tooltipStyle(tip)}>
            <div style={{ fontWeight: 600 }}>{tipProvince.name}</div>
            <div style={{ display: "flex", alignItems: "center", gap: "0.4em" }}>
              <span
                aria-hidden="true"
                style={{
                  width: "0.8em",
                  height: "0.8em",
                  flex: "none",
                  borderRadius: 2,
                  border: "1px solid rgba(255, 255, 255, 0.6)",
                  background: tipProvince.colour,
                }}
              />
              <span>{tipProvince.valueText}</span>
            </div>
            {tipProvince.label !== "" && <div style={{ opacity: 0.85 }}>{tipProvince.label}</div>}
          </div>
        )}
      </div>
      {(showLegend || attribution) && (
        <figcaption style={{ marginTop: "0.5em" }}>
          {showLegend && (
            <MapLegend scale={scale} formatValue={formatValue} noDataLabel={noDataLabel} title={legendTitle ?? title} />
          )}
          {attribution && (
            <small style={{ display: "block", marginTop: "0.4em", color: "#4b5563" }}>{attribution}</small>
          )}
        </figcaption>
      )}
    </figure>
  );
}

/** Above the point, or below it near the top edge; pulled inwards near the sides. */
function tooltipStyle(tip: Tip): CSSProperties {
  const x = Math.min(Math.max(tip.x, 0), 100);
  const y = Math.min(Math.max(tip.y, 0), 100);
  const shiftX = x < 20 ? "-10%" : x > 80 ? "-90%" : "-50%";
  const shiftY = y < 30 ? "0.9em" : "calc(-100% - 0.9em)";
  return {
    position: "absolute",
    left: `${x}%`,
    top: `${y}%`,
    transform: `translate(${shiftX}, ${shiftY})`,
    pointerEvents: "none",
    zIndex: 1,
    maxWidth: "20em",
    padding: "0.45em 0.7em",
    borderRadius: 4,
    background: "#111827",
    color: "#ffffff",
    boxShadow: "0 2px 8px rgba(0, 0, 0, 0.25)",
    fontSize: "clamp(0.8125rem, 0.7rem + 0.3vw, 1.5rem)",
    lineHeight: 1.35,
  };
}
