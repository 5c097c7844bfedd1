import { GraphQLError } from "graphql";
import type { Database } from "../../db/database.js";
import type { Ticket } from "../../generated/prisma/client.js";
import type { ClockKind } from "../../generated/prisma/enums.js";
import type { Logger } from "../../logger.js";
import { type AuthenticatedViewer, canReadTickets, type Viewer } from "../auth/viewer.js";
import type { UnitNode, UnitTree } from "../units/unit-tree.js";
import type { Bus } from "./bus.js";
import { EventHub } from "./event-hub.js";
import { Feed } from "./feed.js";
import { PrincipalCache } from "./principals.js";
import { QueueBoard } from "./queue-board.js";
import type { QueueSnapshot } from "./queue-snapshot.js";
import { type Relay, startRelay } from "./relay.js";
import { readStream, type StreamEntry, type StreamedEvent, streamedAtAfter } from "./stream-store.js";

export interface RealtimeLimits {
  /** Events waiting for a slow subscriber before its stream is closed. */
  eventBuffer: number;
  /** How far back `afterSequence` may reach. */
  replayWindowHours: number;
  /** A subscriber's access is re-read from the database when the last reading is older than this. */
  accessRecheckMs: number;
}

export const DEFAULT_REALTIME_LIMITS: RealtimeLimits = {
  eventBuffer: 1_000,
  replayWindowHours: 72,
  accessRecheckMs: 5_000,
};

/** Who opened a subscription, and the credential to re-check them with. */
export interface Subscriber {
  readonly viewer: AuthenticatedViewer;
  readonly authorization: string;
}

/** A clock that crossed into at risk or breached. */
export interface SlaAlert {
  event: StreamedEvent;
  clock: ClockKind;
  dueAt: Date | null;
}

export class RealtimeError extends GraphQLError {
  constructor(code: string, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extensions } });
  }
}

const SLA_ALERT_TYPES = new Set(["SLA_AT_RISK", "SLA_BREACHED"]);

/** The subscription root fields, as /metrics counts the open ones. */
export type SubscriptionKind = "ticketEvents" | "slaAlerts" | "queue" | "ticket";
const REPLAY_PAGE = 500;

/**
 * Live delivery on one instance: the relay that publishes committed events, the hub that orders what
 * arrives, the shared queue snapshots, and the subscriber feeds. Every feed checks its subscriber's
 * current access on every item before passing it on.
 */
export class Realtime {
  readonly hub: EventHub;
  readonly board: QueueBoard;
  readonly principals: PrincipalCache;
  private relay: Relay | null = null;
  private stopAccessWatch: () => void = () => {};
  private readonly feeds = new Map<{ end(): void }, SubscriptionKind>();
  /** The reloads of the `ticket(id)` feeds open on this instance, by ticket. */
  private readonly deliveryWatchers = new Map<string, Set<() => void>>();

  constructor(
    private readonly options: {
      db: Database;
      bus: Bus;
      logger: Logger;
      tree: () => UnitTree;
      authenticate: (authorization: string) => Promise<Viewer>;
      /** Called at once on this instance, and on every other when the message arrives. */
      onAccessChange?: () => void;
      limits?: Partial<RealtimeLimits>;
      relay?: boolean;
    },
  ) {
    this.hub = new EventHub({
      db: options.db,
      bus: options.bus,
      logger: options.logger,
      beforeDispatch: () => this.principals.refreshStale(),
    });
    this.board = new QueueBoard({ db: options.db, hub: this.hub, tree: options.tree, logger: options.logger });
    this.principals = new PrincipalCache({
      authenticate: options.authenticate,
      logger: options.logger,
      ttlMs: this.limits.accessRecheckMs,
    });
  }

  /**
   * Tells every instance that a credential changed (logout, revocation). Each re-reads the credentials
   * its subscriptions hold before it delivers anything published after this message.
   */
  /**
   * Tells every instance that a message of this ticket changed its delivery state, which is no ticket
   * event: `ticket(id)` feeds send the ticket again. A fast path only; a lost message leaves the
   * delivery state as last sent until the ticket's next event.
   */
  announceDelivery(ticketId: string): void {
    this.options.bus.publish("delivery", { ticketId });
  }

  announceAccessChange(): void {
    this.options.onAccessChange?.();
    this.options.bus.publish("principals", { at: Date.now() });
  }

  private get limits(): RealtimeLimits {
    return { ...DEFAULT_REALTIME_LIMITS, ...this.options.limits };
  }

  get bus(): Bus {
    return this.options.bus;
  }

  get subscriptions(): number {
    return this.feeds.size;
  }

  /** Open subscriptions by kind (every kind present, zero included). */
  subscriptionsByKind(): Record<SubscriptionKind, number> {
    const counts: Record<SubscriptionKind, number> = { ticketEvents: 0, slaAlerts: 0, queue: 0, ticket: 0 };
    for (const kind of this.feeds.values()) counts[kind] += 1;
    return counts;
  }

