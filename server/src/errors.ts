/** Machine-readable codes of the domain errors every mutation result can carry. */
export const ErrorCode = {
  VALIDATION_FAILED: "VALIDATION_FAILED",
  NOT_FOUND: "NOT_FOUND",
  UNKNOWN_UNIT: "UNKNOWN_UNIT",
  UNKNOWN_CATEGORY: "UNKNOWN_CATEGORY",
  INVALID_TRANSITION: "INVALID_TRANSITION",
  IDEMPOTENCY_CONFLICT: "IDEMPOTENCY_CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  INVALID_CREDENTIALS: "INVALID_CREDENTIALS",
  TOO_MANY_ATTEMPTS: "TOO_MANY_ATTEMPTS",
  ALREADY_RATED: "ALREADY_RATED",
  WEAK_PASSWORD: "WEAK_PASSWORD",
  SETUP_LINK_INVALID: "SETUP_LINK_INVALID",
  SETUP_LINK_EXPIRED: "SETUP_LINK_EXPIRED",
  SETUP_LINK_USED: "SETUP_LINK_USED",
  EMAIL_TAKEN: "EMAIL_TAKEN",
  EXTENSION_PENDING: "EXTENSION_PENDING",
  NO_EXTENSION_REQUEST: "NO_EXTENSION_REQUEST",
  ROLE_NOT_GRANTABLE: "ROLE_NOT_GRANTABLE",
  UNIT_NOT_GRANTABLE: "UNIT_NOT_GRANTABLE",
  SELF_CHANGE: "SELF_CHANGE",
  ACCOUNT_INACTIVE: "ACCOUNT_INACTIVE",
  CONSENT_REQUIRED: "CONSENT_REQUIRED",
  CHALLENGE_INVALID: "CHALLENGE_INVALID",
  CHALLENGE_EXPIRED: "CHALLENGE_EXPIRED",
  CHALLENGE_USED: "CHALLENGE_USED",
  SUBMISSION_REFUSED: "SUBMISSION_REFUSED",
  PUBLIC_LIMIT_REACHED: "PUBLIC_LIMIT_REACHED",
  NO_COMPLAINT_FILE: "NO_COMPLAINT_FILE",
  FILE_ALREADY_COMPLETE: "FILE_ALREADY_COMPLETE",
  UNIT_CYCLE: "UNIT_CYCLE",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
}

