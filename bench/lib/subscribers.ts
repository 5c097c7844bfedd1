/**
 * graphql-ws subscribers spread over worker processes, as browsers on other machines would be: each
 * worker holds its share of the sockets, records what arrives with its own receive time, and checks
 * the events it received against the stream read from the database.
 */
import { fileURLToPath } from "node:url";
import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";
import { isEntryPoint } from "./cleanup.js";
import { forkWorker, serveRequests, type Worker, type WorkerRequest } from "./worker.js";

export type SubscriptionKind = "events" | "queue";

export const TICKET_EVENTS_SUBSCRIPTION = /* GraphQL */ `
  subscription($unitCode: String!) {
    ticketEvents(unitCode: $unitCode) { sequence type at ticket { number } }
  }`;

export const QUEUE_SUBSCRIPTION = /* GraphQL */ `
  subscription($unitCode: String!) {
    queue(unitCode: $unitCode) { computedAt open }
  }`;

export interface OpenResult {
  subscriptions: number;
  sockets: number;
  /** Sockets whose connection_init was acknowledged. */
  connected: number;
  /** Subscriptions that delivered their first item (queue snapshots arrive at once; events do not). */
  acknowledged: number;
  /** Subscriptions that ended with an error or were completed by the server. */
  ended: number;
  ms: number;
  errors: Record<string, number>;
  closes: Record<string, number>;
}

/** Positions of the stream in one window, per watched unit, with when the relay ordered each. */
export interface ExpectedEvents {
  positions: number[];
  /** event_stream.streamed_at in ms: after the commit, before the event was published. */
  streamedAt: number[];
}

export interface VerifyResult {
  subscribers: number;
  /** Σ over subscribers of the events of their unit in the window. */
  expected: number;
  /** Distinct expected events received. */
  delivered: number;
  missing: number;
  duplicates: number;
  /** Arrivals whose position was not above the previous one. */
  outOfOrder: number;
  /** Received positions in the window that are not events of the subscriber's unit. */
  unexpected: number;
  /** Subscribers that had seen nothing yet when the window opened. */
  startedLate: number;
  /** Events received without a sequence (not attributable to a window). */
  withoutSequence: number;
  ended: number;
  /** Whether every subscriber reached its unit's last position before the wait ran out. */
  caughtUp: boolean;
  waitedMs: number;
  /** Receive time minus the event's `at`, one per delivered event. */
  latencyFromAtMs: Float64Array;
  /** Receive time minus event_stream.streamed_at, one per delivered event. */
  latencyFromStreamedMs: Float64Array;
  errors: Record<string, number>;
  closes: Record<string, number>;
}

export interface SnapshotCount {
  watchers: number;
  messages: number;
  /** Distinct computedAt values received in the window: computations the watchers saw. */
  computedAt: string[];
  minPerWatcher: number;
  maxPerWatcher: number;
  silentWatchers: number;
  ended: number;
  errors: Record<string, number>;
  closes: Record<string, number>;
}

// --- Worker side.

interface Subscriber {
  unitCode: string;
  ended: boolean;
  items: number;
  firstPosition: number | null;
  lastPosition: number;
  /** Events delivered without their stream position, which the schema promises live events have. */
  withoutSequence: number;
  /** Parallel arrays of what arrived and has not been verified yet. */
  positions: number[];
  at: number[];
  receivedAt: number[];
  snapshotAt: number[];
  computedAt: string[];
}

interface SubscriptionSet {
  kind: SubscriptionKind;
  clients: Client[];
  subscribers: Subscriber[];
  connected: number;
  disposing: boolean;
  errors: Map<string, number>;
  closes: Map<string, number>;
}

const sets = new Map<string, SubscriptionSet>();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function bump(map: Map<string, number>, key: string) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function errorKey(error: unknown): string {
  const list = Array.isArray(error) ? error : [error];
  const first = list[0] as { message?: string; reason?: string; code?: number; extensions?: { code?: string } };
  if (first?.extensions?.code) return first.extensions.code;
  if (typeof first?.code === "number") return `close ${first.code} ${first.reason ?? ""}`.trim();
  return String(first?.message ?? first?.reason ?? first).slice(0, 200);
}

