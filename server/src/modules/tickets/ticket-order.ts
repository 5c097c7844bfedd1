import { ValidationError } from "../../errors.js";
import type { Prisma } from "../../generated/prisma/client.js";
import { Priority } from "../../generated/prisma/enums.js";

export type SortDirection = "ASC" | "DESC";
export type TicketOrderField = "CREATED_AT" | "NEXT_DUE" | "PRIORITY";

export interface TicketOrder {
  field: TicketOrderField;
  direction: SortDirection;
}

export const DEFAULT_ORDER: TicketOrder = { field: "CREATED_AT", direction: "DESC" };

/** The columns a ticket is sorted by; a cursor holds those of its ordering. */
export interface TicketKey {
  id: string;
  createdAt: Date;
  nextDueAt: Date | null;
  priority: Priority;
}

type Column = keyof TicketKey;

/** One column of a sort: its direction, and for the nullable deadline whether nulls come last. */
export interface SortComponent {
  column: Column;
  descending: boolean;
  nullsLast: boolean;
}

const asc = (column: Column): SortComponent => ({ column, descending: false, nullsLast: true });
const desc = (column: Column): SortComponent => ({ column, descending: true, nullsLast: true });

/**
 * Every ordering is total (it ends with id), so a page boundary is one exact key.
 * - CREATED_AT: received time, then id, both in the direction asked.
 * - NEXT_DUE: the next deadline (ASC: soonest, overdue first; DESC: latest first), then id in the same
 *   direction; tickets without a running deadline come last either way.
 * - PRIORITY: priority (DESC: URGENT first; ASC: LOW first); within a priority always the soonest
 *   deadline first (no deadline last), then id ascending: the direction only says which end of the
 *   priority scale leads, never that later deadlines should.
 */
export function sortOf(order: TicketOrder): SortComponent[] {
  const lead = order.direction === "DESC" ? desc : asc;
  switch (order.field) {
    case "CREATED_AT":
      return [lead("createdAt"), lead("id")];
    case "NEXT_DUE":
      return [lead("nextDueAt"), lead("id")];
    case "PRIORITY":
      return [lead("priority"), asc("nextDueAt"), asc("id")];
  }
}

/** The same sort read from the other end (for `last`/`before`): every column and the nulls flip. */
export function reversed(sort: readonly SortComponent[]): SortComponent[] {
  return sort.map((component) => ({
    ...component,
    descending: !component.descending,
    nullsLast: !component.nullsLast,
  }));
}

export function orderByOf(sort: readonly SortComponent[]): Prisma.TicketOrderByWithRelationInput[] {
  return sort.map(({ column, descending, nullsLast }) => {
    const direction = descending ? "desc" : "asc";
    return column === "nextDueAt"
      ? { nextDueAt: { sort: direction, nulls: nullsLast ? "last" : "first" } }
      : { [column]: direction };
  });
}

/** Priorities from lowest to highest, as the database's enum sorts them. */
const PRIORITIES: readonly Priority[] = [Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT];

/** Rows equal to the key on this column. */
function equalTo({ column }: SortComponent, key: TicketKey): Prisma.TicketWhereInput {
  return { [column]: key[column] };
}

/** Rows strictly after the key on this column in the sort's order; null when none can be. */
function beyond({ column, descending, nullsLast }: SortComponent, key: TicketKey): Prisma.TicketWhereInput | null {
  const op = descending ? "lt" : "gt";
  if (column === "priority") {
    const at = PRIORITIES.indexOf(key.priority);
    const later = descending ? PRIORITIES.slice(0, at) : PRIORITIES.slice(at + 1);
    return later.length ? { priority: { in: [...later] } } : null;
  }
  if (column === "nextDueAt") {
    if (key.nextDueAt === null) return nullsLast ? null : { nextDueAt: { not: null } };
    const past = { nextDueAt: { [op]: key.nextDueAt } };
    return nullsLast ? { OR: [past, { nextDueAt: null }] } : past;
  }
  return { [column]: { [op]: key[column] } };
}

/**
 * Rows strictly after the key in the sort's order: for some column, equal on every column before it and
 * beyond the key on it. Nulls are placed as the sort places them, so a page ending in tickets without a
 * deadline continues among them and never returns to the dated ones.
 */
export function keysetAfter(sort: readonly SortComponent[], key: TicketKey): Prisma.TicketWhereInput {
  const terms: Prisma.TicketWhereInput[] = [];
  for (const [i, component] of sort.entries()) {
    const past = beyond(component, key);
    if (!past) continue;
    terms.push(Object.assign({}, ...sort.slice(0, i).map((before) => equalTo(before, key)), past));
  }
  return terms.length ? { OR: terms } : { id: { in: [] } };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * A cursor is the sort key of the row it points at, opaque to clients. CREATED_AT cursors keep their
 * first form, `[createdAt, id]`, so those already handed out stay valid; the others name their
 * ordering, so a cursor cannot be replayed against another one.
 */
export function encodeCursor(order: TicketOrder, key: TicketKey): string {
  const value =
    order.field === "CREATED_AT"
      ? [key.createdAt.toISOString(), key.id]
      : order.field === "NEXT_DUE"
        ? [order.field, order.direction, iso(key.nextDueAt), key.id]
        : [order.field, order.direction, key.priority, iso(key.nextDueAt), key.id];
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

const malformed = () => new ValidationError("cursor: not a cursor of this connection", "cursor");

function instant(value: unknown, nullable: boolean): Date | null {
  if (value === null && nullable) return null;
  const date = typeof value === "string" ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw malformed();
  return date;
}

function parse(cursor: string): unknown[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value)) return value;
  } catch {
    // falls through to the typed error
  }
  throw malformed();
}

/**
 * The key a cursor holds, for the ordering being read. Columns the ordering does not sort by are
 * filled with placeholders that the keyset never reads.
 */
export function decodeCursor(order: TicketOrder, cursor: string): TicketKey {
  const value = parse(cursor);
  const named = value[0] === "NEXT_DUE" || value[0] === "PRIORITY";
  const field: TicketOrderField = named ? (value[0] as TicketOrderField) : "CREATED_AT";
  if (field !== order.field || (named && value[1] !== order.direction)) {
    throw new ValidationError(
      `cursor: from another ordering than ${order.field} ${order.direction}; page again from the start`,
      "cursor",
    );
  }
  const id = value.at(-1);
  if (typeof id !== "string" || !UUID.test(id)) throw malformed();
  const key: TicketKey = { id, createdAt: new Date(0), nextDueAt: null, priority: Priority.NORMAL };
  if (field === "CREATED_AT") {
    if (value.length !== 2) throw malformed();
    key.createdAt = instant(value[0], false) as Date;
  } else if (field === "NEXT_DUE") {
    if (value.length !== 4) throw malformed();
    key.nextDueAt = instant(value[2], true);
  } else {
    if (value.length !== 5 || !PRIORITIES.includes(value[2] as Priority)) throw malformed();
    key.priority = value[2] as Priority;
    key.nextDueAt = instant(value[3], true);
  }
  return key;
}
