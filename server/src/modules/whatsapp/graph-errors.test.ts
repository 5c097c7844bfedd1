import { describe, expect, it } from "vitest";
import { graphFailure } from "./graph-errors.js";

const NOW = new Date("2026-12-07T10:00:00Z");
const error = (code: number, message: string, details?: string) => ({
  error: { message, type: "OAuthException", code, ...(details ? { error_data: { details } } : {}), fbtrace_id: "x" },
});

describe("graphFailure", () => {
  it.each([
    ["500 without a body", 500, null, null, { permanent: false, retryAfterMs: null, message: "Graph API 500" }],
    ["503 with Retry-After", 503, null, "7", { permanent: false, retryAfterMs: 7_000 }],
    ["429 with Retry-After", 429, error(130429, "Rate limit hit"), "2", { permanent: false, retryAfterMs: 2_000 }],
    ["429 with an HTTP date", 429, null, "Mon, 07 Dec 2026 10:00:30 GMT", { permanent: false, retryAfterMs: 30_000 }],
    ["a huge Retry-After is capped at a day", 429, null, "999999999", { permanent: false, retryAfterMs: 86_400_000 }],
    ["400 with a throttling code", 400, error(131056, "Pair rate limit hit"), null, { permanent: false }],
    ["400 with Graph's transient code", 400, error(131000, "Something went wrong"), null, { permanent: false }],
    [
      "400 not a WhatsApp user",
      400,
      error(131026, "Message undeliverable", "Recipient is not a WhatsApp user"),
      "5",
      {
        permanent: true,
        retryAfterMs: null,
        message: "Graph API 400 (#131026): Message undeliverable — Recipient is not a WhatsApp user",
      },
    ],
    ["401 expired token", 401, error(190, "Error validating access token"), null, { permanent: true }],
    [
      "404 unknown template",
      404,
      error(132001, "Template name does not exist in the translation"),
      null,
      { permanent: true },
    ],
    ["400 with an HTML body", 400, "<html>", null, { permanent: true, message: "Graph API 400" }],
  ] as const)("%s", (_case, status, body, retryAfter, expected) => {
    expect(graphFailure(status, body, retryAfter, NOW)).toMatchObject(expected);
  });
});