interface OpenRequest {
  set: string;
  kind: SubscriptionKind;
  url: string;
  token: string;
  /** One array per socket, of the unit each of its subscriptions watches. */
  connections: string[][];
  /** Sockets still opening at one time; a burst of thousands would measure the accept queue instead. */
  concurrency: number;
  timeoutMs: number;
}

async function open(request: OpenRequest): Promise<OpenResult> {
  const startedAt = performance.now();
  let set = sets.get(request.set);
  if (!set) {
    set = {
      kind: request.kind,
      clients: [],
      subscribers: [],
      connected: 0,
      disposing: false,
      errors: new Map(),
      closes: new Map(),
    };
    sets.set(request.set, set);
  }
  const current = set;
  const query = request.kind === "events" ? TICKET_EVENTS_SUBSCRIPTION : QUEUE_SUBSCRIPTION;
  const deadline = performance.now() + request.timeoutMs;
  const added: Subscriber[] = [];

  const openOne = async (units: string[]) => {
    let connected = false;
    const client = createClient({
      url: `${request.url.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${request.token}` },
      retryAttempts: 0,
      lazy: true,
      on: {
        connected: () => {
          connected = true;
          current.connected += 1;
        },
        closed: (event) => {
          if (connected) current.connected -= 1;
          connected = false;
          if (current.disposing) return;
          const close = event as { code?: number; reason?: string };
          bump(current.closes, `${close.code ?? "?"} ${close.reason ?? ""}`.trim());
        },
      },
    });
    current.clients.push(client);
    const mine: Subscriber[] = [];
    for (const unitCode of units) {
      const subscriber: Subscriber = {
        unitCode,
        ended: false,
        items: 0,
        firstPosition: null,
        lastPosition: 0,
        withoutSequence: 0,
        positions: [],
        at: [],
        receivedAt: [],
        snapshotAt: [],
        computedAt: [],
      };
      mine.push(subscriber);
      current.subscribers.push(subscriber);
      client.subscribe<Record<string, Record<string, unknown>>>(
        { query, variables: { unitCode } },
        {
          next: (result) => {
            const receivedAt = Date.now();
            if (result.errors?.length) bump(current.errors, errorKey(result.errors));
            if (request.kind === "events") {
              const event = result.data?.ticketEvents as { sequence: string | null; at: string } | undefined;
              if (!event) return;
              subscriber.items += 1;
              if (event.sequence === null) {
                subscriber.withoutSequence += 1;
                return;
              }
              // Positions stay far below 2^53 in a benchmark database.
              const position = Number(event.sequence);
              subscriber.firstPosition ??= position;
              subscriber.lastPosition = Math.max(subscriber.lastPosition, position);
              subscriber.positions.push(position);
              subscriber.at.push(Date.parse(event.at));
              subscriber.receivedAt.push(receivedAt);
            } else {
              const snapshot = result.data?.queue as { computedAt: string } | undefined;
              if (!snapshot) return;
              subscriber.items += 1;
              subscriber.snapshotAt.push(receivedAt);
              subscriber.computedAt.push(snapshot.computedAt);
            }
          },
          error: (error) => {
            subscriber.ended = true;
            if (!current.disposing) bump(current.errors, errorKey(error));
          },
          complete: () => {
            subscriber.ended = true;
            if (!current.disposing) bump(current.errors, "completed by the server");
          },
        },
      );
    }
    added.push(...mine);
    // Events carry no first item, so an acknowledged connection is as far as "open" can be confirmed.
    const ready = () =>
      request.kind === "events" ? connected : mine.every((subscriber) => subscriber.items > 0 || subscriber.ended);
    while (!ready() && !mine.every((subscriber) => subscriber.ended) && performance.now() < deadline) await sleep(10);
  };

  const queue = [...request.connections];
  await Promise.all(
    Array.from({ length: Math.max(1, request.concurrency) }, async () => {
      for (let units = queue.shift(); units; units = queue.shift()) await openOne(units);
    }),
  );
  return {
    subscriptions: added.length,
    sockets: request.connections.length,
    connected: current.connected,
    acknowledged: added.filter((subscriber) => subscriber.items > 0).length,
    ended: added.filter((subscriber) => subscriber.ended).length,
    ms: Math.round(performance.now() - startedAt),
    errors: Object.fromEntries(current.errors),
    closes: Object.fromEntries(current.closes),
  };
}

