import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address.js";

describe("the client address", () => {
  it.each([
    ["no proxy: the socket, whatever the header says", "10.0.0.9", "6.6.6.6", 0, "10.0.0.9"],
    ["one proxy: the address it saw", "10.0.0.1", "203.0.113.7", 1, "203.0.113.7"],
    ["one proxy: a forged entry on the left is ignored", "10.0.0.1", "6.6.6.6, 203.0.113.7", 1, "203.0.113.7"],
    ["two proxies", "10.0.0.1", "6.6.6.6, 203.0.113.7, 10.0.0.2", 2, "203.0.113.7"],
    ["fewer entries than proxies: the leftmost", "10.0.0.1", "203.0.113.7", 3, "203.0.113.7"],
    ["a proxy but no header", "10.0.0.1", null, 1, "10.0.0.1"],
    ["no socket address", undefined, null, 0, "unknown"],
  ])("%s", (_label, socket, header, hops, expected) => {
    expect(clientAddress(socket, header, hops)).toBe(expected);
  });
});
