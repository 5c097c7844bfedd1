import type { Database } from "../../db/database.js";
import type { Logger } from "../../logger.js";
import type { UnitTree } from "../units/unit-tree.js";
import type { EventHub } from "./event-hub.js";
import { computeQueueSnapshot, type QueueSnapshot } from "./queue-snapshot.js";

type Watcher = (snapshot: QueueSnapshot) => void;

interface UnitState {
  readonly watchers: Set<Watcher>;
  snapshot: QueueSnapshot | null;
  dirty: boolean;
  lastComputedAt: number;
  timer: NodeJS.Timeout | null;
  computing: boolean;
}

/**
 * Live queue snapshots, shared: a unit's snapshot is computed once per change and handed to every
 * watcher of that unit, and changes are coalesced to at most one computation per unit per interval
 * however many tickets move. Cost grows with the number of distinct units watched, not with watchers.
 */
export class QueueBoard {
  private readonly units = new Map<number, UnitState>();
  private stopListening: (() => void) | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  /** Snapshots computed since start, for the metrics endpoint and the benchmark. */
  computations = 0;

  constructor(
    private readonly options: {
      db: Database;
      hub: EventHub;
      tree: () => UnitTree;
      logger: Logger;
      /** Minimum time between two computations of one unit. */
      minIntervalMs?: number;
      /** Snapshots also age (oldest waiting, active agents): recompute a watched unit this long after its last. */
      refreshMs?: number;
    },
  ) {}

  start(): void {
    this.stopListening = this.options.hub.listen((entries) => {
      const tree = this.options.tree();
      const touched = new Set<number>();
      for (const entry of entries) {
        touched.add(entry.unitId);
        if (entry.fromUnitId !== null) touched.add(entry.fromUnitId);
      }
      const dirty = new Set<number>();
      for (const unitId of touched) for (const unit of tree.ancestry(unitId)) dirty.add(unit.id);
      for (const unitId of dirty) if (this.units.has(unitId)) this.markDirty(unitId);
    }).stop;
    // Each unit is refreshed when its own snapshot is that old, so the refreshes of many watched units
    // spread over the interval instead of arriving together.
    const refreshMs = this.options.refreshMs ?? 30_000;
    this.refreshTimer = setInterval(
      () => {
        const due = Date.now() - refreshMs;
        for (const [unitId, state] of this.units) if (state.lastComputedAt < due) this.markDirty(unitId);
      },
      Math.min(1_000, refreshMs),
    );
    this.refreshTimer.unref();
  }

  get watchedUnits(): number {
    return this.units.size;
  }

  /** Sends the current snapshot as soon as there is one, then every change; returns how to stop. */
  watch(unitId: number, watcher: Watcher): () => void {
    let state = this.units.get(unitId);
    if (!state) {
      state = { watchers: new Set(), snapshot: null, dirty: false, lastComputedAt: 0, timer: null, computing: false };
      this.units.set(unitId, state);
    }
    state.watchers.add(watcher);
    if (state.snapshot && !state.dirty) watcher(state.snapshot);
    else this.markDirty(unitId);
    const current = state;
    return () => {
      current.watchers.delete(watcher);
      if (current.watchers.size === 0 && this.units.get(unitId) === current) {
        if (current.timer) clearTimeout(current.timer);
        this.units.delete(unitId);
      }
    };
  }

  private markDirty(unitId: number) {
    const state = this.units.get(unitId);
    if (!state) return;
    state.dirty = true;
    if (state.timer || state.computing) return;
    const wait = Math.max(0, state.lastComputedAt + (this.options.minIntervalMs ?? 250) - Date.now());
    state.timer = setTimeout(() => void this.compute(unitId, state), wait);
  }

  private async compute(unitId: number, state: UnitState) {
    state.timer = null;
    if (this.units.get(unitId) !== state) return;
    state.dirty = false;
    state.computing = true;
    try {
      const ids = [...this.options.tree().subtree(unitId)];
      const snapshot = await computeQueueSnapshot(this.options.db.sql, unitId, ids);
      this.computations += 1;
      state.snapshot = snapshot;
      for (const watcher of state.watchers) watcher(snapshot);
    } catch (error) {
      state.dirty = true;
      this.options.logger.warn({ err: error, unitId }, "queue snapshot failed; retrying");
    } finally {
      state.lastComputedAt = Date.now();
      state.computing = false;
    }
    if (state.dirty) this.markDirty(unitId);
  }

  stop(): void {
    this.stopListening?.();
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    for (const state of this.units.values()) if (state.timer) clearTimeout(state.timer);
    this.units.clear();
  }
}
