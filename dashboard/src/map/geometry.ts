/** The province shapes of provinces.json (see README.md) and the pure geometry the map needs. */
import data from "./provinces.json";

/** [x, y, width, height] in the map's coordinate space. */
export type Box = readonly [number, number, number, number];

export interface ProvinceShape {
  /** ISO 3166-2:ID code, e.g. "ID-JI". */
  readonly code: string;
  /** Official Indonesian name, e.g. "Jawa Timur". */
  readonly name: string;
  /** SVG path. */
  readonly d: string;
  readonly bbox: Box;
  /** A point on the province's largest island, for tooltips and markers. */
  readonly centroid: readonly [number, number];
}

export interface ProvinceGeometry {
  readonly attribution: string;
  readonly projection: string;
  readonly viewBox: Box;
  /** Provinces without a shape of their own → the province drawn in their place. */
  readonly aliases: Readonly<Record<string, string>>;
  readonly provinces: readonly ProvinceShape[];
}

const box = (n: readonly number[]): Box => [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0, n[3] ?? 0];

export const PROVINCE_GEOMETRY: ProvinceGeometry = {
  ...data,
  viewBox: box(data.viewBox),
  provinces: data.provinces.map((p) => ({
    ...p,
    bbox: box(p.bbox),
    centroid: [p.centroid[0] ?? 0, p.centroid[1] ?? 0],
  })),
};

/** "Made with Natural Earth" and what was changed; show it near the map or in an about page. */
export const MAP_ATTRIBUTION = PROVINCE_GEOMETRY.attribution;

/** The code of the shape that draws a province: itself, or for provinces newer than the source data
 * (Kalimantan Utara, the 2022 Papua provinces) the province they were split from. */
export function shapeCodeOf(code: string, geometry: ProvinceGeometry = PROVINCE_GEOMETRY): string | undefined {
  const resolved = geometry.aliases[code] ?? code;
  return geometry.provinces.some((p) => p.code === resolved) ? resolved : undefined;
}

/** Codes drawn within a shape besides its own (e.g. ID-PA → ID-PS, ID-PT, ID-PE). */
export function aliasesOf(code: string, geometry: ProvinceGeometry = PROVINCE_GEOMETRY): string[] {
  return Object.entries(geometry.aliases)
    .filter(([, target]) => target === code)
    .map(([alias]) => alias);
}

/** Fraction of the focus box added as margin on every side. */
const FOCUS_MARGIN = 0.12;
/** The deepest zoom, as a fraction of the whole map's width, so a small province such as Jakarta
 * keeps its neighbours in view. */
const MIN_FOCUS_WIDTH = 0.1;

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The view box showing the given provinces (aliases allowed) with a margin, widened to the whole map's
 * aspect ratio so the map keeps its height when it zooms, and kept inside the map. Unknown codes are
 * ignored; with none left it is the whole map.
 */
export function focusViewBox(
  codes: readonly string[] | undefined,
  geometry: ProvinceGeometry = PROVINCE_GEOMETRY,
): Box {
  const full = geometry.viewBox;
  const boxes = (codes ?? [])
    .map((code) => shapeCodeOf(code, geometry))
    .flatMap((code) => geometry.provinces.filter((p) => p.code === code).map((p) => p.bbox));
  if (boxes.length === 0) return full;
  const x0 = Math.min(...boxes.map((b) => b[0]));
  const y0 = Math.min(...boxes.map((b) => b[1]));
  const x1 = Math.max(...boxes.map((b) => b[0] + b[2]));
  const y1 = Math.max(...boxes.map((b) => b[1] + b[3]));
  const aspect = full[2] / full[3];
  let width = Math.max((x1 - x0) * (1 + 2 * FOCUS_MARGIN), full[2] * MIN_FOCUS_WIDTH);
  let height = (y1 - y0) * (1 + 2 * FOCUS_MARGIN);
  if (width / height < aspect) width = height * aspect;
  else height = width / aspect;
  if (width >= full[2] || height >= full[3]) return full;
  const x = Math.min(Math.max((x0 + x1) / 2 - width / 2, full[0]), full[0] + full[2] - width);
  const y = Math.min(Math.max((y0 + y1) / 2 - height / 2, full[1]), full[1] + full[3] - height);
  return [round1(x), round1(y), round1(width), round1(height)];
}

/** Where a map point sits in the visible box, in percent of its width and height (may fall outside 0–100). */
export function pointInView(point: readonly [number, number], view: Box): { x: number; y: number } {
  return { x: ((point[0] - view[0]) / view[2]) * 100, y: ((point[1] - view[1]) / view[3]) * 100 };
}
