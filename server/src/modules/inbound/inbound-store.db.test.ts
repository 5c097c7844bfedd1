import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../db/database.js";
import { migrate } from "../../db/migrator.js";
import { ValidationError } from "../../errors.js";
import { createLogger } from "../../logger.js";
import { claimInbound, type InboundItem, type InboundRow, markProcessed, storeInbound } from "./inbound-store.js";
import { type InboundHandler, startInboundProcessor } from "./processor.js";

let db: Database;
const logger = createLogger("silent");

beforeAll(async () => {
  db = await openDatabase({ dataDir: "memory://" });
  await migrate(db);
}, 60_000);
afterAll(() => db?.close());
beforeEach(() => db.sql.query("DELETE FROM inbound_message"));

const row = (externalId: string, sender: string | null, overrides: Partial<InboundRow> = {}): InboundRow => ({
  channel: "WHATSAPP",
  externalId,
  unitId: null,
  account: "106540352242922",
  sender,
  sentAt: null,
  payload: JSON.stringify({ externalId }),
  ...overrides,
});

const at = (offsetMs: number) => new Date(Date.parse("2026-12-07T03:00:00Z") + offsetMs);
const claim = (owner: string, now: Date, limit = 10) =>
  claimInbound(db, { owner, channels: ["WHATSAPP"], now, leaseUntil: new Date(now.getTime() + 60_000), limit });
const ids = (items: InboundItem[]) => items.map((item) => item.externalId).sort();
const mark = async (item: InboundItem, owner: string, now: Date) => {
  const { text, params } = markProcessed(item, owner, { ticketId: null, messageId: null }, now);
  return db.prisma.$executeRawUnsafe(text, ...params);
};

describe("the inbound store", () => {
  it("stores an item once per channel and external id", async () => {
    expect(await storeInbound(db.sql, [row("w1", "62811"), row("w2", "62811")], at(0))).toBe(2);
    expect(await storeInbound(db.sql, [row("w1", "62811"), row("w3", "62812")], at(1))).toBe(1);
    expect(await storeInbound(db.sql, [row("w1", "62811", { channel: "EMAIL" })], at(2))).toBe(1);
    const [{ n }] = (await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM inbound_message")) as [
      { n: number },
    ];
    expect(n).toBe(4);
  });

  it("hands out one item per sender at a time, oldest first, and the next once it is settled", async () => {
    await storeInbound(db.sql, [row("a1", "62811"), row("b1", "62812")], at(0));
    await storeInbound(db.sql, [row("a2", "62811"), row("b2", "62812"), row("c1", "62813")], at(10));
    const first = await claim("p1", at(100));
    expect(ids(first)).toEqual(["a1", "b1", "c1"]);
    // Another processor finds nothing: every sender with waiting items is held.
    expect(await claim("p2", at(101))).toEqual([]);
    const a1 = first.find((item) => item.externalId === "a1") as InboundItem;
    expect(await mark(a1, "p1", at(102))).toBe(1);
    expect(ids(await claim("p2", at(103)))).toEqual(["a2"]);
  });

  it("holds back a sender whose item committed late with an earlier time while another is being handled", async () => {
    await storeInbound(db.sql, [row("late-2", "62821")], at(20));
    const [held] = await claim("p1", at(100));
    expect(held?.externalId).toBe("late-2");
    // A redelivery that was slower to commit, sent before the held one.
    await storeInbound(db.sql, [row("late-1", "62821")], at(10));
    expect(await claim("p2", at(101))).toEqual([]);
  });

  it("gives an item whose lease ran out to the next processor, and the first one's late outcome changes nothing", async () => {
    await storeInbound(db.sql, [row("slow", "62831")], at(0));
    const [taken] = await claim("crashed", at(100));
    expect(await claim("p2", at(30_000))).toEqual([]);
    const [again] = await claim("p2", at(61_000));
    expect(again).toMatchObject({ externalId: "slow", attempt: 2 });
    expect(await mark(taken as InboundItem, "crashed", at(61_001))).toBe(0);
    expect(await mark(again as InboundItem, "p2", at(61_002))).toBe(1);
    const [stored] = await db.sql.query<{ status: string; payload: string | null; attempts: number }>(
      "SELECT status::text, payload, attempts FROM inbound_message WHERE external_id = 'slow'",
    );
    expect(stored).toEqual({ status: "PROCESSED", payload: null, attempts: 2 });
  });

  it("does not hand out items stored as failed or ignored", async () => {
    await storeInbound(
      db.sql,
      [
        row("bad", null, { status: "FAILED", lastError: "malformed JSON" }),
        row("skip", "62841", { status: "IGNORED" }),
      ],
      at(0),
    );
    expect(await claim("p1", at(100))).toEqual([]);
  });
});

