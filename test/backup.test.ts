import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "@pantau/server/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, targets } from "./support/databases.js";
import { CREATE, newTicketInput } from "./support/documents.js";
import { runEntry } from "./support/entry.js";
import { startServer } from "./support/server.js";

type Location = { databaseUrl: string } | { dataDir: string };

const envOf = (location: Location): Record<string, string> =>
  "databaseUrl" in location ? { DATABASE_URL: location.databaseUrl } : { PANTAU_DATA_DIR: location.dataDir };

/** What must survive a backup and a restore, row for row. */
async function inventory(location: Location) {
  const db = await openDatabase("databaseUrl" in location ? { databaseUrl: location.databaseUrl } : location);
  try {
    const [row] = await db.sql.query<Record<string, string>>(
      `SELECT (SELECT count(*) FROM ticket)::text AS tickets,
         (SELECT count(*) FROM ticket_event)::text AS events,
         (SELECT count(*) FROM ticket_clock)::text AS clocks,
         (SELECT count(*) FROM message)::text AS messages,
         (SELECT count(*) FROM metric_daily)::text AS daily_rollups,
         (SELECT count(*) FROM metric_hourly)::text AS hourly_rollups,
         (SELECT coalesce(sum(created), 0) FROM metric_daily)::text AS created_in_rollups,
         (SELECT coalesce(max(position), 0) FROM event_stream)::text AS stream_head,
         (SELECT published_through FROM event_relay WHERE id = 1)::text AS published,
         (SELECT count(*) FROM audit_log)::text AS audit_records,
         (SELECT count(*) FROM app_user)::text AS users`,
    );
    return row;
  } finally {
    await db.close();
  }
}

describe.each(await targets())("backup and restore on %s", (target) => {
  const dir = mkdtempSync(join(tmpdir(), "pantau-backup-"));
  const file = join(dir, target === "postgres" ? "pantau.dump" : "pantau.tar.gz");
  const drops: (() => Promise<void>)[] = [];
  let source: Location;
  let number: string;

  const newLocation = async (name: string): Promise<Location> => {
    if (target === "postgres") {
      const database = await createDatabase();
      drops.push(database.drop);
      return { databaseUrl: database.url };
    }
    return { dataDir: join(dir, name) };
  };

  beforeAll(async () => {
    source = await newLocation("source");
    const server = await startServer(target, {
      ...source,
      env: { PANTAU_SEED_DAYS: "3", PANTAU_SEED_TICKETS_PER_DAY: "30" },
    });
    try {
      const agent = await server.login("agen.malang@pantau.demo");
      const created = await server.gql(CREATE, { input: newTicketInput() }, agent);
      number = created.data?.createTicket.ticket.number;
      expect(number).toBeTruthy();
    } finally {
      await server.stop();
    }
  });
  afterAll(async () => {
    for (const drop of drops) await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("restores last night's backup into an empty database with every count and the stream head matching", async () => {
    const backedUp = await runEntry("src/admin.ts", ["backup", "--to", file], envOf(source));
    expect(backedUp.code, backedUp.stderr).toBe(0);
    expect(backedUp.stdout).toMatch(/Backed up .* bytes\)/);
    expect(backedUp.stdout).not.toMatch(/postgres:\/\/[^@\s]*:[^@\s]+@/);

    const target_ = await newLocation("restored");
    const restored = await runEntry("src/admin.ts", ["restore", "--from", file], envOf(target_));
    expect(restored.code, restored.stderr).toBe(0);

    const [before, after] = [await inventory(source), await inventory(target_)];
    expect(Number(before?.tickets)).toBeGreaterThan(50);
    expect(Number(before?.stream_head)).toBeGreaterThan(0);
    expect(after).toEqual(before);

    // The restored database serves: the ticket made before the backup is there.
    const server = await startServer(target, { ...target_ });
    try {
      const agent = await server.login("agen.malang@pantau.demo");
      const found = await server.gql(
        `query($n: String!) { ticket(number: $n) { number status } }`,
        { n: number },
        agent,
      );
      expect(found.data?.ticket).toEqual({ number, status: "NEW" });
    } finally {
      await server.stop();
    }

    // Never over data: a second restore into the same database is refused and changes nothing.
    const served = await inventory(target_);
    const again = await runEntry("src/admin.ts", ["restore", "--from", file], envOf(target_));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not empty/);
    expect(await inventory(target_)).toEqual(served);
  }, 240_000);

  it("says what is wrong with a missing backup file, and writes nothing", async () => {
    const empty = await newLocation("never");
    const run = await runEntry("src/admin.ts", ["restore", "--from", join(dir, "none.dump")], envOf(empty));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/No backup file/);
  });
});
