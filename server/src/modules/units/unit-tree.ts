import type { UnitType } from "../../generated/prisma/enums.js";

export interface UnitNode {
  id: number;
  code: string;
  name: string;
  type: UnitType;
  parentId: number | null;
  timeZone: string;
}

/**
 * A time-bounded membership of a unit in the subtree of `rootId`, from a move: before `from` or from `to`
 * on the unit counted elsewhere. Null bounds are open. Memberships that hold for all time are not listed.
 */
export interface MembershipPeriod {
  unitId: number;
  rootId: number;
  from: Date | null;
  to: Date | null;
  /** Tickets open in the unit at `from` and at `to` (0 for an open bound). */
  openAtFrom: number;
  openAtTo: number;
}

/**
 * The organisation held in memory: about two hundred units that change a few times a year. Scope
 * checks and subtree filters are set lookups here instead of recursive queries on every request.
 */
export class UnitTree<N extends UnitNode = UnitNode> {
  private readonly byId = new Map<number, N>();
  private readonly byCodeMap = new Map<string, N>();
  private readonly childrenOf = new Map<number, number[]>();
  private readonly subtreeCache = new Map<number, ReadonlySet<number>>();
  private readonly periodsByRoot = new Map<number, MembershipPeriod[]>();

  constructor(units: readonly N[], periods: readonly MembershipPeriod[] = []) {
    for (const period of periods) {
      const list = this.periodsByRoot.get(period.rootId) ?? [];
      list.push(period);
      this.periodsByRoot.set(period.rootId, list);
    }
    for (const unit of units) {
      this.byId.set(unit.id, unit);
      this.byCodeMap.set(unit.code, unit);
      if (unit.parentId !== null) {
        const siblings = this.childrenOf.get(unit.parentId) ?? [];
        siblings.push(unit.id);
        this.childrenOf.set(unit.parentId, siblings);
      }
    }
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: number): N | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<N> {
    return this.byId.values();
  }

  byCode(code: string): N | undefined {
    return this.byCodeMap.get(code);
  }

  /** The units directly below. */
  children(unitId: number): N[] {
    return (this.childrenOf.get(unitId) ?? []).map((id) => this.byId.get(id) as N);
  }

  /** The unit itself and every unit below it. */
  subtree(rootId: number): ReadonlySet<number> {
    const cached = this.subtreeCache.get(rootId);
    if (cached) return cached;
    const ids = new Set<number>();
    const stack = this.byId.has(rootId) ? [rootId] : [];
    while (stack.length > 0) {
      const id = stack.pop() as number;
      ids.add(id);
      stack.push(...(this.childrenOf.get(id) ?? []));
    }
    this.subtreeCache.set(rootId, ids);
    return ids;
  }

  /**
   * The units whose figures count in the subtree of `rootId` only for a while, because they moved into or
   * out of it; the rest of the subtree counts for all time.
   */
  periodsUnder(rootId: number): readonly MembershipPeriod[] {
    return this.periodsByRoot.get(rootId) ?? [];
  }

  isWithin(unitId: number, rootId: number): boolean {
    return this.subtree(rootId).has(unitId);
  }

  /** The path from the root down to the unit. */
  ancestry(unitId: number): N[] {
    const path: N[] = [];
    let current = this.byId.get(unitId);
    while (current) {
      path.unshift(current);
      current = current.parentId === null ? undefined : this.byId.get(current.parentId);
    }
    return path;
  }
}
