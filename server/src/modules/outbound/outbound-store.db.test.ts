import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../db/database.js";
import { migrate } from "../../db/migrator.js";
import { createLogger } from "../../logger.js";
import { seedReferenceData } from "../seed/seed.js";
import type { ChannelDriver, OutboundItem } from "./driver.js";
import { claimDue, enqueueOutbound, queueFigures, settle } from "./outbound-store.js";
import { startOutboundWorker } from "./worker.js";

let db: Database;
let unitId: number;
const logger = createLogger("silent");

beforeAll(async () => {
  db = await openDatabase({ dataDir: "memory://" });
  await migrate(db);
  await seedReferenceData(db);
  const [unit] = await db.sql.query<{ id: number }>("SELECT id FROM unit WHERE code = 'KANIM-MALANG'");
  unitId = unit?.id ?? 0;
}, 60_000);
afterAll(() => db?.close());

const queue = (key: string, now = new Date()) =>
  db.prisma.$transaction((tx) =>
    enqueueOutbound(
      tx,
      {
        channel: "EMAIL",
        ticketId: null,
        messageId: null,
        unitId,
        recipient: `${key}@example.id`,
        payload: { key },
        idempotencyKey: key,
      },
      now,
    ),
  );

/** A driver that refuses the recipients it is told to and records what it was handed. */
function recordingDriver(refuse: (item: OutboundItem) => boolean = () => false) {
  const handed: OutboundItem[] = [];
  const driver: ChannelDriver = {
    channel: "EMAIL",
    configuredFor: () => true,
    async deliver(item) {
      handed.push(item);
      if (refuse(item)) throw Object.assign(new Error(`550 <${item.recipient}> refused`), { responseCode: 550 });
      return undefined;
    },
    async close() {},
  };
  return { driver, handed };
}

describe("the outbound queue", () => {
  it("queues one message per idempotency key, and nothing when the transaction rolls back", async () => {
    expect(await queue("once")).toBe(true);
    expect(await queue("once")).toBe(false);
    await expect(
      db.prisma.$transaction(async (tx) => {
        await enqueueOutbound(
          tx,
          {
            channel: "EMAIL",
            ticketId: null,
            messageId: null,
            unitId,
            recipient: "x@example.id",
            payload: {},
            idempotencyKey: "rolled-back",
          },
          new Date(),
        );
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    const rows = await db.sql.query<{ key: string }>(
      "SELECT idempotency_key AS key FROM outbound_message WHERE idempotency_key IN ('once', 'rolled-back')",
    );
    expect(rows.map((row) => row.key)).toEqual(["once"]);
    await db.sql.query("UPDATE outbound_message SET status = 'DELIVERED' WHERE idempotency_key = 'once'");
  });

  it("gives claimed rows to one worker at a time and ignores a worker that lost its lease", async () => {
    const now = new Date();
    await queue("claim-a", now);
    await queue("claim-b", now);
    const leaseUntil = new Date(now.getTime() + 60_000);
    const first = await claimDue(db.sql, { owner: "w1", channels: ["EMAIL"], now, leaseUntil, limit: 1 });
    const second = await claimDue(db.sql, { owner: "w2", channels: ["EMAIL"], now, leaseUntil, limit: 10 });
    const third = await claimDue(db.sql, { owner: "w3", channels: ["EMAIL"], now, leaseUntil, limit: 10 });
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect(third).toHaveLength(0);
    expect(first[0]?.id).not.toBe(second[0]?.id);
    expect(first[0]?.attempt).toBe(1);
    // After the lease, another worker takes the row over with the next attempt; the first one's outcome is void.
    const later = new Date(leaseUntil.getTime() + 1);
    const [taken] = await claimDue(db.sql, {
      owner: "w3",
      channels: ["EMAIL"],
      now: later,
      leaseUntil: new Date(later.getTime() + 60_000),
      limit: 1,
    });
    expect(taken?.attempt).toBe(2);
    const stale = first[0]?.id === taken?.id ? first[0] : second[0];
    if (!stale || !taken) throw new Error("expected rows");
    expect(await settle(db.sql, stale, stale === first[0] ? "w1" : "w2", { status: "DELIVERED", at: later })).toBe(
      false,
    );
    expect(await settle(db.sql, taken, "w3", { status: "DELIVERED", at: later })).toBe(true);
    const other = stale === first[0] ? second[0] : first[0];
    if (other) await settle(db.sql, other, other === first[0] ? "w1" : "w2", { status: "DELIVERED", at: later });
  });

  it("retries refusals with back-off, dead-letters after the last attempt, and counts the queue", async () => {
    let clock = Date.parse("2026-12-05T00:00:00Z");
    const now = () => new Date(clock);
    await queue("refused", now());
    await queue("accepted", now());
    const { driver, handed } = recordingDriver((item) => item.recipient.startsWith("refused"));
    const worker = startOutboundWorker({
      db,
      drivers: [driver],
      logger,
      retry: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000 },
      leaseMs: 60_000,
      concurrency: 2,
      pollMs: 600_000,
      now,
      random: () => 0,
    });
    try {
      await worker.runOnce();
      const row = async () =>
        (
          await db.sql.query<{ status: string; attempts: number; next: Date; error: string | null }>(
            `SELECT status::text, attempts, next_attempt_at AS next, last_error AS error
             FROM outbound_message WHERE idempotency_key = 'refused'`,
          )
        )[0];
      expect(await row()).toMatchObject({ status: "FAILED", attempts: 1, error: "550 <<recipient>> refused" });
      expect((await row())?.next.getTime()).toBe(clock + 500);
      const figures = await queueFigures(db.sql);
      expect(figures.find((f) => f.status === "FAILED")).toMatchObject({ channel: "EMAIL", count: 1 });
      // Not due yet: nothing is attempted.
      clock += 499;
      await worker.runOnce();
      expect((await row())?.attempts).toBe(1);
      clock += 1;
      await worker.runOnce();
      expect(await row()).toMatchObject({ status: "FAILED", attempts: 2 });
      expect((await row())?.next.getTime()).toBe(clock + 1_000);
      clock += 1_000;
      await worker.runOnce();
      expect(await row()).toMatchObject({ status: "DEAD", attempts: 3 });
      expect(handed.filter((item) => item.recipient.startsWith("refused")).map((item) => item.attempt)).toEqual([
        1, 2, 3,
      ]);
      expect(handed.filter((item) => item.recipient.startsWith("accepted"))).toHaveLength(1);
      expect((await queueFigures(db.sql)).filter((f) => f.status !== "DEAD")).toEqual([]);
      expect((await queueFigures(db.sql)).find((f) => f.status === "DEAD")).toMatchObject({
        count: 1,
        oldestDueAt: null,
      });
    } finally {
      await worker.stop();
    }
  });
});
