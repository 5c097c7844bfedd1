import { describe, expect, it } from "vitest";
import type { Role } from "../../generated/prisma/enums.js";
import {
  type Account,
  administeredAccounts,
  administersStaff,
  refusal,
  type StaffActor,
  type StaffChange,
  seesEmailOf,
} from "./staff-permissions.js";

// IMI(1) ─ KANWIL-JI(2) ─ KANIM-MALANG(3), KANIM-SURABAYA(4)
//        └ KANWIL-BA(5) ─ KANIM-DENPASAR(6)
const ALL = new Set([1, 2, 3, 4, 5, 6]);
const JATIM = new Set([2, 3, 4]);
const IMI = 1;
const KANWIL_JI = 2;
const MALANG = 3;
const SURABAYA = 4;
const DENPASAR = 6;

const actors: Record<string, StaffActor> = {
  directorate: { userId: "dir", role: "DIRECTORATE", unitId: IMI, unitIds: ALL },
  head: { userId: "head", role: "REGIONAL_HEAD", unitId: KANWIL_JI, unitIds: JATIM },
  supervisor: { userId: "sup", role: "UNIT_SUPERVISOR", unitId: MALANG, unitIds: new Set([MALANG]) },
  // A supervisor based at a regional office sees its offices but places agents only at the office itself.
  kanwilSupervisor: { userId: "ksup", role: "UNIT_SUPERVISOR", unitId: KANWIL_JI, unitIds: JATIM },
  agent: { userId: "agent", role: "AGENT", unitId: MALANG, unitIds: new Set([MALANG]) },
};

const account = (role: Role, unitId: number, userId = `${role}@${unitId}`): Account => ({ userId, role, unitId });
const create = (role: Role, unitId: number): StaffChange => ({ kind: "create", placement: { role, unitId } });
const self = (name: string) => {
  const actor = actors[name] as StaffActor;
  return account(actor.role, actor.unitId, actor.userId);
};

