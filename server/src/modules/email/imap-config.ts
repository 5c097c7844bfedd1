/** One unit's mailbox, read by the e-mail intake. */
export interface ImapMailbox {
  /** The unit code part of the variable's name (KANIM_MALANG); the unit is looked up by it at start. */
  readonly unitSuffix: string;
  /** Secret: never logged, never stored. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** imaps: TLS from the start; imap: STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user: string;
  /** Secret. */
  readonly password: string;
  /** The folder read, INBOX unless the URL's path names another. */
  readonly folder: string;
  /** The mailbox without its credentials, as stored and logged: user@host:port/folder. */
  readonly account: string;
}

export interface ImapSettings {
  readonly mailboxes: readonly ImapMailbox[];
  /** How often each mailbox is read. */
  readonly pollMs: number;
  /** The wait after a failed poll, doubled for each failure in a row up to `retryMaxMs`. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** A message larger than this is recorded (sender, subject, size) without being downloaded. */
  readonly maxMessageBytes: number;
  /** Each attachment larger than this is recorded without its content. */
  readonly maxAttachmentBytes: number;
}

const PREFIX = "PANTAU_IMAP_URL__";

const whole = (
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
  issues: string[],
): number => {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    issues.push(`${name}: a whole number from ${min} to ${max}`);
    return fallback;
  }
  return value;
};

/**
 * Reads `PANTAU_IMAP_URL__<UNIT>` (one mailbox per unit, e.g. `PANTAU_IMAP_URL__KANIM_MALANG=
 * imaps://user:password@mail.example.go.id:993/INBOX`) and the intake's limits. Credentials come from the
 * environment only: the URL is never logged or stored, and a malformed one is not repeated in the issue.
 */
export function parseImapSettings(env: Record<string, string | undefined>): {
  settings: ImapSettings;
  issues: string[];
} {
  const issues: string[] = [];
  const mailboxes: ImapMailbox[] = [];
  for (const [name, url] of Object.entries(env)) {
    if (!name.startsWith(PREFIX) || !url) continue;
    const suffix = name.slice(PREFIX.length);
    if (!/^[A-Z0-9_]+$/.test(suffix)) {
      issues.push(`${name}: the unit part must be the unit code in capitals with _ for -, e.g. __KANIM_MALANG`);
      continue;
    }
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      // The value holds a password: it is not repeated in the message.
    }
    if (!parsed || !["imap:", "imaps:"].includes(parsed.protocol) || !parsed.hostname) {
      issues.push(
        `${name}: must be an imap:// or imaps:// URL, e.g. imaps://user:password@mail.example.go.id:993/INBOX`,
      );
      continue;
    }
    if (!parsed.username || !parsed.password) {
      issues.push(`${name}: must carry the user and password, e.g. imaps://user:password@mail.example.go.id:993/INBOX`);
      continue;
    }
    const secure = parsed.protocol === "imaps:";
    const port = parsed.port ? Number(parsed.port) : secure ? 993 : 143;
    const folder = decodeURIComponent(parsed.pathname.replace(/^\/+/, "")) || "INBOX";
    const user = decodeURIComponent(parsed.username);
    const host = parsed.hostname;
    mailboxes.push({
      unitSuffix: suffix,
      url,
      host,
      port,
      secure,
      user,
      password: decodeURIComponent(parsed.password),
      folder,
      account: `${user}@${host}:${port}/${folder}`.slice(0, 200),
    });
  }
  const retryBaseMs = whole(env, "PANTAU_IMAP_RETRY_BASE_MS", 5_000, 10, 3_600_000, issues);
  const settings: ImapSettings = {
    mailboxes: mailboxes.sort((a, b) => a.unitSuffix.localeCompare(b.unitSuffix)),
    pollMs: whole(env, "PANTAU_IMAP_POLL_MS", 60_000, 10, 3_600_000, issues),
    retryBaseMs,
    retryMaxMs: Math.max(retryBaseMs, whole(env, "PANTAU_IMAP_RETRY_MAX_MS", 900_000, 10, 86_400_000, issues)),
    maxMessageBytes: whole(env, "PANTAU_IMAP_MAX_MESSAGE_BYTES", 25 * 1024 * 1024, 1024, 200 * 1024 * 1024, issues),
    maxAttachmentBytes: whole(
      env,
      "PANTAU_EMAIL_MAX_ATTACHMENT_BYTES",
      10 * 1024 * 1024,
      1024,
      100 * 1024 * 1024,
      issues,
    ),
  };
  return { settings, issues };
}

/** Where a mailbox is, for logs: never the credentials. */
export function describeImap(mailbox: ImapMailbox): string {
  return `${mailbox.secure ? "imaps" : "imap"}://${mailbox.host}:${mailbox.port}/${mailbox.folder}`;
}