  async start(): Promise<void> {
    const stopAccessWatch = this.options.bus.subscribe("principals", () => {
      this.options.onAccessChange?.();
      this.hub.beforeNextDelivery(() => this.principals.refreshAll());
    });
    const stopDeliveryWatch = this.options.bus.subscribe("delivery", (payload) => {
      const { ticketId } = payload as { ticketId?: unknown };
      if (typeof ticketId !== "string") return;
      for (const reload of this.deliveryWatchers.get(ticketId) ?? []) reload();
    });
    this.stopAccessWatch = () => {
      stopAccessWatch();
      stopDeliveryWatch();
    };
    await this.hub.start();
    this.board.start();
    if (this.options.relay !== false) {
      this.relay = await startRelay({ db: this.options.db, bus: this.options.bus, logger: this.options.logger });
    }
  }

  /** Runs the relay now and resolves when what was committed before the call is published. */
  flush(): Promise<unknown> {
    return this.relay?.runOnce() ?? Promise.resolve();
  }

  /** Told by a writer on this instance that it committed ticket events: the relay orders them now. */
  committed(): void {
    this.relay?.wake();
  }

  /** Resolves the unit a subscription watches, refusing unknown units and units outside the scope. */
  unitFor(viewer: AuthenticatedViewer, unitCode: string): UnitNode {
    const unit = this.options.tree().byCode(unitCode);
    if (!unit) throw new RealtimeError("UNKNOWN_UNIT", `No unit with code "${unitCode}".`);
    if (!viewer.unitIds.has(unit.id)) {
      throw new RealtimeError("FORBIDDEN", `Unit ${unitCode} is outside your scope.`);
    }
    return unit;
  }

  /** Ends the feed if the subscriber may no longer watch `unitId`; true while they still may. */
  private stillAllowed(subscriber: Subscriber, unitId: number, feed: { fail(error: unknown): void }): boolean {
    const viewer = this.principals.current(subscriber.authorization);
    if (viewer.kind === "anonymous") {
      feed.fail(new RealtimeError("UNAUTHENTICATED", "Your session or key is no longer valid; sign in again."));
      return false;
    }
    if (!canReadTickets(viewer) || !viewer.unitIds.has(unitId)) {
      feed.fail(new RealtimeError("FORBIDDEN", "Your access no longer covers this unit; the stream is closed."));
      return false;
    }
    return true;
  }

  private open<T>(
    subscriber: Subscriber,
    kind: SubscriptionKind,
    mode: "queue" | "latest",
    onEnd: () => void,
    overflow?: () => Error,
  ) {
    this.principals.hold(subscriber.authorization, subscriber.viewer);
    const feed: Feed<T> = new Feed<T>({
      mode,
      capacity: this.limits.eventBuffer,
      overflow: overflow ?? (() => new RealtimeError("SUBSCRIBER_TOO_SLOW", "The subscriber fell too far behind.")),
      onEnd: () => {
        this.feeds.delete(feed);
        this.principals.release(subscriber.authorization);
        onEnd();
      },
    });
    this.feeds.set(feed, kind);
    return feed;
  }

  /** Parses and checks a resume point; null means "from now". */
  async resumePoint(afterSequence: string | null | undefined): Promise<bigint | null> {
    if (afterSequence === null || afterSequence === undefined) return null;
    if (!/^\d{1,18}$/.test(afterSequence)) {
      throw new RealtimeError("BAD_USER_INPUT", "afterSequence must be the decimal sequence of an event.", {
        argumentName: "afterSequence",
      });
    }
    const after = BigInt(afterSequence);
    if (after > this.hub.position) {
      throw new RealtimeError("BAD_USER_INPUT", "afterSequence is ahead of the stream.", {
        argumentName: "afterSequence",
      });
    }
    const next = await streamedAtAfter(this.options.db, after);
    const horizon = Date.now() - this.limits.replayWindowHours * 3_600_000;
    if (next && next.getTime() < horizon) {
      throw new RealtimeError(
        "SEQUENCE_EXPIRED",
        `Events after ${afterSequence} are older than the ${this.limits.replayWindowHours} h replay window; ` +
          "reload the current state and subscribe without afterSequence.",
      );
    }
    return after;
  }

