import { describe, expect, it } from "vitest";
import { Feed } from "./feed.js";

const make = <T>(mode: "queue" | "latest", capacity = 3) => {
  let ended = 0;
  const feed = new Feed<T>({
    mode,
    capacity,
    overflow: () => new Error("too slow"),
    onEnd: () => {
      ended += 1;
    },
  });
  return { feed, ended: () => ended };
};

describe("Feed", () => {
  it("hands values to a waiting reader in order", async () => {
    const { feed } = make<number>("queue");
    const first = feed.next();
    feed.push(1);
    feed.push(2);
    expect(await first).toEqual({ value: 1, done: false });
    expect(await feed.next()).toEqual({ value: 2, done: false });
  });

  it.each([
    { pushed: 3, failed: false },
    { pushed: 4, failed: true },
  ])("in queue mode keeps up to its capacity and fails beyond it ($pushed pushed)", async ({ pushed, failed }) => {
    const { feed, ended } = make<number>("queue", 3);
    for (let i = 0; i < pushed; i++) feed.push(i);
    if (failed) {
      await expect(feed.next()).rejects.toThrow("too slow");
      expect(ended()).toBe(1);
      expect(await feed.next()).toEqual({ value: undefined, done: true });
    } else {
      for (let i = 0; i < pushed; i++) expect((await feed.next()).value).toBe(i);
      expect(ended()).toBe(0);
    }
  });

  it("in latest mode keeps only the newest value for a slow reader", async () => {
    const { feed } = make<string>("latest");
    for (const value of ["a", "b", "c", "d", "e"]) feed.push(value);
    expect(await feed.next()).toEqual({ value: "e", done: false });
    feed.push("f");
    expect(await feed.next()).toEqual({ value: "f", done: false });
  });

  it("ends once after the buffered values have been read, whoever ends it", async () => {
    const { feed, ended } = make<number>("queue");
    feed.push(1);
    feed.end();
    feed.end();
    await feed.return();
    expect(ended()).toBe(1);
    expect(await feed.next()).toEqual({ value: undefined, done: true });
  });

  it("delivers what was buffered before a normal end", async () => {
    const { feed } = make<number>("queue");
    feed.push(1);
    feed.end();
    expect(await feed.next()).toEqual({ value: 1, done: false });
    expect(await feed.next()).toEqual({ value: undefined, done: true });
  });

  it("rejects a waiting reader when failed", async () => {
    const { feed } = make<number>("queue");
    const waiting = feed.next();
    feed.fail(new Error("revoked"));
    await expect(waiting).rejects.toThrow("revoked");
  });

  it("lets a producer wait until the reader has drained half the buffer", async () => {
    const { feed } = make<number>("queue", 4);
    for (let i = 0; i < 4; i++) feed.push(i);
    let woke = false;
    const room = feed.waitForRoom().then(() => {
      woke = true;
    });
    await feed.next();
    await Promise.resolve();
    expect(woke).toBe(false);
    await feed.next();
    await feed.next();
    await room;
    expect(woke).toBe(true);
  });
});
