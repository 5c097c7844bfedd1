import {
  AccountInactiveError,
  AlreadyRatedError,
  ChallengeError,
  ConsentRequiredError,
  type DomainError,
  EmailTakenError,
  ErrorCode,
  ExtensionPendingError,
  FileAlreadyCompleteError,
  ForbiddenError,
  IdempotencyConflictError,
  InvalidCredentialsError,
  InvalidTransitionError,
  NoComplaintFileError,
  NoExtensionRequestError,
  NotFoundError,
  NotGrantableError,
  PublicLimitError,
  SelfChangeError,
  SetupLinkError,
  SubmissionRefusedError,
  TooManyAttemptsError,
  UnitCycleError,
  UnknownCategoryError,
  UnknownUnitError,
  ValidationError,
  WeakPasswordError,
} from "../errors.js";
import { builder } from "./builder.js";

export const ErrorCodeEnum = builder.enumType("ErrorCode", {
  description: "Machine-readable reason of a domain error.",
  values: Object.fromEntries(Object.values(ErrorCode).map((code) => [code, { value: code }])) as Record<
    ErrorCode,
    { value: ErrorCode }
  >,
});

export const ErrorInterface = builder.interfaceRef<DomainError>("Error").implement({
  description: "Every error a mutation can return as data implements this.",
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, description: "What went wrong, for programs.", resolve: (e) => e.code }),
    message: t.exposeString("message", { description: "What went wrong, for people (English)." }),
  }),
});

const simple = [
  [NotFoundError, "NotFoundError", "The object does not exist or is outside your scope."],
  [ForbiddenError, "ForbiddenError", "Your role or key does not allow this action."],
  [InvalidCredentialsError, "InvalidCredentialsError", "The e-mail address or password is wrong."],
  [IdempotencyConflictError, "IdempotencyConflictError", "The idempotency key was used for a different request."],
  [AlreadyRatedError, "AlreadyRatedError", "The ticket already has its one satisfaction rating."],
  [ExtensionPendingError, "ExtensionPendingError", "A request for the deadline extension already awaits a decision."],
  [NoExtensionRequestError, "NoExtensionRequestError", "No request for the deadline extension awaits a decision."],
  [AccountInactiveError, "AccountInactiveError", "The account is deactivated; reactivate it first."],
  [
    ConsentRequiredError,
    "ConsentRequiredError",
    "Consent to the processing of personal data (UU 27/2022) was not given; nothing was stored.",
  ],
  [
    SubmissionRefusedError,
    "SubmissionRefusedError",
    "The report was refused as automated (its hidden field was filled); nothing was stored.",
  ],
  [
    NoComplaintFileError,
    "NoComplaintFileError",
    "The ticket is not a complaint whose policy has the file stages (UU 25/2009).",
  ],
  [FileAlreadyCompleteError, "FileAlreadyCompleteError", "The complaint's file was already declared complete."],
] as const;

for (const [cls, name, description] of simple) {
  builder.objectType(cls as typeof NotFoundError, {
    name,
    description,
    interfaces: [ErrorInterface],
    fields: () => ({}),
  });
}

builder.objectType(ValidationError, {
  name: "ValidationError",
  description: "An argument is missing, malformed or out of range.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString("field", { nullable: true, description: "Path of the offending input field." }),
  }),
});

builder.objectType(UnknownUnitError, {
  name: "UnknownUnitError",
  description: "No unit with that code exists in your scope.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ unitCode: t.exposeString("unitCode", { description: "The code that was given." }) }),
});

builder.objectType(UnitCycleError, {
  name: "UnitCycleError",
  description: "The new parent is the unit itself or lies below it; nothing was changed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    unitCode: t.exposeString("unitCode", { description: "The unit that was to move." }),
    parentCode: t.exposeString("parentCode", { description: "The parent that was given." }),
  }),
});

builder.objectType(UnknownCategoryError, {
  name: "UnknownCategoryError",
  description: "No category with that code exists.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ categoryCode: t.exposeString("categoryCode", { description: "The code that was given." }) }),
});

builder.objectType(InvalidTransitionError, {
  name: "InvalidTransitionError",
  description: "The ticket's status does not allow this action.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ from: t.exposeString("from", { description: "The ticket's current status." }) }),
});

builder.objectType(TooManyAttemptsError, {
  name: "TooManyAttemptsError",
  description:
    "Sign-in is paused after repeated failures for this account or from this address; the same answer whether or not the account exists.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    retryAfterSeconds: t.exposeInt("retryAfterSeconds", { description: "Seconds until another attempt is accepted." }),
  }),
});

builder.objectType(ChallengeError, {
  name: "ChallengeError",
  description:
    "The proof-of-work cannot be accepted: malformed, not issued by this server or not solved (CHALLENGE_INVALID), " +
    "past its lifetime (CHALLENGE_EXPIRED) or already spent on a report (CHALLENGE_USED). Ask for a new challenge.",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(PublicLimitError, {
  name: "PublicLimitError",
  description:
    "A limit of the public entry points is spent for now: reports or tracking look-ups from this address, or " +
    "look-ups of this ticket number.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    retryAfterSeconds: t.exposeInt("retryAfterSeconds", { description: "Seconds until another attempt is accepted." }),
  }),
});

builder.objectType(WeakPasswordError, {
  name: "WeakPasswordError",
  description: "The new password breaks the password policy; nothing was changed and the link still works.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    rule: t.exposeString("rule", {
      description: "Which rule: TOO_SHORT, TOO_LONG, DEMO_PASSWORD or CONTAINS_EMAIL.",
    }),
  }),
});

builder.objectType(SetupLinkError, {
  name: "SetupLinkError",
  description:
    "The password link cannot be used: unknown or replaced by a newer one (SETUP_LINK_INVALID), past its 24 hours " +
    "(SETUP_LINK_EXPIRED) or already used (SETUP_LINK_USED). Ask an administrator for a new one.",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(EmailTakenError, {
  name: "EmailTakenError",
  description: "Another account already has this e-mail address.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ email: t.exposeString("email", { description: "The address that was given." }) }),
});

builder.objectType(NotGrantableError, {
  name: "NotGrantableError",
  description:
    "A role above what you may give (ROLE_NOT_GRANTABLE) or a unit in your scope at which you do not place staff " +
    "(UNIT_NOT_GRANTABLE); see docs/permissions.md. Nothing was changed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString("field", { nullable: true, description: "The input field refused: role or unitCode." }),
  }),
});

builder.objectType(SelfChangeError, {
  name: "SelfChangeError",
  description:
    "Nobody changes their own role, unit or active state, deactivates themselves or resets their own password.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString("field", {
      nullable: true,
      description: "What was refused: role, unitCode, active or id (the whole action).",
    }),
  }),
});

/** Errors any ticket action may return. */
export const TICKET_ACTION_ERRORS = [
  ValidationError,
  NotFoundError,
  ForbiddenError,
  InvalidTransitionError,
  UnknownUnitError,
  UnknownCategoryError,
];
