/**
 * A push-to-pull bridge for one subscriber with a bounded buffer. In "queue" mode every value is kept
 * and an overflow ends the feed with `overflow()`'s error (the client resumes from what it last saw);
 * in "latest" mode only the newest value waits, since a newer snapshot replaces an older one.
 */
export class Feed<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private failWaiting: ((error: unknown) => void) | null = null;
  private ended = false;
  private failure: unknown = null;
  private roomWaiters: (() => void)[] = [];

  constructor(
    private readonly options: {
      mode: "queue" | "latest";
      capacity: number;
      overflow: () => Error;
      /** Runs once when the feed ends, whoever ends it. */
      onEnd: () => void;
    },
  ) {}

  /** The error this feed ends with when its buffer overflows. */
  overflowError(): Error {
    return this.options.overflow();
  }

  get size(): number {
    return this.buffer.length;
  }

  get done(): boolean {
    return this.ended;
  }

  push(value: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.clearWaiting();
      resolve({ value, done: false });
      return;
    }
    if (this.options.mode === "latest") {
      this.buffer.length = 0;
      this.buffer.push(value);
      return;
    }
    if (this.buffer.length >= this.options.capacity) {
      this.fail(this.options.overflow());
      return;
    }
    this.buffer.push(value);
  }

  /** Ends the feed with an error the client sees; values already buffered are dropped. */
  fail(error: unknown): void {
    if (this.ended) return;
    this.buffer.length = 0;
    this.failure = error;
    this.finish();
    if (this.failWaiting) {
      const reject = this.failWaiting;
      this.clearWaiting();
      reject(error);
    }
  }

  /** Ends the feed normally once what is buffered has been read. */
  end(): void {
    if (this.ended) return;
    this.finish();
    if (this.waiting && this.buffer.length === 0) {
      const resolve = this.waiting;
      this.clearWaiting();
      resolve({ value: undefined, done: true });
    }
  }

  /** Resolves once the buffer is at most half full (or the feed ended): a producer's way to wait. */
  waitForRoom(): Promise<void> {
    if (this.ended || this.buffer.length < this.options.capacity / 2) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length) {
      const value = this.buffer.shift() as T;
      if (this.buffer.length < this.options.capacity / 2) this.wakeProducers();
      return Promise.resolve({ value, done: false });
    }
    if (this.failure !== null) {
      const error = this.failure;
      this.failure = null;
      return Promise.reject(error);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.buffer.length = 0;
    this.failure = null;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.fail(error);
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish() {
    this.ended = true;
    this.wakeProducers();
    this.options.onEnd();
  }

  private wakeProducers() {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  private clearWaiting() {
    this.waiting = null;
    this.failWaiting = null;
  }
}