describe("refusal", () => {
  it.each<[string, StaffChange, string | null]>([
    // Creating: the role must be one the caller gives, at a unit they place staff at.
    ["directorate", create("DIRECTORATE", IMI), null],
    ["directorate", create("REGIONAL_HEAD", KANWIL_JI), null],
    ["directorate", create("AGENT", DENPASAR), null],
    ["head", create("UNIT_SUPERVISOR", MALANG), null],
    ["head", create("AGENT", KANWIL_JI), null],
    ["head", create("REGIONAL_HEAD", KANWIL_JI), "ROLE_NOT_GRANTABLE"],
    ["head", create("DIRECTORATE", KANWIL_JI), "ROLE_NOT_GRANTABLE"],
    ["head", create("AGENT", DENPASAR), "UNKNOWN_UNIT"],
    ["head", create("AGENT", IMI), "UNKNOWN_UNIT"],
    ["supervisor", create("AGENT", MALANG), null],
    ["supervisor", create("UNIT_SUPERVISOR", MALANG), "ROLE_NOT_GRANTABLE"],
    ["supervisor", create("AGENT", SURABAYA), "UNKNOWN_UNIT"],
    ["kanwilSupervisor", create("AGENT", KANWIL_JI), null],
    ["kanwilSupervisor", create("AGENT", MALANG), "UNIT_NOT_GRANTABLE"],
    ["agent", create("AGENT", MALANG), "FORBIDDEN"],
    // Changing someone else: the caller must administer the account as it is and as it would be.
    ["directorate", { kind: "update", account: account("DIRECTORATE", IMI), next: { role: "AGENT" } }, null],
    ["head", { kind: "update", account: account("AGENT", MALANG), next: { unitId: SURABAYA } }, null],
    ["head", { kind: "update", account: account("AGENT", MALANG), next: { role: "UNIT_SUPERVISOR" } }, null],
    [
      "head",
      { kind: "update", account: account("AGENT", MALANG), next: { role: "REGIONAL_HEAD" } },
      "ROLE_NOT_GRANTABLE",
    ],
    ["head", { kind: "update", account: account("AGENT", MALANG), next: { unitId: DENPASAR } }, "UNKNOWN_UNIT"],
    ["head", { kind: "update", account: account("REGIONAL_HEAD", KANWIL_JI), next: { active: false } }, "FORBIDDEN"],
    ["head", { kind: "update", account: account("AGENT", DENPASAR), next: { active: false } }, "NOT_FOUND"],
    ["supervisor", { kind: "update", account: account("AGENT", MALANG), next: { active: false } }, null],
    ["supervisor", { kind: "update", account: account("UNIT_SUPERVISOR", MALANG), next: {} }, "FORBIDDEN"],
    [
      "supervisor",
      { kind: "update", account: account("AGENT", MALANG), next: { role: "UNIT_SUPERVISOR" } },
      "ROLE_NOT_GRANTABLE",
    ],
    ["kanwilSupervisor", { kind: "update", account: account("AGENT", MALANG), next: {} }, "FORBIDDEN"],
    ["agent", { kind: "update", account: account("AGENT", MALANG), next: {} }, "FORBIDDEN"],
    ["supervisor", { kind: "deactivate", account: account("AGENT", MALANG) }, null],
    ["supervisor", { kind: "deactivate", account: account("UNIT_SUPERVISOR", MALANG) }, "FORBIDDEN"],
    ["head", { kind: "deactivate", account: account("UNIT_SUPERVISOR", SURABAYA) }, null],
    ["head", { kind: "deactivate", account: account("UNIT_SUPERVISOR", DENPASAR) }, "NOT_FOUND"],
    ["agent", { kind: "deactivate", account: account("AGENT", MALANG) }, "FORBIDDEN"],
    ["head", { kind: "reset-password", account: account("AGENT", MALANG) }, null],
    ["supervisor", { kind: "reset-password", account: account("UNIT_SUPERVISOR", MALANG) }, "FORBIDDEN"],
    // Yourself: your name only.
    ["directorate", { kind: "update", account: self("directorate"), next: {} }, null],
    ["agent", { kind: "update", account: self("agent"), next: {} }, null],
    ["directorate", { kind: "update", account: self("directorate"), next: { role: "DIRECTORATE" } }, null],
    ["directorate", { kind: "update", account: self("directorate"), next: { role: "AGENT" } }, "SELF_CHANGE"],
    ["head", { kind: "update", account: self("head"), next: { unitId: MALANG } }, "SELF_CHANGE"],
    ["supervisor", { kind: "update", account: self("supervisor"), next: { active: true } }, "SELF_CHANGE"],
    ["directorate", { kind: "deactivate", account: self("directorate") }, "SELF_CHANGE"],
    ["head", { kind: "reset-password", account: self("head") }, "SELF_CHANGE"],
  ])("%s: %j → %s", (name, change, expected) => {
    expect(refusal(actors[name] as StaffActor, change)?.code ?? null).toBe(expected);
  });
});

describe("who sees a staff member's e-mail address", () => {
  it.each<[string, Account, boolean]>([
    ["directorate", account("DIRECTORATE", IMI), true],
    ["head", account("AGENT", SURABAYA), true],
    ["head", account("REGIONAL_HEAD", KANWIL_JI), false],
    // Never by identity: your own address is viewer.email.
    ["head", self("head"), false],
    ["directorate", self("directorate"), true],
    ["supervisor", account("AGENT", MALANG), true],
    ["supervisor", account("UNIT_SUPERVISOR", MALANG), false],
    ["agent", account("AGENT", MALANG), false],
    ["agent", self("agent"), false],
  ])("%s sees %j: %s", (name, target, expected) => {
    expect(seesEmailOf(actors[name] as StaffActor, target)).toBe(expected);
  });
});

describe("the table", () => {
  it("gives no role above the giver's, and gives agents nobody", () => {
    const rank: Record<Role, number> = { DIRECTORATE: 3, REGIONAL_HEAD: 2, UNIT_SUPERVISOR: 1, AGENT: 0 };
    for (const actor of Object.values(actors)) {
      for (const role of administeredAccounts(actor).roles) expect(rank[role]).toBeLessThanOrEqual(rank[actor.role]);
    }
    expect(administersStaff("AGENT")).toBe(false);
    expect(administeredAccounts(actors.agent as StaffActor)).toEqual({ roles: [], unitIds: [] });
    expect(administeredAccounts(actors.kanwilSupervisor as StaffActor).unitIds).toEqual([KANWIL_JI]);
  });
});
