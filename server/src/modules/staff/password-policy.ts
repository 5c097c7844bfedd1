/** The shortest password accepted: NIST SP 800-63B's floor is 8; sign-in here has no second factor yet. */
export const PASSWORD_MIN_LENGTH = 12;
/** Sign-in refuses longer input before hashing, so a longer password could never be used. */
export const PASSWORD_MAX_LENGTH = 1024;

/** The demo's default password, refused even when the running server's demo uses another. */
export const DEFAULT_DEMO_PASSWORD = "pantau-demo";

export type PasswordRule = "TOO_SHORT" | "TOO_LONG" | "DEMO_PASSWORD" | "CONTAINS_EMAIL";

export interface PasswordContext {
  /** The account's e-mail address. */
  email: string;
  /** Passwords printed in the open: the demo's. */
  knownPasswords: readonly string[];
}

/**
 * The first rule a new password breaks, or null. Length counts code points, so a passphrase in any
 * script is measured the same way; no composition rules (they push people towards predictable ones).
 */
export function brokenPasswordRule(password: string, context: PasswordContext): PasswordRule | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return "TOO_SHORT";
  if (length > PASSWORD_MAX_LENGTH) return "TOO_LONG";
  const folded = password.trim().toLowerCase();
  if ([DEFAULT_DEMO_PASSWORD, ...context.knownPasswords].some((known) => known.toLowerCase() === folded)) {
    return "DEMO_PASSWORD";
  }
  const email = context.email.trim().toLowerCase();
  const local = email.split("@")[0] ?? "";
  if (folded.includes(email) || (local.length >= 4 && folded.includes(local))) return "CONTAINS_EMAIL";
  return null;
}

export const PASSWORD_RULE_MESSAGES: Record<PasswordRule, string> = {
  TOO_SHORT: `password: at least ${PASSWORD_MIN_LENGTH} characters`,
  TOO_LONG: `password: at most ${PASSWORD_MAX_LENGTH} characters`,
  DEMO_PASSWORD: "password: the demo password is public; choose another",
  CONTAINS_EMAIL: "password: must not contain the account's e-mail address or its name part",
};