describe("the inbound processor", () => {
  function handler(decide: (item: InboundItem, owner: string) => Promise<"processed" | "ignored">): InboundHandler {
    return {
      channel: "WHATSAPP",
      async handle(item, owner) {
        const outcome = await decide(item, owner);
        if (outcome === "ignored") return { status: "IGNORED", reason: `ignored ${item.externalId}` };
        await mark(item, owner, new Date());
        return { status: "PROCESSED" };
      },
    };
  }

  const statuses = async () =>
    Object.fromEntries(
      (
        await db.sql.query<{ external_id: string; status: string; attempts: number; last_error: string | null }>(
          "SELECT external_id, status::text, attempts, last_error FROM inbound_message ORDER BY external_id",
        )
      ).map((r) => [r.external_id, { status: r.status, attempts: r.attempts, lastError: r.last_error }]),
    );

  it("processes, ignores, retries a fault and fails a refusal for good, in each sender's order", async () => {
    const seen: string[] = [];
    let faults = 0;
    await storeInbound(
      db.sql,
      [row("m1", "62851"), row("m2", "62851"), row("ign", "62852"), row("flaky", "62853"), row("bad", "62854")],
      new Date(Date.now() - 1_000),
    );
    const processor = startInboundProcessor({
      db,
      handlers: [
        handler(async (item) => {
          seen.push(item.externalId);
          if (item.externalId === "ign") return "ignored";
          if (item.externalId === "flaky" && faults++ < 2) throw new Error("connection reset");
          if (item.externalId === "bad") throw new ValidationError("body: is too long", "body");
          return "processed";
        }),
      ],
      logger,
      retry: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 20 },
      leaseMs: 60_000,
      concurrency: 4,
      pollMs: 20,
    });
    try {
      const deadline = Date.now() + 10_000;
      while ((await statuses()).flaky?.status !== "PROCESSED" && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await processor.stop();
    }
    expect(await statuses()).toEqual({
      bad: { status: "FAILED", attempts: 1, lastError: "body: is too long" },
      flaky: { status: "PROCESSED", attempts: 3, lastError: null },
      ign: { status: "IGNORED", attempts: 1, lastError: "ignored ign" },
      m1: { status: "PROCESSED", attempts: 1, lastError: null },
      m2: { status: "PROCESSED", attempts: 1, lastError: null },
    });
    expect(seen.indexOf("m1")).toBeLessThan(seen.indexOf("m2"));
  });

  it("keeps an item as failed once its attempts are spent", async () => {
    await storeInbound(db.sql, [row("down", "62861")], new Date(Date.now() - 1_000));
    const processor = startInboundProcessor({
      db,
      handlers: [
        handler(async () => {
          throw new Error("database unavailable");
        }),
      ],
      logger,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 },
      leaseMs: 60_000,
      concurrency: 2,
      pollMs: 20,
    });
    try {
      const deadline = Date.now() + 10_000;
      while ((await statuses()).down?.status !== "FAILED" && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await processor.stop();
    }
    expect((await statuses()).down).toEqual({ status: "FAILED", attempts: 3, lastError: "database unavailable" });
  });
});
