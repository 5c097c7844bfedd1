import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./unavailable.js";

describe("recognising a database that cannot be reached", () => {
  it("knows pg's, Node's and Prisma's ways of saying so", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const shutdown = Object.assign(new Error("terminating connection due to administrator command"), {
      code: "57P01",
      severity: "FATAL",
    });
    const prisma = {
      name: "PrismaClientKnownRequestError",
      code: "P2010",
      meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } },
    };
    for (const error of [
      refused,
      shutdown,
      prisma,
      new Error("Connection terminated unexpectedly"),
      new Error("Invalid `prisma.ticket.create()` invocation: Connection terminated unexpectedly"),
      { originalError: { code: "08006" } },
      { cause: new Error("timeout exceeded when trying to connect") },
    ]) {
      expect(isDatabaseUnavailable(error), JSON.stringify(error)).toBe(true);
    }
    // A statement that failed on a working connection is the caller's, not an outage.
    for (const error of [
      Object.assign(new Error("duplicate key"), { code: "23505" }),
      Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" }),
      new Error("Unexpected error."),
      null,
      "ECONNREFUSED",
    ]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
    }
  });
});
