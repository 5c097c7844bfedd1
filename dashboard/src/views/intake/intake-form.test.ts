import { describe, expect, it } from "vitest";
import {
  type IntakeValues,
  initialUnit,
  intakeInput,
  missingFields,
  newIdempotencyKey,
  unitGroups,
} from "./intake-form.js";

const unit = (code: string, type: string, parent: string | null, active = true) => ({
  code,
  name: code.replace("-", " "),
  type,
  active,
  parent: parent ? { code: parent } : null,
});

const values: IntakeValues = {
  channel: "PHONE",
  unitCode: "KANIM-MALANG",
  kind: "COMPLAINT",
  category: "",
  priority: "NORMAL",
  subject: " Paspor hilang ",
  description: " Hilang di bandara. ",
  reporterName: "",
  reporterPhone: "",
  reporterEmail: "",
};

describe("the staff intake form", () => {
  it("groups a scope's units under their regional office, the directorate first, inactive ones left out", () => {
    const groups = unitGroups([
      unit("KANIM-MALANG", "IMMIGRATION_OFFICE", "KANWIL-JI"),
      unit("KANWIL-JI", "REGIONAL_OFFICE", "DITJEN"),
      unit("DITJEN", "DIRECTORATE", null),
      unit("KANIM-BLITAR", "IMMIGRATION_OFFICE", "KANWIL-JI"),
      unit("KANIM-TUTUP", "IMMIGRATION_OFFICE", "KANWIL-JI", false),
      unit("KANWIL-BA", "REGIONAL_OFFICE", "DITJEN"),
    ]);
    expect(groups.map((group) => [group.head?.code ?? null, group.units.map((u) => u.code)])).toEqual([
      ["DITJEN", ["DITJEN"]],
      ["KANWIL-BA", ["KANWIL-BA"]],
      ["KANWIL-JI", ["KANWIL-JI", "KANIM-BLITAR", "KANIM-MALANG"]],
    ]);
  });

  it("lists an office whose region is outside the scope on its own", () => {
    expect(unitGroups([unit("KANIM-MALANG", "IMMIGRATION_OFFICE", null)])).toEqual([
      { head: null, units: [unit("KANIM-MALANG", "IMMIGRATION_OFFICE", null)] },
    ]);
  });

  it.each([
    ["KANIM-BLITAR", { code: "KANIM-BLITAR", refused: null }],
    ["KANIM-DENPASAR", { code: "KANIM-MALANG", refused: "KANIM-DENPASAR" }],
    [null, { code: "KANIM-MALANG", refused: null }],
  ])("starts on the asked unit %s only when the caller acts for it", (asked, expected) => {
    const units = [unit("KANIM-MALANG", "IMMIGRATION_OFFICE", null), unit("KANIM-BLITAR", "IMMIGRATION_OFFICE", null)];
    expect(initialUnit(units, asked, { code: "KANIM-MALANG", type: "IMMIGRATION_OFFICE" })).toEqual(expected);
  });

  it("makes the directorate choose a unit instead of filing at the top", () => {
    expect(initialUnit([unit("DITJEN", "DIRECTORATE", null)], null, { code: "DITJEN", type: "DIRECTORATE" })).toEqual({
      code: "",
      refused: null,
    });
  });

  it("refuses an empty subject, description or unit before asking the server", () => {
    expect(missingFields(values)).toEqual({});
    expect(missingFields({ ...values, subject: "  ", description: "", unitCode: "" })).toEqual({
      subject: "requiredSubject",
      description: "requiredDescription",
      unitCode: "requiredUnit",
    });
  });

  it("sends trimmed text, no reporter when none was given, and the form's key", () => {
    expect(intakeInput(values, "intake-1")).toEqual({
      idempotencyKey: "intake-1",
      channel: "PHONE",
      unitCode: "KANIM-MALANG",
      kind: "COMPLAINT",
      category: null,
      priority: "NORMAL",
      subject: "Paspor hilang",
      description: "Hilang di bandara.",
      reporter: null,
    });
    expect(intakeInput({ ...values, reporterPhone: " 0812 " }, "k").reporter).toEqual({
      name: null,
      phone: "0812",
      email: null,
    });
  });

  it("draws keys createTicket accepts, a new one each time", () => {
    const [a, b] = [newIdempotencyKey(), newIdempotencyKey()];
    expect(a).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    expect(a).not.toBe(b);
  });
});
