import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { CREATE, newTicketInput } from "./support/documents.js";
import { collect, liveClient, QUEUE } from "./support/live.js";
import { startServer, type TestServer } from "./support/server.js";

const TOKEN = "scrape-token-7d1f0c9a2b";

interface Family {
  name: string;
  type: string;
  metrics: { labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string }[];
}

describe.each(await targets())("Prometheus metrics on %s", (target) => {
  let server: TestServer;
  let agent: string;

  beforeAll(async () => {
    server = await startServer(target, { env: { PANTAU_METRICS_TOKEN: TOKEN, PANTAU_METRICS_PORT: "0" } });
    agent = await server.login("agen.malang@pantau.demo");
  });
  afterAll(() => server?.stop());

  const scrape = async (base = server.url, token: string | null = TOKEN) => {
    const response = await fetch(`${base}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    return { response, text: await response.text() };
  };
  const families = async () => {
    const { response, text } = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const parsed = new Map((parsePrometheusTextFormat(text) as Family[]).map((family) => [family.name, family]));
    return Object.assign(parsed, { text });
  };
  const value = (family: Family | undefined, labels: Record<string, string> = {}) =>
    Number(
      family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? Number.NaN,
    );

  it("refuses a scrape without the token, on the public port", async () => {
    expect((await scrape(server.url, null)).response.status).toBe(401);
    expect((await scrape(server.url, "wrong-token-000000000")).response.status).toBe(401);
  });

  it("reports requests by route and operation, refusals by code, the pool, the stream and the queues", async () => {
    const post = (query: string, operationName?: string) =>
      fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${agent}` },
        body: JSON.stringify({ query, operationName }),
      }).then((response) => response.text());
    const before = await families();
    const refusedBefore = value(before.get("pantau_graphql_refusals_total"), { code: "FORBIDDEN" }) || 0;
    await post("query Kotak { tickets(first: 1) { totalCount } }", "Kotak");
    await post("query Kotak { tickets(first: 1) { totalCount } }", "Kotak");
    await post(`mutation { addHoliday(input: { date: "2026-12-31", name: "x", kind: NATIONAL }) { __typename } }`);
    const after = await families();

    const info = after.get("pantau_build_info");
    expect(info?.metrics[0]?.labels?.version).toBeTruthy();
    expect(value(info)).toBe(1);
    expect(value(after.get("pantau_http_requests_total"), { route: "graphql", status: "200" })).toBeGreaterThanOrEqual(
      3,
    );
    const operation = after.get("pantau_graphql_operation_duration_seconds");
    expect(operation?.type).toBe("HISTOGRAM");
    // The parser keeps no labels of histogram series: the count is read from its sample line.
    expect(after.text).toMatch(/^pantau_graphql_operation_duration_seconds_count\{operation="Kotak"\} 2$/m);
    expect(value(after.get("pantau_graphql_refusals_total"), { code: "FORBIDDEN" })).toBe(refusedBefore + 1);
    expect(value(after.get("pantau_db_pool_connections"), { state: "total" })).toBeGreaterThanOrEqual(1);
    expect(value(after.get("pantau_event_stream_position"), { of: "head" })).toBeGreaterThan(0);
    expect(value(after.get("pantau_event_stream_position"), { of: "published" })).toBeGreaterThan(0);
    expect(after.get("pantau_event_outbox_pending")).toBeDefined();
    expect(value(after.get("pantau_sla_detector_lag_seconds"))).toBeGreaterThanOrEqual(0);
    expect(after.get("pantau_outbound_messages")).toBeDefined();
    expect(value(after.get("pantau_live_subscriptions"), { kind: "queue" })).toBe(0);
    expect(value(after.get("pantau_process_start_time_seconds"))).toBeGreaterThan(1_700_000_000);
    expect(value(after.get("pantau_metrics_scrape_errors_total"))).toBe(0);
  });

  it("times statements, counts subscriptions by kind, waiting inbound items and the breaches the detector wrote", async () => {
    const statements = (text: string) =>
      Number(/^pantau_db_statement_duration_seconds_count\{pool="api",outcome="ok"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    const before = await families();
    expect(value(before.get("pantau_sla_events_written_total"), { type: "SLA_BREACHED" })).toBe(0);

    // A clock that runs out three seconds after receipt: the detector writes its breach.
    const saved = await server.gql(
      `mutation($input: SlaPolicyInput!) { saveSlaPolicy(input: $input) { __typename } }`,
      {
        input: {
          code: "TEST_METRICS",
          name: "Uji metrik",
          position: 0,
          matchChannels: ["PRESS"],
          atRiskRatio: 0.5,
          firstResponse: { amount: 0.05, unit: "MINUTES", counting: "ALL_HOURS" },
          resolution: { amount: 1, unit: "DAYS", counting: "ALL_HOURS" },
          legalSource: "Uji",
        },
      },
      await server.login("direktorat@pantau.demo"),
    );
    expect(saved.data?.saveSlaPolicy.__typename).toBe("SaveSlaPolicySuccess");
    const created = await server.gql(CREATE, { input: newTicketInput({ channel: "PRESS" }) }, agent);
    expect(created.data?.createTicket.ticket.id).toBeTruthy();
    // An item received from a channel and not yet handled (no processor runs without the channel configured).
    await server.app.db.sql.query(
      `INSERT INTO inbound_message (channel, external_id, sender, payload, received_at)
       VALUES ('WHATSAPP', 'wamid.metrics-test', '6281234567890', '{}', now() - interval '90 seconds')`,
    );
    const client = liveClient(server.url, agent);
    const board = collect(client, QUEUE, { unitCode: "KANIM-MALANG" }, "queue");
    try {
      await board.waitFor((items) => items.length > 0);
      let after = await families();
      const deadline = Date.now() + 20_000;
      while (
        value(after.get("pantau_sla_events_written_total"), { type: "SLA_BREACHED" }) < 1 &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        after = await families();
      }
      expect(value(after.get("pantau_sla_events_written_total"), { type: "SLA_BREACHED" })).toBe(1);
      expect(value(after.get("pantau_sla_events_written_total"), { type: "SLA_AT_RISK" })).toBeGreaterThanOrEqual(1);
      expect(value(after.get("pantau_live_subscriptions"), { kind: "queue" })).toBe(1);
      expect(value(after.get("pantau_live_subscriptions"), { kind: "ticketEvents" })).toBe(0);
      expect(value(after.get("pantau_inbound_messages"), { channel: "WHATSAPP", status: "RECEIVED" })).toBe(1);
      expect(value(after.get("pantau_inbound_oldest_seconds"), { channel: "WHATSAPP" })).toBeGreaterThanOrEqual(90);
      expect(value(after.get("pantau_relay_lag_seconds"))).toBeGreaterThanOrEqual(0);
      expect(after.get("pantau_db_statement_duration_seconds")?.type).toBe("HISTOGRAM");
      expect(statements(after.text)).toBeGreaterThan(statements(before.text));
    } finally {
      board.stop();
      await client.dispose();
      await server.app.db.sql.query("DELETE FROM inbound_message WHERE external_id = 'wamid.metrics-test'");
    }
  });

  it("serves only /metrics on the metrics port", async () => {
    const base = `http://127.0.0.1:${server.app.metricsPort}`;
    expect(server.app.metricsPort).toBeGreaterThan(0);
    const { response, text } = await scrape(base);
    expect(response.status).toBe(200);
    expect(text).toContain("pantau_build_info");
    expect((await fetch(`${base}/graphql`)).status).toBe(404);
  });
});

describe("Prometheus metrics, not configured", () => {
  it("are not served at all", async () => {
    const server = await startServer("pglite", { env: { PANTAU_SEED_DAYS: "1", PANTAU_SEED_TICKETS_PER_DAY: "5" } });
    try {
      const response = await fetch(`${server.url}/metrics`);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("pantau_");
      expect(server.app.metricsPort).toBeNull();
    } finally {
      await server.stop();
    }
  });
});
