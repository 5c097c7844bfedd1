import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Database } from "../../db/database.js";
import type { Logger } from "../../logger.js";
import { SerialRuns } from "../../serial-runs.js";
import { afterFailure, type RetryPolicy } from "./backoff.js";
import { type Accepted, type Answered, type ChannelDriver, DeliveryError, type OutboundItem } from "./driver.js";
import { redactedError } from "./email-message.js";
import { claimDue, settle } from "./outbound-store.js";

export interface OutboundWorkerOptions {
  db: Database;
  drivers: readonly ChannelDriver[];
  logger: Logger;
  retry: RetryPolicy;
  /** How long a claimed row is this worker's; past it another worker may try it again. */
  leaseMs: number;
  /** Deliveries under way at once. */
  concurrency: number;
  /** Sweep for rows queued by other instances and for retries that came due. */
  pollMs: number;
  /** Told after a message of a ticket changed its delivery state (delivered, failed, dead-lettered). */
  settled?: (ticketId: string) => void;
  /** How long `stop` waits for deliveries under way. */
  stopWaitMs?: number;
  now?: () => Date;
  random?: () => number;
}

const STOP_WAIT_MS = 5_000;

export interface OutboundWorker {
  /** Claims and delivers what is due until nothing is; resolves when done. */
  runOnce(): Promise<number>;
  /** Starts a pass soon without waiting for it: called after a transaction that queued a message commits. */
  wake(): void;
  /** Stops claiming and waits for the deliveries under way (their rows' leases cover any left behind). */
  stop(): Promise<void>;
}

/** What a failed attempt is remembered by: the receiving side's answer, without personal data. */
function errorText(error: unknown, recipient: string): string {
  const record = error as { responseCode?: number; response?: string; code?: string; message?: string };
  const text = record.response ?? record.message ?? String(error);
  const code = record.code && !text.includes(record.code) ? `${record.code}: ` : "";
  return redactedError(`${code}${text}`, recipient);
}

/**
 * Delivers queued outbound messages. Every instance runs one; they share the queue through row locks
 * (FOR UPDATE SKIP LOCKED) and leases, the same on PGlite and PostgreSQL. A message is attempted until a
 * driver reports it accepted, with exponential back-off and jitter between attempts, and dead-lettered
 * after the configured number. Delivery is at least once; the driver's stable message id makes a repeat
 * (an accepted message whose answer was lost) recognisable to the receiver.
 */
export function startOutboundWorker(options: OutboundWorkerOptions): OutboundWorker {
  const { db, logger, retry } = options;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const owner = `${hostname()}/${process.pid}/${randomBytes(4).toString("hex")}`.slice(0, 80);
  const byChannel = new Map(options.drivers.map((driver) => [driver.channel, driver]));
  const channels = [...byChannel.keys()];
  const batchSize = Math.max(options.concurrency * 4, 16);
  let stopped = false;

  const told = (item: OutboundItem) => {
    if (item.ticketId) options.settled?.(item.ticketId);
  };

  async function attempt(item: OutboundItem): Promise<void> {
    const driver = byChannel.get(item.channel);
    if (item.attempt > retry.maxAttempts) {
      // Its last attempt's worker stopped before it could tell: whether it arrived is unknown.
      const kept = await settle(db.sql, item, owner, {
        status: "DEAD",
        at: now(),
        error: "the last attempt was interrupted before its outcome was known",
      });
      if (kept) told(item);
      return;
    }
    let accepted: Accepted | Answered | undefined;
    try {
      if (!driver) throw new Error(`no driver for ${item.channel}`);
      accepted = await driver.deliver(item);
    } catch (error) {
      const message = errorText(error, item.recipient);
      const said = error instanceof DeliveryError ? error.options : {};
      const smtpCode = (error as { responseCode?: unknown }).responseCode;
      const responseCode = said.responseCode ?? (typeof smtpCode === "number" ? smtpCode : null);
      const backoff = afterFailure(retry, item.attempt, random());
      const next =
        said.permanent || !backoff.retry
          ? ({ retry: false } as const)
          : { retry: true as const, delayMs: Math.max(backoff.delayMs, said.retryAfterMs ?? 0) };
      const at = now();
      const kept = await settle(
        db.sql,
        item,
        owner,
        next.retry
          ? { status: "FAILED", at, nextAttemptAt: new Date(at.getTime() + next.delayMs), error: message, responseCode }
          : { status: "DEAD", at, error: message, responseCode },
      );
      if (kept) told(item);
      const context = { outboundId: item.id, channel: item.channel, attempt: item.attempt, error: message };
      if (!kept) logger.warn(context, "outbound attempt failed after its lease ran out");
      else if (next.retry) logger.info({ ...context, retryInMs: next.delayMs }, "outbound attempt failed; retrying");
      else logger.warn(context, "outbound message dead-lettered");
      return;
    }
    const kept = await settle(
      db.sql,
      item,
      owner,
      accepted && "externalId" in accepted
        ? { status: "SENT", at: now(), externalId: accepted.externalId }
        : { status: "DELIVERED", at: now(), responseCode: accepted?.responseCode ?? null },
    );
    if (kept) told(item);
    if (!kept) logger.warn({ outboundId: item.id }, "outbound message delivered after its lease ran out");
  }

  async function pass(): Promise<number> {
    let handled = 0;
    while (!stopped) {
      const at = now();
      const items = await claimDue(db.sql, {
        owner,
        channels,
        now: at,
        leaseUntil: new Date(at.getTime() + options.leaseMs),
        limit: batchSize,
      });
      if (!items.length) break;
      let next = 0;
      const lanes = Array.from({ length: Math.min(options.concurrency, items.length) }, async () => {
        for (let item = items[next++]; item; item = items[next++]) {
          await attempt(item).catch((error: unknown) =>
            // Recording the outcome failed (the database went away): the lease hands the row on.
            logger.warn({ err: error, outboundId: item?.id }, "recording an outbound attempt failed"),
          );
        }
      });
      await Promise.all(lanes);
      handled += items.length;
      if (items.length < batchSize) break;
    }
    if (handled) logger.debug({ handled }, "outbound messages attempted");
    return handled;
  }

  const runs = new SerialRuns(
    pass,
    (a, b) => a + b,
    () => stopped,
  );
  const runOnce = () => runs.run();

  const kick = () => {
    if (stopped || channels.length === 0) return;
    runOnce().catch((error: unknown) => logger.warn({ err: error }, "outbound pass failed; retrying"));
  };
  const timer = setInterval(kick, options.pollMs);
  timer.unref();
  kick();
  return {
    runOnce,
    wake: kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      // A stalled peer must not hold up a deploy: what is still sending after this is abandoned, and its
      // rows are tried again by another instance when their lease ends.
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([
        runs.running?.catch(() => {}),
        new Promise((resolve) => {
          timeout = setTimeout(resolve, options.stopWaitMs ?? STOP_WAIT_MS);
        }),
      ]);
      clearTimeout(timeout);
      await Promise.all(options.drivers.map((driver) => driver.close()));
    },
  };
}
