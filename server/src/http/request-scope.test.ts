import { describe, expect, it } from "vitest";
import { noteOperation, requestIdFrom, requestScope } from "./request-scope.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("request ids", () => {
  it.each([
    ["a UUID", "0b6f3c1e-5a7d-4c2b-9e1f-2a3b4c5d6e7f", true],
    ["a trace-style token", "req_01HZX8Q7K2M3N4P5", true],
    ["dots and colons", "lb-1:2026.12.04:42", true],
    ["too short", "abc", false],
    ["too long", "a".repeat(129), false],
    ["a line break (log injection)", "abcdefgh\nlevel=50", false],
    ["spaces", "abc defgh ijk", false],
    ["quotes", 'abcdefgh"}', false],
  ])("%s is %s", (_label, header, kept) => {
    const id = requestIdFrom(header);
    if (kept) expect(id).toBe(header);
    else expect(id).toMatch(UUID);
  });

  it("makes one when none is given, and takes the first of repeated headers", () => {
    expect(requestIdFrom(undefined)).toMatch(UUID);
    expect(requestIdFrom(["first-id-123", "second-id-456"])).toBe("first-id-123");
  });

  it("collects the operation names of the request being served", () => {
    const scope: { requestId: string; operationName?: string } = { requestId: "r-12345678" };
    requestScope.run(scope, () => {
      noteOperation("Queue");
      noteOperation(null);
      noteOperation("Tickets");
    });
    expect(scope.operationName).toBe("Queue,Tickets");
    noteOperation("Outside");
    expect(scope.operationName).toBe("Queue,Tickets");
  });
});
