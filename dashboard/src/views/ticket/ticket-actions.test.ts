import { describe, expect, it } from "vitest";
import { actionInput, extensionState, isComplete, isStaffAction, offeredActions } from "./ticket-actions.js";

describe("ticket action forms", () => {
  it.each([
    ["reply", { body: " Terima kasih " }, { ticketId: "T", body: "Terima kasih" }],
    ["assign", { assignee: "U1" }, { ticketId: "T", assigneeId: "U1" }],
    [
      "transfer",
      { unitCode: "KANIM-BLITAR", reason: "wilayah" },
      { ticketId: "T", unitCode: "KANIM-BLITAR", reason: "wilayah" },
    ],
    ["waitOnCitizen", { optionalReason: "" }, { ticketId: "T" }],
    ["waitOnCitizen", { optionalReason: "dokumen" }, { ticketId: "T", reason: "dokumen" }],
    ["close", {}, { ticketId: "T" }],
    [
      "triage",
      { kind: "COMPLAINT", category: "PASSPORT_LOST", priority: "HIGH" },
      { ticketId: "T", kind: "COMPLAINT", category: "PASSPORT_LOST", priority: "HIGH" },
    ],
    ["triage", { kind: "", category: "", priority: "NORMAL" }, { ticketId: "T", priority: "NORMAL" }],
    ["extend", { reason: "perlu data Ditjen" }, { ticketId: "T", reason: "perlu data Ditjen" }],
    ["grantExtension", { optionalReason: "" }, { ticketId: "T", grant: true }],
    ["grantExtension", { optionalReason: "disetujui" }, { ticketId: "T", grant: true, note: "disetujui" }],
    ["refuseExtension", { reason: "data sudah ada" }, { ticketId: "T", grant: false, note: "data sudah ada" }],
  ] as const)("%s builds its input", (action, values, expected) => {
    expect(actionInput(action, "T", values)).toEqual(expected);
  });

  it.each([
    ["reply", {}, false],
    ["reply", { body: "   " }, false],
    ["reply", { body: "ok" }, true],
    ["transfer", { unitCode: "X" }, false],
    ["waitOnCitizen", {}, true],
    ["resume", {}, true],
    ["grantExtension", {}, true],
    ["refuseExtension", {}, false],
  ] as const)("%s with %o complete: %s", (action, values, expected) => {
    expect(isComplete(action, values)).toBe(expected);
  });

  it("leaves the citizen's rating to the citizen", () => {
    expect(isStaffAction("rate")).toBe(false);
    expect(isStaffAction("resolve")).toBe(true);
  });

  it.each([
    [[], "NONE"],
    [["CREATED", "EXTENSION_REQUESTED"], "PENDING"],
    [["EXTENSION_REQUESTED", "EXTENSION_REFUSED"], "REFUSED"],
    [["EXTENSION_REQUESTED", "EXTENSION_REFUSED", "EXTENSION_REQUESTED"], "PENDING"],
    [["EXTENSION_REQUESTED", "SLA_EXTENDED", "REPLIED"], "GRANTED"],
  ] as const)("reads the extension of %o as %s", (types, expected) => {
    expect(extensionState(types)).toBe(expected);
  });

  it.each([
    ["an agent, nothing asked yet", ["reply", "extend"], [], "AGENT", ["reply", "extend"]],
    ["an agent, a request pending", ["reply", "extend"], ["EXTENSION_REQUESTED"], "AGENT", ["reply"]],
    [
      "a supervisor, a request pending",
      ["reply", "extend"],
      ["EXTENSION_REQUESTED"],
      "UNIT_SUPERVISOR",
      ["reply", "grantExtension", "refuseExtension"],
    ],
    [
      "anyone, once granted",
      ["reply", "extend"],
      ["EXTENSION_REQUESTED", "SLA_EXTENDED"],
      "UNIT_SUPERVISOR",
      ["reply"],
    ],
    ["anyone, after a refusal", ["extend"], ["EXTENSION_REQUESTED", "EXTENSION_REFUSED"], "AGENT", ["extend"]],
    ["not a staff action", ["rate", "extend"], [], "AGENT", ["extend"]],
  ] as const)("offers %s", (_label, allowed, types, role, expected) => {
    expect(offeredActions(allowed, types, role)).toEqual(expected);
  });

  it.each([
    [
      "a complaint whose file is open",
      ["FIRST_RESPONSE", "RESOLUTION", "FILE_ANSWER"],
      [],
      ["reply", "fileIncomplete", "fileComplete"],
    ],
    ["a complaint whose file is complete", ["FILE_ANSWER", "EXAMINATION"], ["FILE_COMPLETE"], ["reply"]],
    ["a ticket without the file stages", ["FIRST_RESPONSE", "RESOLUTION"], [], ["reply"]],
  ] as const)("offers the answers on the file to %s", (_label, kinds, types, expected) => {
    expect(offeredActions(["reply", "fileIncomplete", "fileComplete"], types, "AGENT", kinds)).toEqual(expected);
  });

  it("sends what is missing and the answer as the mutations' fields", () => {
    expect(actionInput("fileIncomplete", "T1", { missing: " Salinan paspor " })).toEqual({
      ticketId: "T1",
      missing: "Salinan paspor",
    });
    expect(actionInput("fileComplete", "T1", { answer: "Lengkap" })).toEqual({ ticketId: "T1", answer: "Lengkap" });
    expect(isComplete("fileComplete", { answer: " " })).toBe(false);
  });
});