function requireSet(name: unknown): SubscriptionSet {
  const set = sets.get(String(name));
  if (!set) throw new Error(`no subscription set ${String(name)}`);
  return set;
}

interface VerifyRequest {
  set: string;
  lo: number;
  hi: number;
  expected: Record<string, ExpectedEvents>;
  waitMs: number;
}

async function verify(request: VerifyRequest): Promise<VerifyResult> {
  const set = requireSet(request.set);
  const startedAt = performance.now();
  const lastOf = (unitCode: string) => request.expected[unitCode]?.positions.at(-1) ?? 0;
  const behind = () =>
    set.subscribers.some((subscriber) => !subscriber.ended && subscriber.lastPosition < lastOf(subscriber.unitCode));
  while (behind() && performance.now() - startedAt < request.waitMs) await sleep(20);
  const caughtUp = !behind();
  const waitedMs = Math.round(performance.now() - startedAt);

  const result = {
    subscribers: set.subscribers.length,
    expected: 0,
    delivered: 0,
    missing: 0,
    duplicates: 0,
    outOfOrder: 0,
    unexpected: 0,
    startedLate: 0,
    withoutSequence: 0,
    ended: 0,
  };
  const fromAt: number[] = [];
  const fromStreamed: number[] = [];
  const streamedAtOf = new Map<string, Map<number, number>>();
  for (const [unitCode, events] of Object.entries(request.expected)) {
    streamedAtOf.set(
      unitCode,
      new Map(events.positions.map((position, i) => [position, events.streamedAt[i] as number])),
    );
  }
  for (const subscriber of set.subscribers) {
    if (subscriber.ended) result.ended += 1;
    const expected = streamedAtOf.get(subscriber.unitCode) ?? new Map<number, number>();
    result.expected += expected.size;
    // Received nothing before the window: its subscription may have become live inside it, so what it
    // missed says nothing about delivery.
    if (subscriber.firstPosition === null || subscriber.firstPosition > request.lo) result.startedLate += 1;
    result.withoutSequence += subscriber.withoutSequence;
    subscriber.withoutSequence = 0;
    const seen = new Set<number>();
    let previous = Number.NEGATIVE_INFINITY;
    const keep = { positions: [] as number[], at: [] as number[], receivedAt: [] as number[] };
    for (let i = 0; i < subscriber.positions.length; i++) {
      const position = subscriber.positions[i] as number;
      const at = subscriber.at[i] as number;
      const receivedAt = subscriber.receivedAt[i] as number;
      if (position > request.hi) {
        // Later than this window: left for the next one.
        keep.positions.push(position);
        keep.at.push(at);
        keep.receivedAt.push(receivedAt);
        continue;
      }
      if (position <= request.lo) continue;
      if (position <= previous) result.outOfOrder += 1;
      previous = Math.max(previous, position);
      if (seen.has(position)) {
        result.duplicates += 1;
        continue;
      }
      seen.add(position);
      const streamedAt = expected.get(position);
      if (streamedAt === undefined) {
        result.unexpected += 1;
        continue;
      }
      result.delivered += 1;
      fromAt.push(receivedAt - at);
      fromStreamed.push(receivedAt - streamedAt);
    }
    for (const position of expected.keys()) if (!seen.has(position)) result.missing += 1;
    subscriber.positions = keep.positions;
    subscriber.at = keep.at;
    subscriber.receivedAt = keep.receivedAt;
  }
  return {
    ...result,
    caughtUp,
    waitedMs,
    latencyFromAtMs: Float64Array.from(fromAt),
    latencyFromStreamedMs: Float64Array.from(fromStreamed),
    errors: Object.fromEntries(set.errors),
    closes: Object.fromEntries(set.closes),
  };
}

