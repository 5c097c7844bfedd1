import type { Database } from "../../db/database.js";
import type { Logger } from "../../logger.js";
import type { Bus } from "./bus.js";
import { readStream, type StreamEntry, streamHead } from "./stream-store.js";

export type StreamListener = (entries: readonly StreamEntry[]) => void;

const GAP_PAGE = 1_000;

/**
 * This instance's view of the event stream: entries arrive from the bus in any order, possibly twice
 * or not at all; listeners receive each position exactly once, in order. A gap is filled from the
 * database before anything after it is passed on, and a periodic look at the stream head catches what
 * the bus never brought (an instance's crash after commit, a Redis outage).
 */
export class EventHub {
  private last = 0n;
  private readonly listeners = new Set<StreamListener>();
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(
    private readonly options: {
      db: Database;
      bus: Bus;
      logger: Logger;
      /** How often the stream head is checked; faster while the bus is disconnected. */
      pollMs?: number;
      degradedPollMs?: number;
      /** Awaited before each delivery, e.g. to re-read subscribers' access that is too old. */
      beforeDispatch?: () => Promise<void>;
    },
  ) {}

  /** Everything up to this position has been passed to listeners. */
  get position(): bigint {
    return this.last;
  }

  async start(): Promise<void> {
    this.last = await streamHead(this.options.db);
    this.unsubscribe = this.options.bus.subscribe("stream", (payload) => {
      this.enqueue(async () => this.accept(payload as StreamEntry[]));
    });
    const tick = () => {
      if (this.closed) return;
      const interval = this.options.bus.connected
        ? (this.options.pollMs ?? 1_000)
        : (this.options.degradedPollMs ?? 200);
      this.timer = setTimeout(() => {
        this.enqueue(async () => {
          const head = await streamHead(this.options.db);
          if (head > this.last) await this.fill(head);
        });
        void this.chain.then(tick);
      }, interval);
      this.timer.unref();
    };
    tick();
  }

  /** Registers a listener; the caller learns the position it starts after, atomically. */
  listen(listener: StreamListener): { after: bigint; stop: () => void } {
    this.listeners.add(listener);
    return { after: this.last, stop: () => this.listeners.delete(listener) };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Runs `work` before any entry that arrives after this call is passed on. */
  beforeNextDelivery(work: () => Promise<void>): void {
    this.enqueue(work);
  }

  /** Serialises all work so that dispatch order is position order. */
  private enqueue(work: () => Promise<void>) {
    this.chain = this.chain.then(work).catch((error: unknown) => {
      this.options.logger.warn({ err: error }, "event hub could not read the stream; retrying on the next tick");
    });
  }

  private async accept(batch: readonly StreamEntry[]) {
    const fresh = batch.filter((entry) => entry.position > this.last);
    if (!fresh.length) return;
    const first = fresh[0] as StreamEntry;
    if (first.position > this.last + 1n) await this.fill(first.position - 1n);
    await this.options.beforeDispatch?.();
    const next = fresh.filter((entry) => entry.position > this.last);
    // A batch is contiguous as published, so what remains follows on directly.
    if (next.length && (next[0] as StreamEntry).position === this.last + 1n) this.dispatch(next);
  }

  private async fill(through: bigint) {
    while (this.last < through && !this.closed) {
      const page = await readStream(this.options.db, this.last, GAP_PAGE, { through });
      if (!page.length) break;
      await this.options.beforeDispatch?.();
      this.dispatch(page);
    }
  }

  private dispatch(entries: readonly StreamEntry[]) {
    const last = entries[entries.length - 1] as StreamEntry;
    this.last = last.position;
    for (const listener of this.listeners) {
      try {
        listener(entries);
      } catch (error) {
        this.options.logger.error({ err: error }, "stream listener failed");
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribe?.();
    await this.chain;
  }
}
