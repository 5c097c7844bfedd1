import { decodeGlobalID } from "@pothos/plugin-relay";
import { UnknownUnitError, ValidationError } from "../../errors.js";
import type { Prisma } from "../../generated/prisma/client.js";
import type {
  Channel,
  ClockState,
  Priority,
  TicketEventType,
  TicketKind,
  TicketStatus,
} from "../../generated/prisma/enums.js";
import type { AuthenticatedViewer } from "../auth/viewer.js";
import type { UnitTree } from "../units/unit-tree.js";
import { LIMITS } from "./ticket-input.js";
import { DEFAULT_ORDER, decodeCursor, reversed, type SortDirection, sortOf, type TicketOrder } from "./ticket-order.js";

/** Prisma passes `contains` to LIKE as is: escape its wildcards so a search is plain text. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface TicketFilter {
  unitCode?: string | null;
  status?: TicketStatus[] | null;
  kind?: TicketKind[] | null;
  channel?: Channel[] | null;
  priority?: Priority[] | null;
  /** Category codes; a broad category includes its narrower ones. */
  category?: string[] | null;
  createdFrom?: Date | null;
  createdTo?: Date | null;
  search?: string | null;
  /** Matches when any of the ticket's clocks is in one of these states. */
  slaState?: ClockState[] | null;
  /** Global ids of users: tickets assigned to any of them. */
  assignee?: readonly (string | number)[] | null;
  /** True: assigned to the caller; false: not assigned to the caller (others' and unassigned ones). */
  assignedToMe?: boolean | null;
  /** True: nobody's yet; false: assigned to someone. */
  unassigned?: boolean | null;
  /** Tickets with an event of one of these types, recorded while a unit of this subtree owned them. */
  event?: {
    type: TicketEventType[];
    unitCode?: string | null;
    from?: Date | null;
    to?: Date | null;
    /** Recorded by this person (global id of a User): how a figure per person is traced to its tickets. */
    actor?: string | number | null;
  } | null;
}

const TICKET_NUMBER = /^IMI-\d{4}-\d{7}$/i;

/**
 * A word search goes through trigram indexes, which can narrow a term only by a run of three letters or
 * digits (a trigram); with a shorter one every row is a candidate and the search reads the whole table.
 */
export const MIN_SEARCH_RUN = 3;
const SEARCHABLE_RUN = /[\p{L}\p{N}]{3}/u;

/** Whether `search` is a ticket number or holds a run of letters or digits the search index can use. */
export function isSearchable(search: string): boolean {
  return TICKET_NUMBER.test(search) || SEARCHABLE_RUN.test(search);
}

/**
 * The mandatory scope of every ticket read: the caller's unit subtree, narrowed by `unitCode`. An
 * unknown unit and one outside the scope give the same error, so existence never leaks.
 */
export function scopedUnitIds(
  viewer: Pick<AuthenticatedViewer, "unitId" | "unitIds">,
  tree: UnitTree,
  unitCode?: string | null,
): number[] | null {
  let root = viewer.unitId;
  if (unitCode) {
    const unit = tree.byCode(unitCode);
    if (!unit || !viewer.unitIds.has(unit.id)) throw new UnknownUnitError(unitCode);
    root = unit.id;
  }
  // The whole tree needs no IN list: the planner then keeps to the plain created_at index.
  if (tree.get(root)?.parentId === null && tree.subtree(root).size === tree.size) return null;
  return [...tree.subtree(root)];
}

/** Each value once: a repeated value matches nothing more, and only lengthens the statement. */
const distinct = <T>(values: readonly T[] | null | undefined): T[] => [...new Set(values ?? [])];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_ASSIGNEES = 50;

/** The user ids behind `filter.assignee`'s global ids; anything but a User's global id is refused. */
function assigneeIds(globalIds: readonly (string | number)[]): string[] {
  if (globalIds.length > MAX_ASSIGNEES) {
    throw new ValidationError(`filter.assignee: at most ${MAX_ASSIGNEES} users`, "filter.assignee");
  }
  return globalIds.map((globalId) => userId(globalId, "filter.assignee"));
}

function userId(globalId: string | number, field: string): string {
  try {
    const decoded = decodeGlobalID(String(globalId));
    if (decoded.typename === "User" && UUID.test(decoded.id)) return decoded.id.toLowerCase();
  } catch {
    // falls through to the typed error
  }
  throw new ValidationError(`${field}: not the global id of a User: ${String(globalId)}`, field);
}

/**
 * Who the ticket is assigned to. These only narrow the list: which tickets may be read at all is the
 * unit scope alone, so naming a user of another unit finds nothing rather than reaching their tickets.
 */
function assigneeWhere(viewer: AuthenticatedViewer, filter: TicketFilter): Prisma.TicketWhereInput[] {
  const where: Prisma.TicketWhereInput[] = [];
  const assignees = distinct(assigneeIds(filter.assignee ?? []));
  if (assignees.length) where.push({ assigneeId: { in: assignees } });
  if (filter.assignedToMe != null) {
    if (viewer.kind !== "user") {
      throw new ValidationError(
        "filter.assignedToMe: only a signed-in user has tickets of their own",
        "filter.assignedToMe",
      );
    }
    where.push(
      filter.assignedToMe
        ? { assigneeId: viewer.userId }
        : { OR: [{ assigneeId: null }, { assigneeId: { not: viewer.userId } }] },
    );
  }
  if (filter.unassigned != null) where.push({ assigneeId: filter.unassigned ? null : { not: null } });
  return where;
}

