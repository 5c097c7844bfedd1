/**
 * Wall and CPU time per named step of a one-off job (start-up, a bulk seed), for its log line. CPU is
 * the whole process's, every thread included, so a step's figure holds on a busy machine where wall
 * time does not.
 */
export class Timings {
  private readonly wall: Record<string, number> = {};
  private readonly cpu: Record<string, number> = {};
  private lastWall = performance.now();
  private lastCpu = process.cpuUsage();

  /** Closes the step that ran since the previous mark (or since construction) under `name`. */
  mark(name: string): void {
    const now = performance.now();
    const used = process.cpuUsage(this.lastCpu);
    this.wall[name] = (this.wall[name] ?? 0) + Math.round(now - this.lastWall);
    this.cpu[name] = (this.cpu[name] ?? 0) + Math.round((used.user + used.system) / 1000);
    this.lastWall = now;
    this.lastCpu = process.cpuUsage();
  }

  async step<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.lastWall = performance.now();
    this.lastCpu = process.cpuUsage();
    const result = await work();
    this.mark(name);
    return result;
  }

  get report(): { wallMs: Readonly<Record<string, number>>; cpuMs: Readonly<Record<string, number>> } {
    return { wallMs: this.wall, cpuMs: this.cpu };
  }
}
