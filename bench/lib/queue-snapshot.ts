/**
 * Time to a queue board's first snapshot: a `queue(unitCode:)` subscription opened on an idle unit
 * (nobody else watching it, so the server computes the snapshot for this subscriber), until the
 * snapshot arrives over graphql-ws. One socket, opened first and not timed; one subscription at a time.
 */
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { openDatabase } from "../../server/src/db/database.js";
import { computeQueueSnapshot } from "../../server/src/modules/realtime/queue-snapshot.js";
import { loadUnitTree } from "../../server/src/modules/units/unit-repository.js";
import { summarize } from "./stats.js";
import { QUEUE_SUBSCRIPTION } from "./subscribers.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function timeQueueSnapshots(options: {
  url: string;
  token: string;
  unitCode: string;
  samples: number;
  /** Pause after each subscription ends, so that the server has dropped the unit's board before the next. */
  gapMs?: number;
  timeoutMs?: number;
}) {
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => {
    connected = resolve;
  });
  const client = createClient({
    url: `${options.url.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${options.token}` },
    retryAttempts: 0,
    lazy: false,
    on: { connected: () => connected() },
  });
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    await Promise.race([
      ready,
      sleep(timeoutMs).then(() => {
        throw new Error(`graphql-ws did not connect within ${timeoutMs} ms`);
      }),
    ]);
    const samplesMs: number[] = [];
    let open: number | null = null;
    for (let i = 0; i < options.samples; i++) {
      const startedAt = performance.now();
      const first = await new Promise<{ open: number }>((resolve, reject) => {
        const timer = setTimeout(() => {
          stop();
          reject(new Error(`no queue snapshot for ${options.unitCode} within ${timeoutMs} ms`));
        }, timeoutMs);
        const stop = client.subscribe<{ queue: { open: number } }>(
          { query: QUEUE_SUBSCRIPTION, variables: { unitCode: options.unitCode } },
          {
            next: (result) => {
              clearTimeout(timer);
              stop();
              if (result.data?.queue) resolve(result.data.queue);
              else reject(new Error(`queue subscription answered ${JSON.stringify(result).slice(0, 500)}`));
            },
            error: (error) => {
              clearTimeout(timer);
              reject(error instanceof Error ? error : new Error(JSON.stringify(error).slice(0, 500)));
            },
            complete: () => clearTimeout(timer),
          },
        );
      });
      samplesMs.push(performance.now() - startedAt);
      open = first.open;
      await sleep(options.gapMs ?? 100);
    }
    return { unitCode: options.unitCode, open, ...summarize(samplesMs), samplesMs };
  } finally {
    await client.dispose();
  }
}

/**
 * The same snapshot computed in this process, straight from the server's module on its own connection:
 * the database's share of the subscription's time, without HTTP, graphql-ws or the board around it.
 */
export async function timeQueueComputation(options: { databaseUrl: string; unitCode: string; samples: number }) {
  const db = await openDatabase({ databaseUrl: options.databaseUrl, poolSize: 1 });
  try {
    const tree = await loadUnitTree(db);
    const unit = tree.byCode(options.unitCode);
    if (!unit) throw new Error(`no unit ${options.unitCode}`);
    const ids = [...tree.subtree(unit.id)];
    await computeQueueSnapshot(db.sql, unit.id, ids);
    const samplesMs: number[] = [];
    let open: number | null = null;
    for (let i = 0; i < options.samples; i++) {
      const startedAt = performance.now();
      open = (await computeQueueSnapshot(db.sql, unit.id, ids)).open;
      samplesMs.push(performance.now() - startedAt);
    }
    return { unitCode: options.unitCode, open, ...summarize(samplesMs), samplesMs };
  } finally {
    await db.close();
  }
}
