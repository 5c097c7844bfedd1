import type { CombinedError } from "@urql/core";
import type { MessageKey } from "../../i18n/messages.js";

/** A domain error as a mutation's result union returns it. */
export interface ResultError {
  code: string;
  field?: string | null;
}

type Translate = {
  t(key: MessageKey): string;
  tf(key: MessageKey, values: Record<string, string | number>): string;
};

const CODE_WORDS: Record<string, MessageKey> = {
  FORBIDDEN: "errFORBIDDEN",
  NOT_FOUND: "errNOT_FOUND",
  INVALID_TRANSITION: "errINVALID_TRANSITION",
  UNKNOWN_UNIT: "errUNKNOWN_UNIT",
  UNKNOWN_CATEGORY: "errUNKNOWN_CATEGORY",
  IDEMPOTENCY_CONFLICT: "errIDEMPOTENCY_CONFLICT",
  EXTENSION_PENDING: "errEXTENSION_PENDING",
  NO_EXTENSION_REQUEST: "errNO_EXTENSION_REQUEST",
  NO_COMPLAINT_FILE: "errNO_COMPLAINT_FILE",
  FILE_ALREADY_COMPLETE: "errFILE_ALREADY_COMPLETE",
  RATE_LIMITED: "errRATE_LIMITED",
  QUERY_TOO_COSTLY: "errRATE_LIMITED",
};

/** The form field a ValidationError's `field` path names, as the form labels it. */
const FIELD_WORDS: Record<string, MessageKey> = {
  subject: "subject",
  description: "description",
  unitCode: "transferTo",
  "reporter.name": "reporterName",
  "reporter.email": "reporterEmail",
  "reporter.phone": "reporterPhone",
  reason: "reason",
  note: "reason",
  body: "body",
  resolution: "resolution",
  missing: "fileMissing",
  answer: "fileAnswer",
  assigneeId: "assignee",
  category: "category",
  priority: "priority",
  kind: "kind",
};

/** A domain error in the dashboard's own words, never the server's English text. */
export function describeResultError(error: ResultError, i18n: Translate): string {
  if (error.code === "VALIDATION_FAILED") {
    const key = error.field ? FIELD_WORDS[error.field] : undefined;
    return i18n.tf("errVALIDATION_FAILED", { field: key ? i18n.t(key) : (error.field ?? "–") });
  }
  const key = CODE_WORDS[error.code];
  return key ? i18n.t(key) : i18n.tf("errOTHER", { code: error.code });
}

/** A request that failed as a whole (no connection, a refused operation) in the dashboard's own words. */
export function describeRequestError(error: CombinedError, i18n: Translate): string {
  const code = error.graphQLErrors.find((e) => typeof e.extensions?.code === "string")?.extensions?.code as
    | string
    | undefined;
  if (code) return describeResultError({ code }, i18n);
  if (error.networkError || error.graphQLErrors.length === 0) return i18n.t("errNETWORK");
  return i18n.tf("errOTHER", { code: "?" });
}

/** The error of a mutation's answer: a request error, or a result that is not its Success type. */
export function failureOf(
  result: { error?: CombinedError | undefined; data?: unknown },
  i18n: Translate,
): string | null {
  if (result.error) return describeRequestError(result.error, i18n);
  const payload = (result.data as { result?: { __typename: string } & Partial<ResultError> } | undefined)?.result;
  if (!payload) return i18n.t("errNETWORK");
  if (payload.__typename.endsWith("Success")) return null;
  return describeResultError({ code: payload.code ?? "?", field: payload.field ?? null }, i18n);
}
