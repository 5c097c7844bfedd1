// @ts-check
/**
 * Runs PGlite on a thread of its own and speaks the PostgreSQL wire protocol on a Unix socket, so the
 * server reaches the embedded database through the same `pg` driver as PostgreSQL and a slow statement
 * never holds up the server's event loop. Plain JavaScript: a worker gets no TypeScript loader in every
 * host (vitest, tsx, node).
 *
 * workerData: { dataDir, socketPath }. Posts { ready: true } once listening, or { error } if PGlite does not
 * open; on the message "close" it stops listening, closes PGlite and posts { closed: true }.
 */
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

/** @type {{ dataDir: string; socketPath: string }} */
const { dataDir, socketPath } = workerData;
const port = parentPort;
if (!port) throw new Error("pglite-worker.mjs runs as a worker thread");

/** @type {PGlite} */
let pglite;
try {
  // pg_trgm backs the ticket search indexes (migration ticket_search_trigram).
  pglite = await PGlite.create(dataDir, { extensions: { pg_trgm } });
} catch (error) {
  port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  throw error;
}

/** @type {Set<import("node:net").Socket>} */
const sockets = new Set();
const server = createServer((socket) => serve(socket));
rmSync(socketPath, { force: true });
server.listen(socketPath, () => port.postMessage({ ready: true }));

port.on("message", async (message) => {
  if (message !== "close") return;
  server.close();
  for (const socket of sockets) socket.destroy();
  await pglite.close();
  rmSync(socketPath, { force: true });
  port.postMessage({ closed: true });
});

/**
 * One client connection. Its messages are handed to PGlite one at a time, each under PGlite's lock, in
 * the order they came; the answers go back as PGlite writes them. PGlite has a single session: the
 * server keeps one connection to it, and a connection that ends inside a transaction rolls it back so
 * the next one starts clean.
 * @param {import("node:net").Socket} socket
 */
function serve(socket) {
  sockets.add(socket);
  let buffer = Buffer.alloc(0);
  let started = false;
  let queue = Promise.resolve();
  let open = true;

  socket.on("data", (chunk) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    for (;;) {
      const message = nextMessage();
      if (!message) break;
      queue = queue.then(() => (open ? handle(message) : undefined));
    }
  });
  socket.on("error", () => {});
  socket.on("close", () => {
    open = false;
    sockets.delete(socket);
    // The next connection must find the session as a new one would: no transaction under way and no
    // statement prepared under a name it may prepare again.
    queue = queue.then(async () => {
      if (pglite.closed) return;
      if (pglite.isInTransaction()) await pglite.exec("ROLLBACK").catch(() => {});
      await pglite.exec("DEALLOCATE ALL").catch(() => {});
    });
  });

  /** @returns {Buffer | null} the next complete message, or null until more bytes arrive. */
  function nextMessage() {
    if (!started) {
      if (buffer.length < 8) return null;
      const length = buffer.readInt32BE(0);
      if (buffer.length < length) return null;
      const message = buffer.subarray(0, length);
      buffer = buffer.subarray(length);
      return message;
    }
    if (buffer.length < 5) return null;
    const length = 1 + buffer.readInt32BE(1);
    if (buffer.length < length) return null;
    const message = buffer.subarray(0, length);
    buffer = buffer.subarray(length);
    return message;
  }

  /** @param {Buffer} message */
  async function handle(message) {
    if (!started) {
      const code = message.readInt32BE(4);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        socket.write("N");
        return;
      }
      if (code === CANCEL_REQUEST) {
        // PGlite runs one statement at a time and cannot cancel it.
        socket.end();
        return;
      }
      if (code !== PROTOCOL_3) {
        socket.destroy();
        return;
      }
      started = true;
    }
    try {
      await pglite.runExclusive(() =>
        pglite.execProtocolRawStream(new Uint8Array(message), {
          onRawData: (data) => {
            // A copy: the view points into PGlite's memory, which the next statement reuses.
            if (open && data.length > 0) socket.write(Buffer.from(data));
          },
        }),
      );
    } catch {
      socket.destroy();
    }
  }
}
