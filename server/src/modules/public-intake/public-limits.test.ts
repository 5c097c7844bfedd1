import { describe, expect, it } from "vitest";
import { PublicLimitError } from "../../errors.js";
import { createMemoryBudgetStore } from "../limits/budget.js";
import { PublicLimits } from "./public-limits.js";

const settings = { reportsPerAddressPerHour: 2, lookupsPerAddressPerHour: 3, lookupsPerNumberPerHour: 2 };

function limitsAt(clock: { ms: number }) {
  const store = createMemoryBudgetStore(() => clock.ms);
  return new PublicLimits(settings, () => store);
}

const refused = async (attempt: Promise<void>) => {
  try {
    await attempt;
    return null;
  } catch (error) {
    if (error instanceof PublicLimitError) return error.retryAfterSeconds;
    throw error;
  }
};

describe("PublicLimits", () => {
  it("allows a burst of reports per address, then refuses until the bucket refills", async () => {
    const clock = { ms: 0 };
    const limits = limitsAt(clock);
    expect(await refused(limits.report("a"))).toBeNull();
    expect(await refused(limits.report("a"))).toBeNull();
    expect(await refused(limits.report("a"))).toBe(1800);
    expect(await refused(limits.report("b"))).toBeNull();
    clock.ms += 1_800_000;
    expect(await refused(limits.report("a"))).toBeNull();
  });

  it.each([
    ["one address, many numbers", (i: number): [string, string] => ["a", `N${i}`], 3],
    ["many addresses, one number", (i: number): [string, string] => [`a${i}`, "N"], 2],
  ] as const)("limits look-ups: %s", async (_name, call, allowed) => {
    const limits = limitsAt({ ms: 0 });
    const outcomes: (number | null)[] = [];
    for (let i = 0; i < allowed + 1; i += 1) {
      const [address, number] = call(i);
      outcomes.push(await refused(limits.lookup(address, number)));
    }
    expect(outcomes.slice(0, allowed)).toEqual(Array(allowed).fill(null));
    expect(outcomes[allowed]).toBeGreaterThan(0);
  });

  it("does not count a look-up against the number when the address is already refused", async () => {
    const limits = limitsAt({ ms: 0 });
    for (let i = 0; i < 3; i += 1) await limits.lookup("a", `N${i}`);
    expect(await refused(limits.lookup("a", "X"))).toBeGreaterThan(0);
    expect(await refused(limits.lookup("b", "X"))).toBeNull();
    expect(await refused(limits.lookup("c", "X"))).toBeNull();
  });
});
