import { describe, expect, it } from "vitest";
import { compareSchemas, deprecationProblem } from "./schema-compat.js";

const released = `
  type Query {
    ticket(number: String!): Ticket
    legacyCount: Int @deprecated(reason: "Use tickets.totalCount; since 2026-01-01, removal not before 2026-06-01.")
    fresh: Int @deprecated(reason: "Use tickets.totalCount; since 2026-11-01, removal not before 2027-03-01.")
  }
  type Ticket { number: String! subject: String! }
  enum Status { NEW CLOSED }
  type Mutation { close(status: Status): Ticket }
`;
const today = new Date("2026-11-23T00:00:00Z");

describe("schema compatibility", () => {
  it("passes additions and reports new enum values as dangerous", async () => {
    const current = released
      .replace("subject: String!", "subject: String! channel: String")
      .replace("NEW CLOSED", "NEW CLOSED REOPENED");
    const report = await compareSchemas(released, current, [], today);
    expect(report.breaking).toEqual([]);
    expect(report.safe.map((c) => c.path)).toContain("Ticket.channel");
    expect(report.dangerous.map((c) => c.path)).toContain("Status.REOPENED");
  });

  it("fails a removed field, a changed argument and a narrowed type", async () => {
    const current = released
      .replace("subject: String!", "")
      .replace("ticket(number: String!): Ticket", "ticket(number: Int!): Ticket");
    const report = await compareSchemas(released, current, [], today);
    expect(report.breaking.map((c) => c.path).sort()).toEqual(["Query.ticket.number", "Ticket.subject"]);
  });

  it("accepts a breaking change listed as deliberate, with its reason", async () => {
    const current = released.replace("subject: String!", "");
    const allowed = [{ type: "FIELD_REMOVED", path: "Ticket.subject", reason: "personal data in subjects" }];
    const report = await compareSchemas(released, current, allowed, today);
    expect(report.breaking).toEqual([]);
    expect(report.accepted.map((a) => a.why)).toEqual(["personal data in subjects"]);
  });

  it("lets a deprecated field go once its announced removal date has come, and not before", async () => {
    const expired = await compareSchemas(released, released.replace(/legacyCount.*\n/, "\n"), [], today);
    expect(expired.breaking).toEqual([]);
    expect(expired.accepted[0]?.why).toMatch(/2026-06-01/);
    const early = await compareSchemas(released, released.replace(/fresh: .*\n/, "\n"), [], today);
    expect(early.breaking.map((c) => c.path)).toEqual(["Query.fresh"]);
  });

  it.each([
    ["no dates", "Use something else.", /must read/],
    ["too short a notice", "since 2026-11-01, removal not before 2026-12-01", /less than 90 days/],
    ["an impossible date", "since 2026-13-45, removal not before 2027-06-01", /does not exist/],
  ])("refuses a deprecation with %s", async (_label, reason, problem) => {
    expect(deprecationProblem(reason)).toMatch(problem);
    const current = released.replace("subject: String!", `subject: String! @deprecated(reason: "${reason}")`);
    const report = await compareSchemas(released, current, [], today);
    expect(report.deprecationProblems).toEqual([expect.stringMatching(/^Ticket\.subject: /)]);
  });
});
