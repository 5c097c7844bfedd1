import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address.js";

const request = (remoteAddress: string, forwarded?: string) =>
  ({
    socket: { remoteAddress },
    headers: forwarded === undefined ? {} : { "x-forwarded-for": forwarded },
  }) as unknown as IncomingMessage;

describe("client address", () => {
  it.each([
    ["no proxy: the socket, whatever the header claims", request("10.0.0.9", "1.2.3.4"), 0, "10.0.0.9"],
    ["one proxy: the entry it appended", request("10.0.0.1", "6.6.6.6, 203.0.113.7"), 1, "203.0.113.7"],
    ["two proxies: the entry before the last", request("10.0.0.1", "6.6.6.6, 203.0.113.7, 10.0.0.2"), 2, "203.0.113.7"],
    ["more hops than entries: the leftmost", request("10.0.0.1", "203.0.113.7"), 3, "203.0.113.7"],
    ["a proxy but no header: the socket", request("10.0.0.1"), 1, "10.0.0.1"],
    ["no request at all", undefined, 1, "unknown"],
  ])("%s", (_label, req, hops, expected) => {
    expect(clientAddress(req, hops)).toBe(expected);
  });
});
