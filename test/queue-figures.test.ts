import { computeQueueSnapshot, countQueueFromScratch, type QueueFigures } from "@pantau/server/queue";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import {
  ASSIGN,
  CLOSE,
  CREATE,
  NOTE,
  newTicketInput,
  REJECT,
  REOPEN,
  REPLY,
  RESOLVE,
  RESUME,
  TRANSFER,
  TRIAGE,
  WAIT,
} from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

/** Offices in two regions, and a regional office that also receives tickets itself. */
const UNITS = ["KANIM-MALANG", "KANIM-SURABAYA", "KANWIL-JI", "KANIM-DENPASAR"];
/** PRESS tickets fall under a short test policy, so their clocks become at risk and breached mid-run. */
const CHANNELS = ["WHATSAPP", "EMAIL", "PRESS", "PHONE"];
const ACTIONS = [
  "create",
  "triage",
  "assign",
  "transfer",
  "reply",
  "note",
  "wait",
  "resume",
  "resolve",
  "close",
  "reopen",
  "reject",
] as const;
type Action = (typeof ACTIONS)[number];

interface Command {
  action: Action;
  /** Which of the tickets made so far (modulo their number). */
  ticket: number;
  unit: number;
  channel: number;
  /** Which member of the ticket's unit an assignment picks. */
  member: number;
}

const command: fc.Arbitrary<Command> = fc.record({
  // Creations twice as likely as any one other action, so the run keeps fresh tickets to move.
  action: fc.oneof(fc.constantFrom<Action>("create"), fc.constantFrom<Action>(...ACTIONS)),
  ticket: fc.nat(),
  unit: fc.nat(UNITS.length - 1),
  channel: fc.nat(CHANNELS.length - 1),
  member: fc.nat(),
});

/** The subtrees the mix can change: its units and every unit above them. */
const touched = (code: string) => UNITS.includes(code) || code === "KANWIL-BA" || code === "IMI";

const userGlobalId = (id: string) => Buffer.from(`User:${id}`).toString("base64");
const rowId = (globalId: string) => Buffer.from(globalId, "base64").toString().replace(/^\w+:/, "");

