import type { Socket } from "node:net";
import type { WebSocket } from "ws";

/**
 * Messages sent to one socket within one turn of the event loop leave it in one write. Every write is
 * a system call, and a relay batch fans out to many subscriptions that share a socket (a dashboard
 * holds several), so without this each message of the batch would cost one. Frames are held only
 * until the turn ends (setImmediate), so nothing waits for a timer; `end()` flushes a held socket.
 */
export function coalesceWrites(socket: WebSocket, raw: Socket): void {
  const send = socket.send.bind(socket) as (...args: unknown[]) => void;
  let held = false;
  const release = () => {
    held = false;
    if (!raw.destroyed && raw.writableCorked > 0) raw.uncork();
  };
  socket.send = ((...args: unknown[]) => {
    if (!held && !raw.destroyed) {
      held = true;
      raw.cork();
      setImmediate(release);
    }
    send(...args);
  }) as WebSocket["send"];
}
