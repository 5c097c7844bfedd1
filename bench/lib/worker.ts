import { fork } from "node:child_process";
import { deferCleanup, trackChild } from "./cleanup.js";
import { BENCH_DIR } from "./processes.js";

/** What a worker is asked to do: a `type` its handlers know, and that handler's arguments. */
export interface WorkerRequest {
  type: string;
  [key: string]: unknown;
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface Worker {
  readonly label: string;
  readonly pid: number;
  /** Rejects when the worker answers with an error, exits, or takes longer than `timeoutMs`. */
  request<T>(message: WorkerRequest, timeoutMs: number): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Forks `node --import tsx <script>` with an IPC channel. Load generation and WebSocket clients run
 * there rather than in the measuring process, so their CPU and event-loop delays are not the
 * measure's; the worker is stopped on cleanup and killed outright if the bench exits first.
 */
export function forkWorker(script: string, label: string): Worker {
  const child = fork(script, [], {
    cwd: BENCH_DIR,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    // Structured clone: latency samples travel as typed arrays, not as JSON text.
    serialization: "advanced",
  });
  trackChild(child);
  if (child.pid === undefined) throw new Error(`${label} did not start`);
  const pid = child.pid;
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      for (const waiter of pending.values())
        waiter.reject(new Error(`${label} exited (code ${code}, signal ${signal})`));
      pending.clear();
      resolve();
    }),
  );
  child.on("message", (raw) => {
    const reply = raw as Reply;
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.result);
    else waiter.reject(new Error(`${label}: ${reply.error}`));
  });

  const stop = deferCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send({ id: 0, type: "exit" });
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  });

  return {
    label,
    pid,
    stop,
    request<T>(message: WorkerRequest, timeoutMs: number): Promise<T> {
      if (!child.connected) return Promise.reject(new Error(`${label} is not running`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${label}: no answer to ${message.type} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value as T);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        child.send({ ...message, id });
      });
    },
  };
}

type Handler = (message: WorkerRequest) => Promise<unknown> | unknown;

/**
 * The worker's side: answers each request with its handler's result. A worker whose parent is gone
 * (killed, crashed) exits at once instead of holding sockets open against the next measure's server.
 */
export function serveRequests(handlers: Record<string, Handler>, onExit: () => Promise<void> | void = () => {}): void {
  const send = (reply: Reply) => {
    if (process.connected) process.send?.(reply);
  };
  const exit = () => {
    void Promise.resolve()
      .then(onExit)
      .catch(() => {})
      .finally(() => process.exit(0));
  };
  process.on("disconnect", exit);
  process.on("message", (raw) => {
    const message = raw as WorkerRequest & { id: number };
    if (message.type === "exit") {
      exit();
      return;
    }
    const handler = handlers[message.type];
    if (!handler) {
      send({ id: message.id, ok: false, error: `unknown request ${message.type}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message))
      .then(
        (result) => send({ id: message.id, ok: true, result }),
        (error: unknown) => send({ id: message.id, ok: false, error: String((error as Error)?.stack ?? error) }),
      );
  });
}