export class ValidationError extends DomainError {
  readonly code = ErrorCode.VALIDATION_FAILED;
  constructor(
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

/** Also used for things outside the caller's scope, so existence never leaks. */
export class NotFoundError extends DomainError {
  readonly code = ErrorCode.NOT_FOUND;
}

export class UnknownUnitError extends DomainError {
  readonly code = ErrorCode.UNKNOWN_UNIT;
  constructor(readonly unitCode: string) {
    super(`No unit with code "${unitCode}" in your scope.`);
  }
}

/** A unit cannot be placed below itself or one of its own descendants. */
export class UnitCycleError extends DomainError {
  readonly code = ErrorCode.UNIT_CYCLE;
  constructor(
    readonly unitCode: string,
    readonly parentCode: string,
  ) {
    super(`${parentCode} is ${unitCode} itself or lies below it: the move would make a cycle.`);
  }
}

export class UnknownCategoryError extends DomainError {
  readonly code = ErrorCode.UNKNOWN_CATEGORY;
  constructor(readonly categoryCode: string) {
    super(`No category with code "${categoryCode}".`);
  }
}

export class InvalidTransitionError extends DomainError {
  readonly code = ErrorCode.INVALID_TRANSITION;
  constructor(
    readonly from: string,
    readonly action: string,
  ) {
    super(`A ticket in status ${from} cannot be ${action}.`);
  }
}

export class IdempotencyConflictError extends DomainError {
  readonly code = ErrorCode.IDEMPOTENCY_CONFLICT;
  constructor(readonly idempotencyKey: string) {
    super(`The idempotency key "${idempotencyKey}" was already used for a different request.`);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = ErrorCode.FORBIDDEN;
}

export class InvalidCredentialsError extends DomainError {
  readonly code = ErrorCode.INVALID_CREDENTIALS;
  constructor() {
    super("The e-mail address or password is wrong.");
  }
}

/** Sign-in refused for a while after repeated failures; says nothing about whether the account exists. */
export class TooManyAttemptsError extends DomainError {
  readonly code = ErrorCode.TOO_MANY_ATTEMPTS;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed sign-in attempts; try again in ${retryAfterSeconds} s.`);
  }
}

/** A ticket carries at most one satisfaction rating: the first recorded stands. */
export class AlreadyRatedError extends DomainError {
  readonly code = ErrorCode.ALREADY_RATED;
  constructor() {
    super("This ticket has already been rated; a ticket has one rating.");
  }
}

/** A new password breaks the password policy; `rule` says which rule. */
export class WeakPasswordError extends DomainError {
  readonly code = ErrorCode.WEAK_PASSWORD;
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

/** A password link that is unknown or replaced, past its 24 hours, or already used. */
export class SetupLinkError extends DomainError {
  constructor(
    readonly code:
      | typeof ErrorCode.SETUP_LINK_INVALID
      | typeof ErrorCode.SETUP_LINK_EXPIRED
      | typeof ErrorCode.SETUP_LINK_USED,
    message: string,
  ) {
    super(message);
  }
}

export class EmailTakenError extends DomainError {
  readonly code = ErrorCode.EMAIL_TAKEN;
  constructor(readonly email: string) {
    super(`An account with the e-mail address "${email}" already exists.`);
  }
}

/** A request for the deadline extension already awaits a supervisor's decision. */
export class ExtensionPendingError extends DomainError {
  readonly code = ErrorCode.EXTENSION_PENDING;
  constructor() {
    super("An extension of this ticket's deadline was already requested and awaits a decision.");
  }
}

/** The file stages (UU 25/2009) are a complaint's: the ticket is not a complaint under a policy that has them. */
export class NoComplaintFileError extends DomainError {
  readonly code = ErrorCode.NO_COMPLAINT_FILE;
  constructor() {
    super(
      "This ticket is not a complaint whose policy has the file stages; its file cannot be declared complete or incomplete.",
    );
  }
}

/** A complaint's file is declared complete once: the examination clock started then. */
export class FileAlreadyCompleteError extends DomainError {
  readonly code = ErrorCode.FILE_ALREADY_COMPLETE;
  constructor() {
    super("This complaint's file was already declared complete.");
  }
}

/** A decision on a deadline extension needs a request awaiting one. */
export class NoExtensionRequestError extends DomainError {
  readonly code = ErrorCode.NO_EXTENSION_REQUEST;
  constructor() {
    super("No request to extend this ticket's deadline awaits a decision.");
  }
}

/**
 * A role the caller may not give (above what their own role administers) or a unit, inside their scope,
 * at which they may not place staff. See docs/permissions.md.
 */
export class NotGrantableError extends DomainError {
  constructor(
    readonly code: typeof ErrorCode.ROLE_NOT_GRANTABLE | typeof ErrorCode.UNIT_NOT_GRANTABLE,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Nobody changes their own role, unit or active state, deactivates themselves or resets their own password. */
export class SelfChangeError extends DomainError {
  readonly code = ErrorCode.SELF_CHANGE;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A deactivated account gets no password link; reactivate it first. */
export class AccountInactiveError extends DomainError {
  readonly code = ErrorCode.ACCOUNT_INACTIVE;
  constructor() {
    super("This account is deactivated; reactivate it before issuing a password link.");
  }
}

/** A public report needs the citizen's consent to the processing of their personal data (UU 27/2022). */
export class ConsentRequiredError extends DomainError {
  readonly code = ErrorCode.CONSENT_REQUIRED;
  constructor() {
    super("Consent to the processing of personal data (UU 27/2022) is required to submit a report.");
  }
}

/**
 * The proof-of-work of a public report: malformed, not signed by this deployment or not solved
 * (CHALLENGE_INVALID), past its lifetime (CHALLENGE_EXPIRED), or already spent on a report (CHALLENGE_USED).
 */
export class ChallengeError extends DomainError {
  constructor(
    readonly code:
      | typeof ErrorCode.CHALLENGE_INVALID
      | typeof ErrorCode.CHALLENGE_EXPIRED
      | typeof ErrorCode.CHALLENGE_USED,
    message: string,
  ) {
    super(message);
  }
}

/** A public report refused as automated (its hidden field was filled); nothing was stored. */
export class SubmissionRefusedError extends DomainError {
  readonly code = ErrorCode.SUBMISSION_REFUSED;
  constructor() {
    super("The report was refused as automated. Reload the form and submit it again.");
  }
}

/** A public entry point's limit per client address (or per ticket number) is spent for now. */
export class PublicLimitError extends DomainError {
  readonly code = ErrorCode.PUBLIC_LIMIT_REACHED;
  constructor(
    readonly retryAfterSeconds: number,
    what: string,
  ) {
    super(`Too many ${what} for now; try again in ${retryAfterSeconds} s.`);
  }
}
