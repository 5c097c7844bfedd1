import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { fillFromTemplate } from "./pglite-template.js";

/** PGlite opened on its worker thread and listening on a Unix socket in `socketDir`. */
export interface StartedPglite {
  readonly dataDir: string;
  readonly worker: Worker;
  readonly socketDir: string;
  /** Whether a new data folder was filled from the migrated template. */
  readonly fromTemplate: boolean;
}

/**
 * Fills a new data folder from the template (when one is configured) and opens PGlite on a worker thread.
 * Needs nothing but Node itself, so the server's entry point can start it before it loads the rest of the
 * server: PGlite opens on its thread while the main thread loads modules.
 */
export async function startPglite(dataDir: string, templateDir: string | null = null): Promise<StartedPglite> {
  const fromTemplate = templateDir ? await fillFromTemplate(dataDir, templateDir) : false;
  if (dataDir !== "memory://") mkdirSync(dataDir, { recursive: true });
  const socketDir = mkdtempSync(join(tmpdir(), "pantau-pglite-"));
  const worker = new Worker(new URL("./pglite-worker.mjs", import.meta.url), {
    workerData: { dataDir, socketPath: join(socketDir, ".s.PGSQL.5432") },
  });
  try {
    await workerMessage(worker, "ready");
  } catch (error) {
    await worker.terminate();
    rmSync(socketDir, { recursive: true, force: true });
    throw error;
  }
  return { dataDir, worker, socketDir, fromTemplate };
}

/** Resolves on the worker's `{ [key]: true }`, fails on its `{ error }` or its exit. */
export function workerMessage(worker: Worker, key: "ready" | "closed"): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (message[key]) done(resolve);
      else if (typeof message.error === "string") done(() => reject(new Error(`PGlite: ${message.error}`)));
    };
    const onError = (error: Error) => done(() => reject(error));
    const onExit = (code: number) => done(() => reject(new Error(`PGlite worker exited (${code})`)));
    const done = (settle: () => void) => {
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      settle();
    };
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
  });
}
