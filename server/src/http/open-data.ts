import type { IncomingMessage, ServerResponse } from "node:http";
import { stringify } from "csv-stringify/sync";
import type { YogaServerInstance } from "graphql-yoga";
import { neutralise } from "./csv-export.js";

const FIGURES = `received resolved withinDeadlinePercent medianFirstResponseMinutes medianResolutionMinutes suppressed`;
const UNIT = `code name type provinceCode provinceName city`;

const QUERY = /* GraphQL */ `
  query OpenDataStatistics($month: String!, $unitCode: String) {
    publicStatistics(month: $month, unitCode: $unitCode) {
      __typename
      ... on PublicStatisticsSuccess {
        statistics {
          month complete from to smallCountThreshold computedAt
          unit { ${UNIT} }
          figures { ${FIGURES} }
          channels { channel received }
          subunits { unit { ${UNIT} } figures { ${FIGURES} } }
        }
      }
      ... on Error { code message }
      ... on ValidationError { field }
    }
  }`;

// biome-ignore lint/suspicious/noExplicitAny: a GraphQL response read by path
type Json = Record<string, any>;

const STATUS_BY_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400,
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  QUERY_TOO_COSTLY: 400,
};

const COLUMNS: [string, (row: Json) => unknown][] = [
  ["unit_code", (r) => r.unit.code],
  ["unit_name", (r) => r.unit.name],
  ["unit_type", (r) => r.unit.type],
  ["province", (r) => r.unit.provinceName],
  ["received", (r) => r.figures.received],
  ["resolved", (r) => r.figures.resolved],
  ["within_deadline_pct", (r) => r.figures.withinDeadlinePercent],
  ["median_first_response_min", (r) => r.figures.medianFirstResponseMinutes],
  ["median_resolution_min", (r) => r.figures.medianResolutionMinutes],
  ["suppressed", (r) => r.figures.suppressed],
];

/**
 * Open data: the public statistics as JSON or CSV at /open-data/statistics.{json,csv}?month=YYYY-MM&unit=CODE,
 * for anyone. They run as the `publicStatistics` query, so its checks, cost, the caller's anonymous budget
 * and its withholding of small counts apply unchanged.
 */
// biome-ignore lint/suspicious/noExplicitAny: Yoga's instance type is generic over both contexts.
export function openData(yoga: YogaServerInstance<any, any>) {
  return (req: IncomingMessage, res: ServerResponse, path: string): boolean => {
    const format = path === "/open-data/statistics.json" ? "json" : path === "/open-data/statistics.csv" ? "csv" : null;
    if (!format) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res
        .writeHead(405, { allow: "GET", "content-type": "application/json" })
        .end(JSON.stringify({ error: "GET only" }));
      return true;
    }
    const params = new URL(req.url ?? "/", "http://localhost").searchParams;
    void (async () => {
      const forwarded = req.headers["x-forwarded-for"];
      const response = await yoga.fetch(
        "http://localhost/graphql",
        {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(forwarded ? { "x-forwarded-for": String(forwarded) } : {}),
          },
          body: JSON.stringify({
            query: QUERY,
            variables: { month: params.get("month") ?? "", unitCode: params.get("unit") || null },
          }),
        },
        // The caller's socket: the anonymous budget is the address's own.
        { req, res },
      );
      const charged: Record<string, string> = {};
      for (const name of ["x-ratelimit-limit", "x-ratelimit-remaining", "retry-after"]) {
        const value = response.headers.get(name);
        if (value !== null) charged[name] = value;
      }
      const body = (await response.json()) as { data?: Json; errors?: Json[] };
      const result = body.data?.publicStatistics;
      if (body.errors?.length || !result?.statistics) {
        const error = result?.statistics ? null : result;
        const code = body.errors?.[0]?.extensions?.code ?? error?.code ?? "BAD_REQUEST";
        res.writeHead(STATUS_BY_CODE[code] ?? 400, { ...charged, "content-type": "application/json" }).end(
          JSON.stringify({
            error: { code, message: body.errors?.[0]?.message ?? error?.message, field: error?.field },
          }),
        );
        return;
      }
      const statistics = result.statistics as Json;
      const headers = {
        ...charged,
        "access-control-allow-origin": "*",
        "cache-control": statistics.complete ? "public, max-age=3600" : "public, max-age=300",
      };
      if (format === "json") {
        res
          .writeHead(200, { ...headers, "content-type": "application/json; charset=utf-8" })
          .end(JSON.stringify(statistics));
        return;
      }
      const rows = [statistics, ...statistics.subunits].map((row: Json) => [
        statistics.month,
        ...COLUMNS.map(([, read]) => neutralise(read(row))),
      ]);
      const csv = stringify([["month", ...COLUMNS.map(([name]) => name)], ...rows], {
        cast: { number: (value) => String(value), boolean: (value) => (value ? "true" : "false") },
      });
      const name = `pantau-statistik-${statistics.month}-${statistics.unit.code}`.replace(/[^\w.-]/g, "_");
      res
        .writeHead(200, {
          ...headers,
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="${name}.csv"`,
        })
        .end(csv);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "open data failed" }));
    });
    return true;
  };
}
