import { describe, expect, it } from "vitest";
import { deriveUnits, loadUnits, type UnitDirectory, unitWeight } from "./units.js";

const units = loadUnits();
const byName = (name: string) => {
  const unit = units.find((candidate) => candidate.name === name);
  if (!unit) throw new Error(`missing unit ${name}`);
  return unit;
};
const byCode = new Map(units.map((unit) => [unit.code, unit]));

describe("unit codes", () => {
  it.each([
    ["Direktorat Jenderal Imigrasi", "IMI"],
    ["Kantor Wilayah Direktorat Jenderal Imigrasi Jawa Timur", "KANWIL-JI"],
    ["Kantor Wilayah Direktorat Jenderal Imigrasi DKI Jakarta", "KANWIL-JK"],
    ["Kantor Imigrasi Kelas I TPI Malang", "KANIM-MALANG"],
    ["Kantor Imigrasi Kelas I TPI Tanjung Perak", "KANIM-TANJUNG-PERAK"],
    ["Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta", "KANIM-SOEKARNO-HATTA"],
    ["Kantor Imigrasi Kelas I Khusus Non TPI Jakarta Selatan", "KANIM-JAKARTA-SELATAN"],
    ["Kantor Imigrasi Kelas III TPI Banyuwangi", "KANIM-BANYUWANGI"],
    ["Kantor Imigrasi Kelas II Non TPI Pemalang", "KANIM-PEMALANG"],
    ["Kantor Imigrasi Padang Sidimpuan", "KANIM-PADANG-SIDIMPUAN"],
    ["Rumah Detensi Imigrasi Tanjungpinang", "RUDENIM-TANJUNGPINANG"],
    ["Rumah Detensi Imigrasi Jakarta", "RUDENIM-JAKARTA"],
  ])("%s → %s", (name, code) => {
    expect(byName(name).code).toBe(code);
  });

  it("are unique, upper-case ASCII and at most 64 characters", () => {
    expect(new Set(units.map((unit) => unit.code)).size).toBe(units.length);
    for (const unit of units) expect(unit.code).toMatch(/^[A-Z0-9]+(?:-[A-Z0-9]+)*$/);
    for (const unit of units) expect(unit.code.length).toBeLessThanOrEqual(64);
  });

  it("resolve collisions with the province suffix, then a counter", () => {
    const office = (provinceIso: string) => ({
      name: "Kantor Imigrasi Kelas II TPI Sungai Raya",
      type: "IMMIGRATION_OFFICE",
      class: "Kelas II TPI",
      city: "Sungai Raya",
      province: provinceIso,
      provinceIso,
      timeZone: "Asia/Jakarta",
      lat: null,
      lng: null,
    });
    const regional = (provinceIso: string) => ({
      ...office(provinceIso),
      name: `Kanwil ${provinceIso}`,
      type: "REGIONAL_OFFICE",
    });
    const directory: UnitDirectory = {
      provinces: [],
      units: [
        { ...office("ID-KB"), name: "Direktorat Jenderal Imigrasi", type: "DIRECTORATE", class: null },
        regional("ID-KB"),
        regional("ID-RI"),
        office("ID-KB"),
        office("ID-RI"),
        office("ID-RI"),
      ],
    };
    expect(deriveUnits(directory).map((unit) => unit.code)).toEqual([
      "IMI",
      "KANWIL-KB",
      "KANWIL-RI",
      "KANIM-SUNGAI-RAYA",
      "KANIM-SUNGAI-RAYA-RI",
      "KANIM-SUNGAI-RAYA-RI-2",
    ]);
  });
});

