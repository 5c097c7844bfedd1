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
export class UnitTree {
  private readonly byId = new Map<number, UnitNode>();
  private readonly byCodeMap = new Map<string, UnitNode>();
  private readonly childrenOf = new Map<number, number[]>();
  private readonly subtreeCache = new Map<number, ReadonlySet<number>>();

  constructor(units: readonly UnitNode[]) {
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

  get(id: number): UnitNode | undefined {
    return this.byId.get(id);
  }

  byCode(code: string): UnitNode | undefined {
    return this.byCodeMap.get(code);
  }

  /** The units directly below. */
  children(unitId: number): UnitNode[] {
    return (this.childrenOf.get(unitId) ?? []).map((id) => this.byId.get(id) as UnitNode);
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
  ancestry(unitId: number): UnitNode[] {
    const path: UnitNode[] = [];
    let current = this.byId.get(unitId);
    while (current) {
      path.unshift(current);
      current = current.parentId === null ? undefined : this.byId.get(current.parentId);
    }
    return path;
  }
}
