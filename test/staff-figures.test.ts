import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { ASSIGN, CREATE, newTicketInput, REOPEN, REPLY, RESOLVE, TRANSFER, TRIAGE } from "./support/documents.js";
import { type GraphQLResponse, startServer, type TestServer } from "./support/server.js";

/**
 * Figures per person: after a random mix of lifecycle changes on top of the seeded history, every figure
 * the API gives (a unit's team, a region's offices' teams, an agent's own) equals a computation from
 * scratch over the tickets, events and clocks, on both databases.
 */

const FIGURES = `
  replies resolved rejected reopened reopenRatePercent slaCompliancePercent
  firstResponse { wall { count median p90 } business { count median p90 } }
  resolution { wall { count median p90 } business { count median p90 } }
  sla { clock judged met breached compliancePercent }
  satisfaction { ratings averageRating satisfiedPercent }`;

const TEAM = `query($code: String!, $from: DateTime, $to: DateTime) {
  teamFigures(code: $code, from: $from, to: $to) {
    unit { code } timeZone from to totals { ${FIGURES} }
    members { user { id name } openAssigned figures { ${FIGURES} } }
  }
}`;

const SUBUNIT_TEAMS = `query($code: String!, $from: DateTime, $to: DateTime) {
  subunitTeamFigures(code: $code, from: $from, to: $to) { unit { code } from to totals { ${FIGURES} } }
}`;

const MINE = `query($from: DateTime, $to: DateTime) {
  myFigures(from: $from, to: $to) { timeZone from to openAssigned figures { ${FIGURES} } }
}`;

const RATE = `mutation($input: RateTicketInput!) { rateTicket(input: $input) { __typename } }`;

/** The row id inside a global id ("Type:id" in base64). */
const rowId = (globalId: string) => Buffer.from(globalId, "base64").toString("utf8").split(":").slice(1).join(":");

