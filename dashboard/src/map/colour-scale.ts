/** Stepped colour scales for KPI maps: pure functions, no DOM. */

/** Which end of a KPI is good: SLA compliance and CSAT are higher-is-better; backlog and breaches lower. */
export type Direction = "higherIsBetter" | "lowerIsBetter";

/** Sequential palettes, light to dark, each monotone in lightness so the order survives colour-blindness
 * and greyscale printing. */
export type PaletteName = "severity" | "blues" | "purples";

/** One band of a scale: values v with from ≤ v < to; a null end is open. */
export interface ColourStep {
  readonly from: number | null;
  readonly to: number | null;
  readonly colour: string;
}

export interface ColourScale {
  readonly direction: Direction;
  /** Ascending by value. */
  readonly steps: readonly ColourStep[];
  readonly noDataColour: string;
  /** Values are whole numbers (counts), so a band [10, 20) reads "10 – 19". */
  readonly integer?: boolean;
}

export interface LegendStep extends ColourStep {
  /** Language-neutral range text built with the caller's number formatter, e.g. "75 – 90" or "≥ 90". */
  readonly label: string;
}

export const NO_DATA_COLOUR = "#d4d7dc";

/** The API's status rule for SLA compliance: ≥ 90 % good, ≥ 75 % warning, below critical. */
export const SLA_STATUS_THRESHOLDS = { good: 90, warning: 75 } as const;

/** Good / warning / critical differ in hue and in lightness (mid, light, dark), so they stay apart for
 * the common colour-vision deficiencies. */
export const STATUS_COLOURS = { good: "#2b9a73", warning: "#f0b429", critical: "#b3261e" } as const;

const PALETTE_ANCHORS: Record<PaletteName, readonly string[]> = {
  severity: ["#fcefc0", "#f29a4a", "#c2413b", "#5e1a4a"],
  blues: ["#e3eef9", "#7fb1dd", "#2f6fb0", "#10305e"],
  purples: ["#eeeaf6", "#ab9bd1", "#6a4ea6", "#31185e"],
};

export const MIN_STEPS = 2;
export const MAX_STEPS = 7;

// --- colour maths (OKLab, so interpolated steps look evenly spaced) ---

type Triple = readonly [number, number, number];

function parseHex(hex: string): Triple {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m?.[1]) throw new Error(`Not a #rrggbb colour: ${hex}`);
  const n = Number.parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex([r, g, b]: Triple): string {
  const channel = (c: number) =>
    Math.round(Math.min(255, Math.max(0, c)))
      .toString(16)
      .padStart(2, "0");
  return `#${channel(r)}${channel(g)}${channel(b)}`;
}

const toLinear = (c: number) => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};
const fromLinear = (l: number) => 255 * (l <= 0.0031308 ? 12.92 * l : 1.055 * l ** (1 / 2.4) - 0.055);

