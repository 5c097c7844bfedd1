import { type Client, createClient } from "graphql-ws";
import { expect } from "vitest";
import WebSocket from "ws";
import { CREATE, newTicketInput } from "./documents.js";
import type { TestServer } from "./server.js";

export interface LiveError {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

/** A graphql-ws client over a real WebSocket, as a third party would open one. */
export function liveClient(
  httpUrl: string,
  token?: string,
  options: { onClose?: (code: number, reason: string) => void; lazy?: boolean } = {},
): Client {
  return createClient({
    url: `${httpUrl.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: options.lazy ?? true,
    on: {
      closed: (event) => {
        const close = event as { code: number; reason: string };
        options.onClose?.(close.code, String(close.reason));
      },
    },
  });
}

export interface Collected<T> {
  readonly items: T[];
  readonly errors: LiveError[];
  /** Resolves when the server completes or errors the subscription. */
  readonly ended: Promise<void>;
  waitFor(predicate: (items: T[]) => boolean, timeoutMs?: number, what?: string): Promise<T[]>;
  stop(): void;
}

/** Subscribes and keeps every `data[field]` received. */
export function collect<T = any>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  field: string,
): Collected<T> {
  const items: T[] = [];
  const errors: LiveError[] = [];
  let finish = () => {};
  const ended = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const stop = client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...(result.errors as LiveError[]));
        const value = result.data?.[field];
        if (value !== undefined && value !== null) items.push(value);
      },
      error: (error) => {
        if (Array.isArray(error)) errors.push(...(error as LiveError[]));
        else errors.push({ message: String((error as { reason?: string }).reason ?? error) });
        finish();
      },
      complete: () => finish(),
    },
  );
  return {
    items,
    errors,
    ended,
    async waitFor(predicate, timeoutMs = 15_000, what = "items") {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(items)) {
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for ${what}: have ${items.length}, errors ${JSON.stringify(errors)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return items;
    },
    stop,
  };
}

export const TICKET_EVENTS = /* GraphQL */ `
  subscription($unitCode: String!, $after: String) {
    ticketEvents(unitCode: $unitCode, afterSequence: $after) {
      sequence type at unit { code } ticket { number status }
    }
  }`;

export const QUEUE = /* GraphQL */ `
  subscription($unitCode: String!) {
    queue(unitCode: $unitCode) {
      computedAt open unassigned waitingOnCitizen atRisk breached oldestWaitingSince agentsActive
      byStatus { status count } byChannel { channel count } unit { code }
    }
  }`;

export const SLA_ALERTS = /* GraphQL */ `
  subscription($unitCode: String!, $after: String) {
    slaAlerts(unitCode: $unitCode, afterSequence: $after) { sequence state clock dueAt at event { ticket { number } } }
  }`;

export const TICKET_UPDATES = /* GraphQL */ `
  subscription($id: ID!) { ticket(id: $id) { id number status assignee { name } } }`;

/**
 * Watches an office's events with `token`, withdraws it with `revoke` between two new tickets, and checks the
 * stream ends with UNAUTHENTICATED at the next event and never carries the second ticket.
 */
export async function expectStreamEndsWhenRevoked(
  server: TestServer,
  token: string,
  creator: string,
  revoke: () => Promise<unknown>,
): Promise<void> {
  const client = liveClient(server.url, token);
  const stream = collect(client, TICKET_EVENTS, { unitCode: "KANIM-MALANG" }, "ticketEvents");
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ticket = async () =>
      (await server.gql(CREATE, { input: newTicketInput() }, creator)).data?.createTicket.ticket.number as string;
    const before = await ticket();
    await stream.waitFor((items) => items.some((e) => e.ticket?.number === before), 15_000, "an event before");
    await revoke();
    const after = await ticket();
    await stream.ended;
    expect(stream.errors.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    expect(stream.items.some((e) => e.ticket?.number === after)).toBe(false);
  } finally {
    stream.stop();
    await client.dispose();
  }
}
