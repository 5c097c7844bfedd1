import { schema } from "virtual:pantau-schema";
import { Client, type CombinedError, fetchExchange, mapExchange, subscriptionExchange } from "@urql/core";
import { type Cache, cacheExchange, type KeyingConfig, type UpdatesConfig } from "@urql/exchange-graphcache";
import { createClient as createWsClient } from "graphql-ws";

export type LiveStatus = "connecting" | "connected" | "reconnecting";

/** graphql-ws close code for a credential the server refuses. */
const CLOSE_FORBIDDEN = 4403;

// Objects without an id (snapshots, figures, payloads) are stored inside their parent, not normalised.
const keys: KeyingConfig = Object.fromEntries(
  schema.__schema.types
    .filter((type) => type.kind === "OBJECT" && !type.fields.some((field) => field.name === "id"))
    .map((type) => [type.name, () => null]),
);

/**
 * Which tickets match a filter is not in the tickets themselves: after any change made from this page, every
 * stored ticket list is dropped, so a list shown again (the current one, or a filter revisited later) is
 * read afresh instead of showing the tickets it held before. Lists changed by others are refetched by the
 * views as events arrive.
 */
function dropTicketLists(_result: unknown, _args: unknown, cache: Cache): void {
  for (const field of cache.inspectFields("Query")) {
    if (field.fieldName === "tickets") cache.invalidate("Query", field.fieldName, field.arguments ?? undefined);
  }
}

const mutationType = schema.__schema.types.find((type) => type.name === "Mutation");
const updates: UpdatesConfig = {
  Mutation: Object.fromEntries(
    (mutationType && "fields" in mutationType ? mutationType.fields : []).map((field) => [field.name, dropTicketLists]),
  ),
};

/** The server no longer accepts the credential: over HTTP (401) or in a query's or a stream's errors. */
function isUnauthenticated(error: CombinedError): boolean {
  return error.response?.status === 401 || error.graphQLErrors.some((e) => e.extensions?.code === "UNAUTHENTICATED");
}

export interface PantauClient {
  client: Client;
  dispose(): void;
}

export function createPantauClient(options: {
  token: string;
  onLiveStatus(status: LiveStatus): void;
  onUnauthenticated(): void;
}): PantauClient {
  const { token, onLiveStatus, onUnauthenticated } = options;
  let connectedBefore = false;
  const ws = createWsClient({
    url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: Number.POSITIVE_INFINITY,
    // A refused credential will not get better by retrying.
    shouldRetry: (event) => !(event instanceof CloseEvent && event.code === CLOSE_FORBIDDEN),
    keepAlive: 10_000,
    on: {
      connecting: () => onLiveStatus(connectedBefore ? "reconnecting" : "connecting"),
      connected: () => {
        connectedBefore = true;
        onLiveStatus("connected");
      },
      closed: (event) => {
        if (event instanceof CloseEvent && event.code === CLOSE_FORBIDDEN) onUnauthenticated();
        else onLiveStatus("reconnecting");
      },
    },
  });
  const client = new Client({
    url: "/graphql",
    // POST always: a GET would need the server's CSRF header, and queries do not belong in access logs.
    preferGetMethod: false,
    fetchOptions: { headers: { authorization: `Bearer ${token}` } },
    requestPolicy: "cache-and-network",
    exchanges: [
      // Whichever request learns first that the session has ended (signed out elsewhere, deactivated,
      // expired) ends it in the browser too, before a view renders the refusal as an error.
      mapExchange({
        onError: (error) => {
          if (isUnauthenticated(error)) onUnauthenticated();
        },
      }),
      // Streamed events carry their ticket's new status, assignee and clocks; stored by id, they update every
      // row and page that shows the ticket. Lists (which tickets match a filter) are refetched by the views.
      cacheExchange({ schema, keys, updates }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => {
          const input = { ...request, query: request.query ?? "" };
          return {
            subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }),
          };
        },
      }),
    ],
  });
  return { client, dispose: () => void ws.dispose() };
}
