import { addressDomain } from "./email-message.js";

/** One SMTP account: a `smtp://` or `smtps://` URL (credentials included) and the sender address. */
export interface SmtpAccount {
  /** Secret: never logged, never stored; see `describeSmtp`. */
  readonly url: string;
  readonly from: string;
  /** Message-IDs are made under the sender's domain. */
  readonly domain: string;
}

/** The global account and the accounts of units that have their own, keyed by `unitEnvSuffix`. */
export interface SmtpSettings {
  readonly global: SmtpAccount | null;
  readonly units: ReadonlyMap<string, SmtpAccount>;
}

const PREFIX_URL = "PANTAU_SMTP_URL";
const PREFIX_FROM = "PANTAU_SMTP_FROM";

/** How a unit code appears in a variable name: KANIM-MALANG → KANIM_MALANG. */
export function unitEnvSuffix(unitCode: string): string {
  return unitCode.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

/**
 * Reads `PANTAU_SMTP_URL` / `PANTAU_SMTP_FROM` (every unit without an account of its own) and
 * `PANTAU_SMTP_URL__<UNIT>` / `PANTAU_SMTP_FROM__<UNIT>` (a unit and the units below it). Secrets come
 * from the environment only and are never written to the database.
 */
export function parseSmtpSettings(env: Record<string, string | undefined>): {
  settings: SmtpSettings;
  issues: string[];
} {
  const issues: string[] = [];
  const account = (suffix: string): SmtpAccount | null => {
    const urlName = suffix ? `${PREFIX_URL}__${suffix}` : PREFIX_URL;
    const fromName = suffix ? `${PREFIX_FROM}__${suffix}` : PREFIX_FROM;
    const url = env[urlName];
    const from = env[fromName];
    if (!url && !from) return null;
    if (!url) {
      issues.push(`${urlName}: required when ${fromName} is set`);
      return null;
    }
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      // The value may hold a password: it is not repeated in the message.
    }
    if (!parsed || !["smtp:", "smtps:"].includes(parsed.protocol) || !parsed.hostname) {
      issues.push(`${urlName}: must be a smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example.go.id:465`);
      return null;
    }
    if (!from) {
      issues.push(`${fromName}: required when ${urlName} is set (the sender, e.g. "Kantor Imigrasi <pengaduan@…>")`);
      return null;
    }
    const domain = addressDomain(from);
    if (!domain || /[\r\n]/.test(from)) {
      issues.push(`${fromName}: must be an e-mail address, optionally with a display name`);
      return null;
    }
    return { url, from, domain };
  };
  const global = account("");
  const units = new Map<string, SmtpAccount>();
  for (const name of Object.keys(env)) {
    const match = /^PANTAU_SMTP_(?:URL|FROM)__([A-Z0-9_]+)$/.exec(name);
    if (!match?.[1] || units.has(match[1])) continue;
    const found = account(match[1]);
    if (found) units.set(match[1], found);
  }
  for (const name of Object.keys(env)) {
    if (/^PANTAU_SMTP_(URL|FROM)__/.test(name) && !/^PANTAU_SMTP_(?:URL|FROM)__[A-Z0-9_]+$/.test(name)) {
      issues.push(`${name}: the unit part must be the unit code in capitals with _ for -, e.g. __KANIM_MALANG`);
    }
  }
  return { settings: { global, units }, issues };
}

/** Where an account sends to, for logs: host and port, never the credentials. */
export function describeSmtp(account: SmtpAccount): string {
  const url = new URL(account.url);
  return `${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ""}`;
}
