import { describe, expect, it } from "vitest";
import { CATEGORIES } from "./categories.js";
import { CATEGORY_WEIGHTS, DETENTION_CATEGORY_WEIGHTS, TEMPLATES } from "./templates.js";

describe("category tree", () => {
  const codes = new Set(CATEGORIES.map((category) => category.code));

  it("has unique upper-case codes with Indonesian and English names", () => {
    expect(codes.size).toBe(CATEGORIES.length);
    for (const category of CATEGORIES) {
      expect(category.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(category.name.length).toBeGreaterThan(0);
      expect(category.nameEn.length).toBeGreaterThan(0);
    }
  });

  it("lists parents before children", () => {
    const seen = new Set<string>();
    for (const category of CATEGORIES) {
      if (category.parentCode !== null) expect(seen.has(category.parentCode)).toBe(true);
      seen.add(category.code);
    }
  });

  it.each([
    "PASSPORT",
    "PASSPORT_MPASPOR_QUOTA",
    "PASSPORT_EPASSPORT",
    "PASSPORT_LOST_DAMAGED",
    "VISA",
    "STAY_PERMIT",
    "STAY_PERMIT_ITAS_ITAP",
    "STAY_PERMIT_BRIDGING",
    "FOREIGN_WORKERS",
    "FOREIGNER_REPORT",
    "DETENTION_DEPORTATION",
    "OFFICER_CONDUCT",
    "BROKERS",
    "FEES",
    "ONLINE_SERVICES",
    "FACILITIES",
    "OTHER",
  ])("contains %s", (code) => {
    expect(codes.has(code)).toBe(true);
  });

  it("numbers siblings from 0", () => {
    const roots = CATEGORIES.filter((category) => category.parentCode === null).map((category) => category.position);
    expect(roots).toEqual(roots.map((_, index) => index));
  });

  it("has ticket templates only for existing categories, and a template for every weighted one", () => {
    for (const template of TEMPLATES) expect(codes.has(template.category)).toBe(true);
    const templated = new Set(TEMPLATES.map((template) => template.category));
    for (const code of Object.keys({ ...CATEGORY_WEIGHTS, ...DETENTION_CATEGORY_WEIGHTS }))
      expect(templated.has(code)).toBe(true);
  });
});
