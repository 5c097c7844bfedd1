import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../db/database.js";
import { migrate } from "../../db/migrator.js";
import { createLogger } from "../../logger.js";
import { seedReferenceData } from "../seed/seed.js";
import { type Bus, createInProcessBus } from "./bus.js";
import { EventHub } from "./event-hub.js";
import { orderPending, readStream, type StreamEntry } from "./stream-store.js";

let db: Database;
let bus: Bus;
let hub: EventHub;
const received: bigint[] = [];
const logger = createLogger("silent");

/** Writes `n` events for one ticket and orders them into the stream; returns the new entries. */
async function writeEvents(n: number, from: bigint): Promise<StreamEntry[]> {
  await db.sql.query(
    `INSERT INTO ticket_event (ticket_id, unit_id, type, actor_label, data)
     SELECT t.id, t.unit_id, 'NOTE_ADDED', 'uji', '{}' FROM ticket t, generate_series(1, $1)`,
    [n],
  );
  await db.transaction((sql) => orderPending(sql, 1_000));
  return readStream(db, from, 1_000);
}

beforeAll(async () => {
  db = await openDatabase({ dataDir: "memory://" });
  await migrate(db);
  await seedReferenceData(db);
  await db.sql.query(
    `INSERT INTO ticket (number, subject, description, kind, channel, unit_id)
     SELECT 'IMI-UJI-1', 'Uji', 'Uji', 'COMPLAINT', 'EMAIL', id FROM unit WHERE code = 'KANIM-MALANG'`,
  );
  bus = createInProcessBus(logger);
  // The poll is slowed down so that only what the bus brings, and the gaps it leaves, are exercised.
  hub = new EventHub({ db, bus, logger, pollMs: 60_000, degradedPollMs: 60_000 });
  await hub.start();
  hub.listen((entries) => {
    for (const entry of entries) received.push(entry.position);
  });
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await db?.close();
});

/** Until `done` holds or 5 s have passed: the gaps are filled from the database, a round trip away. */
async function settle(done: () => boolean) {
  for (let waited = 0; waited < 5_000 && !done(); waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe("EventHub", () => {
  it("passes each position on once and in order however the bus delivers them", async () => {
    const entries = await writeEvents(10, hub.position);
    const [e1, e2, e3, e4, e5, e6, e7, e8, e9, e10] = entries as [StreamEntry, ...StreamEntry[]] & StreamEntry[];
    const batches: StreamEntry[][] = [
      [e1, e2] as StreamEntry[],
      [e1, e2] as StreamEntry[], // duplicate (two relays published the same range)
      [e5, e6] as StreamEntry[], // gap: 3 and 4 are read from the database first
      [e3, e4] as StreamEntry[], // arrives late: already delivered
      [e9, e10] as StreamEntry[], // gap again
      [e7, e8] as StreamEntry[],
    ];
    for (const batch of batches) bus.publish("stream", batch);
    await settle(() => received.length >= entries.length);
    expect(received).toEqual(entries.map((entry) => entry.position));
    expect(hub.position).toBe(entries[entries.length - 1]?.position);
  });

  it("gives gapless positions in the order events became visible", async () => {
    const before = hub.position;
    const entries = await writeEvents(5, before);
    expect(entries.map((entry) => entry.position)).toEqual([1n, 2n, 3n, 4n, 5n].map((i) => before + i));
    expect(new Set(entries.map((entry) => entry.event.sequence)).size).toBe(5);
    expect(entries.every((entry) => entry.event.ticket?.number === "IMI-UJI-1")).toBe(true);
  });
});
