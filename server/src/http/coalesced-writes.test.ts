import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { coalesceWrites } from "./coalesced-writes.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server socket and a client connected to it; counts the writes that reach the server's TCP socket. */
async function pair(coalesce: boolean) {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  cleanups.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
  cleanups.push(() => wss.close());
  const accepted = once(wss, "connection");
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
  cleanups.push(() => client.terminate());
  const [server, request] = (await accepted) as [WebSocket, { socket: Socket }];
  await once(client, "open");
  const raw = request.socket;
  const writes = { count: 0 };
  // Each call of _write or _writev is one write to the kernel.
  const internals = raw as unknown as Record<"_write" | "_writev", (...args: unknown[]) => void>;
  for (const name of ["_write", "_writev"] as const) {
    const original = internals[name].bind(raw);
    internals[name] = (...args: unknown[]) => {
      writes.count += 1;
      original(...args);
    };
  }
  if (coalesce) coalesceWrites(server, raw);
  return { server, client, raw, writes };
}

function receive(client: WebSocket, n: number): Promise<string[]> {
  const messages: string[] = [];
  return new Promise((resolve) => {
    client.on("message", (data) => {
      messages.push(String(data));
      if (messages.length === n) resolve(messages);
    });
  });
}

describe("coalesceWrites", () => {
  it("sends the messages of one turn in one write, in order", async () => {
    const { server, client, writes } = await pair(true);
    const received = receive(client, 50);
    for (let i = 0; i < 50; i++) server.send(`m${i}`);
    expect(await received).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
    expect(writes.count).toBe(1);
  });

  it("without it, each message is a write of its own", async () => {
    const { server, client, writes } = await pair(false);
    const received = receive(client, 50);
    for (let i = 0; i < 50; i++) server.send(`m${i}`);
    await received;
    expect(writes.count).toBeGreaterThan(10);
  });

  it("calls each send's callback once the turn's messages are written, and later turns still go out", async () => {
    const { server, client } = await pair(true);
    const received = receive(client, 4);
    const acknowledged: number[] = [];
    server.send("a", () => acknowledged.push(1));
    server.send("b", () => acknowledged.push(2));
    await new Promise((resolve) => setImmediate(resolve));
    server.send("c", () => acknowledged.push(3));
    await new Promise((resolve) => setTimeout(resolve, 5));
    server.send("d", () => acknowledged.push(4));
    expect(await received).toEqual(["a", "b", "c", "d"]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(acknowledged).toEqual([1, 2, 3, 4]);
  });

  it("lets a close frame through while messages are held", async () => {
    const { server, client } = await pair(true);
    const received = receive(client, 2);
    const closed = once(client, "close");
    server.send("x");
    server.send("y");
    server.close(1001, "going away");
    expect(await received).toEqual(["x", "y"]);
    const [code] = (await closed) as [number];
    expect(code).toBe(1001);
  });
});
