import { describe, expect, it } from "vitest";
import { actionInput, isComplete, isStaffAction } from "./ticket-actions.js";

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
  ] as const)("%s with %o complete: %s", (action, values, expected) => {
    expect(isComplete(action, values)).toBe(expected);
  });

  it("leaves the citizen's rating to the citizen", () => {
    expect(isStaffAction("rate")).toBe(false);
    expect(isStaffAction("resolve")).toBe(true);
  });
});
