import { describe, expect, it } from "vitest";
import { ValidationError } from "../../errors.js";
import type { Prisma } from "../../generated/prisma/client.js";
import type { Priority } from "../../generated/prisma/enums.js";
import {
  decodeCursor,
  encodeCursor,
  keysetAfter,
  orderByOf,
  reversed,
  type SortComponent,
  sortOf,
  type TicketKey,
  type TicketOrder,
} from "./ticket-order.js";

/**
 * The reference order, written independently of the keyset: compare column by column, nulls where the
 * component puts them, priorities by their rank.
 */
const RANK: Record<Priority, number> = { LOW: 0, NORMAL: 1, HIGH: 2, URGENT: 3 };
function compare(sort: readonly SortComponent[], a: TicketKey, b: TicketKey): number {
  for (const { column, descending, nullsLast } of sort) {
    const [x, y] = [a[column], b[column]];
    if (x === null || y === null) {
      if (x === y) continue;
      return (x === null) === nullsLast ? 1 : -1;
    }
    const [p, q] =
      column === "priority"
        ? [RANK[x as Priority], RANK[y as Priority]]
        : x instanceof Date
          ? [x.getTime(), (y as Date).getTime()]
          : [x, y];
    if (p === q) continue;
    return (p < q ? -1 : 1) * (descending ? -1 : 1);
  }
  return 0;
}

/** Evaluates the subset of Prisma's where language the keyset produces, against a key. */
function matches(where: Prisma.TicketWhereInput, row: TicketKey): boolean {
  return Object.entries(where).every(([name, condition]) => {
    if (name === "OR") return (condition as Prisma.TicketWhereInput[]).some((w) => matches(w, row));
    if (name === "AND") return (condition as Prisma.TicketWhereInput[]).every((w) => matches(w, row));
    const value = row[name as keyof TicketKey];
    const plain = (v: unknown) => (v instanceof Date ? v.getTime() : v);
    if (condition === null || typeof condition !== "object" || condition instanceof Date) {
      return plain(value) === plain(condition);
    }
    return Object.entries(condition).every(([op, operand]) => {
      if (op === "in") return (operand as unknown[]).includes(value);
      if (op === "not") return operand === null ? value !== null : plain(value) !== plain(operand);
      if (value === null) return false;
      const [p, q] = [plain(value) as number | string, plain(operand) as number | string];
      return op === "gt" ? p > q : op === "lt" ? p < q : expect.unreachable(`operator ${op}`);
    });
  });
}

const hour = (h: number) => new Date(Date.UTC(2026, 11, 7, h));
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
// Ties on every column but id, nulls among them, the same deadline under different priorities.
const ROWS: TicketKey[] = [
  [1, 5, null, "NORMAL"],
  [2, 3, 9, "URGENT"],
  [3, 3, 9, "NORMAL"],
  [4, 1, 2, "LOW"],
  [5, 5, null, "URGENT"],
  [6, 2, 9, "URGENT"],
  [7, 4, 1, "HIGH"],
  [8, 1, null, "HIGH"],
  [9, 2, 2, "NORMAL"],
].map(([n, created, due, priority]) => ({
  id: id(n as number),
  createdAt: hour(created as number),
  nextDueAt: due === null ? null : hour(due as number),
  priority: priority as Priority,
}));

const ORDERS: TicketOrder[] = (["CREATED_AT", "NEXT_DUE", "PRIORITY"] as const).flatMap((field) =>
  (["ASC", "DESC"] as const).map((direction) => ({ field, direction })),
);
const numbers = (rows: readonly TicketKey[]) => rows.map((row) => Number(row.id.slice(-12)));