/** A small deterministic generator, so a failing mix can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return {
    next,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
  };
}

interface Expected {
  replies: number;
  resolved: number;
  rejected: number;
  reopened: number;
  firstResponseMet: number;
  firstResponseBreached: number;
  resolutionMet: number;
  resolutionBreached: number;
  ratings: number;
  ratingSum: number;
  ratingsSatisfied: number;
  durations: { clock: string; wall: number; business: number | null }[];
}

const emptyExpected = (): Expected => ({
  replies: 0,
  resolved: 0,
  rejected: 0,
  reopened: 0,
  firstResponseMet: 0,
  firstResponseBreached: 0,
  resolutionMet: 0,
  resolutionBreached: 0,
  ratings: 0,
  ratingSum: 0,
  ratingsSatisfied: 0,
  durations: [],
});

// Everything an event says about a person, from the log alone: the acts of the event's actor; a
// reopening or a ticket's first rating for whoever made the latest resolution before it; a clock met when
// its SLA_MET is at the instant it was stopped, breached when an SLA_BREACHED came at or before it.
const FACTS = `
  WITH ev AS (
    SELECT e.sequence, e.ticket_id, e.unit_id, e.type::text AS type, e.actor_id, e.at, e.data,
           (e.at AT TIME ZONE u.time_zone)::date AS day
    FROM ticket_event e JOIN unit u ON u.id = e.unit_id
  ),
  first_response AS (
    SELECT DISTINCT ON (ev.ticket_id) ev.*
    FROM ev JOIN ticket t ON t.id = ev.ticket_id
    WHERE ev.type IN ('REPLIED', 'RESOLVED') AND ev.at = t.first_responded_at
    ORDER BY ev.ticket_id, ev.sequence
  ),
  stops AS (
    SELECT f.*, 'FIRST_RESPONSE' AS clock FROM first_response f
    UNION ALL
    SELECT ev.*, 'RESOLUTION' FROM ev WHERE ev.type = 'RESOLVED'
  ),
  answered AS (
    SELECT a.type, a.data, r.actor_id, r.unit_id, (a.at AT TIME ZONE ru.time_zone)::date AS day
    FROM ev a
    JOIN LATERAL (
      SELECT p.actor_id, p.unit_id FROM ev p
      WHERE p.ticket_id = a.ticket_id AND p.type = 'RESOLVED' AND p.sequence < a.sequence
      ORDER BY p.sequence DESC LIMIT 1
    ) r ON true
    JOIN unit ru ON ru.id = r.unit_id
    WHERE a.type = 'REOPENED'
       OR (a.type = 'RATED' AND a.sequence = (SELECT min(f.sequence) FROM ev f WHERE f.ticket_id = a.ticket_id AND f.type = 'RATED'))
  )
  SELECT ev.actor_id AS user_id, ev.unit_id, ev.day, ev.type AS fact, NULL::text AS clock, NULL::int AS rating,
         NULL::uuid AS ticket_id, NULL::timestamptz AS at, NULL::float8 AS wall, NULL::float8 AS business
  FROM ev WHERE ev.type IN ('REPLIED', 'RESOLVED', 'REJECTED')
  UNION ALL
  SELECT s.actor_id, s.unit_id, s.day,
         CASE WHEN EXISTS (SELECT 1 FROM ev m WHERE m.ticket_id = s.ticket_id AND m.type = 'SLA_MET'
                             AND m.data->>'clock' = s.clock AND m.at = s.at) THEN 'MET'
              WHEN EXISTS (SELECT 1 FROM ev b WHERE b.ticket_id = s.ticket_id AND b.type = 'SLA_BREACHED'
                             AND b.data->>'clock' = s.clock AND b.at <= s.at) THEN 'BREACHED'
              ELSE 'STOPPED' END,
         s.clock, NULL, s.ticket_id, s.at, extract(epoch FROM s.at - t.created_at) / 60, c.elapsed_minutes
  FROM stops s JOIN ticket t ON t.id = s.ticket_id
  LEFT JOIN ticket_clock c ON c.ticket_id = s.ticket_id AND c.kind::text = s.clock AND c.met_at = s.at
  UNION ALL
  SELECT a.actor_id, a.unit_id, a.day, a.type, NULL, (a.data->>'rating')::int, NULL, NULL, NULL, NULL
  FROM answered a`;

interface FactRow {
  user_id: string | null;
  unit_id: number;
  day: string;
  fact: string;
  clock: string | null;
  rating: number | null;
  ticket_id: string | null;
  at: Date | null;
  wall: number | null;
  business: number | null;
}

/** The duration at rank floor(q·(n − 1)) of the sorted values, as the API defines its quantiles. */
function exactQuantile(values: number[], q: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1) + 1e-6)] as number;
}

/** Within the sketches' 2 %, and durations under a second read as 0. */
function expectNear(actual: number | null, expected: number | null, label: string) {
  if (expected === null) return expect(actual, label).toBeNull();
  expect(actual, label).not.toBeNull();
  expect(Math.abs((actual as number) - expected), label).toBeLessThanOrEqual(0.0201 * expected + 1 / 60);
}

type Json = Record<string, any>;