describe.each(await targets())("live queue figures on %s", (target) => {
  let server: TestServer;
  let directorate: string;
  let agent: string;
  let agentId: string;
  /** Every unit with the ids of its subtree, the units under a regional office and IMI included. */
  let subtrees: { code: string; unitIds: number[] }[];
  const tickets: string[] = [];

  beforeAll(async () => {
    server = await startServer(target);
    await server.app.db.sql.query(
      `INSERT INTO sla_policy (code, version, name, position, match_channels, first_response_amount, first_response_unit,
         first_response_counting, resolution_amount, resolution_unit, resolution_counting, pause_statuses, at_risk_ratio, legal_source)
       VALUES ('TEST_QUEUE', 1, 'Uji antrean', 0, '{PRESS}', 0.05, 'MINUTES', 'ALL_HOURS', 0.1, 'MINUTES', 'ALL_HOURS',
               '{WAITING_ON_CITIZEN}', 0.5, 'uji')`,
    );
    [directorate, agent] = await Promise.all([
      server.login("direktorat@pantau.demo"),
      server.login("agen.malang@pantau.demo"),
    ]);
    const me = await server.gql(`{ viewer { user { id } } }`, {}, agent);
    agentId = rowId(me.data?.viewer.user.id as string);
    subtrees = await server.app.db.sql.query<{ code: string; unitIds: number[] }>(
      `SELECT r.code, array_agg(s.unit_id ORDER BY s.unit_id) AS "unitIds"
       FROM unit_subtree_roots() s JOIN unit r ON r.id = s.root_id GROUP BY r.code ORDER BY r.code`,
    );
  });
  afterAll(async () => {
    await server?.stop();
  });

  /**
   * Kept figures and a count from scratch for each unit's subtree (every unit's unless `only` picks),
   * read in one snapshot of the database in which every committed event has been through the relay.
   */
  async function compare(
    only?: (code: string) => boolean,
  ): Promise<{ code: string; kept: QueueFigures; scratch: QueueFigures }[]> {
    for (let attempt = 0; attempt < 100; attempt++) {
      await server.app.realtime?.flush();
      const pairs = await server.app.db.transaction(async (sql) => {
        await sql.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        const [pending] = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM event_outbox");
        if (pending?.n) return null;
        const now = new Date();
        const result: { code: string; kept: QueueFigures; scratch: QueueFigures }[] = [];
        for (const { code, unitIds } of subtrees.filter((subtree) => !only || only(subtree.code))) {
          const { unitId: _unit, computedAt: _at, ...kept } = await computeQueueSnapshot(sql, 0, unitIds, now);
          result.push({ code, kept, scratch: await countQueueFromScratch(sql, unitIds, now) });
        }
        return result;
      });
      if (!pairs) continue;
      for (const { code, kept, scratch } of pairs) expect({ code, ...kept }).toEqual({ code, ...scratch });
      return pairs;
    }
    throw new Error("events kept arriving: the outbox never emptied");
  }

  async function run(step: Command): Promise<void> {
    const ticketId = tickets.length ? (tickets[step.ticket % tickets.length] as string) : null;
    const unitCode = UNITS[step.unit] as string;
    const call = async (document: string, input: Record<string, unknown>, token = directorate) => {
      const result = await server.gql(document, { input }, token);
      // Refused transitions are part of the mix; anything else must be a typed result.
      expect(result.errors).toBeUndefined();
      return result.data;
    };
    if (step.action === "create" || !ticketId) {
      const data = await call(
        CREATE,
        newTicketInput({ unitCode, channel: CHANNELS[step.channel], subject: `Antrean acak ${tickets.length}` }),
        unitCode === "KANIM-MALANG" && step.member % 2 === 0 ? agent : directorate,
      );
      tickets.push(data?.createTicket.ticket.id);
      return;
    }
    const id = ticketId;
    switch (step.action) {
      case "triage":
        return void (await call(TRIAGE, { ticketId: id }));
      case "assign": {
        const members = await server.app.db.sql.query<{ id: string }>(
          `SELECT u.id FROM app_user u JOIN ticket t ON t.unit_id = u.unit_id
           WHERE t.id = $1::uuid AND u.active ORDER BY u.email`,
          [rowId(id)],
        );
        const member = members[step.member % Math.max(1, members.length)]?.id ?? agentId;
        return void (await call(ASSIGN, { ticketId: id, assigneeId: userGlobalId(member) }));
      }
      case "transfer":
        return void (await call(TRANSFER, { ticketId: id, unitCode, reason: "Wilayah kerja lain" }));
      case "reply":
        return void (await call(REPLY, { ticketId: id, body: "Kami sedang memeriksa." }));
      case "note":
        return void (await call(NOTE, { ticketId: id, body: "Catatan internal." }));
      case "wait":
        return void (await call(WAIT, { ticketId: id, reason: "Mohon kirim nomor permohonan." }));
      case "resume":
        return void (await call(RESUME, { ticketId: id }));
      case "resolve":
        return void (await call(RESOLVE, { ticketId: id, resolution: "Sudah ditangani." }));
      case "close":
        return void (await call(CLOSE, { ticketId: id }));
      case "reopen":
        return void (await call(REOPEN, { ticketId: id, reason: "Masalah muncul lagi." }));
      case "reject":
        return void (await call(REJECT, { ticketId: id, reason: "Bukan wewenang imigrasi." }));
    }
  }

  it("start equal to a count from scratch after the seeded history", async () => {
    const pairs = await compare();
    const national = pairs.find((pair) => pair.code === "IMI");
    expect(national?.kept.open).toBeGreaterThan(0);
    expect(national?.kept.agentsWithOpenTickets).toBeGreaterThan(0);
    // "Petugas aktif X / Y": the agents seen at work are counted among all the agents, in every unit.
    expect(national?.kept.agents).toBeGreaterThan(0);
    for (const { kept } of pairs) expect(kept.agentsActive).toBeLessThanOrEqual(kept.agents);
  });

  it("stay equal to a count from scratch after any mix of lifecycle changes, transfers and reopenings", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 15, maxLength: 40 }), async (steps) => {
        for (const step of steps) await run(step);
        await compare(touched);
      }),
      { numRuns: 4, endOnFailure: true },
    );
    // The short policy's clocks have crossed into at risk and breached by now, and the figures followed.
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    const pairs = await compare();
    const region = pairs.find((pair) => pair.code === "KANWIL-JI");
    expect((region?.kept.breached ?? 0) + (region?.kept.atRisk ?? 0)).toBeGreaterThan(0);
  });

  it("count an agent as active once they act, from the presence rows", async () => {
    const malang = subtrees.find((subtree) => subtree.code === "KANIM-MALANG")?.unitIds ?? [];
    await server.gql(CREATE, { input: newTicketInput({ subject: "Agen bekerja" }) }, agent);
    await server.app.presence.flush();
    const snapshot = await computeQueueSnapshot(server.app.db.sql, 0, malang);
    expect(snapshot.agentsActive).toBeGreaterThanOrEqual(1);
    const [seen] = await server.app.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM user_presence WHERE user_id = $1::uuid AND last_seen_at > now() - interval '1 minute'",
      [agentId],
    );
    expect(seen?.n).toBe(1);
  });
});
