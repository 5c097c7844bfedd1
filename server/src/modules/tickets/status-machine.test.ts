import { describe, expect, it } from "vitest";
import { TicketStatus } from "../../generated/prisma/enums.js";
import { allowedActions, type TicketAction, transition } from "./status-machine.js";

const ALL_STATUSES = Object.values(TicketStatus);
const ALL_ACTIONS: TicketAction[] = [
  "triage",
  "assign",
  "transfer",
  "reply",
  "note",
  "waitOnCitizen",
  "resume",
  "resolve",
  "close",
  "reopen",
  "reject",
  "extend",
  "rate",
];

// Every allowed (from, action) pair with its target. Any pair missing here must be refused.
const ALLOWED: [TicketStatus, TicketAction, TicketStatus][] = [
  ["NEW", "triage", "TRIAGED"],
  ["NEW", "transfer", "NEW"],
  ["NEW", "reply", "NEW"],
  ["NEW", "note", "NEW"],
  ["NEW", "reject", "REJECTED"],
  ["TRIAGED", "assign", "ASSIGNED"],
  ["TRIAGED", "transfer", "TRIAGED"],
  ["TRIAGED", "reply", "TRIAGED"],
  ["TRIAGED", "note", "TRIAGED"],
  ["TRIAGED", "resolve", "RESOLVED"],
  ["TRIAGED", "reject", "REJECTED"],
  ["ASSIGNED", "assign", "ASSIGNED"],
  ["ASSIGNED", "transfer", "TRIAGED"],
  ["ASSIGNED", "reply", "IN_PROGRESS"],
  ["ASSIGNED", "note", "ASSIGNED"],
  ["ASSIGNED", "waitOnCitizen", "WAITING_ON_CITIZEN"],
  ["ASSIGNED", "resolve", "RESOLVED"],
  ["IN_PROGRESS", "assign", "IN_PROGRESS"],
  ["IN_PROGRESS", "transfer", "TRIAGED"],
  ["IN_PROGRESS", "reply", "IN_PROGRESS"],
  ["IN_PROGRESS", "note", "IN_PROGRESS"],
  ["IN_PROGRESS", "waitOnCitizen", "WAITING_ON_CITIZEN"],
  ["IN_PROGRESS", "resolve", "RESOLVED"],
  ["WAITING_ON_CITIZEN", "assign", "WAITING_ON_CITIZEN"],
  ["WAITING_ON_CITIZEN", "transfer", "TRIAGED"],
  ["WAITING_ON_CITIZEN", "reply", "WAITING_ON_CITIZEN"],
  ["WAITING_ON_CITIZEN", "note", "WAITING_ON_CITIZEN"],
  ["WAITING_ON_CITIZEN", "resume", "IN_PROGRESS"],
  ["WAITING_ON_CITIZEN", "resolve", "RESOLVED"],
  ["RESOLVED", "reply", "RESOLVED"],
  ["RESOLVED", "note", "RESOLVED"],
  ["RESOLVED", "close", "CLOSED"],
  ["RESOLVED", "reopen", "IN_PROGRESS"],
  ["CLOSED", "note", "CLOSED"],
  ["CLOSED", "reopen", "IN_PROGRESS"],
  ["REJECTED", "note", "REJECTED"],
  ["NEW", "extend", "NEW"],
  ["TRIAGED", "extend", "TRIAGED"],
  ["ASSIGNED", "extend", "ASSIGNED"],
  ["IN_PROGRESS", "extend", "IN_PROGRESS"],
  ["WAITING_ON_CITIZEN", "extend", "WAITING_ON_CITIZEN"],
  ["RESOLVED", "rate", "RESOLVED"],
  ["CLOSED", "rate", "CLOSED"],
];

describe("ticket status machine", () => {
  it.each(ALLOWED)("%s --%s--> %s", (from, action, to) => {
    expect(transition(from, action)).toEqual({ ok: true, to });
  });

  const allowedKeys = new Set(ALLOWED.map(([from, action]) => `${from}:${action}`));
  const refused = ALL_STATUSES.flatMap((from) => ALL_ACTIONS.map((action) => [from, action] as const)).filter(
    ([from, action]) => !allowedKeys.has(`${from}:${action}`),
  );

  it.each(refused)("refuses %s --%s-->", (from, action) => {
    expect(transition(from, action)).toEqual({ ok: false });
  });

  it("covers every status and action in the tables above", () => {
    expect(ALLOWED.length + refused.length).toBe(ALL_STATUSES.length * ALL_ACTIONS.length);
  });

  it.each([
    ["RESOLVED", false, "TRIAGED"],
    ["CLOSED", false, "TRIAGED"],
    ["CLOSED", true, "IN_PROGRESS"],
  ] as const)("reopens %s with assignee=%s to %s", (from, assigned, to) => {
    expect(transition(from, "reopen", { assigned })).toEqual({ ok: true, to });
  });

  it("lets nothing but a note, the citizen's rating or a reopen touch a closed ticket", () => {
    expect(allowedActions("CLOSED").sort()).toEqual(["note", "rate", "reopen"]);
  });
});