function countSnapshots(request: { set: string; from: number; to: number }): SnapshotCount {
  const set = requireSet(request.set);
  const computedAt = new Set<string>();
  let messages = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  let silent = 0;
  let ended = 0;
  for (const subscriber of set.subscribers) {
    if (subscriber.ended) ended += 1;
    let mine = 0;
    for (let i = 0; i < subscriber.snapshotAt.length; i++) {
      const at = subscriber.snapshotAt[i] as number;
      if (at < request.from || at >= request.to) continue;
      mine += 1;
      computedAt.add(subscriber.computedAt[i] as string);
    }
    messages += mine;
    min = Math.min(min, mine);
    max = Math.max(max, mine);
    if (mine === 0) silent += 1;
  }
  return {
    watchers: set.subscribers.length,
    messages,
    computedAt: [...computedAt],
    minPerWatcher: set.subscribers.length ? min : 0,
    maxPerWatcher: max,
    silentWatchers: silent,
    ended,
    errors: Object.fromEntries(set.errors),
    closes: Object.fromEntries(set.closes),
  };
}

export interface SetStatus {
  subscribers: number;
  /** Open and never received anything. */
  silent: number;
  ended: number;
}

function status(request: { set: string }): SetStatus {
  const set = requireSet(request.set);
  return {
    subscribers: set.subscribers.length,
    silent: set.subscribers.filter((subscriber) => subscriber.items === 0 && !subscriber.ended).length,
    ended: set.subscribers.filter((subscriber) => subscriber.ended).length,
  };
}

async function close(request: { set: string }): Promise<{ closed: number }> {
  const set = sets.get(request.set);
  if (!set) return { closed: 0 };
  set.disposing = true;
  sets.delete(request.set);
  await Promise.race([Promise.all(set.clients.map((client) => client.dispose())), sleep(5_000)]);
  return { closed: set.clients.length };
}

async function closeAll() {
  await Promise.all([...sets.keys()].map((set) => close({ set })));
}

// --- Parent side.

export interface SubscriberPool {
  readonly pids: number[];
  /**
   * Opens one subscription per entry of `unitCodes`, `perConnection` to a socket, the sockets dealt to
   * the workers in turn. Subscriptions of one set can be added in several calls.
   */
  open(options: {
    set: string;
    kind: SubscriptionKind;
    url: string;
    token: string;
    unitCodes: readonly string[];
    perConnection: number;
    concurrency?: number;
    timeoutMs: number;
  }): Promise<OpenResult>;
  verify(options: {
    set: string;
    lo: number;
    hi: number;
    expected: Record<string, ExpectedEvents>;
    waitMs: number;
  }): Promise<VerifyResult>;
  countSnapshots(options: { set: string; from: number; to: number }): Promise<SnapshotCount>;
  status(set: string): Promise<SetStatus>;
  close(set: string): Promise<number>;
  stop(): Promise<void>;
}

function mergeCounts(target: Record<string, number>, source: Record<string, number>) {
  for (const [key, count] of Object.entries(source)) target[key] = (target[key] ?? 0) + count;
  return target;
}

