import { readFileSync } from "node:fs";
import type { OfficeClass, UnitType } from "../../generated/prisma/enums.js";
import { referenceDataFile } from "../../paths.js";

/** One unit ready to insert; `parentCode` is resolved to an id at insert time. */
export interface UnitSeed {
  code: string;
  name: string;
  type: UnitType;
  officeClass: OfficeClass | null;
  parentCode: string | null;
  provinceCode: string;
  provinceName: string;
  city: string | null;
  timeZone: string;
  latitude: number | null;
  longitude: number | null;
  source: string | null;
  uncertainty: string | null;
}

/** The shape of prisma/data/units.json, as far as the seed reads it. */
export interface UnitDirectory {
  provinces: { name: string; iso: string; ownRegionalImmigrationOffice: boolean; coveredBy: string | null }[];
  units: {
    name: string;
    type: string;
    class: string | null;
    city: string | null;
    province: string;
    provinceIso: string;
    timeZone: string;
    lat: number | null;
    lng: number | null;
    source?: string | null;
    uncertain?: string | null;
    note?: string | null;
    parent?: string | null;
  }[];
}

const UNIT_TYPES: readonly UnitType[] = ["DIRECTORATE", "REGIONAL_OFFICE", "IMMIGRATION_OFFICE", "DETENTION_CENTER"];

const OFFICE_CLASSES: Record<string, OfficeClass> = {
  "Kelas I Khusus TPI": "KELAS_I_KHUSUS_TPI",
  "Kelas I Khusus Non TPI": "KELAS_I_KHUSUS_NON_TPI",
  "Kelas I TPI": "KELAS_I_TPI",
  "Kelas I Non TPI": "KELAS_I_NON_TPI",
  "Kelas II TPI": "KELAS_II_TPI",
  "Kelas II Non TPI": "KELAS_II_NON_TPI",
  "Kelas III TPI": "KELAS_III_TPI",
  "Kelas III Non TPI": "KELAS_III_NON_TPI",
};

// Matches the class written in an office name, so that the slug never contains the class.
const CLASS_IN_NAME = /^Kelas (?:I|II|III)(?: Khusus)?(?: Non)? TPI /;

const DIRECTORY_URL = referenceDataFile("units.json");

let cached: UnitSeed[] | undefined;

/** The unit directory shipped with the code, parents before children. */
export function loadUnits(): UnitSeed[] {
  cached ??= deriveUnits(JSON.parse(readFileSync(DIRECTORY_URL, "utf8")) as UnitDirectory);
  return cached;
}

/**
 * Unit codes are part of the public API, so they are derived only from facts that do not change
 * with reclassification:
 * - the directorate is `IMI`;
 * - a Kantor Wilayah is `KANWIL-<suffix of its ISO 3166-2 province code>` (ID-JI → `KANWIL-JI`);
 * - a Kantor Imigrasi is `KANIM-<SLUG>` and a Rudenim `RUDENIM-<SLUG>`, where SLUG is the place in the
 *   name after "Kantor Imigrasi" / "Rumah Detensi Imigrasi" and after any class words, transliterated to
 *   ASCII, upper-cased, with every run of other characters turned into one hyphen
 *   ("Kantor Imigrasi Kelas I TPI Tanjung Perak" → `KANIM-TANJUNG-PERAK`).
 * A code already taken gets the province suffix appended, then `-2`, `-3`…, in directory order.
 */
export function deriveUnits(directory: UnitDirectory): UnitSeed[] {
  const ordered = UNIT_TYPES.flatMap((type) => directory.units.filter((unit) => unit.type === type));
  if (ordered.length !== directory.units.length) throw new Error("units.json holds a unit of unknown type");

  const taken = new Set<string>();
  const regionalByProvince = new Map<string, string>();
  const regionalByName = new Map<string, string>();
  const seeds: UnitSeed[] = [];

  // Regional offices come before UPTs in `ordered`, so a UPT's parent is always known when it is reached.
  for (const unit of ordered) {
    const type = unit.type as UnitType;
    const provinceSuffix = unit.provinceIso.replace(/^ID-/, "");
    const code = uniqueCode(baseCode(type, unit.name, provinceSuffix), provinceSuffix, taken);
    if (type === "REGIONAL_OFFICE") {
      regionalByProvince.set(unit.provinceIso, code);
      regionalByName.set(unit.name, code);
    }
    const officeClass = unit.class === null ? null : (OFFICE_CLASSES[unit.class] ?? null);
    const notes = [unit.uncertain, unit.note];
    if (unit.class !== null && officeClass === null) notes.push(`class "${unit.class}" has no OfficeClass value`);
    seeds.push({
      code,
      name: unit.name,
      type,
      officeClass,
      parentCode: parentCodeOf(unit, type, directory, regionalByProvince, regionalByName),
      provinceCode: unit.provinceIso,
      provinceName: unit.province,
      city: unit.city,
      timeZone: unit.timeZone,
      latitude: unit.lat,
      longitude: unit.lng,
      source: unit.source ?? null,
      uncertainty: notes.filter((note): note is string => Boolean(note)).join("; ") || null,
    });
  }
  return seeds;
}

