import type { IncomingMessage, Server } from "node:http";
import type { Socket } from "node:net";
import { GraphQLError } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { YogaServerInstance } from "graphql-yoga";
import { WebSocketServer } from "ws";
import { databaseUnavailableError, isDatabaseUnavailable } from "../db/unavailable.js";
import type { Logger } from "../logger.js";
import { coalesceWrites } from "./coalesced-writes.js";

export interface WebSocketLimits {
  /** Largest frame accepted from a client; larger ones close the socket with 1009. */
  maxMessageBytes: number;
  /** Concurrent subscriptions on one connection. */
  maxSubscriptionsPerConnection: number;
  /** A client that has not sent connection_init by then is closed with 4408. */
  connectionInitTimeoutMs: number;
  /** Open connections from one client address; the next upgrade is refused with 429. */
  maxConnectionsPerAddress: number;
}

export const DEFAULT_WEBSOCKET_LIMITS: WebSocketLimits = {
  maxMessageBytes: 64 * 1024,
  maxSubscriptionsPerConnection: 25,
  connectionInitTimeoutMs: 3_000,
  maxConnectionsPerAddress: 100,
};

/** Seconds a client refused for too many connections is told to wait. */
const CONNECTIONS_RETRY_AFTER_S = 10;

/** What the GraphQL context factory receives for an operation that came over a WebSocket. */
export interface WebSocketServerContext {
  readonly websocket: { authorization: string | null; request: IncomingMessage };
}

/** The credential in connection_init: `{ authorization: "Bearer …" }` (also `Authorization` or `token`). */
export function authorizationFrom(params: Readonly<Record<string, unknown>> | undefined): string | null {
  if (!params) return null;
  const raw = params.authorization ?? params.Authorization ?? params.token;
  if (typeof raw !== "string" || raw.length === 0) return null;
  return /^Bearer\s/i.test(raw) ? raw : `Bearer ${raw}`;
}

/**
 * graphql-ws (subprotocol graphql-transport-ws) on /graphql of the same HTTP server, executing through
 * Yoga's envelop so that auth, error masking and every plugin apply as they do over HTTP.
 */
export function attachWebSocket(options: {
  server: Server;
  // biome-ignore lint/suspicious/noExplicitAny: Yoga's instance type is generic over both contexts.
  yoga: YogaServerInstance<any, any>;
  logger: Logger;
  production: boolean;
  limits?: Partial<WebSocketLimits>;
  /** Rejects a bad credential at connect; resolves when it is valid or absent. */
  verify: (authorization: string | null) => Promise<boolean>;
  /** False while the server drains: a new socket is then refused with 503 and Retry-After. */
  accepting?: () => boolean;
  /** The client address of an upgrade request, as for HTTP requests (proxies taken into account). */
  addressOf?: (request: IncomingMessage) => string;
}) {
  const limits = { ...DEFAULT_WEBSOCKET_LIMITS, ...options.limits };
  const addressOf = options.addressOf ?? ((request: IncomingMessage) => request.socket.remoteAddress ?? "unknown");
  // Sockets are cheap to open and idle ones cost memory and a file descriptor each: one address may hold
  // only so many. A map lookup per upgrade and per close.
  const openByAddress = new Map<string, number>();
  const wss = new WebSocketServer({
    server: options.server,
    path: "/graphql",
    maxPayload: limits.maxMessageBytes,
    verifyClient: (info, done) => {
      if (options.accepting?.() === false) {
        done(false, 503, "Service Unavailable", { "Retry-After": "1" });
      } else if ((openByAddress.get(addressOf(info.req)) ?? 0) >= limits.maxConnectionsPerAddress) {
        done(false, 429, "Too Many Requests", { "Retry-After": String(CONNECTIONS_RETRY_AFTER_S) });
      } else {
        done(true);
      }
    },
  });
  wss.on("connection", (socket, request) => {
    const address = addressOf(request);
    openByAddress.set(address, (openByAddress.get(address) ?? 0) + 1);
    socket.once("close", () => {
      const left = (openByAddress.get(address) ?? 1) - 1;
      if (left > 0) openByAddress.set(address, left);
      else openByAddress.delete(address);
    });
    coalesceWrites(socket, request.socket as Socket);
  });
  const { yoga } = options;
  const disposable = useServer<Record<string, unknown>, { authorization: string | null }>(
    {
      isProd: options.production,
      connectionInitWaitTimeout: limits.connectionInitTimeoutMs,
      execute: (args) => (args.rootValue as { execute: (a: unknown) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: unknown) => unknown }).subscribe(args) as never,
      onConnect: async (ctx) => {
        const authorization = authorizationFrom(ctx.connectionParams);
        // Returning false closes the socket with 4403 Forbidden, as the protocol defines. A credential that
        // could not be checked because the database is away is not a bad one: 1013 Try Again Later.
        let unavailable = false;
        const verified = await options.verify(authorization).catch((error: unknown) => {
          unavailable = isDatabaseUnavailable(error);
          return false;
        });
        if (unavailable) {
          ctx.extra.socket.close(1013, "The database cannot be reached; reconnect shortly.");
          return false;
        }
        if (!verified) return false;
        ctx.extra.authorization = authorization;
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) {
          return [
            new GraphQLError(
              `At most ${limits.maxSubscriptionsPerConnection} subscriptions per connection; open another connection.`,
              { extensions: { code: "TOO_MANY_SUBSCRIPTIONS" } },
            ),
          ];
        }
        const serverContext: WebSocketServerContext = {
          websocket: { authorization: ctx.extra.authorization ?? null, request: ctx.extra.request },
        };
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...serverContext,
          params: payload,
        });
        let document: ReturnType<typeof parse>;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError("The query could not be parsed.")];
        }
        const errors = validate(schema, document);
        if (errors.length) return errors;
        let contextValue: unknown;
        try {
          contextValue = await contextFactory();
        } catch (error) {
          if (isDatabaseUnavailable(error)) return [databaseUnavailableError()];
          const message = error instanceof Error ? error.message : "Not allowed.";
          return [new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED" } })];
        }
        options.logger.debug({ id }, "subscription opened");
        return {
          schema,
          operationName: payload.operationName ?? null,
          document,
          variableValues: payload.variables ?? null,
          contextValue,
          rootValue: { execute, subscribe },
        };
      },
    },
    wss,
  );
  return {
    wss,
    /**
     * Waits (bounded) for what is queued on each socket to be written, then closes every socket with
     * 1001 Going Away so clients reconnect, to another instance, and resume.
     */
    async close(timeoutMs = 2_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while ([...wss.clients].some((socket) => socket.bufferedAmount > 0) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await disposable.dispose();
    },
  };
}
