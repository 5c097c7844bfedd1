import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { CREATE, newTicketInput } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

const FIGURES = `received resolved withinDeadlinePercent medianFirstResponseMinutes medianResolutionMinutes suppressed`;
const STATISTICS = /* GraphQL */ `
  query($month: String!, $unitCode: String) {
    publicStatistics(month: $month, unitCode: $unitCode) {
      __typename
      ... on PublicStatisticsSuccess {
        statistics {
          month complete from to smallCountThreshold
          unit { code }
          figures { ${FIGURES} }
          channels { channel received }
          subunits { unit { code } figures { ${FIGURES} } }
        }
      }
      ... on Error { code message }
      ... on ValidationError { field }
    }
  }`;

interface Figures {
  received: number | null;
  resolved: number | null;
  suppressed: boolean;
}
interface Statistics {
  month: string;
  from: string;
  to: string;
  unit: { code: string };
  figures: Figures;
  channels: { channel: string; received: number | null }[];
  subunits: { unit: { code: string }; figures: Figures }[];
}

/** The month now in WIB, where the national figures are counted. */
const currentMonth = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);

describe.each(await targets())("public statistics on %s", (target) => {
  let server: TestServer;
  let supervisor: string;

  beforeAll(async () => {
    server = await startServer(target);
    supervisor = await server.login("direktorat@pantau.demo");
  }, 120_000);
  afterAll(() => server?.stop());

  /** An anonymous call: no credentials at all. */
  async function anonymous(variables: Record<string, unknown>) {
    const response = await server.gql(STATISTICS, variables);
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data?.publicStatistics;
  }

  /** Tickets received in [from, to) per unit code, counted from the tickets themselves. */
  async function receivedFromScratch(codes: readonly string[], from: string, to: string) {
    const rows = await server.app.db.sql.query<{ code: string; n: number }>(
      `WITH RECURSIVE tree AS (
         SELECT id, code AS root FROM unit WHERE code = ANY($1::text[])
         UNION ALL SELECT u.id, t.root FROM unit u JOIN tree t ON u.parent_id = t.id)
       SELECT t.root AS code, count(k.id)::int AS n
       FROM tree t LEFT JOIN ticket k ON k.unit_id = t.id AND k.created_at >= $2 AND k.created_at < $3
       GROUP BY t.root`,
      [codes, from, to],
    );
    return new Map(rows.map((row) => [row.code, row.n]));
  }

  /** What a published count must be, given the count from scratch. */
  function expectPublished(shown: number | null, actual: number) {
    if (shown === null) expect(actual).toBeGreaterThan(0);
    else expect(shown).toBe(actual);
    if (actual > 0 && actual < 5) expect(shown).toBeNull();
  }

  function expectNoLoneWithheld(parts: readonly (number | null)[], actual: readonly number[]) {
    const withheld = parts.filter((value, i) => value === null && (actual[i] ?? 0) > 0).length;
    expect(withheld).not.toBe(1);
  }

  it("answers anyone with the month's national figures by region, each matching a count from scratch", async () => {
    const result = await anonymous({ month: currentMonth() });
    expect(result.__typename).toBe("PublicStatisticsSuccess");
    const statistics = result.statistics as Statistics;
    expect(statistics.unit.code).toBe("IMI");
    expect(statistics.subunits.length).toBeGreaterThan(25);
    const codes = [statistics.unit.code, ...statistics.subunits.map((row) => row.unit.code)];
    const counted = await receivedFromScratch(codes, statistics.from, statistics.to);
    expect(counted.get("IMI")).toBeGreaterThan(0);
    expectPublished(statistics.figures.received, counted.get("IMI") ?? 0);
    for (const row of statistics.subunits) expectPublished(row.figures.received, counted.get(row.unit.code) ?? 0);
    expectNoLoneWithheld(
      statistics.subunits.map((row) => row.figures.received),
      statistics.subunits.map((row) => counted.get(row.unit.code) ?? 0),
    );
    const byChannel = statistics.channels.reduce((sum, row) => sum + (row.received ?? 0), 0);
    expect(byChannel).toBeLessThanOrEqual(statistics.figures.received ?? 0);
  });

  it("withholds a small channel count, and a second one beside it, so neither can be subtracted out", async () => {
    const month = currentMonth();
    const office = "KANIM-MALANG";
    const unused = await server.app.db.sql.query<{ channel: string }>(
      `SELECT c.channel::text AS channel FROM unnest(enum_range(NULL::"Channel")) AS c(channel)
       WHERE NOT EXISTS (SELECT 1 FROM ticket k JOIN unit u ON u.id = k.unit_id
         WHERE u.code = $1 AND k.channel = c.channel
           AND k.created_at >= date_trunc('month', now() AT TIME ZONE 'Asia/Jakarta') AT TIME ZONE 'Asia/Jakarta')
       ORDER BY 1 LIMIT 2`,
      [office],
    );
    expect(unused, "two channels Malang has not had this month").toHaveLength(2);
    const [small, large] = unused.map((row) => row.channel) as [string, string];
    // Two tickets by one channel, six by another: the office's total is shown, the two are not.
    for (const [channel, count] of [
      [small, 2],
      [large, 6],
    ] as const) {
      for (let i = 0; i < count; i += 1) {
        const created = await server.gql(CREATE, { input: newTicketInput({ unitCode: office, channel }) }, supervisor);
        expect(created.data?.createTicket.__typename, JSON.stringify(created)).toBe("CreateTicketSuccess");
      }
    }
    // The rollups follow the commits through the relay: wait until the staff's figures have the new tickets, so
    // the public figures (cached once computed) are computed from them.
    const [year, monthNumber] = month.split("-").map(Number) as [number, number];
    const from = new Date(Date.UTC(year, monthNumber - 1, 1) - 7 * 3_600_000).toISOString();
    const to = new Date(Date.UTC(year, monthNumber, 1) - 7 * 3_600_000).toISOString();
    const counted = await receivedFromScratch([office], from, to);
    await expect
      .poll(
        async () =>
          (
            await server.gql(
              `query($from: DateTime!, $to: DateTime!) {
                unitMetrics(code: "KANIM-MALANG", from: $from, to: $to, granularity: MONTH) { totals { created } } }`,
              { from, to },
              supervisor,
            )
          ).data?.unitMetrics.totals.created,
        { timeout: 20_000 },
      )
      .toBe(counted.get(office));
    const statistics = (await anonymous({ month, unitCode: office })).statistics as Statistics;
    expect(statistics.from).toBe(from);
    expectPublished(statistics.figures.received, counted.get(office) ?? 0);
    expect(statistics.figures.received).toBeGreaterThanOrEqual(8);
    expect(statistics.channels.find((row) => row.channel === small)).toEqual({ channel: small, received: null });
    expect(
      statistics.channels.filter((row) => row.received === null).length,
      JSON.stringify(statistics.channels),
    ).toBeGreaterThanOrEqual(2);
    expectNoLoneWithheld(
      statistics.channels.map((row) => row.received),
      statistics.channels.map(() => 1),
    );
  });

  it("refuses a malformed month, a month to come and an unknown unit, with typed errors", async () => {
    expect(await anonymous({ month: "2026-13" })).toMatchObject({ code: "VALIDATION_FAILED", field: "month" });
    expect(await anonymous({ month: "2999-01" })).toMatchObject({ code: "VALIDATION_FAILED", field: "month" });
    expect(await anonymous({ month: currentMonth(), unitCode: "KANIM-ATLANTIS" })).toMatchObject({
      code: "NOT_FOUND",
    });
    // The server keeps answering.
    expect((await anonymous({ month: currentMonth() })).__typename).toBe("PublicStatisticsSuccess");
  });

  it("publishes the same figures as open data, CSV and JSON, without an account", async () => {
    const month = currentMonth();
    const viaApi = (await anonymous({ month, unitCode: "KANWIL-JI" })).statistics as Statistics;
    const json = await fetch(`${server.url}/open-data/statistics.json?month=${month}&unit=KANWIL-JI`);
    expect(json.status).toBe(200);
    expect(json.headers.get("access-control-allow-origin")).toBe("*");
    const opened = (await json.json()) as Statistics;
    expect(opened.figures).toEqual(viaApi.figures);
    expect(opened.subunits.map((row) => row.unit.code)).toEqual(viaApi.subunits.map((row) => row.unit.code));

    const csv = await fetch(`${server.url}/open-data/statistics.csv?month=${month}&unit=KANWIL-JI`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      "month,unit_code,unit_name,unit_type,province,received,resolved,within_deadline_pct," +
        "median_first_response_min,median_resolution_min,suppressed",
    );
    expect(lines).toHaveLength(2 + viaApi.subunits.length);
    const first = lines[1]?.split(",") ?? [];
    expect(first.slice(0, 2)).toEqual([month, "KANWIL-JI"]);
    expect(first[5]).toBe(String(viaApi.figures.received ?? ""));

    const bad = await fetch(`${server.url}/open-data/statistics.csv?month=bulan-lalu`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_FAILED");
    const unknown = await fetch(`${server.url}/open-data/statistics.json?month=${month}&unit=KANIM-ATLANTIS`);
    expect(unknown.status).toBe(404);
  });
});
