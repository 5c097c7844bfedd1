import { describe, expect, it } from "vitest";
import { replyForm } from "./window.js";

const NOW = new Date("2026-12-07T10:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

describe("replyForm", () => {
  it.each([
    ["the citizen wrote a minute ago", hoursAgo(1 / 60), "text"],
    ["23 h 59 min ago", hoursAgo(24 - 1 / 60), "text"],
    ["exactly 24 h ago: the window has closed", hoursAgo(24), "template"],
    ["25 h ago", hoursAgo(25), "template"],
    ["a week ago", hoursAgo(24 * 7), "template"],
    ["never (a ticket staff opened on WhatsApp)", null, "template"],
    ["in the future by clock skew", hoursAgo(-0.1), "text"],
  ] as const)("%s → %s", (_case, lastInbound, form) => {
    expect(replyForm(lastInbound, NOW)).toBe(form);
  });
});