describe("unit directory", () => {
  it("holds the directorate, 33 regional offices, 146 immigration offices and 13 detention centers", () => {
    const count = (type: string) => units.filter((unit) => unit.type === type).length;
    expect([
      count("DIRECTORATE"),
      count("REGIONAL_OFFICE"),
      count("IMMIGRATION_OFFICE"),
      count("DETENTION_CENTER"),
    ]).toEqual([1, 33, 146, 13]);
  });

  it("lists parents before children and gives every unit but the directorate an existing parent", () => {
    const seen = new Set<string>();
    for (const unit of units) {
      if (unit.type === "DIRECTORATE") expect(unit.parentCode).toBeNull();
      else expect(seen.has(unit.parentCode ?? "")).toBe(true);
      seen.add(unit.code);
    }
  });

  it("hangs regional offices under IMI and every UPT under a regional office", () => {
    for (const unit of units.filter((candidate) => candidate.type === "REGIONAL_OFFICE"))
      expect(unit.parentCode).toBe("IMI");
    for (const unit of units.filter(
      (candidate) => candidate.type === "IMMIGRATION_OFFICE" || candidate.type === "DETENTION_CENTER",
    )) {
      expect(byCode.get(unit.parentCode ?? "")?.type).toBe("REGIONAL_OFFICE");
    }
  });

  it.each([
    ["Kantor Imigrasi Kelas I TPI Malang", "KANWIL-JI", "Asia/Jakarta"],
    ["Kantor Imigrasi Kelas II Non TPI Pemalang", "KANWIL-JT", "Asia/Jakarta"],
    ["Kantor Imigrasi Kelas I TPI Samarinda", "KANWIL-KI", "Asia/Makassar"],
    ["Kantor Imigrasi Kelas I TPI Pontianak", "KANWIL-KB", "Asia/Pontianak"],
    // Provinces without a Kantor Wilayah of their own fall under the office that covers them.
    ["Kantor Imigrasi Kelas II TPI Tarakan", "KANWIL-KI", "Asia/Makassar"],
    ["Kantor Imigrasi Kelas II TPI Merauke", "KANWIL-PA", "Asia/Jayapura"],
    ["Kantor Imigrasi Kelas II TPI Sorong", "KANWIL-PB", "Asia/Jayapura"],
  ])("%s sits under %s in %s", (name, parentCode, timeZone) => {
    const unit = byName(name);
    expect(unit.parentCode).toBe(parentCode);
    expect(unit.timeZone).toBe(timeZone);
  });

  it("refuses a UPT that no regional office covers", () => {
    const directory: UnitDirectory = {
      provinces: [{ name: "Papua Selatan", iso: "ID-PS", ownRegionalImmigrationOffice: false, coveredBy: null }],
      units: [
        {
          name: "Kantor Imigrasi Kelas II TPI Merauke",
          type: "IMMIGRATION_OFFICE",
          class: "Kelas II TPI",
          city: "Merauke",
          province: "Papua Selatan",
          provinceIso: "ID-PS",
          timeZone: "Asia/Jayapura",
          lat: null,
          lng: null,
        },
      ],
    };
    expect(() => deriveUnits(directory)).toThrow(/No Kantor Wilayah covers/);
  });
});

describe("office classes", () => {
  it.each([
    ["Kantor Imigrasi Kelas I Khusus TPI Batam", "KELAS_I_KHUSUS_TPI"],
    ["Kantor Imigrasi Kelas I TPI Malang", "KELAS_I_TPI"],
    ["Kantor Imigrasi Kelas I Non TPI Bekasi", "KELAS_I_NON_TPI"],
    ["Kantor Imigrasi Kelas II TPI Jember", "KELAS_II_TPI"],
    ["Kantor Imigrasi Kelas II Non TPI Kediri", "KELAS_II_NON_TPI"],
    ["Kantor Imigrasi Kelas III Non TPI Ponorogo", "KELAS_III_NON_TPI"],
    ["Kantor Imigrasi Kelas I Khusus Non TPI Jakarta Selatan", "KELAS_I_KHUSUS_NON_TPI"],
    ["Kantor Imigrasi Kelas I Khusus Non TPI Jakarta Barat", "KELAS_I_KHUSUS_NON_TPI"],
    ["Kantor Imigrasi Kelas III TPI Banyuwangi", "KELAS_III_TPI"],
    ["Kantor Imigrasi Kelas III TPI Tanjung Redeb", "KELAS_III_TPI"],
    ["Kantor Imigrasi Pasuruan", null],
    ["Rumah Detensi Imigrasi Surabaya", null],
  ])("%s → %s", (name, officeClass) => {
    expect(byName(name).officeClass).toBe(officeClass);
  });

  it("keeps what is uncertain, and no longer flags a class the enum now expresses", () => {
    expect(byName("Kantor Imigrasi Kelas I Khusus Non TPI Jakarta Selatan").uncertainty).toBeNull();
    expect(byName("Kantor Imigrasi Kelas III TPI Banyuwangi").uncertainty).not.toMatch(/OfficeClass/);
    expect(byName("Kantor Imigrasi Pasuruan").uncertainty).toMatch(/class not found/);
    expect(byName("Kantor Imigrasi Kelas I TPI Balikpapan").uncertainty).toMatch(/Kelas I Khusus/);
    expect(byName("Kantor Imigrasi Kelas I TPI Malang").uncertainty).toBeNull();
  });
});

describe("unit weight", () => {
  const weight = (code: string) => unitWeight(byCode.get(code) ?? units[0]!);

  it("ranks big offices above small ones and keeps supervisory units light", () => {
    expect(weight("KANIM-BATAM")).toBeGreaterThan(weight("KANIM-MALANG"));
    expect(weight("KANIM-SURABAYA")).toBeGreaterThan(weight("KANIM-SOEKARNO-HATTA") / 2);
    expect(weight("KANIM-MALANG")).toBeGreaterThan(weight("KANIM-PONOROGO"));
    expect(weight("KANIM-PONOROGO")).toBeGreaterThan(weight("RUDENIM-SURABAYA"));
    expect(weight("KANWIL-JI")).toBeLessThan(weight("KANIM-PONOROGO"));
    expect(weight("IMI")).toBeLessThan(weight("KANIM-MALANG"));
    for (const unit of units) expect(unitWeight(unit)).toBeGreaterThan(0);
  });
});
