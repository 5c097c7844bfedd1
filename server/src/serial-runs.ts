/**
 * Runs a pass one at a time. A call while a pass runs asks for one more pass after it (so a wake-up that
 * arrives mid-pass is never lost, and never starts a second pass beside the first) and shares its result:
 * the passes' results combined. The relay and the outbound worker are woken this way.
 */
export class SerialRuns<T> {
  private current: Promise<T> | null = null;
  private again = false;

  constructor(
    private readonly pass: () => Promise<T>,
    private readonly combine: (a: T, b: T) => T,
    private readonly stopped: () => boolean,
  ) {}

  /** The pass under way, if any (a stop waits for it). */
  get running(): Promise<T> | null {
    return this.current;
  }

  run(): Promise<T> {
    if (this.current) {
      this.again = true;
      return this.current;
    }
    const current = (async (): Promise<T> => {
      this.again = false;
      let total: T = await this.pass();
      while (this.again && !this.stopped()) {
        this.again = false;
        total = this.combine(total, await this.pass());
      }
      return total;
    })();
    this.current = current;
    return current.finally(() => {
      this.current = null;
    });
  }
}
