import { describe, expect, it } from "vitest";
import { localIso } from "./local-time.js";
import { subjectFrom } from "./public-input.js";
import { outcomeOf } from "./public-intake-service.js";

describe("localIso", () => {
  it.each([
    ["2026-12-10T09:00:00Z", "Asia/Jakarta", "2026-12-10T16:00:00+07:00"],
    ["2026-12-10T09:00:00Z", "Asia/Makassar", "2026-12-10T17:00:00+08:00"],
    ["2026-12-10T20:30:05Z", "Asia/Jayapura", "2026-12-11T05:30:05+09:00"],
    ["2026-12-10T00:00:00Z", "UTC", "2026-12-10T00:00:00+00:00"],
  ])("%s in %s", (at, zone, local) => {
    expect(localIso(new Date(at), zone)).toBe(local);
  });
});

describe("subjectFrom", () => {
  it.each([
    ["Paspor saya hilang di bandara.", "Paspor saya hilang di bandara."],
    ["\n\nBaris pertama\nbaris kedua", "Baris pertama"],
    ["Hi", "Hi …"],
    [`${"kata ".repeat(30)}`, `${"kata ".repeat(16).trim()} …`],
  ])("%j", (description, subject) => {
    expect(subjectFrom(description)).toBe(subject);
  });
});

describe("outcomeOf", () => {
  const at = new Date("2026-12-08T03:00:00Z");
  const replies = [{ id: "m1", body: "Sudah kami selesaikan.", at }];
  it.each([
    ["open, never ended", "IN_PROGRESS", undefined, null],
    [
      "resolved",
      "RESOLVED",
      { type: "RESOLVED", at, data: { messageId: "m1" } },
      { kind: "RESOLVED", at, message: "Sudah kami selesaikan." },
    ],
    [
      "closed after resolution",
      "CLOSED",
      { type: "RESOLVED", at, data: { messageId: "m1" } },
      { kind: "RESOLVED", at, message: "Sudah kami selesaikan." },
    ],
    ["reopened after resolution", "IN_PROGRESS", { type: "RESOLVED", at, data: { messageId: "m1" } }, null],
    [
      "rejected",
      "REJECTED",
      { type: "REJECTED", at, data: { reason: "Bukan wewenang imigrasi." } },
      { kind: "REJECTED", at, message: "Bukan wewenang imigrasi." },
    ],
  ] as const)("%s", (_name, status, last, expected) => {
    expect(outcomeOf(status, last, replies)).toEqual(expected);
  });
});
