import { describe, expect, it } from "vitest";
import type { ClockState } from "../../generated/prisma/enums.js";
import { transitionEvent } from "./clock-engine.js";

describe("the SLA event a change of clock state writes", () => {
  it.each([
    [null, "RUNNING", null],
    [null, "MET", "SLA_MET"],
    [null, "PAUSED", "SLA_PAUSED"],
    ["RUNNING", "RUNNING", null],
    ["RUNNING", "AT_RISK", "SLA_AT_RISK"],
    ["RUNNING", "BREACHED", "SLA_BREACHED"],
    ["RUNNING", "MET", "SLA_MET"],
    ["RUNNING", "PAUSED", "SLA_PAUSED"],
    ["AT_RISK", "BREACHED", "SLA_BREACHED"],
    ["AT_RISK", "MET", "SLA_MET"],
    ["AT_RISK", "PAUSED", "SLA_PAUSED"],
    ["PAUSED", "RUNNING", "SLA_RESUMED"],
    // Resuming into the at-risk zone it had reached before the pause is a resumption, not a second warning.
    ["PAUSED", "AT_RISK", "SLA_RESUMED"],
    ["PAUSED", "BREACHED", "SLA_BREACHED"],
    ["BREACHED", "BREACHED", null],
    ["MET", "MET", null],
    ["RUNNING", "REJECTED", "SLA_REJECTED"],
    ["AT_RISK", "REJECTED", "SLA_REJECTED"],
    ["PAUSED", "REJECTED", "SLA_REJECTED"],
    ["REJECTED", "REJECTED", null],
  ] as [ClockState | null, ClockState, string | null][])("%s → %s writes %s", (before, after, expected) => {
    expect(transitionEvent(before, after)).toBe(expected);
  });
});