function rgbToOklab([r8, g8, b8]: Triple): Triple {
  const r = toLinear(r8);
  const g = toLinear(g8);
  const b = toLinear(b8);
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

function oklabToRgb([L, a, b]: Triple): Triple {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    fromLinear(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
    fromLinear(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
    fromLinear(-0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s),
  ];
}

/** WCAG relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = parseHex(hex);
  return 0.2126 * toLinear(r) + 0.7152 * toLinear(g) + 0.0722 * toLinear(b);
}

/** WCAG contrast ratio, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Black or white, whichever reads better on the background. */
export function readableTextColour(background: string): "#000000" | "#ffffff" {
  return contrastRatio(background, "#000000") >= contrastRatio(background, "#ffffff") ? "#000000" : "#ffffff";
}

function interpolate(anchors: readonly Triple[], t: number): Triple {
  const position = t * (anchors.length - 1);
  const i = Math.min(Math.floor(position), anchors.length - 2);
  const f = position - i;
  const a = anchors[i]!;
  const b = anchors[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** `count` colours from light to dark, evenly spaced along the palette. */
export function paletteColours(name: PaletteName, count: number): string[] {
  const anchors = PALETTE_ANCHORS[name].map((hex) => rgbToOklab(parseHex(hex)));
  if (count === 1) return [toHex(oklabToRgb(interpolate(anchors, 0.5)))];
  return Array.from({ length: count }, (_, i) => toHex(oklabToRgb(interpolate(anchors, i / (count - 1)))));
}

/** Colours for bands in ascending value order: the worse end is always the darkest, so problems stand out. */
function coloursByValue(palette: PaletteName, count: number, direction: Direction): string[] {
  const lightToDark = paletteColours(palette, count);
  return direction === "lowerIsBetter" ? lightToDark : lightToDark.reverse();
}

// --- scales ---

const clampSteps = (n: number) => Math.min(MAX_STEPS, Math.max(MIN_STEPS, Math.round(n)));
// Removes float noise such as 0.30000000000000004 from computed band edges.
const tidy = (n: number) => Number(n.toPrecision(12));

/** The smallest round step (1, 2, 2.5 or 5 × 10ⁿ; whole numbers when `integer`) that is at least `raw`. */
export function niceStep(raw: number, integer = false): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => tidy(m * power)).find((s) => s >= raw * (1 - 1e-12)) ?? 10 * power;
  return integer ? Math.max(1, Math.ceil(step)) : step;
}

export interface QuantizedOptions {
  /** [min, max] of the values to show, e.g. from `domainOf`, or [0, 100] for a percentage. */
  readonly domain: readonly [number, number];
  readonly direction: Direction;
  /** Number of bands wanted, 2–7 (default 5); round edges may give fewer. */
  readonly steps?: number;
  readonly palette?: PaletteName;
  /** Round band edges to 1, 2, 2.5 or 5 × 10ⁿ (default true). */
  readonly nice?: boolean;
  /** The values are counts: band edges are whole numbers. */
  readonly integer?: boolean;
}

/** Equal-interval bands over the domain; values outside it take the end colours. */
export function quantizedScale(options: QuantizedOptions): ColourScale {
  const { direction, palette = "severity", nice = true, integer = false } = options;
  const wanted = clampSteps(options.steps ?? 5);
  const lo = Math.min(options.domain[0], options.domain[1]);
  const hi = Math.max(options.domain[0], options.domain[1]);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error("The domain must be finite");
  if (lo === hi) {
    const [colour] = paletteColours(palette, 1);
    return { direction, integer, noDataColour: NO_DATA_COLOUR, steps: [{ from: lo, to: hi, colour: colour! }] };
  }
  let edges: number[];
  if (nice || integer) {
    let step = niceStep((hi - lo) / wanted, integer);
    const countFor = (s: number) => Math.ceil(tidy((hi - Math.floor(lo / s) * s) / s));
    while (countFor(step) > wanted) step = niceStep(step * 1.0001, integer);
    const start = Math.floor(lo / step) * step;
    edges = Array.from({ length: countFor(step) + 1 }, (_, i) => tidy(start + i * step));
  } else {
    edges = Array.from({ length: wanted + 1 }, (_, i) => tidy(lo + ((hi - lo) * i) / wanted));
  }
  const colours = coloursByValue(palette, edges.length - 1, direction);
  return {
    direction,
    integer,
    noDataColour: NO_DATA_COLOUR,
    steps: colours.map((colour, i) => ({ from: edges[i]!, to: edges[i + 1]!, colour })),
  };
}

export interface ThresholdOptions {
  /** Band edges, ascending; n thresholds make n + 1 bands, each including its lower edge. */
  readonly thresholds: readonly number[];
  readonly direction: Direction;
  readonly palette?: PaletteName;
  /** Explicit colours in ascending value order, one more than the thresholds; overrides the palette. */
  readonly colours?: readonly string[];
  /** The values are counts. */
  readonly integer?: boolean;
}

/** Fixed bands, e.g. status bands agreed with the business rather than derived from the data. */
export function thresholdScale(options: ThresholdOptions): ColourScale {
  const { thresholds, direction, palette = "severity", integer = false } = options;
  if (thresholds.length < 1 || thresholds.length > MAX_STEPS - 1) {
    throw new Error(`Between 1 and ${MAX_STEPS - 1} thresholds are supported`);
  }
  for (let i = 1; i < thresholds.length; i++) {
    if (!(thresholds[i]! > thresholds[i - 1]!)) throw new Error("Thresholds must be strictly ascending");
  }
  const colours = options.colours ?? coloursByValue(palette, thresholds.length + 1, direction);
  if (colours.length !== thresholds.length + 1) throw new Error("Give one colour more than thresholds");
  return {
    direction,
    integer,
    noDataColour: NO_DATA_COLOUR,
    steps: colours.map((colour, i) => ({
      from: i === 0 ? null : thresholds[i - 1]!,
      to: i === thresholds.length ? null : thresholds[i]!,
      colour,
    })),
  };
}

/** SLA compliance (%) coloured as the API's status: ≥ 90 good, ≥ 75 warning, otherwise critical. */
export function slaStatusScale(): ColourScale {
  return thresholdScale({
    thresholds: [SLA_STATUS_THRESHOLDS.warning, SLA_STATUS_THRESHOLDS.good],
    direction: "higherIsBetter",
    colours: [STATUS_COLOURS.critical, STATUS_COLOURS.warning, STATUS_COLOURS.good],
  });
}

/** Index of the band a value falls in (values beyond the ends take the end bands), or null for no data. */
export function stepIndexOf(scale: ColourScale, value: number | null | undefined): number | null {
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  const last = scale.steps.length - 1;
  for (let i = 0; i < last; i++) {
    const to = scale.steps[i]!.to;
    if (to !== null && value < to) return i;
  }
  return last;
}

export function colourOf(scale: ColourScale, value: number | null | undefined): string {
  const index = stepIndexOf(scale, value);
  return index === null ? scale.noDataColour : scale.steps[index]!.colour;
}

/** The bands in ascending order with their range text, for a legend. */
export function legendSteps(scale: ColourScale, formatValue: (n: number) => string): LegendStep[] {
  const last = scale.steps.length - 1;
  return scale.steps.map((step, i) => {
    const { from, to } = step;
    // The top band of a quantized scale also holds its upper edge, so only inner edges are exclusive.
    const upper = to !== null && scale.integer && i < last ? to - 1 : to;
    let label: string;
    if (from === null && upper === null) label = "";
    else if (from === null) label = scale.integer ? `≤ ${formatValue(upper!)}` : `< ${formatValue(upper!)}`;
    else if (upper === null) label = `≥ ${formatValue(from)}`;
    else if (upper <= from) label = formatValue(from);
    else label = `${formatValue(from)} – ${formatValue(upper)}`;
    return { ...step, label };
  });
}

/** [min, max] of the values present, or null when there are none. */
export function domainOf(values: Iterable<number | null | undefined>): [number, number] | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : null;
}
