import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { ASSIGN, CREATE, EVENTS, newTicketInput, REJECT, RESOLVE, TRIAGE } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

const FIGURES = /* GraphQL */ `
  created resolved closed rejected reopened transfersIn transfersOut reopenRatePercent breaches slaCompliancePercent
  backlog { open age0to1d age1to3d age3to7d age7to30d ageOver30d }
  firstResponse { wall { count median p90 } business { count median p90 } }
  resolution { wall { count median p90 } business { count median p90 } }
  sla { clock judged met breached rejected compliancePercent }
  satisfaction { ratings averageRating satisfiedPercent responseRatePercent }
`;

const UNIT_METRICS = /* GraphQL */ `
  query($code: String!, $from: DateTime!, $to: DateTime!, $granularity: Granularity!) {
    unitMetrics(code: $code, from: $from, to: $to, granularity: $granularity) {
      unit { code } timeZone from to granularity
      totals { ${FIGURES} }
      buckets { start end figures { ${FIGURES} } }
      breakdown { dimension key created sharePercent }
    }
  }`;

const OVERVIEW = /* GraphQL */ `
  query($from: DateTime, $to: DateTime) {
    nationalOverview(from: $from, to: $to) {
      unit { code provinceCode } status rank
      figures { created resolved slaCompliancePercent breaches backlog { open } sla { clock judged met } }
      careIndex { score responsiveness slaCompliance resolution satisfaction consistency }
    }
  }`;

const ADDITIVE = ["created", "resolved", "closed", "rejected", "reopened", "breaches"] as const;

