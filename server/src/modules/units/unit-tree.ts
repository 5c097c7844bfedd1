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
 * The organisation held in memory: about two hundred units that change a few times a year. Scope
 * checks and subtree filters are set lookups here instead of recursive queries on every request.
 */
export class UnitTree<N extends UnitNode = UnitNode> {
  private readonly byId = new Map<number, N>();
  private readonly byCodeMap = new Map<string, N>();
  private readonly childrenOf = new Map<number, number[]>();
  private readonly subtreeCache = new Map<number, ReadonlySet<number>>();

  constructor(units: readonly N[]) {
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