describe("ticket orders", () => {
  it.each<[string, TicketOrder, number[]]>([
    [
      "the work queue: overdue and soonest first, no deadline last",
      { field: "NEXT_DUE", direction: "ASC" },
      [7, 4, 9, 2, 3, 6, 1, 5, 8],
    ],
    [
      "latest deadline first, still no deadline last",
      { field: "NEXT_DUE", direction: "DESC" },
      [6, 3, 2, 9, 4, 7, 8, 5, 1],
    ],
    ["urgent first, then by deadline", { field: "PRIORITY", direction: "DESC" }, [2, 6, 5, 7, 8, 9, 3, 1, 4]],
    [
      "low first, still soonest deadline first within a priority",
      { field: "PRIORITY", direction: "ASC" },
      [4, 9, 3, 1, 7, 8, 2, 6, 5],
    ],
    ["newest first", { field: "CREATED_AT", direction: "DESC" }, [5, 1, 7, 3, 2, 9, 6, 8, 4]],
  ])("%s", (_label, order, expected) => {
    expect(numbers([...ROWS].sort((a, b) => compare(sortOf(order), a, b)))).toEqual(expected);
  });

  it.each(ORDERS)("a keyset after each row holds exactly the rows after it: $field $direction", (order) => {
    for (const sort of [sortOf(order), reversed(sortOf(order))]) {
      const sorted = [...ROWS].sort((a, b) => compare(sort, a, b));
      for (const [i, cursor] of sorted.entries()) {
        const after = sorted.filter((row) => matches(keysetAfter(sort, cursor), row));
        expect(numbers(after)).toEqual(numbers(sorted.slice(i + 1)));
      }
    }
  });

  it.each(ORDERS)("reading backwards is the exact reverse: $field $direction", (order) => {
    const forwards = [...ROWS].sort((a, b) => compare(sortOf(order), a, b));
    const backwards = [...ROWS].sort((a, b) => compare(reversed(sortOf(order)), a, b));
    expect(numbers(backwards)).toEqual(numbers(forwards).reverse());
  });

  it("sorts in the database as the keyset pages: nulls placed explicitly", () => {
    expect(orderByOf(sortOf({ field: "PRIORITY", direction: "DESC" }))).toEqual([
      { priority: "desc" },
      { nextDueAt: { sort: "asc", nulls: "last" } },
      { id: "asc" },
    ]);
    expect(orderByOf(reversed(sortOf({ field: "NEXT_DUE", direction: "ASC" })))).toEqual([
      { nextDueAt: { sort: "desc", nulls: "first" } },
      { id: "desc" },
    ]);
  });

  it("keeps the first form of CREATED_AT cursors and their where clause", () => {
    const row = ROWS[0] as TicketKey;
    const legacy = Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString("base64url");
    const order: TicketOrder = { field: "CREATED_AT", direction: "DESC" };
    expect(encodeCursor(order, row)).toBe(legacy);
    expect(keysetAfter(sortOf(order), row)).toEqual({
      OR: [{ createdAt: { lt: row.createdAt } }, { createdAt: row.createdAt, id: { lt: row.id } }],
    });
  });
});

describe("ticket cursors", () => {
  it.each(ORDERS)("round-trips the columns of $field $direction", (order) => {
    for (const row of ROWS) {
      const key = decodeCursor(order, encodeCursor(order, row));
      for (const { column } of sortOf(order)) expect(key[column]).toEqual(row[column]);
    }
  });

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const queue: TicketOrder = { field: "NEXT_DUE", direction: "ASC" };
  it.each<[string, TicketOrder, string, RegExp]>([
    ["garbage", queue, "garbage", /not a cursor/],
    ["an empty string", queue, "", /not a cursor/],
    ["an object", queue, b64({ id: id(1) }), /not a cursor/],
    ["a bad id", queue, b64(["NEXT_DUE", "ASC", null, "x"]), /not a cursor/],
    ["a bad instant", queue, b64(["NEXT_DUE", "ASC", "soon", id(1)]), /not a cursor/],
    [
      "a bad priority",
      { field: "PRIORITY", direction: "DESC" },
      b64(["PRIORITY", "DESC", "MEGA", null, id(1)]),
      /not a cursor/,
    ],
    ["a null received time", { field: "CREATED_AT", direction: "DESC" }, b64([null, id(1)]), /not a cursor/],
    ["a CREATED_AT cursor in NEXT_DUE order", queue, b64([hour(1).toISOString(), id(1)]), /another ordering/],
    [
      "a NEXT_DUE cursor in CREATED_AT order",
      { field: "CREATED_AT", direction: "ASC" },
      b64(["NEXT_DUE", "ASC", null, id(1)]),
      /another ordering/,
    ],
    [
      "an ASC cursor read DESC",
      { field: "NEXT_DUE", direction: "DESC" },
      b64(["NEXT_DUE", "ASC", null, id(1)]),
      /another ordering/,
    ],
    ["a PRIORITY cursor in NEXT_DUE order", queue, b64(["PRIORITY", "ASC", "LOW", null, id(1)]), /another ordering/],
  ])("refuses %s with a typed error", (_label, order, cursor, message) => {
    expect(() => decodeCursor(order, cursor)).toThrow(ValidationError);
    expect(() => decodeCursor(order, cursor)).toThrow(message);
  });
});