describe.each(await targets())("metrics on %s", (target) => {
  let server: TestServer;
  let directorate: string;
  let regionalHead: string;
  // The seed spans 14 days up to now; a window ending tomorrow covers it in whole local days.
  const to = new Date(Date.now() + 86_400_000).toISOString();
  const from = new Date(Date.now() - 20 * 86_400_000).toISOString();

  beforeAll(async () => {
    // Hundreds of large metric queries in a minute from one person: query budgets are not under test here.
    server = await startServer(target, {
      env: { PANTAU_BUDGET_STAFF_CAPACITY: "1000000", PANTAU_BUDGET_STAFF_REFILL_PER_SECOND: "100000" },
    });
    [directorate, regionalHead] = await Promise.all([
      server.login("direktorat@pantau.demo"),
      server.login("kanwil.jatim@pantau.demo"),
    ]);
  });
  afterAll(() => server?.stop());

  const RATE = `mutation($input: RateTicketInput!) { rateTicket(input: $input) {
    __typename ... on Error { code message } ... on ValidationError { field } } }`;

  let keys = 0;
  const surveyKey = async (scopes: string[]) => {
    keys += 1;
    const response = await server.gql(
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreateApiKeySuccess { key } } }`,
      {
        input: {
          name: `Survei ${keys}`,
          scopes,
          unitCode: "KANWIL-JI",
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      directorate,
    );
    return response.data?.createApiKey.key as string;
  };

  const metrics = async (code: string, granularity = "DAY", token = directorate) => {
    const result = await server.gql(UNIT_METRICS, { code, from, to, granularity }, token);
    expect(result.errors).toBeUndefined();
    return result.data?.unitMetrics;
  };

  it("counts what the log holds", async () => {
    const national = await metrics("IMI");
    const [raw] = await server.app.db.sql.query<Record<string, number>>(
      `SELECT count(*) FILTER (WHERE type = 'CREATED')::int AS created, count(*) FILTER (WHERE type = 'RESOLVED')::int AS resolved,
              count(*) FILTER (WHERE type = 'REJECTED')::int AS rejected
       FROM ticket_event WHERE at >= $1 AND at < $2`,
      [national.from, national.to],
    );
    expect(national.totals.created).toBe(raw?.created);
    expect(national.totals.resolved).toBe(raw?.resolved);
    expect(national.totals.rejected).toBe(raw?.rejected);
    const [open] = await server.app.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ticket WHERE status IN ('NEW','TRIAGED','ASSIGNED','IN_PROGRESS','WAITING_ON_CITIZEN')`,
    );
    expect(national.totals.backlog.open).toBe(open?.n);
    expect(national.totals.created).toBeGreaterThan(100);
  });

  it("keeps the seeded rejections out of compliance: their resolution clocks are rejected, not met", async () => {
    const national = await metrics("IMI");
    const [seeded] = await server.app.db.sql.query<Record<string, number>>(
      `SELECT count(*) FILTER (WHERE c.state = 'MET')::int AS met, count(*) FILTER (WHERE c.state = 'REJECTED')::int AS rejected
       FROM ticket t JOIN ticket_clock c ON c.ticket_id = t.id AND c.kind = 'RESOLUTION' WHERE t.status = 'REJECTED'`,
    );
    expect(seeded?.met).toBe(0);
    expect(seeded?.rejected).toBeGreaterThan(0);
    const [events] = await server.app.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ticket_event
       WHERE type = 'SLA_REJECTED' AND data->>'clock' = 'RESOLUTION' AND at >= $1 AND at < $2`,
      [national.from, national.to],
    );
    const resolution = national.totals.sla.find((c: any) => c.clock === "RESOLUTION");
    expect(resolution.rejected).toBe(events?.n);
    expect(resolution.rejected).toBeGreaterThan(0);
    expect(resolution.judged).toBe(resolution.met + resolution.breached);
  });

  it("counts a rejection as neither met nor breached, and shows it apart", async () => {
    const agent = await server.login("agen.malang@pantau.demo");
    const before = await metrics("KANIM-MALANG");
    const created = await server.gql(CREATE, { input: newTicketInput({ kind: "COMPLAINT" }) }, agent);
    const id = created.data?.createTicket.ticket.id;
    const rejected = await server.gql(
      REJECT,
      { input: { ticketId: id, reason: "Urusan kependudukan, bukan wewenang imigrasi." } },
      agent,
    );
    expect(rejected.data?.rejectTicket.__typename).toBe("RejectTicketSuccess");
    const clocks = await server.gql(
      `query($id: ID!) { node(id: $id) { ... on Ticket { sla { kind state metAt breachedAt } } } }`,
      { id },
      agent,
    );
    const resolutionClock = clocks.data?.node.sla.find((c: any) => c.kind === "RESOLUTION");
    expect(resolutionClock).toEqual({ kind: "RESOLUTION", state: "REJECTED", metAt: null, breachedAt: null });
    const log = await server.gql(EVENTS, { id }, agent);
    const sla = log.data?.node.events.edges
      .map((e: any) => e.node)
      .filter((e: any) => e.type.startsWith("SLA_") && e.data.clock === "RESOLUTION")
      .map((e: any) => e.type);
    expect(sla).toEqual(["SLA_REJECTED"]);

    const clockOf = (m: any) => m.totals.sla.find((c: any) => c.clock === "RESOLUTION");
    let after = before;
    const deadline = Date.now() + 5_000;
    while (clockOf(after).rejected === clockOf(before).rejected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await metrics("KANIM-MALANG");
    }
    expect(after.totals.rejected).toBe(before.totals.rejected + 1);
    expect(clockOf(after)).toMatchObject({
      rejected: clockOf(before).rejected + 1,
      met: clockOf(before).met,
      breached: clockOf(before).breached,
      judged: clockOf(before).judged,
      compliancePercent: clockOf(before).compliancePercent,
    });
    // The rejection's reason is the citizen's first answer: the first response clock is judged.
    const firstOf = (m: any) => m.totals.sla.find((c: any) => c.clock === "FIRST_RESPONSE");
    expect(firstOf(after).judged).toBe(firstOf(before).judged + 1);
  });

  it("adds the buckets up to the totals, and reads the backlog at the end of the last one", async () => {
    const region = await metrics("KANWIL-JI");
    expect(region.timeZone).toBe("Asia/Jakarta");
    for (const field of ADDITIVE) {
      const sum = region.buckets.reduce((acc: number, b: any) => acc + b.figures[field], 0);
      expect(sum, field).toBe(region.totals[field]);
    }
    expect(region.buckets.at(-1).figures.backlog).toEqual(region.totals.backlog);
    // Local days: every bucket starts at 17:00 UTC (midnight WIB).
    for (const bucket of region.buckets) expect(new Date(bucket.start).getUTCHours()).toBe(17);
  });

  it("makes a region the sum of its offices for counts, and not the mean of their medians", async () => {
    // A regional office may handle a few tickets itself; the sum of its offices is compared where it
    // handled none in the period (East Java when the seeded history allows, another region otherwise).
    const quiet = await server.app.db.sql.query<{ code: string }>(
      `SELECT r.code FROM unit r
       WHERE r.type = 'REGIONAL_OFFICE' AND EXISTS (SELECT 1 FROM unit c WHERE c.parent_id = r.id)
         AND NOT EXISTS (SELECT 1 FROM ticket_event e WHERE e.unit_id = r.id AND e.at >= $1 AND e.at < $2)
       ORDER BY r.code <> 'KANWIL-JI', r.code`,
      [new Date(Date.parse(from) - 86_400_000), new Date(Date.parse(to) + 86_400_000)],
    );
    const code = quiet[0]?.code as string;
    expect(code).toBeDefined();
    const region = await metrics(code);
    const offices = await server.gql(`{ units(parentCode: "${code}") { code } }`, {}, directorate);
    const children = await Promise.all(offices.data?.units.map((u: { code: string }) => metrics(u.code)));
    const own = await server.app.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ticket_event e JOIN unit u ON u.id = e.unit_id WHERE u.code = $3 AND e.at >= $1 AND e.at < $2`,
      [region.from, region.to, code],
    );
    expect(own[0]?.n).toBe(0);
    for (const field of ADDITIVE) {
      expect(
        children.reduce((acc, c) => acc + c.totals[field], 0),
        field,
      ).toBe(region.totals[field]);
    }
    expect(children.reduce((acc, c) => acc + c.totals.backlog.open, 0)).toBe(region.totals.backlog.open);
    for (const kind of [0, 1]) {
      expect(children.reduce((acc, c) => acc + c.totals.sla[kind].judged, 0)).toBe(region.totals.sla[kind].judged);
    }
    expect(children.reduce((acc, c) => acc + c.totals.resolution.wall.count, 0)).toBe(
      region.totals.resolution.wall.count,
    );
    const medians = children.map((c) => c.totals.resolution.wall.median).filter((m) => m !== null);
    expect(Math.min(...medians)).toBeLessThanOrEqual(region.totals.resolution.wall.median);
    expect(Math.max(...medians)).toBeGreaterThanOrEqual(region.totals.resolution.wall.median);
  });

  it("shows a new ticket in the shared national view within seconds", async () => {
    const jatim = async () => {
      const result = await server.gql(OVERVIEW, { from, to }, directorate);
      return ((result.data?.nationalOverview ?? []) as { unit: { code: string }; figures: { created: number } }[]).find(
        (row) => row.unit.code === "KANWIL-JI",
      )?.figures.created as number;
    };
    const before = await jatim();
    const agent = await server.login("agen.malang@pantau.demo");
    await server.gql(CREATE, { input: newTicketInput() }, agent);
    // Served from a computation shared for 5 seconds and refreshed behind the callers.
    const deadline = Date.now() + 15_000;
    let after = await jatim();
    while (after === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await jatim();
    }
    expect(after).toBe(before + 1);
  });

  it("gives each office of a region its own figures in one query, equal to asking for each office", async () => {
    const result = await server.gql(
      `query($code: String!, $from: DateTime!, $to: DateTime!) {
        subunitMetrics(code: $code, from: $from, to: $to, granularity: DAY) {
          unit { code } totals { ${FIGURES} } buckets { start figures { created } }
        }
      }`,
      { code: "KANWIL-JI", from, to },
      regionalHead,
    );
    expect(result.errors).toBeUndefined();
    const rows = result.data?.subunitMetrics as { unit: { code: string }; totals: any; buckets: any[] }[];
    const offices = await server.gql(`{ units(parentCode: "KANWIL-JI") { code } }`, {}, directorate);
    expect(rows.map((row) => row.unit.code).sort()).toEqual(
      offices.data?.units.map((u: { code: string }) => u.code).sort(),
    );
    for (const row of rows.slice(0, 3)) {
      const single = await metrics(row.unit.code);
      expect(row.totals).toEqual(single.totals);
      expect(row.buckets.map((b) => b.figures.created)).toEqual(single.buckets.map((b: any) => b.figures.created));
    }
    const outside = await server.gql(
      `query($from: DateTime!, $to: DateTime!) { subunitMetrics(code: "KANWIL-JB", from: $from, to: $to, granularity: DAY) { unit { code } } }`,
      { from, to },
      regionalHead,
    );
    expect(outside.errors?.[0]?.extensions?.code).toBe("UNKNOWN_UNIT");
  });

  it("shows a new ticket within seconds", async () => {
    const before = await metrics("KANIM-MALANG");
    const agent = await server.login("agen.malang@pantau.demo");
    await server.gql(CREATE, { input: newTicketInput() }, agent);
    // The rollups take the event when the relay orders it, a few milliseconds after the commit.
    let after = await metrics("KANIM-MALANG");
    const deadline = Date.now() + 5_000;
    while (after.totals.created === before.totals.created && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await metrics("KANIM-MALANG");
    }
    expect(after.totals.created).toBe(before.totals.created + 1);
    expect(after.totals.backlog.open).toBe(before.totals.backlog.open + 1);
    expect(after.totals.backlog.age0to1d).toBe(before.totals.backlog.age0to1d + 1);
  });

  it("gives one row per regional office with its province, status and care index, ranked", async () => {
    const result = await server.gql(OVERVIEW, { from, to }, directorate);
    expect(result.errors).toBeUndefined();
    const rows = result.data?.nationalOverview;
    expect(rows).toHaveLength(33);
    expect(new Set(rows.map((r: any) => r.unit.provinceCode)).size).toBe(33);
    const jatim = rows.find((r: any) => r.unit.code === "KANWIL-JI");
    const region = await metrics("KANWIL-JI");
    expect(jatim.figures.created).toBeLessThanOrEqual(region.totals.created);
    for (let i = 1; i < rows.length; i++) {
      if (rows[i].rank !== null && rows[i - 1].rank !== null)
        expect(rows[i].rank).toBeGreaterThanOrEqual(rows[i - 1].rank);
    }
    for (const row of rows) {
      const c = row.figures.slaCompliancePercent;
      const expected = c === null ? "NO_DATA" : c >= 90 ? "GREEN" : c >= 75 ? "AMBER" : "RED";
      expect(row.status).toBe(expected);
      if (row.careIndex.responsiveness !== null) {
        const fr = row.figures.sla.find((s: any) => s.clock === "FIRST_RESPONSE");
        expect(row.careIndex.responsiveness).toBeCloseTo((fr.met / fr.judged) * 100, 0);
      }
    }
  });

  it("keeps figures inside the caller's scope", async () => {
    const own = await server.gql(OVERVIEW, { from, to }, regionalHead);
    expect(own.data?.nationalOverview.map((r: any) => r.unit.code)).toEqual(["KANWIL-JI"]);
    const other = await server.gql(UNIT_METRICS, { code: "KANWIL-BA", from, to, granularity: "DAY" }, regionalHead);
    expect(other.errors?.[0]?.extensions?.code).toBe("UNKNOWN_UNIT");
    const anonymous = await server.gql(OVERVIEW, { from, to });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("refuses a reversed range and too many buckets with a typed error", async () => {
    const reversed = await server.gql(
      UNIT_METRICS,
      { code: "IMI", from: to, to: from, granularity: "DAY" },
      directorate,
    );
    expect(reversed.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const huge = await server.gql(
      UNIT_METRICS,
      { code: "IMI", from: "2024-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", granularity: "HOUR" },
      directorate,
    );
    expect(huge.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("exports the KPI tables as CSV through the same access checks", async () => {
    const region = await metrics("KANWIL-JI");
    const url = (path: string, params: Record<string, string>) => `${server.url}${path}?${new URLSearchParams(params)}`;
    const params = { code: "KANWIL-JI", from, to, granularity: "day" };
    const response = await fetch(url("/export/unit-metrics.csv", params), {
      headers: { authorization: `Bearer ${regionalHead}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="pantau-KANWIL-JI-day-.*\.csv"/);
    const lines = (await response.text()).trim().split("\n");
    const header = (lines[0] as string).split(",");
    expect(header.slice(0, 5)).toEqual(["unit", "time_zone", "bucket_start", "bucket_end", "created"]);
    expect(lines).toHaveLength(region.buckets.length + 2);
    const total = (lines.at(-1) as string).split(",");
    expect(Number(total[header.indexOf("created")])).toBe(region.totals.created);
    expect(Number(total[header.indexOf("backlog_open")])).toBe(region.totals.backlog.open);

    const overview = await fetch(url("/export/national-overview.csv", { from, to }), {
      headers: { authorization: `Bearer ${directorate}` },
    });
    expect(overview.status).toBe(200);
    expect((await overview.text()).trim().split("\n")).toHaveLength(34);

    const anonymous = await fetch(url("/export/unit-metrics.csv", params));
    expect(anonymous.status).toBe(401);
    const outside = await fetch(url("/export/unit-metrics.csv", { ...params, code: "KANWIL-BA" }), {
      headers: { authorization: `Bearer ${regionalHead}` },
    });
    expect(outside.status).toBe(404);
    const bad = await fetch(url("/export/unit-metrics.csv", { ...params, granularity: "fortnight" }), {
      headers: { authorization: `Bearer ${regionalHead}` },
    });
    expect(bad.status).toBe(400);
    expect((await fetch(url("/export/unit-metrics.csv", params), { method: "POST" })).status).toBe(405);
  });

  it("traces each count to the tickets behind it with a tickets filter", async () => {
    const office = await metrics("KANIM-MALANG");
    const count = async (type: string[]) => {
      const result = await server.gql(
        `query($filter: TicketFilter) { tickets(first: 1, filter: $filter) { totalCount } }`,
        { filter: { event: { type, unitCode: "KANIM-MALANG", from: office.from, to: office.to } } },
        directorate,
      );
      expect(result.errors).toBeUndefined();
      return result.data?.tickets.totalCount as number;
    };
    expect(await count(["CREATED"])).toBe(office.totals.created);
    expect(await count(["REJECTED"])).toBe(office.totals.rejected);
    // A ticket resolved twice in the period is one ticket behind two resolutions, with a reopening between them.
    expect(await count(["RESOLVED"])).toBeLessThanOrEqual(office.totals.resolved);
    expect(await count(["RESOLVED"])).toBeGreaterThanOrEqual(office.totals.resolved - office.totals.reopened);
    expect(await count(["SLA_BREACHED"])).toBeLessThanOrEqual(office.totals.breaches);
    const bad = await server.gql(
      `query($filter: TicketFilter) { tickets(first: 1, filter: $filter) { totalCount } }`,
      { filter: { event: { type: ["CREATED"], unitCode: "KANWIL-BA" } } },
      regionalHead,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe("UNKNOWN_UNIT");
  });

  it("records the citizen's rating of a resolved ticket from a survey channel's key, once, and counts it in CSAT", async () => {
    const agent = await server.login("agen.malang@pantau.demo");
    const me = await server.gql(`{ viewer { user { id } } }`, {}, agent);
    const created = await server.gql(CREATE, { input: newTicketInput() }, agent);
    const id = created.data?.createTicket.ticket.id;
    const step = async (document: string, input: Record<string, unknown>, token = agent) => {
      const result = await server.gql(document, { input: { ticketId: id, ...input } }, token);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      return result.data as Record<string, any>;
    };
    const survey = await surveyKey(["RATINGS_WRITE"]);
    // Not before it is resolved, and only 1 to 5.
    expect((await step(RATE, { rating: 5 }, survey)).rateTicket).toMatchObject({ code: "INVALID_TRANSITION" });
    await step(TRIAGE, { category: "PASSPORT", priority: "NORMAL" });
    await step(ASSIGN, { assigneeId: me.data?.viewer.user.id });
    await step(RESOLVE, { resolution: "Jadwal foto paspor sudah kami atur ulang." });
    expect((await step(RATE, { rating: 6 }, survey)).rateTicket).toMatchObject({
      code: "VALIDATION_FAILED",
      field: "rating",
    });
    const before = await metrics("KANIM-MALANG");
    const rated = await step(RATE, { rating: 2, comment: "Lama sekali" }, survey);
    expect(rated.rateTicket.__typename).toBe("RateTicketSuccess");
    expect((await step(RATE, { rating: 5 }, survey)).rateTicket).toMatchObject({ code: "ALREADY_RATED" });
    let after = before;
    const deadline = Date.now() + 5_000;
    while (after.totals.satisfaction.ratings === before.totals.satisfaction.ratings && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await metrics("KANIM-MALANG");
    }
    const [b, a] = [before.totals.satisfaction, after.totals.satisfaction];
    expect(a.ratings).toBe(b.ratings + 1);
    expect(a.averageRating).toBeCloseTo(((b.averageRating ?? 0) * b.ratings + 2) / (b.ratings + 1), 1);
    expect(a.satisfiedPercent).toBeLessThanOrEqual(b.satisfiedPercent ?? 100);
    expect(a.responseRatePercent).toBeGreaterThan(0);
    const log = await server.gql(EVENTS, { id }, agent);
    const ratings = log.data?.node.events.edges.map((e: any) => e.node).filter((e: any) => e.type === "RATED");
    expect(ratings).toHaveLength(1);
    expect(ratings[0]).toMatchObject({
      actor: null,
      actorLabel: expect.stringMatching(/^api-key:Survei/),
      data: { rating: 2, source: "SURVEY_CHANNEL", comment: "Lama sekali" },
    });
  });

  it("does not let the people measured rate their own tickets", async () => {
    const [agent, supervisor] = await Promise.all([
      server.login("agen.malang@pantau.demo"),
      server.login("kanim.malang@pantau.demo"),
    ]);
    const me = await server.gql(`{ viewer { user { id } } }`, {}, agent);
    const resolved = async () => {
      const created = await server.gql(CREATE, { input: newTicketInput() }, agent);
      const ticketId = created.data?.createTicket.ticket.id;
      for (const [document, input] of [
        [TRIAGE, {}],
        [ASSIGN, { assigneeId: me.data?.viewer.user.id }],
        [RESOLVE, { resolution: "Sudah kami jawab." }],
      ] as const) {
        const result = await server.gql(document, { input: { ticketId, ...input } }, agent);
        expect(result.errors).toBeUndefined();
      }
      return ticketId as string;
    };
    const rate = async (ticketId: string, input: Record<string, unknown>, token: string) =>
      (await server.gql(RATE, { input: { ticketId, ...input } }, token)).data?.rateTicket;

    const own = await resolved();
    const before = await metrics("KANIM-MALANG");
    // The agent who resolved it, five times over: refused each time, and nothing is counted.
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(await rate(own, { rating: 5, paperFormReference: `F-${attempt}` }, agent)).toMatchObject({
        code: "FORBIDDEN",
      });
    }
    // Staff record only a transcribed paper form, named by its reference.
    expect(await rate(own, { rating: 5 }, supervisor)).toMatchObject({
      code: "VALIDATION_FAILED",
      field: "paperFormReference",
    });
    // A key that works tickets for a channel cannot score them; a survey key sends no paper form.
    const channel = await surveyKey(["TICKETS_WRITE"]);
    const denied = await server.gql(RATE, { input: { ticketId: own, rating: 5 } }, channel);
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const survey = await surveyKey(["RATINGS_WRITE"]);
    expect(await rate(own, { rating: 5, paperFormReference: "F-9" }, survey)).toMatchObject({
      code: "VALIDATION_FAILED",
      field: "paperFormReference",
    });
    // A colleague transcribes the citizen's form; it is recorded as such, with its transcriber.
    const transcribed = await rate(own, { rating: 4, paperFormReference: "KUESIONER-2026-0042" }, supervisor);
    expect(transcribed.__typename).toBe("RateTicketSuccess");
    expect(await rate(own, { rating: 5, paperFormReference: "KUESIONER-2026-0043" }, supervisor)).toMatchObject({
      code: "ALREADY_RATED",
    });
    const log = await server.gql(EVENTS, { id: own }, agent);
    const ratings = log.data?.node.events.edges.map((e: any) => e.node).filter((e: any) => e.type === "RATED");
    expect(ratings).toEqual([
      expect.objectContaining({
        actor: { name: "Dewi Anggraini" },
        data: { rating: 4, source: "PAPER_FORM", paperFormReference: "KUESIONER-2026-0042" },
      }),
    ]);
    let after = before;
    const deadline = Date.now() + 5_000;
    while (after.totals.satisfaction.ratings === before.totals.satisfaction.ratings && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await metrics("KANIM-MALANG");
    }
    expect(after.totals.satisfaction.ratings).toBe(before.totals.satisfaction.ratings + 1);
  });
});