function expectFigures(actual: Json, expected: Expected, label: string) {
  expect(
    {
      replies: actual.replies,
      resolved: actual.resolved,
      rejected: actual.rejected,
      reopened: actual.reopened,
      firstResponseMet: actual.sla.find((c: Json) => c.clock === "FIRST_RESPONSE").met,
      firstResponseBreached: actual.sla.find((c: Json) => c.clock === "FIRST_RESPONSE").breached,
      resolutionMet: actual.sla.find((c: Json) => c.clock === "RESOLUTION").met,
      resolutionBreached: actual.sla.find((c: Json) => c.clock === "RESOLUTION").breached,
      ratings: actual.satisfaction.ratings,
    },
    label,
  ).toEqual({
    replies: expected.replies,
    resolved: expected.resolved,
    rejected: expected.rejected,
    reopened: expected.reopened,
    firstResponseMet: expected.firstResponseMet,
    firstResponseBreached: expected.firstResponseBreached,
    resolutionMet: expected.resolutionMet,
    resolutionBreached: expected.resolutionBreached,
    ratings: expected.ratings,
  });
  const average = expected.ratings ? Math.round((expected.ratingSum / expected.ratings) * 100) / 100 : null;
  expect(actual.satisfaction.averageRating, `${label} average rating`).toBe(average);
  const satisfied = expected.ratings ? Math.round((expected.ratingsSatisfied / expected.ratings) * 1000) / 10 : null;
  expect(actual.satisfaction.satisfiedPercent, `${label} CSAT`).toBe(satisfied);
  for (const [field, clock] of [
    ["firstResponse", "FIRST_RESPONSE"],
    ["resolution", "RESOLUTION"],
  ] as const) {
    const rows = expected.durations.filter((d) => d.clock === clock);
    const wall = rows.map((d) => d.wall);
    const business = rows.flatMap((d) => (d.business === null ? [] : [d.business]));
    expect(actual[field].wall.count, `${label} ${field} count`).toBe(rows.length);
    expectNear(actual[field].wall.median, exactQuantile(wall, 0.5), `${label} ${field} wall median`);
    expectNear(actual[field].wall.p90, exactQuantile(wall, 0.9), `${label} ${field} wall p90`);
    expectNear(actual[field].business.median, exactQuantile(business, 0.5), `${label} ${field} business median`);
    expectNear(actual[field].business.p90, exactQuantile(business, 0.9), `${label} ${field} business p90`);
  }
}

