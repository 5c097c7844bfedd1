import { CombinedError } from "@urql/core";
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { fillPlaceholders } from "../../i18n/i18n.js";
import { MESSAGES, type MessageKey } from "../../i18n/messages.js";
import { describeRequestError, describeResultError, failureOf } from "./error-words.js";

const i18n = (language: "id" | "en") => ({
  t: (key: MessageKey) => MESSAGES[language][key],
  tf: (key: MessageKey, values: Record<string, string | number>) => fillPlaceholders(MESSAGES[language][key], values),
});

describe("server errors in the dashboard's words", () => {
  it.each([
    ["id", { code: "UNKNOWN_UNIT" }, "Unit tidak dikenal atau di luar wewenang Anda."],
    ["en", { code: "UNKNOWN_UNIT" }, "Unknown unit, or outside your scope."],
    ["id", { code: "VALIDATION_FAILED", field: "subject" }, "Periksa isian: Perihal."],
    ["en", { code: "VALIDATION_FAILED", field: "reporter.phone" }, "Please check: Reporter's phone."],
    ["id", { code: "INVALID_TRANSITION" }, MESSAGES.id.errINVALID_TRANSITION],
    ["en", { code: "SOMETHING_NEW" }, "The server refused the request (code SOMETHING_NEW)."],
  ] as const)("%s: %j", (language, error, expected) => {
    expect(describeResultError(error, i18n(language))).toBe(expected);
  });

  it("says a lost connection in its own words, and a refused request by its code", () => {
    expect(describeRequestError(new CombinedError({ networkError: new Error("Failed to fetch") }), i18n("id"))).toBe(
      MESSAGES.id.errNETWORK,
    );
    const refused = new CombinedError({
      graphQLErrors: [new GraphQLError("nope", { extensions: { code: "RATE_LIMITED" } })],
    });
    expect(describeRequestError(refused, i18n("en"))).toBe(MESSAGES.en.errRATE_LIMITED);
  });

  it("reads a result union: nothing for a success, the code's words otherwise", () => {
    expect(failureOf({ data: { result: { __typename: "TriageTicketSuccess" } } }, i18n("id"))).toBeNull();
    expect(
      failureOf({ data: { result: { __typename: "ForbiddenError", code: "FORBIDDEN", message: "x" } } }, i18n("en")),
    ).toBe(MESSAGES.en.errFORBIDDEN);
  });

  it("has every message in both languages", () => {
    for (const key of Object.keys(MESSAGES.id) as MessageKey[]) expect(MESSAGES.en[key], key).toBeTruthy();
  });
});
