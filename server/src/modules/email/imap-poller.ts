import { createHash } from "node:crypto";
import type { ImapFlow as ImapClient } from "imapflow";
import type { Database } from "../../db/database.js";
import type { Logger } from "../../logger.js";
import { type InboundRow, storeInbound } from "../inbound/inbound-store.js";
import { normalMessageId } from "./email-rules.js";
import { describeImap, type ImapMailbox, type ImapSettings } from "./imap-config.js";

/** What the poller stores for one message: where it was and its source, base64 (so every byte survives). */
export interface StoredEmail {
  uidValidity: string;
  uid: number;
  size: number;
  /** The RFC 822 source; absent for a message over the size limit, which is only recorded. */
  source?: string;
  /** The header section (base64) of a message over the size limit, which is not downloaded. */
  headers?: string;
  /** The size limit a message was over. */
  limit?: number;
}

export interface ImapPollerOptions {
  settings: ImapSettings;
  db: Database;
  logger: Logger;
  /** The unit id of a mailbox's unit (by its variable's suffix), or null when there is no such unit. */
  unitId: (suffix: string) => number | null;
  /** Told after new messages committed, so the processor handles them now. */
  stored: () => void;
  now?: () => Date;
  random?: () => number;
}

export interface ImapPoller {
  /** Reads every mailbox once now (tests and the first poll); resolves with how many messages were new. */
  pollOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** Messages fetched and committed together: a crash repeats at most one batch, which the store dedupes. */
const BATCH = 20;
const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 120_000 };

/** The part of a source before the first empty line. */
function headerSection(source: Buffer): Buffer {
  for (let i = 0; i < source.length - 1; i++) {
    if (source[i] === 10 && (source[i + 1] === 10 || (source[i + 1] === 13 && source[i + 2] === 10))) {
      return source.subarray(0, i + 1);
    }
  }
  return source;
}

/**
 * Reads each configured unit mailbox every `pollMs`: new messages (by UID above the last stored, under the
 * same UIDVALIDITY) are committed raw to the inbound store, once per mailbox and Message-ID, and the
 * processor turns them into tickets off the request path. The mailbox is opened read-only, so Pantau never
 * changes or deletes mail. A message over the size limit is stored with its headers only and left on the
 * server: it still opens (or joins) a ticket, which says that its content was not downloaded. A server that cannot be reached is logged and tried again with a doubling wait.
 */