describe.each(await targets())("figures per person on %s", (target) => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let otherOffice = "";
  /** The business minutes each resolution's clock counted when it was made (a reopening later restarts it). */
  const resolutionClock = new Map<string, number | null>();

  const from = new Date(Date.now() - 20 * 86_400_000).toISOString();
  const to = new Date(Date.now() + 86_400_000).toISOString();

  const gql = async (query: string, variables: Record<string, unknown>, token: string) => {
    const response: GraphQLResponse<Json> = await server.gql(query, variables, token);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data as Json;
  };

  /** Every fact per person from scratch over the local days of [from, to) in the zone. */
  const facts = (period: { from: string; to: string; timeZone: string }) =>
    server.app.db.sql.query<FactRow>(
      `SELECT f.* FROM (${FACTS}) f
       WHERE f.user_id IS NOT NULL
         AND f.day >= ($1::timestamptz AT TIME ZONE $3)::date AND f.day < ($2::timestamptz AT TIME ZONE $3)::date`,
      [period.from, period.to, period.timeZone],
    );

  /** The facts of the given units (all when null) added up per person and for all of them. */
  const summarise = (rows: readonly FactRow[], units: readonly number[] | null) => {
    const scope = units ? new Set(units) : null;
    const people = new Map<string, Expected>();
    const team = emptyExpected();
    for (const row of rows) {
      if (scope && !scope.has(row.unit_id)) continue;
      const user = row.user_id as string;
      if (!people.has(user)) people.set(user, emptyExpected());
      for (const e of [people.get(user) as Expected, team]) {
        if (row.fact === "REPLIED") e.replies += 1;
        else if (row.fact === "RESOLVED") e.resolved += 1;
        else if (row.fact === "REJECTED") e.rejected += 1;
        else if (row.fact === "REOPENED") e.reopened += 1;
        else if (row.fact === "RATED") {
          e.ratings += 1;
          e.ratingSum += row.rating ?? 0;
          e.ratingsSatisfied += (row.rating ?? 0) >= 4 ? 1 : 0;
        } else {
          const first = row.clock === "FIRST_RESPONSE";
          if (row.fact === "MET" && first) e.firstResponseMet += 1;
          if (row.fact === "MET" && !first) e.resolutionMet += 1;
          if (row.fact === "BREACHED" && first) e.firstResponseBreached += 1;
          if (row.fact === "BREACHED" && !first) e.resolutionBreached += 1;
          const key = `${row.ticket_id}@${new Date(row.at as Date).toISOString()}`;
          const business = !first && resolutionClock.has(key) ? (resolutionClock.get(key) ?? null) : row.business;
          e.durations.push({ clock: row.clock as string, wall: row.wall as number, business });
        }
      }
    }
    return { people, team };
  };

  const fromScratch = async (units: number[] | null, period: { from: string; to: string; timeZone: string }) =>
    summarise(await facts(period), units);

  const unitIds = async (code: string) =>
    (
      await server.app.db.sql.query<{ id: number }>(
        `WITH RECURSIVE s AS (SELECT id FROM unit WHERE code = $1 UNION ALL SELECT u.id FROM unit u JOIN s ON u.parent_id = s.id)
         SELECT id FROM s`,
        [code],
      )
    ).map((row) => row.id);

  const drained = async () => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [row] = await server.app.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM event_outbox");
      if (row?.n === 0 || Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    server = await startServer(target, {
      env: { PANTAU_BUDGET_STAFF_CAPACITY: "1000000", PANTAU_BUDGET_STAFF_REFILL_PER_SECOND: "100000" },
    });
    const offices = await server.app.db.sql.query<{ code: string }>(
      `SELECT u.code FROM unit u JOIN unit p ON p.id = u.parent_id
       WHERE p.code = 'KANWIL-JI' AND u.code <> 'KANIM-MALANG' AND u.type = 'IMMIGRATION_OFFICE'
         AND EXISTS (SELECT 1 FROM app_user a WHERE a.unit_id = u.id AND a.role = 'AGENT') ORDER BY u.code LIMIT 1`,
    );
    otherOffice = offices[0]?.code as string;
    const accounts: Record<string, string> = {
      directorate: "direktorat@pantau.demo",
      regionalHead: "kanwil.jatim@pantau.demo",
      supervisor: "kanim.malang@pantau.demo",
      agent: "agen.malang@pantau.demo",
      agent1: "agen.kanim-malang.1@pantau.demo",
      agent2: "agen.kanim-malang.2@pantau.demo",
      other: `agen.${otherOffice.toLowerCase()}.1@pantau.demo`,
    };
    for (const [name, email] of Object.entries(accounts)) {
      tokens[name] = await server.login(email);
      ids[name] = (await gql(`{ viewer { user { id } } }`, {}, tokens[name] as string)).viewer.user.id;
    }
    const key = await gql(
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreateApiKeySuccess { key } } }`,
      {
        input: {
          name: "Survei tim",
          scopes: ["RATINGS_WRITE", "METRICS_READ", "TICKETS_READ"],
          unitCode: "KANWIL-JI",
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      tokens.directorate as string,
    );
    tokens.survey = key.createApiKey.key;

    // The mix: Malang's supervisor receives tickets; its agents take, answer, resolve; some are reopened,
    // rated, or transferred to another office of the region, whose agent goes on with them.
    const rng = random(target === "pglite" ? 23 : 29);
    const malang = ["agent", "agent1", "agent2"];
    for (let n = 0; n < 24; n++) {
      const created = await gql(
        CREATE,
        { input: newTicketInput({ channel: rng.pick(["WHATSAPP", "EMAIL", "PHONE"]) }) },
        tokens.supervisor as string,
      );
      const ticketId = created.createTicket.ticket.id as string;
      const act = (document: string, input: Record<string, unknown>, who: string) =>
        server.gql(document, { input: { ticketId, ...input } }, tokens[who]);
      await act(TRIAGE, {}, "supervisor");
      let workers = malang;
      let rated = false;
      for (let step = 0; step < 7; step++) {
        const who = rng.pick(workers);
        const roll = rng.next();
        if (roll < 0.2) await act(ASSIGN, { assigneeId: ids[who] }, who);
        else if (roll < 0.45) await act(REPLY, { body: "Laporan Anda sedang kami proses." }, who);
        else if (roll < 0.7) {
          const resolved = await act(RESOLVE, { resolution: "Sudah kami selesaikan." }, who);
          if (resolved.data?.resolveTicket.__typename === "ResolveTicketSuccess") {
            const at = resolved.data.resolveTicket.ticket.resolvedAt as string;
            const [clock] = await server.app.db.sql.query<{ minutes: number | null }>(
              `SELECT elapsed_minutes AS minutes FROM ticket_clock WHERE ticket_id = $1 AND kind = 'RESOLUTION' AND met_at = $2`,
              [rowId(ticketId), at],
            );
            resolutionClock.set(`${rowId(ticketId)}@${new Date(at).toISOString()}`, clock?.minutes ?? null);
            // The roll-up reads the clock as it stands when the relay orders the resolution; a reopening
            // in the same moment would take its business time away (as in the unit rollups), so the mix
            // lets the relay catch up before it goes on.
            await drained();
          }
        } else if (roll < 0.8) await act(REOPEN, { reason: "Warga belum puas." }, "supervisor");
        else if (roll < 0.9 && !rated) {
          const rating = await server.gql(
            RATE,
            { input: { ticketId, rating: 1 + Math.floor(rng.next() * 5) } },
            tokens.survey,
          );
          rated = rating.data?.rateTicket.__typename === "RateTicketSuccess";
        } else if (workers === malang && rng.chance(0.5)) {
          const moved = await act(TRANSFER, { unitCode: otherOffice, reason: "Wilayah kerja kantor lain." }, who);
          if (moved.data?.transferTicket.__typename === "TransferTicketSuccess") workers = ["other"];
        }
      }
    }
    await drained();
  }, 300_000);
  afterAll(() => server?.stop());

  it("gives a unit's team, person by person and added up, as computed from scratch", async () => {
    const team = (await gql(TEAM, { code: "KANIM-MALANG", from, to }, tokens.supervisor as string)).teamFigures;
    expect(team.unit.code).toBe("KANIM-MALANG");
    const expected = await fromScratch(await unitIds("KANIM-MALANG"), {
      from: team.from,
      to: team.to,
      timeZone: team.timeZone,
    });
    expect(expected.team.resolved).toBeGreaterThan(0);
    expect(expected.team.reopened).toBeGreaterThan(0);
    expect(expected.team.ratings).toBeGreaterThan(0);
    expectFigures(team.totals, expected.team, "team");
    const listed = new Set(team.members.map((m: Json) => rowId(m.user.id)));
    for (const user of expected.people.keys()) expect(listed.has(user), `member ${user}`).toBe(true);
    for (const member of team.members) {
      expectFigures(member.figures, expected.people.get(rowId(member.user.id)) ?? emptyExpected(), member.user.name);
    }
    // The live queue load of each person in the unit.
    const load = await server.app.db.sql.query<{ assignee_id: string; n: number }>(
      `SELECT t.assignee_id, count(*)::int AS n FROM ticket t JOIN unit u ON u.id = t.unit_id
       WHERE u.code = 'KANIM-MALANG' AND t.assignee_id IS NOT NULL
         AND t.status IN ('NEW', 'TRIAGED', 'ASSIGNED', 'IN_PROGRESS', 'WAITING_ON_CITIZEN') GROUP BY 1`,
    );
    for (const member of team.members) {
      expect(member.openAssigned, member.user.name).toBe(
        load.find((row) => row.assignee_id === rowId(member.user.id))?.n ?? 0,
      );
    }
  });

  it("lets a regional head compare the teams of the region's offices, each as computed from scratch", async () => {
    const teams = (await gql(SUBUNIT_TEAMS, { code: "KANWIL-JI", from, to }, tokens.regionalHead as string))
      .subunitTeamFigures;
    const codes = teams.map((t: Json) => t.unit.code);
    expect(codes).toContain("KANIM-MALANG");
    expect(codes).toContain(otherOffice);
    for (const team of teams) {
      const expected = await fromScratch(await unitIds(team.unit.code), {
        from: team.from,
        to: team.to,
        timeZone: "Asia/Jakarta",
      });
      expectFigures(team.totals, expected.team, team.unit.code);
    }
  });

  it("lets the directorate compare every region's teams, late clocks included, as computed from scratch", async () => {
    const teams = (await gql(SUBUNIT_TEAMS, { code: "IMI", from, to }, tokens.directorate as string))
      .subunitTeamFigures;
    expect(teams.length).toBeGreaterThan(30);
    const rows = await facts({ from: teams[0].from, to: teams[0].to, timeZone: "Asia/Jakarta" });
    let late = 0;
    for (const team of teams) {
      const expected = summarise(rows, await unitIds(team.unit.code));
      expectFigures(team.totals, expected.team, team.unit.code);
      late += expected.team.firstResponseBreached + expected.team.resolutionBreached;
    }
    expect(late).toBeGreaterThan(0);
  });

  it("gives an agent their own figures in every unit they worked in", async () => {
    for (const who of ["agent", "agent1", "other"]) {
      const mine = (await gql(MINE, { from, to }, tokens[who] as string)).myFigures;
      const expected = await fromScratch(null, { from: mine.from, to: mine.to, timeZone: mine.timeZone });
      expectFigures(mine.figures, expected.people.get(rowId(ids[who] as string)) ?? emptyExpected(), who);
    }
  });

  it("traces a person's resolutions to their tickets, for staff only", async () => {
    const team = (await gql(TEAM, { code: "KANIM-MALANG", from, to }, tokens.supervisor as string)).teamFigures;
    const member = team.members.find((m: Json) => m.figures.resolved > 0);
    expect(member).toBeTruthy();
    const filter = {
      event: { type: ["RESOLVED"], actor: member.user.id, unitCode: "KANIM-MALANG", from: team.from, to: team.to },
    };
    const COUNT = `query($filter: TicketFilter) { tickets(first: 1, filter: $filter) { totalCount } }`;
    const listed = await gql(COUNT, { filter }, tokens.supervisor as string);
    const [row] = await server.app.db.sql.query<{ n: number }>(
      `SELECT count(DISTINCT e.ticket_id)::int AS n FROM ticket_event e JOIN unit u ON u.id = e.unit_id
       WHERE e.type = 'RESOLVED' AND e.actor_id = $1 AND u.code = 'KANIM-MALANG' AND e.at >= $2 AND e.at < $3`,
      [rowId(member.user.id), team.from, team.to],
    );
    expect(listed.tickets.totalCount).toBe(row?.n);
    expect(listed.tickets.totalCount).toBeLessThanOrEqual(member.figures.resolved);
    const byKey = await server.gql(COUNT, { filter }, tokens.survey);
    expect(byKey.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
  });

  it("exports a unit's team as CSV, one row per person and the team's total, through the same checks", async () => {
    const team = (await gql(TEAM, { code: "KANIM-MALANG", from, to }, tokens.supervisor as string)).teamFigures;
    const path = `/export/team-figures.csv?code=KANIM-MALANG&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${tokens.supervisor}` } });
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split("\n");
    const header = (lines[0] as string).split(",");
    expect(lines).toHaveLength(team.members.length + 2);
    const total = (lines.at(-1) as string).split(",");
    expect(Number(total[header.indexOf("resolved")])).toBe(team.totals.resolved);
    expect(Number(total[header.indexOf("replies")])).toBe(team.totals.replies);
    const refused = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    expect(refused.status).toBe(403);
    await refused.arrayBuffer();
  });

  it("keeps figures per person from agents' team pages and from every API key, with typed errors", async () => {
    for (const token of [tokens.agent, tokens.survey, server.apiKey]) {
      const team = await server.gql(TEAM, { code: "KANIM-MALANG" }, token);
      expect(team.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const regions = await server.gql(SUBUNIT_TEAMS, { code: "KANWIL-JI" }, token);
      expect(regions.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    for (const token of [tokens.survey, server.apiKey]) {
      const mine = await server.gql(MINE, {}, token);
      expect(mine.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    // Another region's office reads like one that does not exist.
    const outside = await server.gql(TEAM, { code: "KANIM-DENPASAR" }, tokens.regionalHead);
    expect(outside.errors?.[0]?.extensions?.code).toBe("UNKNOWN_UNIT");
    const reversed = await server.gql(TEAM, { code: "KANIM-MALANG", from: to, to: from }, tokens.supervisor);
    expect(reversed.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