  /**
   * Every event of the unit's subtree in stream order. With `after`, the missed events are read from
   * the stream first while live ones wait behind them, so the seam neither loses nor repeats an event.
   */
  ticketEvents(
    subscriber: Subscriber,
    unit: UnitNode,
    after: bigint | null,
    only?: ReadonlySet<string>,
  ): Feed<StreamedEvent> {
    const watched = this.options.tree().subtree(unit.id);
    const matches = (entry: StreamEntry) =>
      (watched.has(entry.unitId) || (entry.fromUnitId !== null && watched.has(entry.fromUnitId))) &&
      (!only || only.has(entry.type));
    let delivered = after ?? 0n;
    let replaying = after !== null;
    const held: StreamEntry[] = [];
    let stopListening = () => {};
    const feed = this.open<StreamedEvent>(
      subscriber,
      only === SLA_ALERT_TYPES ? "slaAlerts" : "ticketEvents",
      "queue",
      () => stopListening(),
      () =>
        new RealtimeError(
          "SUBSCRIBER_TOO_SLOW",
          `The subscriber fell more than ${this.limits.eventBuffer} events behind; resubscribe with afterSequence.`,
          { resumeAfter: delivered.toString() },
        ),
    );
    const deliver = (entry: StreamEntry) => {
      if (feed.done || entry.position <= delivered || !matches(entry)) return;
      if (!this.stillAllowed(subscriber, unit.id, feed)) return;
      feed.push(entry.event);
      delivered = entry.position;
    };
    const listening = this.hub.listen((entries) => {
      if (!replaying) {
        for (const entry of entries) deliver(entry);
        return;
      }
      for (const entry of entries) if (matches(entry)) held.push(entry);
      if (held.length > this.limits.eventBuffer) feed.fail(feed.overflowError());
    });
    stopListening = listening.stop;
    if (!replaying) delivered = listening.after;
    else {
      const until = listening.after;
      void (async () => {
        let cursor = after as bigint;
        while (cursor < until && !feed.done) {
          const page = await readStream(this.options.db, cursor, REPLAY_PAGE, {
            through: until,
            unitIds: [...watched],
            ...(only ? { types: [...only] } : {}),
          });
          for (const entry of page) deliver(entry);
          if (page.length < REPLAY_PAGE) break;
          cursor = (page[page.length - 1] as StreamEntry).position;
          await feed.waitForRoom();
        }
        replaying = false;
        for (const entry of held.splice(0)) deliver(entry);
      })().catch((error: unknown) => {
        this.options.logger.warn({ err: error }, "replaying the event stream failed");
        feed.fail(new RealtimeError("INTERNAL_SERVER_ERROR", "Replaying missed events failed; resubscribe."));
      });
    }
    return feed;
  }

  /**
   * Clocks of the unit's subtree that became at risk or breached, as they happen; with `after`, the
   * alerts missed since that position first, exactly as `ticketEvents` resumes.
   */
  slaAlerts(subscriber: Subscriber, unit: UnitNode, after: bigint | null): Feed<StreamedEvent> {
    return this.ticketEvents(subscriber, unit, after, SLA_ALERT_TYPES);
  }

  /** The unit's live queue: the shared snapshot now and after each change; the newest one wins. */
  queue(subscriber: Subscriber, unit: UnitNode): Feed<QueueSnapshot> {
    let unwatch = () => {};
    const feed = this.open<QueueSnapshot>(subscriber, "queue", "latest", () => unwatch());
    unwatch = this.board.watch(unit.id, (snapshot) => {
      if (this.stillAllowed(subscriber, unit.id, feed)) feed.push(snapshot);
    });
    return feed;
  }

  /** One ticket as it changes: sent now and after each of its events. */
  ticket(subscriber: Subscriber, ticketId: string, load: () => Promise<Ticket | null>): Feed<Ticket> {
    let stopListening = () => {};
    const feed = this.open<Ticket>(subscriber, "ticket", "latest", () => stopListening());
    let loading = false;
    let again = false;
    const reload = () => {
      if (loading) {
        again = true;
        return;
      }
      loading = true;
      again = false;
      load()
        .then((ticket) => {
          if (!ticket) {
            feed.fail(new RealtimeError("NOT_FOUND", "No such ticket in your scope."));
            return;
          }
          if (this.stillAllowed(subscriber, ticket.unitId, feed)) feed.push(ticket);
        })
        .catch((error: unknown) => {
          this.options.logger.warn({ err: error }, "loading a watched ticket failed");
        })
        .finally(() => {
          loading = false;
          if (again && !feed.done) reload();
        });
    };
    const stopEvents = this.hub.listen((entries) => {
      if (entries.some((entry) => entry.ticketId === ticketId)) reload();
    }).stop;
    let watchers = this.deliveryWatchers.get(ticketId);
    if (!watchers) {
      watchers = new Set();
      this.deliveryWatchers.set(ticketId, watchers);
    }
    watchers.add(reload);
    stopListening = () => {
      stopEvents();
      watchers.delete(reload);
      if (!watchers.size) this.deliveryWatchers.delete(ticketId);
    };
    reload();
    return feed;
  }

  /** Ends every feed (SSE responses finish; WebSocket clients are closed by the transport). */
  endAll(): void {
    for (const feed of [...this.feeds.keys()]) feed.end();
  }

  async stop(): Promise<void> {
    await this.relay?.stop();
    this.endAll();
    this.board.stop();
    this.stopAccessWatch();
    await this.hub.close();
    await this.options.bus.close();
  }
}