export function ticketWhere(
  viewer: AuthenticatedViewer,
  tree: UnitTree,
  filter: TicketFilter = {},
): Prisma.TicketWhereInput {
  const where: Prisma.TicketWhereInput[] = [];
  const unitIds = scopedUnitIds(viewer, tree, filter.unitCode);
  if (unitIds) where.push({ unitId: unitIds.length === 1 ? unitIds[0] : { in: unitIds } });
  const status = distinct(filter.status);
  const kind = distinct(filter.kind);
  const channel = distinct(filter.channel);
  const priority = distinct(filter.priority);
  const category = distinct(filter.category);
  const slaState = distinct(filter.slaState);
  if (status.length) where.push({ status: { in: status } });
  if (kind.length) where.push({ kind: { in: kind } });
  if (channel.length) where.push({ channel: { in: channel } });
  if (priority.length) where.push({ priority: { in: priority } });
  if (category.length) {
    if (category.length > 50 || category.some((code) => code.length > 64)) {
      throw new ValidationError("filter.category: at most 50 codes of at most 64 characters", "filter.category");
    }
    const codes = { in: category };
    where.push({ category: { OR: [{ code: codes }, { parent: { code: codes } }] } });
  }
  if (slaState.length) where.push({ clocks: { some: { state: { in: slaState } } } });
  where.push(...assigneeWhere(viewer, filter));
  if (filter.createdFrom) where.push({ createdAt: { gte: filter.createdFrom } });
  if (filter.createdTo) where.push({ createdAt: { lt: filter.createdTo } });
  if (filter.createdFrom && filter.createdTo && filter.createdFrom > filter.createdTo) {
    throw new ValidationError("filter.createdFrom: must not be after createdTo", "filter.createdFrom");
  }
  if (filter.event) {
    const { unitCode, from, to } = filter.event;
    const type = distinct(filter.event.type);
    if (!type.length) throw new ValidationError("filter.event.type: name at least one event type", "filter.event.type");
    if (from && to && from > to) {
      throw new ValidationError("filter.event.from: must not be after to", "filter.event.from");
    }
    const eventUnits = scopedUnitIds(viewer, tree, unitCode);
    const actor = filter.event.actor == null ? null : userId(filter.event.actor, "filter.event.actor");
    // Figures per person are staff's only; a key must not count one person's acts either.
    if (actor && viewer.kind !== "user") {
      throw new ValidationError("filter.event.actor: only staff trace figures per person", "filter.event.actor");
    }
    where.push({
      events: {
        some: {
          type: { in: type },
          ...(actor ? { actorId: actor } : {}),
          ...(eventUnits ? { unitId: { in: eventUnits } } : {}),
          ...(from || to ? { at: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
        },
      },
    });
  }
  const search = filter.search?.trim();
  if (search) {
    if (search.length > LIMITS.search) {
      throw new ValidationError(`filter.search: at most ${LIMITS.search} characters`, "filter.search");
    }
    if (!isSearchable(search)) {
      throw new ValidationError(
        `filter.search: a ticket number, or words with at least ${MIN_SEARCH_RUN} letters or digits in a row`,
        "filter.search",
      );
    }
    where.push(
      TICKET_NUMBER.test(search)
        ? { number: search.toUpperCase() }
        : {
            OR: [
              { subject: { contains: likeLiteral(search), mode: "insensitive" } },
              { description: { contains: likeLiteral(search), mode: "insensitive" } },
            ],
          },
    );
  }
  return where.length === 1 ? (where[0] as Prisma.TicketWhereInput) : { AND: where };
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/**
 * The most tickets a `totalCount` counts, as GitHub's search does: counting stops after this many (one
 * more tells that there are more), so a count reads at most this many index entries or rows however
 * broad the filter.
 */
export const MAX_COUNTED_TICKETS = 10_000;

/** What a count stopped at MAX_COUNTED_TICKETS + 1 says: the figure to show, and whether it was cut. */
export function cappedCount(counted: number): { totalCount: number; capped: boolean } {
  return { totalCount: Math.min(counted, MAX_COUNTED_TICKETS), capped: counted > MAX_COUNTED_TICKETS };
}

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/**
 * Relay paging arguments made into one keyset query: the sort to read in and the key to start after.
 * `last`/`before` read the ordering backwards; the caller reverses the page.
 */
export function pagePlan(args: PageArgs, order: TicketOrder = DEFAULT_ORDER) {
  if (args.first != null && args.last != null) {
    throw new ValidationError("Pass either first or last, not both.", "first");
  }
  for (const name of ["first", "last"] as const) {
    const value = args[name];
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw new ValidationError(`${name}: must be between 0 and ${MAX_PAGE_SIZE}`, name);
    }
  }
  const backwards = args.last != null || (args.before != null && args.first == null);
  const size = (backwards ? args.last : args.first) ?? DEFAULT_PAGE_SIZE;
  const cursor = backwards ? args.before : args.after;
  const readDirection: SortDirection = backwards === (order.direction === "DESC") ? "ASC" : "DESC";
  const sort = sortOf(order);
  return {
    size,
    backwards,
    readDirection,
    sort: backwards ? reversed(sort) : sort,
    cursor: cursor ? decodeCursor(order, cursor) : null,
  };
}
