import type { Role, UnitType } from "../../generated/prisma/enums.js";

/** Which kinds of unit a role can be based at: its home unit is the root of what it sees. */
const HOME_UNITS: Record<Role, readonly UnitType[]> = {
  DIRECTORATE: ["DIRECTORATE"],
  REGIONAL_HEAD: ["REGIONAL_OFFICE"],
  UNIT_SUPERVISOR: ["IMMIGRATION_OFFICE", "DETENTION_CENTER", "REGIONAL_OFFICE", "DIRECTORATE"],
  AGENT: ["IMMIGRATION_OFFICE", "DETENTION_CENTER", "REGIONAL_OFFICE", "DIRECTORATE"],
};

export function roleFitsUnit(role: Role, unitType: UnitType): boolean {
  return HOME_UNITS[role].includes(unitType);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normaliseEmail(email: string): string | null {
  const folded = email.trim().toLowerCase();
  return folded.length <= 254 && EMAIL.test(folded) ? folded : null;
}
