import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** An OTLP/HTTP trace receiver: what a collector would be, keeping every span it is sent (JSON encoding). */
async function startReceiver() {
  const spans: ReceivedSpan[] = [];
  const services = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      if (req.url === "/v1/traces" && req.method === "POST") {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        for (const resourceSpans of body.resourceSpans ?? []) {
          for (const attribute of resourceSpans.resource?.attributes ?? [])
            if (attribute.key === "service.name") services.add(attribute.value.stringValue);
          for (const scope of resourceSpans.scopeSpans ?? []) spans.push(...scope.spans);
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    spans,
    services,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const attribute = (span: ReceivedSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value ? Object.values(value)[0] : undefined;
};

const SLOW_QUERY = `query NationalTrend($from: DateTime!, $to: DateTime!) {
  unitMetrics(code: "IMI", from: $from, to: $to, granularity: DAY) { totals { created resolved } }
}`;

describe.each(await targets())("OpenTelemetry traces on %s", (target) => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let server: TestServer;
  let stopped = false;
  const logs: Record<string, any>[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startServer(target, {
      env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, PANTAU_TRACE_RESOLVER_MS: "60000" },
      onLog: (line) => logs.push(line),
    });
  });
  afterAll(async () => {
    if (!stopped) await server?.stop();
    await receiver?.close();
  });

  it("exports a request's spans under the caller's trace, and names the trace in its log lines", async () => {
    const token = await server.login("direktorat@pantau.demo");
    const traceId = randomBytes(16).toString("hex");
    const parentId = randomBytes(8).toString("hex");
    const requestId = `trace-test-${randomBytes(4).toString("hex")}`;
    const to = new Date();
    const from = new Date(to.getTime() - 30 * 86_400_000).toISOString();
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
        traceparent: `00-${traceId}-${parentId}-01`,
        "x-request-id": requestId,
      },
      body: JSON.stringify({
        query: SLOW_QUERY,
        operationName: "NationalTrend",
        variables: { from, to: to.toISOString() },
      }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    expect(body.errors).toBeUndefined();

    // Spans are sent in batches; stopping the server sends what is left.
    await server.stop();
    stopped = true;
    const trace = receiver.spans.filter((span) => span.traceId === traceId);
    const http = trace.find((span) => span.name === "POST /graphql");
    expect(http?.parentSpanId).toBe(parentId);
    const operation = trace.find((span) => span.name === "query.NationalTrend");
    expect(operation).toBeDefined();
    // The statements that answered it, from Prisma and from the service's own SQL, in the same trace.
    const statements = trace.filter(
      (span) => attribute(span, "db.query.text") !== undefined || span.name.startsWith("prisma:"),
    );
    expect(statements.length).toBeGreaterThan(0);
    // Statements are recorded by their text, not their parameters: the period's bounds are bound values.
    for (const span of statements) expect(JSON.stringify(span.attributes)).not.toContain(from.slice(0, 10));
    // Resolvers faster than the threshold (here a minute) are not exported.
    expect(trace.filter((span) => attribute(span, "graphql.resolver.fieldName") !== undefined)).toEqual([]);
    expect(receiver.services).toContain("pantau");

    const access = logs.find((line) => line.msg === "request" && line.requestId === requestId);
    expect(access?.traceId).toBe(traceId);
    expect(access?.operation).toBe("NationalTrend");
  });
});

describe("without an OTLP endpoint", () => {
  it("logs no trace ids", async () => {
    const logs: Record<string, any>[] = [];
    const server = await startServer("pglite", { onLog: (line) => logs.push(line) });
    try {
      await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
    } finally {
      await server.stop();
    }
    const access = logs.filter((line) => line.msg === "request");
    expect(access.length).toBeGreaterThan(0);
    expect(access.every((line) => line.traceId === undefined)).toBe(true);
  });
});
