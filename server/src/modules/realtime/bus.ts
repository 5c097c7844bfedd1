import { randomUUID } from "node:crypto";
import superjson from "superjson";
import type { Logger } from "../../logger.js";

/** What instances tell each other. */
export type BusChannel = "stream" | "principals" | "delivery";

/**
 * Fan-out between server instances. Delivery here is a fast path only: every instance can read what it
 * missed from the event stream in the database, so a message lost on the bus costs latency, not data.
 */
export interface Bus {
  /** Delivers to this instance at once and to the others through the shared transport, if any. */
  publish(channel: BusChannel, payload: unknown): void;
  subscribe(channel: BusChannel, listener: (payload: unknown) => void): () => void;
  /** False while the shared transport is unreachable; this instance then still delivers locally. */
  readonly connected: boolean;
  readonly kind: "in-process" | "redis";
  close(): Promise<void>;
}

class LocalListeners {
  private readonly listeners = new Map<BusChannel, Set<(payload: unknown) => void>>();

  add(channel: BusChannel, listener: (payload: unknown) => void) {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  dispatch(channel: BusChannel, payload: unknown, logger: Logger) {
    for (const listener of this.listeners.get(channel) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        logger.error({ err: error, channel }, "bus listener failed");
      }
    }
  }
}

export function createInProcessBus(logger: Logger): Bus {
  const local = new LocalListeners();
  return {
    kind: "in-process",
    connected: true,
    publish: (channel, payload) => local.dispatch(channel, payload, logger),
    subscribe: (channel, listener) => local.add(channel, listener),
    close: async () => {},
  };
}

/**
 * Redis pub/sub. Commands are not queued while Redis is away (a stale backlog would only be dropped
 * as duplicates); the outage is logged once, local delivery goes on, and ioredis reconnects and
 * re-subscribes by itself.
 */
export async function createRedisBus(url: string, namespace: string, logger: Logger): Promise<Bus> {
  const origin = randomUUID();
  const CHANNEL_PREFIX = `pantau:${namespace}:`;
  const local = new LocalListeners();
  const options = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  };
  const { Redis } = await import("ioredis");
  const publisher = new Redis(url, { ...options, connectionName: "pantau-pub" });
  // The subscriber must queue its SUBSCRIBE until connected.
  const subscriber = new Redis(url, { ...options, enableOfflineQueue: true, connectionName: "pantau-sub" });
  let connected = false;
  let warned = false;
  const lost = (error?: unknown) => {
    if (connected || !warned) {
      logger.warn(
        { err: error },
        "Redis unavailable: events are delivered on this instance only; other instances catch up from the database",
      );
      warned = true;
    }
    connected = false;
  };
  for (const client of [publisher, subscriber]) {
    client.on("error", (error: unknown) => lost(error));
    client.on("end", () => lost());
    client.on("close", () => {
      if (connected) lost();
    });
    client.on("ready", () => {
      if (publisher.status === "ready" && subscriber.status === "ready") {
        if (warned) logger.info("Redis reachable again: events are shared between instances");
        connected = true;
        warned = false;
      }
    });
  }
  subscriber.on("message", (redisChannel: string, message: string) => {
    try {
      const { o, p } = superjson.parse<{ o: string; p: unknown }>(message);
      if (o === origin) return;
      local.dispatch(redisChannel.slice(CHANNEL_PREFIX.length) as BusChannel, p, logger);
    } catch (error) {
      logger.warn({ err: error }, "dropped an unreadable bus message");
    }
  });
  await Promise.all([
    publisher.connect().catch((error: unknown) => lost(error)),
    subscriber.connect().catch((error: unknown) => lost(error)),
  ]);
  await subscriber
    .subscribe(`${CHANNEL_PREFIX}stream`, `${CHANNEL_PREFIX}principals`)
    .catch((error: unknown) => lost(error));
  return {
    kind: "redis",
    get connected() {
      return connected;
    },
    publish(channel, payload) {
      local.dispatch(channel, payload, logger);
      if (publisher.status !== "ready") return;
      publisher
        .publish(`${CHANNEL_PREFIX}${channel}`, superjson.stringify({ o: origin, p: payload }))
        .catch((error: unknown) => lost(error));
    },
    subscribe: (channel, listener) => local.add(channel, listener),
    async close() {
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