export function startImapPoller(options: ImapPollerOptions): ImapPoller {
  const { settings, db, logger } = options;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  let stopped = false;
  const wakers = new Set<() => void>();
  const running = new Map<ImapMailbox, Promise<number>>();

  async function rowOf(
    mailbox: ImapMailbox,
    unitId: number | null,
    uidValidity: bigint,
    uid: number,
    size: number,
    source: Buffer | null,
    headers: Buffer,
  ): Promise<InboundRow> {
    let from: string | null = null;
    let messageId: string | null = null;
    let sentAt: Date | null = null;
    try {
      const { simpleParser } = await import("mailparser");
      const parsed = await simpleParser(headers, { skipHtmlToText: true, skipTextToHtml: true });
      from = parsed.from?.value[0]?.address?.trim().toLowerCase().slice(0, 320) || null;
      messageId = normalMessageId(parsed.messageId);
      sentAt = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null;
    } catch {
      // Unreadable headers: the processor records why when it parses the whole message.
    }
    const key =
      messageId ??
      `sha256:${createHash("sha256")
        .update(source ?? headers)
        .digest("hex")}`;
    const externalId = `${mailbox.account} ${key}`;
    const stored: StoredEmail = {
      uidValidity: uidValidity.toString(),
      uid,
      size,
      ...(source
        ? { source: source.toString("base64") }
        : { headers: headers.toString("base64"), limit: settings.maxMessageBytes }),
    };
    return {
      channel: "EMAIL",
      externalId:
        externalId.length <= 998
          ? externalId
          : `${mailbox.account} sha256:${createHash("sha256").update(key).digest("hex")}`,
      unitId,
      account: mailbox.account,
      sender: from,
      sentAt,
      payload: JSON.stringify(stored),
    };
  }

  async function saveState(mailbox: ImapMailbox, uidValidity: bigint, lastUid: number) {
    const at = now();
    await db.sql.query(
      `INSERT INTO imap_mailbox_state (account, uid_validity, last_uid, polled_at, last_error, updated_at)
       VALUES ($1, $2, $3, $4, NULL, $4)
       ON CONFLICT (account) DO UPDATE SET
         last_uid = CASE WHEN imap_mailbox_state.uid_validity = EXCLUDED.uid_validity
           THEN GREATEST(imap_mailbox_state.last_uid, EXCLUDED.last_uid) ELSE EXCLUDED.last_uid END,
         uid_validity = EXCLUDED.uid_validity, polled_at = EXCLUDED.polled_at, last_error = NULL, updated_at = EXCLUDED.updated_at`,
      [mailbox.account, uidValidity.toString(), lastUid, at],
    );
  }

  /** One pass over one mailbox; resolves with how many messages were newly stored. */
  async function poll(mailbox: ImapMailbox): Promise<number> {
    const unitId = options.unitId(mailbox.unitSuffix);
    // Loaded with the first mailbox polled: an installation without e-mail intake never needs them.
    const { ImapFlow } = await import("imapflow");
    const client: ImapClient = new ImapFlow({
      host: mailbox.host,
      port: mailbox.port,
      secure: mailbox.secure,
      auth: { user: mailbox.user, pass: mailbox.password },
      logger: false,
      disableAutoIdle: true,
      ...TIMEOUTS,
    });
    // A dropped connection is reported by the command that was under way; this keeps it from being unhandled.
    client.on("error", () => {});
    await client.connect();
    let newlyStored = 0;
    try {
      const box = await client.mailboxOpen(mailbox.folder, { readOnly: true });
      const [state] = await db.sql.query<{ uid_validity: string; last_uid: string }>(
        "SELECT uid_validity::text, last_uid::text FROM imap_mailbox_state WHERE account = $1",
        [mailbox.account],
      );
      let lastUid = 0;
      if (state && BigInt(state.uid_validity) === box.uidValidity) lastUid = Number(state.last_uid);
      else if (state) {
        logger.warn(
          { mailbox: describeImap(mailbox), was: state.uid_validity, now: box.uidValidity.toString() },
          "IMAP UIDVALIDITY changed: reading the mailbox again (Message-IDs already stored are skipped)",
        );
      }
      if (box.exists === 0) {
        await saveState(mailbox, box.uidValidity, lastUid);
        return 0;
      }
      // `n:*` always includes the newest message, even when its UID is below n: filtered below.
      const listed = await client.fetchAll(`${lastUid + 1}:*`, { uid: true, size: true }, { uid: true });
      const fresh = listed
        .filter((message) => message.uid > lastUid)
        .map((message) => ({ uid: message.uid, size: message.size ?? 0 }))
        .sort((a, b) => a.uid - b.uid);
      for (let start = 0; start < fresh.length && !stopped; start += BATCH) {
        const batch = fresh.slice(start, start + BATCH);
        const rows: InboundRow[] = [];
        for (const { uid, size } of batch) {
          if (size > settings.maxMessageBytes) {
            const fetched = await client.fetchOne(String(uid), { uid: true, headers: true }, { uid: true });
            const headers = fetched ? (fetched.headers ?? Buffer.alloc(0)) : Buffer.alloc(0);
            rows.push(await rowOf(mailbox, unitId, box.uidValidity, uid, size, null, headers));
            logger.warn(
              { mailbox: describeImap(mailbox), uid, size },
              "e-mail over the size limit: its headers stored, its content left in the mailbox",
            );
            continue;
          }
          const fetched = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
          // Expunged since it was listed: nothing to store.
          const source = fetched ? fetched.source : undefined;
          if (!source) continue;
          rows.push(await rowOf(mailbox, unitId, box.uidValidity, uid, source.length, source, headerSection(source)));
        }
        const stored = await storeInbound(db.sql, rows, now());
        await saveState(mailbox, box.uidValidity, batch.at(-1)?.uid ?? lastUid);
        newlyStored += stored;
        if (stored) options.stored();
      }
      if (!fresh.length) await saveState(mailbox, box.uidValidity, lastUid);
    } finally {
      await client.logout().catch(() => client.close());
    }
    return newlyStored;
  }

  async function recordFailure(mailbox: ImapMailbox, error: string) {
    await db.sql
      .query("UPDATE imap_mailbox_state SET last_error = $2, updated_at = $3 WHERE account = $1", [
        mailbox.account,
        error.slice(0, 1_000),
        now(),
      ])
      .catch(() => {});
  }

  /** What a failure says, without anything from the URL but host and port. */
  const reasonOf = (error: unknown) => {
    const base = error instanceof Error ? error.message : String(error);
    const detail = (error as { responseText?: unknown; code?: unknown }) ?? {};
    const extra = [detail.code, detail.responseText].filter((part) => typeof part === "string").join(": ");
    return (extra ? `${base} (${extra})` : base).replace(/\s+/g, " ").slice(0, 500);
  };

  function pollNow(mailbox: ImapMailbox): Promise<number> {
    const current = running.get(mailbox);
    if (current) return current;
    const pass = poll(mailbox).finally(() => running.delete(mailbox));
    running.set(mailbox, pass);
    return pass;
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      wakers.add(wake);
    });

  async function loop(mailbox: ImapMailbox) {
    let failures = 0;
    while (!stopped) {
      try {
        await pollNow(mailbox);
        failures = 0;
        await sleep(settings.pollMs);
      } catch (error) {
        failures += 1;
        const reason = reasonOf(error);
        const exact = Math.min(settings.retryBaseMs * 2 ** Math.min(failures - 1, 30), settings.retryMaxMs);
        const delayMs = Math.round(exact * (0.75 + random() * 0.5));
        logger.warn(
          { mailbox: describeImap(mailbox), error: reason, failures, retryInMs: delayMs },
          "reading an IMAP mailbox failed; retrying",
        );
        await recordFailure(mailbox, reason);
        await sleep(delayMs);
      }
    }
  }

  const loops = settings.mailboxes.map((mailbox) => loop(mailbox));

  return {
    async pollOnce() {
      let total = 0;
      for (const mailbox of settings.mailboxes) total += await pollNow(mailbox);
      return total;
    },
    async stop() {
      stopped = true;
      for (const wake of [...wakers]) wake();
      await Promise.race([
        Promise.allSettled([...loops, ...running.values()]),
        new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
      ]);
    },
  };
}
