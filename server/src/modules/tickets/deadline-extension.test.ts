import { describe, expect, it } from "vitest";
import type { Role } from "../../generated/prisma/enums.js";
import { decisionRefusal, type ExtensionEvent, extensionOf } from "./deadline-extension.js";

const requested = (actorId: string, reason: string): ExtensionEvent => ({
  type: "EXTENSION_REQUESTED",
  actorId,
  data: { reason },
});
const refused: ExtensionEvent = { type: "EXTENSION_REFUSED", actorId: "sup", data: { reason: "Tidak perlu." } };
const granted: ExtensionEvent = { type: "SLA_EXTENDED", actorId: "sup", data: { reason: "Perlu data." } };
const other: ExtensionEvent = { type: "NOTE_ADDED", actorId: "agent", data: {} };

describe("the extension of a ticket from its log", () => {
  it.each<[string, ExtensionEvent[], ReturnType<typeof extensionOf>]>([
    ["nothing asked", [other], { state: "NONE", requestedBy: null, reason: null }],
    ["asked", [requested("agent", "Perlu data.")], { state: "PENDING", requestedBy: "agent", reason: "Perlu data." }],
    ["asked, refused", [requested("agent", "A"), refused], { state: "REFUSED", requestedBy: "agent", reason: "A" }],
    [
      "refused, asked again",
      [requested("agent", "A"), refused, other, requested("agent", "B")],
      { state: "PENDING", requestedBy: "agent", reason: "B" },
    ],
    ["asked, granted", [requested("agent", "A"), granted], { state: "GRANTED", requestedBy: "agent", reason: "A" }],
    ["granted by a supervisor directly", [granted], { state: "GRANTED", requestedBy: null, reason: null }],
  ])("%s", (_story, events, expected) => {
    expect(extensionOf(events)).toEqual(expected);
  });
});

describe("who may decide on an extension", () => {
  it.each<[string, Role, string | null, string | null, ReturnType<typeof decisionRefusal>]>([
    ["an agent", "AGENT", null, "agent", "NOT_A_SUPERVISOR"],
    ["the unit supervisor", "UNIT_SUPERVISOR", null, "agent", null],
    ["the regional head", "REGIONAL_HEAD", "agent", "agent", null],
    ["the directorate", "DIRECTORATE", "agent", "agent", null],
    ["a supervisor who asked for it", "UNIT_SUPERVISOR", "agent", "me", "OWN_REQUEST"],
    ["a supervisor who holds the ticket", "UNIT_SUPERVISOR", "me", "agent", "OWN_TICKET"],
    ["a supervisor, on a direct extension of an unassigned ticket", "UNIT_SUPERVISOR", null, null, null],
  ])("%s", (_who, role, assigneeId, requestedBy, expected) => {
    expect(decisionRefusal({ userId: "me", role }, { assigneeId }, requestedBy)).toBe(expected);
  });
});