type DirectoryUnit = UnitDirectory["units"][number];

/**
 * The directorate has no parent, regional offices hang under it, and a UPT under the Kantor Wilayah
 * named in its `parent` field, else of its province, else of the province that covers its province
 * (new provinces such as Papua Selatan have no Kantor Wilayah of their own yet).
 */
function parentCodeOf(
  unit: DirectoryUnit,
  type: UnitType,
  directory: UnitDirectory,
  byProvince: Map<string, string>,
  byName: Map<string, string>,
): string | null {
  if (type === "DIRECTORATE") return null;
  if (type === "REGIONAL_OFFICE") return "IMI";
  const explicit = unit.parent ? byName.get(unit.parent) : undefined;
  if (explicit) return explicit;
  const own = byProvince.get(unit.provinceIso);
  if (own) return own;
  const coveredBy = directory.provinces.find((province) => province.iso === unit.provinceIso)?.coveredBy;
  const coveringIso = directory.provinces.find((province) => province.name === coveredBy)?.iso;
  const covering = coveringIso ? byProvince.get(coveringIso) : undefined;
  if (!covering) throw new Error(`No Kantor Wilayah covers ${unit.name} (${unit.provinceIso})`);
  return covering;
}

function baseCode(type: UnitType, name: string, provinceSuffix: string): string {
  switch (type) {
    case "DIRECTORATE":
      return "IMI";
    case "REGIONAL_OFFICE":
      return `KANWIL-${provinceSuffix}`;
    case "IMMIGRATION_OFFICE":
      return `KANIM-${slug(name.replace(/^Kantor Imigrasi /, "").replace(CLASS_IN_NAME, ""))}`;
    case "DETENTION_CENTER":
      return `RUDENIM-${slug(name.replace(/^Rumah Detensi Imigrasi /, ""))}`;
  }
}

function uniqueCode(base: string, provinceSuffix: string, taken: Set<string>): string {
  let code = base.slice(0, 64);
  if (taken.has(code)) code = `${base.slice(0, 60)}-${provinceSuffix}`;
  for (let n = 2; taken.has(code); n++) code = `${base.slice(0, 58)}-${provinceSuffix}-${n}`;
  taken.add(code);
  return code;
}

function slug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const CLASS_WEIGHT: Record<OfficeClass, number> = {
  KELAS_I_KHUSUS_TPI: 5,
  KELAS_I_KHUSUS_NON_TPI: 4.5,
  KELAS_I_TPI: 3,
  KELAS_I_NON_TPI: 2.5,
  KELAS_II_TPI: 1.3,
  KELAS_II_NON_TPI: 1.1,
  KELAS_III_TPI: 0.6,
  KELAS_III_NON_TPI: 0.6,
};

const BIG_CITIES = /Jakarta|Surabaya|Medan|Denpasar|Batam|Soekarno-Hatta|Ngurah Rai/;
const LARGE_CITIES = /Bandung|Makassar|Semarang|Yogyakarta|Tangerang|Malang|Bekasi|Depok|Bogor|Palembang/;

/**
 * Relative ticket volume of a unit: driven by office class (a proxy for passport throughput) and by
 * the size of the city served.
 */
export function unitWeight(unit: Pick<UnitSeed, "type" | "officeClass" | "name" | "city">): number {
  if (unit.type === "DIRECTORATE") return 1.5;
  if (unit.type === "REGIONAL_OFFICE") return 0.3;
  if (unit.type === "DETENTION_CENTER") return 0.25;
  const base = unit.officeClass ? CLASS_WEIGHT[unit.officeClass] : 0.8;
  const place = `${unit.name} ${unit.city ?? ""}`;
  return base * (BIG_CITIES.test(place) ? 1.6 : LARGE_CITIES.test(place) ? 1.2 : 1);
}
