import { describe, expect, it } from "vitest";
import { afterReceipt } from "./receipt.js";

describe("afterReceipt", () => {
  it.each([
    ["SENT", "sent", null],
    ["SENT", "delivered", "DELIVERED"],
    ["SENT", "read", "READ"],
    ["SENT", "failed", "DEAD"],
    ["DELIVERED", "read", "READ"],
    // out of order or repeated: never back
    ["DELIVERED", "sent", null],
    ["DELIVERED", "delivered", null],
    ["READ", "delivered", null],
    ["READ", "sent", null],
    ["READ", "read", null],
    // a failure after the phone has it does not undo that
    ["DELIVERED", "failed", null],
    ["READ", "failed", null],
    // the receipt raced the worker recording Graph's answer
    ["SENDING", "sent", "SENT"],
    ["SENDING", "delivered", "DELIVERED"],
    ["SENDING", "failed", "DEAD"],
    // not handed over, or already given up: nothing
    ["PENDING", "delivered", null],
    ["FAILED", "read", null],
    ["DEAD", "delivered", null],
  ] as const)("%s + %s → %s", (current, receipt, next) => {
    expect(afterReceipt(current, receipt)).toBe(next);
  });
});