export function startSubscriberPool(workers: number): SubscriberPool {
  const script = fileURLToPath(import.meta.url);
  const pool: Worker[] = Array.from({ length: Math.max(1, workers) }, (_, i) =>
    forkWorker(script, `subscriber worker ${i + 1}`),
  );
  const all = <T>(message: (index: number) => WorkerRequest, timeoutMs: number) =>
    Promise.all(pool.map((worker, index) => worker.request<T>(message(index), timeoutMs)));

  return {
    pids: pool.map((worker) => worker.pid),
    async open(options) {
      const sockets: string[][] = [];
      for (let i = 0; i < options.unitCodes.length; i += options.perConnection) {
        sockets.push(options.unitCodes.slice(i, i + options.perConnection));
      }
      const shares = pool.map((_, index) => sockets.filter((_, socket) => socket % pool.length === index));
      const results = await all<OpenResult>(
        (index) => ({
          type: "open",
          set: options.set,
          kind: options.kind,
          url: options.url,
          token: options.token,
          connections: shares[index],
          concurrency: Math.max(1, Math.ceil((options.concurrency ?? 32) / pool.length)),
          timeoutMs: options.timeoutMs,
        }),
        options.timeoutMs + 15_000,
      );
      return results.reduce<OpenResult>(
        (sum, r) => ({
          subscriptions: sum.subscriptions + r.subscriptions,
          sockets: sum.sockets + r.sockets,
          connected: sum.connected + r.connected,
          acknowledged: sum.acknowledged + r.acknowledged,
          ended: sum.ended + r.ended,
          ms: Math.max(sum.ms, r.ms),
          errors: mergeCounts(sum.errors, r.errors),
          closes: mergeCounts(sum.closes, r.closes),
        }),
        { subscriptions: 0, sockets: 0, connected: 0, acknowledged: 0, ended: 0, ms: 0, errors: {}, closes: {} },
      );
    },
    async verify(options) {
      const results = await all<VerifyResult>(() => ({ type: "verify", ...options }), options.waitMs + 60_000);
      const concat = (pick: (r: VerifyResult) => Float64Array) => {
        const out = new Float64Array(results.reduce((n, r) => n + pick(r).length, 0));
        let offset = 0;
        for (const r of results) {
          out.set(pick(r), offset);
          offset += pick(r).length;
        }
        return out;
      };
      const sum = (pick: (r: VerifyResult) => number) => results.reduce((n, r) => n + pick(r), 0);
      return {
        subscribers: sum((r) => r.subscribers),
        expected: sum((r) => r.expected),
        delivered: sum((r) => r.delivered),
        missing: sum((r) => r.missing),
        duplicates: sum((r) => r.duplicates),
        outOfOrder: sum((r) => r.outOfOrder),
        unexpected: sum((r) => r.unexpected),
        startedLate: sum((r) => r.startedLate),
        withoutSequence: sum((r) => r.withoutSequence),
        ended: sum((r) => r.ended),
        caughtUp: results.every((r) => r.caughtUp),
        waitedMs: Math.max(...results.map((r) => r.waitedMs)),
        latencyFromAtMs: concat((r) => r.latencyFromAtMs),
        latencyFromStreamedMs: concat((r) => r.latencyFromStreamedMs),
        errors: results.reduce((n, r) => mergeCounts(n, r.errors), {}),
        closes: results.reduce((n, r) => mergeCounts(n, r.closes), {}),
      };
    },
    async countSnapshots(options) {
      const results = await all<SnapshotCount>(() => ({ type: "countSnapshots", ...options }), 60_000);
      const watching = results.filter((r) => r.watchers > 0);
      return {
        watchers: results.reduce((n, r) => n + r.watchers, 0),
        messages: results.reduce((n, r) => n + r.messages, 0),
        computedAt: [...new Set(results.flatMap((r) => r.computedAt))],
        minPerWatcher: watching.length ? Math.min(...watching.map((r) => r.minPerWatcher)) : 0,
        maxPerWatcher: Math.max(0, ...results.map((r) => r.maxPerWatcher)),
        silentWatchers: results.reduce((n, r) => n + r.silentWatchers, 0),
        ended: results.reduce((n, r) => n + r.ended, 0),
        errors: results.reduce((n, r) => mergeCounts(n, r.errors), {}),
        closes: results.reduce((n, r) => mergeCounts(n, r.closes), {}),
      };
    },
    async status(set) {
      const results = await all<SetStatus>(() => ({ type: "status", set }), 30_000);
      return {
        subscribers: results.reduce((n, r) => n + r.subscribers, 0),
        silent: results.reduce((n, r) => n + r.silent, 0),
        ended: results.reduce((n, r) => n + r.ended, 0),
      };
    },
    async close(set) {
      const results = await all<{ closed: number }>(() => ({ type: "close", set }), 30_000);
      return results.reduce((n, r) => n + r.closed, 0);
    },
    async stop() {
      await Promise.all(pool.map((worker) => worker.stop()));
    },
  };
}

if (isEntryPoint(import.meta.url)) {
  serveRequests(
    {
      open: (message) => open(message as unknown as OpenRequest),
      verify: (message) => verify(message as unknown as VerifyRequest),
      countSnapshots: (message) => countSnapshots(message as unknown as { set: string; from: number; to: number }),
      status: (message) => status(message as unknown as { set: string }),
      close: (message) => close(message as unknown as { set: string }),
    },
    closeAll,
  );
}
