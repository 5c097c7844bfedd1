import type { ChildProcess } from "node:child_process";
import { pathToFileURL } from "node:url";

type Task = () => Promise<void> | void;

const tasks: Task[] = [];
const children = new Set<ChildProcess>();
let installed = false;
let exiting = false;

/**
 * Registers something to undo. Returns a function that runs it once and forgets it, so the normal
 * path and the failure path share one implementation and never undo twice.
 */
export function deferCleanup(task: Task): () => Promise<void> {
  install();
  let done = false;
  const run = async () => {
    if (done) return;
    done = true;
    const index = tasks.indexOf(run);
    if (index >= 0) tasks.splice(index, 1);
    await task();
  };
  tasks.push(run);
  return run;
}

/** Children are also killed synchronously on exit, the one moment async cleanup cannot run. */
export function trackChild(child: ChildProcess): void {
  install();
  children.add(child);
  child.once("exit", () => children.delete(child));
}

/** True once the bench was told to stop; loops that generate load check it to end early. */
export function stopping(): boolean {
  return exiting;
}

let cleaning: Promise<void> | null = null;

/**
 * Runs every pending cleanup, newest first (a server before the database it uses). A second caller
 * (Ctrl-C, then the measure failing because its connections were closed) waits for the same run: each
 * exits the process when it returns, which must not happen while the other is still dropping a database.
 */
export function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    while (tasks.length) {
      const task = tasks.pop();
      try {
        await task?.();
      } catch (error) {
        console.error("cleanup failed:", error);
      }
    }
  })().finally(() => {
    cleaning = null;
  });
  return cleaning;
}

const interruptTasks: Task[] = [];

/**
 * Runs `task` only when the bench is stopped from outside (a signal, or a crash), after every cleanup:
 * e.g. to print what was measured so far. Returns how to cancel it.
 */
export function onInterrupt(task: Task): () => void {
  install();
  interruptTasks.push(task);
  return () => {
    const index = interruptTasks.indexOf(task);
    if (index >= 0) interruptTasks.splice(index, 1);
  };
}

async function runInterruptTasks() {
  for (const task of interruptTasks.splice(0)) {
    try {
      await task();
    } catch (error) {
      console.error("interrupt task failed:", error);
    }
  }
}

function install() {
  if (installed) return;
  installed = true;
  const bail = (code: number) => (reason?: unknown) => {
    if (exiting) return;
    exiting = true;
    if (reason instanceof Error) console.error(reason);
    void cleanupAll()
      .then(runInterruptTasks)
      .finally(() => process.exit(code));
  };
  // A second Ctrl-C stops at once. SIGTERM may arrive twice (from a process group's timeout and relayed
  // by tsx): the second one must not cut the cleanup short.
  process.once("SIGINT", bail(130));
  process.on("SIGTERM", bail(143));
  process.on("uncaughtException", bail(1));
  process.on("unhandledRejection", bail(1));
  process.on("exit", () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
}

/** True when `moduleUrl` is the script node was started with, so a measure runs alone or from run-all. */
export function isEntryPoint(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && pathToFileURL(entry).href === moduleUrl;
}

/** Runs a measure as a script: always cleans up, and the exit code says whether it worked. */
export function runAsScript(main: () => Promise<unknown>): void {
  install();
  main()
    .then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        console.error(error);
        process.exitCode = 1;
      },
    )
    .finally(async () => {
      await cleanupAll();
      // autocannon and pg may leave handles behind; the measure is over either way.
      process.exit(process.exitCode ?? 0);
    });
}
