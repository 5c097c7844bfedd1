import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Database } from "../../db/database.js";
import { DomainError } from "../../errors.js";
import type { Channel } from "../../generated/prisma/enums.js";
import type { Logger } from "../../logger.js";
import { SerialRuns } from "../../serial-runs.js";
import { afterFailure, type RetryPolicy } from "../outbound/backoff.js";
import { claimInbound, type InboundItem, settleInbound } from "./inbound-store.js";

/** What handling an item came to; PROCESSED items were marked in the transaction that produced them. */
export type InboundOutcome = { status: "PROCESSED" } | { status: "IGNORED"; reason: string };

/**
 * Turns one channel's items into tickets and messages. `owner` is the processor's lease name, needed to
 * mark the item processed in the handler's own transaction (see markProcessed). A DomainError thrown
 * (the ticket services refused the input) fails the item for good; anything else is retried.
 */
export interface InboundHandler {
  readonly channel: Channel;
  handle(item: InboundItem, owner: string): Promise<InboundOutcome>;
}

/** An item that can never be handled, however often it is tried. */
export class UnusableInboundError extends Error {}

export interface InboundProcessorOptions {
  db: Database;
  handlers: readonly InboundHandler[];
  logger: Logger;
  retry: RetryPolicy;
  leaseMs: number;
  concurrency: number;
  /** The sweep for items left by a crash or by another instance, and for retries that came due. */
  pollMs: number;
  now?: () => Date;
  random?: () => number;
}

export interface InboundProcessor {
  /** Handles what is due until nothing is; resolves with how many items were attempted. */
  runOnce(): Promise<number>;
  /** Starts a pass soon: called once a webhook's items have committed. */
  wake(): void;
  stop(): Promise<void>;
}

const STOP_WAIT_MS = 5_000;
/** Items one lane claims at a time: enough to spread the claim's cost, few enough to share the work. */
const CLAIM_PER_LANE = 2;

/**
 * The inbound processor every instance runs: it claims stored items under a lease (see claimInbound),
 * hands each to its channel's handler and records the outcome. An item is handled at most once: the
 * handler marks it processed in the transaction that writes its ticket or message, fenced by the lease,
 * and ticket creation is idempotent per item, so an attempt cut short by a crash is safe to repeat.
 */
export function startInboundProcessor(options: InboundProcessorOptions): InboundProcessor {
  const { db, logger, retry } = options;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const owner = `${hostname()}/${process.pid}/${randomBytes(4).toString("hex")}`.slice(0, 80);
  const byChannel = new Map(options.handlers.map((handler) => [handler.channel, handler]));
  const channels = [...byChannel.keys()];
  let stopped = false;

  async function attempt(item: InboundItem): Promise<void> {
    const handler = byChannel.get(item.channel);
    const context = { inboundId: item.id, channel: item.channel, attempt: item.attempt };
    try {
      if (!handler) throw new UnusableInboundError(`no handler for ${item.channel}`);
      const outcome = await handler.handle(item, owner);
      if (outcome.status === "IGNORED") {
        await settleInbound(db.sql, item, owner, { status: "IGNORED", reason: outcome.reason, at: now() });
        logger.info({ ...context, reason: outcome.reason }, "inbound item ignored");
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const permanent = error instanceof DomainError || error instanceof UnusableInboundError;
      const next = permanent ? ({ retry: false } as const) : afterFailure(retry, item.attempt, random());
      const at = now();
      await settleInbound(
        db.sql,
        item,
        owner,
        next.retry
          ? { status: "RECEIVED", error: message, at, nextAttemptAt: new Date(at.getTime() + next.delayMs) }
          : { status: "FAILED", error: message, at },
      );
      if (next.retry)
        logger.info({ ...context, error: message, retryInMs: next.delayMs }, "inbound item failed; retrying");
      else logger.warn({ ...context, error: message }, "inbound item failed");
    }
  }

  /**
   * Lanes that each claim a few items, handle them and claim again until nothing is due: an item that
   * arrives while others are handled is taken by the next free lane, not after the slowest of a batch. One
   * lane starts; a claim that comes back full starts another, up to `concurrency`, so a quiet queue costs
   * one claim per wake-up and a backlog is worked in parallel.
   */
  async function pass(): Promise<number> {
    let handled = 0;
    const lanes: Promise<void>[] = [];
    const lane = async (): Promise<void> => {
      while (!stopped) {
        const at = now();
        const items = await claimInbound(db, {
          owner,
          channels,
          now: at,
          leaseUntil: new Date(at.getTime() + options.leaseMs),
          limit: CLAIM_PER_LANE,
        });
        if (!items.length) return;
        if (items.length === CLAIM_PER_LANE && lanes.length < options.concurrency) lanes.push(lane());
        for (const item of items) {
          await attempt(item).catch((error: unknown) =>
            // Recording the outcome failed (the database went away): the lease hands the item on.
            logger.warn({ err: error, inboundId: item.id }, "recording an inbound attempt failed"),
          );
        }
        handled += items.length;
      }
    };
    lanes.push(lane());
    for (let done = 0; done < lanes.length; done++) await lanes[done];
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
    runOnce().catch((error: unknown) => logger.warn({ err: error }, "inbound pass failed; retrying"));
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
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([
        runs.running?.catch(() => {}),
        new Promise((resolve) => {
          timeout = setTimeout(resolve, STOP_WAIT_MS);
        }),
      ]);
      clearTimeout(timeout);
    },
  };
}
