import type { IncomingMessage, ServerResponse } from "node:http";
import { stringify } from "csv-stringify/sync";
import type { YogaServerInstance } from "graphql-yoga";

const FIGURES = `
  created resolved closed rejected reopened reopenRatePercent transfersIn transfersOut breaches slaCompliancePercent
  backlog { open age0to1d age1to3d age3to7d age7to30d ageOver30d }
  firstResponse { wall { count median p90 } business { median p90 } }
  resolution { wall { count median p90 } business { median p90 } }
  sla { clock judged met breached rejected compliancePercent }
  satisfaction { ratings averageRating satisfiedPercent responseRatePercent }`;

// The shapes are those of the query text above; the GraphQL schema types them for clients.
// biome-ignore lint/suspicious/noExplicitAny: a GraphQL response read by path
type Json = Record<string, any>;

const FIGURE_COLUMNS: [string, (f: Json) => unknown][] = [
  ["created", (f) => f.created],
  ["resolved", (f) => f.resolved],
  ["closed", (f) => f.closed],
  ["rejected", (f) => f.rejected],
  ["reopened", (f) => f.reopened],
  ["reopen_rate_pct", (f) => f.reopenRatePercent],
  ["transfers_in", (f) => f.transfersIn],
  ["transfers_out", (f) => f.transfersOut],
  ["backlog_open", (f) => f.backlog.open],
  ["backlog_0_1d", (f) => f.backlog.age0to1d],
  ["backlog_1_3d", (f) => f.backlog.age1to3d],
  ["backlog_3_7d", (f) => f.backlog.age3to7d],
  ["backlog_7_30d", (f) => f.backlog.age7to30d],
  ["backlog_over_30d", (f) => f.backlog.ageOver30d],
  ["first_response_count", (f) => f.firstResponse.wall.count],
  ["first_response_wall_median_min", (f) => f.firstResponse.wall.median],
  ["first_response_wall_p90_min", (f) => f.firstResponse.wall.p90],
  ["first_response_clock_median_min", (f) => f.firstResponse.business.median],
  ["first_response_clock_p90_min", (f) => f.firstResponse.business.p90],
  ["resolution_count", (f) => f.resolution.wall.count],
  ["resolution_wall_median_min", (f) => f.resolution.wall.median],
  ["resolution_wall_p90_min", (f) => f.resolution.wall.p90],
  ["resolution_clock_median_min", (f) => f.resolution.business.median],
  ["resolution_clock_p90_min", (f) => f.resolution.business.p90],
  ["first_response_judged", (f) => clock(f, "FIRST_RESPONSE").judged],
  ["first_response_met", (f) => clock(f, "FIRST_RESPONSE").met],
  ["first_response_compliance_pct", (f) => clock(f, "FIRST_RESPONSE").compliancePercent],
  ["resolution_judged", (f) => clock(f, "RESOLUTION").judged],
  ["resolution_met", (f) => clock(f, "RESOLUTION").met],
  ["resolution_compliance_pct", (f) => clock(f, "RESOLUTION").compliancePercent],
  ["resolution_rejected", (f) => clock(f, "RESOLUTION").rejected],
  ["breaches", (f) => f.breaches],
  ["sla_compliance_pct", (f) => f.slaCompliancePercent],
  ["ratings", (f) => f.satisfaction.ratings],
  ["rating_average", (f) => f.satisfaction.averageRating],
  ["csat_pct", (f) => f.satisfaction.satisfiedPercent],
  ["survey_response_rate_pct", (f) => f.satisfaction.responseRatePercent],
];

const STAFF_FIGURES = `
  replies resolved rejected reopened reopenRatePercent slaCompliancePercent
  firstResponse { wall { count median p90 } business { median p90 } }
  resolution { wall { count median p90 } business { median p90 } }
  sla { clock judged met breached compliancePercent }
  satisfaction { ratings averageRating satisfiedPercent }`;

const STAFF_COLUMNS: [string, (f: Json) => unknown][] = [
  ["replies", (f) => f.replies],
  ["resolved", (f) => f.resolved],
  ["rejected", (f) => f.rejected],
  ["reopened", (f) => f.reopened],
  ["reopen_rate_pct", (f) => f.reopenRatePercent],
  ["first_response_count", (f) => f.firstResponse.wall.count],
  ["first_response_wall_median_min", (f) => f.firstResponse.wall.median],
  ["first_response_wall_p90_min", (f) => f.firstResponse.wall.p90],
  ["first_response_clock_median_min", (f) => f.firstResponse.business.median],
  ["first_response_clock_p90_min", (f) => f.firstResponse.business.p90],
  ["resolution_count", (f) => f.resolution.wall.count],
  ["resolution_wall_median_min", (f) => f.resolution.wall.median],
  ["resolution_wall_p90_min", (f) => f.resolution.wall.p90],
  ["resolution_clock_median_min", (f) => f.resolution.business.median],
  ["resolution_clock_p90_min", (f) => f.resolution.business.p90],
  ["first_response_judged", (f) => clock(f, "FIRST_RESPONSE").judged],
  ["first_response_met", (f) => clock(f, "FIRST_RESPONSE").met],
  ["first_response_compliance_pct", (f) => clock(f, "FIRST_RESPONSE").compliancePercent],
  ["resolution_judged", (f) => clock(f, "RESOLUTION").judged],
  ["resolution_met", (f) => clock(f, "RESOLUTION").met],
  ["resolution_compliance_pct", (f) => clock(f, "RESOLUTION").compliancePercent],
  ["sla_compliance_pct", (f) => f.slaCompliancePercent],
  ["ratings", (f) => f.satisfaction.ratings],
  ["rating_average", (f) => f.satisfaction.averageRating],
  ["csat_pct", (f) => f.satisfaction.satisfiedPercent],
];

const clock = (figures: Json, kind: string): Json =>
  (figures.sla as Json[]).find((c) => c.clock === kind) ?? { judged: 0, met: 0, rejected: 0, compliancePercent: null };

const EXPORTS: Record<
  string,
  {
    query: string;
    variables: (params: URLSearchParams) => Record<string, unknown>;
    table: (data: Json) => { name: string; header: string[]; rows: unknown[][] };
  }
> = {
  "/export/unit-metrics.csv": {
    query: `query($code: String!, $from: DateTime!, $to: DateTime!, $granularity: Granularity!) {
      unitMetrics(code: $code, from: $from, to: $to, granularity: $granularity) {
        unit { code } timeZone granularity from to totals { ${FIGURES} } buckets { start end figures { ${FIGURES} } }
      }
    }`,
    variables: (params) => ({
      code: params.get("code"),
      from: params.get("from"),
      to: params.get("to"),
      granularity: (params.get("granularity") ?? "DAY").toUpperCase(),
    }),
    table: ({ unitMetrics: m }) => ({
      name: `pantau-${m.unit.code}-${m.granularity.toLowerCase()}-${m.from.slice(0, 10)}-${m.to.slice(0, 10)}`,
      header: ["unit", "time_zone", "bucket_start", "bucket_end", ...FIGURE_COLUMNS.map(([name]) => name)],
      rows: [
        ...m.buckets.map((b: Json) => [
          m.unit.code,
          m.timeZone,
          b.start,
          b.end,
          ...FIGURE_COLUMNS.map(([, get]) => get(b.figures)),
        ]),
        [m.unit.code, m.timeZone, m.from, m.to, ...FIGURE_COLUMNS.map(([, get]) => get(m.totals))],
      ],
    }),
  },
  // One row per person of the team, then the team's total (person columns empty).
  "/export/team-figures.csv": {
    query: `query($code: String!, $from: DateTime, $to: DateTime) {
      teamFigures(code: $code, from: $from, to: $to) {
        unit { code } timeZone from to totals { ${STAFF_FIGURES} }
        members { user { name role unit { code } } openAssigned figures { ${STAFF_FIGURES} } }
      }
    }`,
    variables: (params) => ({
      code: params.get("code"),
      from: params.get("from") ?? undefined,
      to: params.get("to") ?? undefined,
    }),
    table: ({ teamFigures: team }) => ({
      name: `pantau-team-${team.unit.code}-${team.from.slice(0, 10)}-${team.to.slice(0, 10)}`,
      header: [
        "unit",
        "time_zone",
        "period_start",
        "period_end",
        "name",
        "role",
        "home_unit",
        "open_assigned",
        ...STAFF_COLUMNS.map(([name]) => name),
      ],
      rows: [
        ...team.members.map((m: Json) => [
          team.unit.code,
          team.timeZone,
          team.from,
          team.to,
          m.user.name,
          m.user.role,
          m.user.unit.code,
          m.openAssigned,
          ...STAFF_COLUMNS.map(([, get]) => get(m.figures)),
        ]),
        [
          team.unit.code,
          team.timeZone,
          team.from,
          team.to,
          "",
          "",
          "",
          "",
          ...STAFF_COLUMNS.map(([, get]) => get(team.totals)),
        ],
      ],
    }),
  },
  "/export/national-overview.csv": {
    query: `query($from: DateTime, $to: DateTime) {
      nationalOverview(from: $from, to: $to) {
        unit { code name provinceCode } rank status figures { ${FIGURES} }
        careIndex { score responsiveness slaCompliance resolution satisfaction consistency }
      }
    }`,
    variables: (params) => ({ from: params.get("from") ?? undefined, to: params.get("to") ?? undefined }),
    table: ({ nationalOverview: rows }) => ({
      name: "pantau-national-overview",
      header: [
        "rank",
        "unit",
        "name",
        "province",
        "status",
        "care_index",
        "care_responsiveness",
        "care_sla_compliance",
        "care_resolution",
        "care_satisfaction",
        "care_consistency",
        ...FIGURE_COLUMNS.map(([name]) => name),
      ],
      rows: rows.map((r: Json) => [
        r.rank,
        r.unit.code,
        r.unit.name,
        r.unit.provinceCode,
        r.status,
        r.careIndex.score,
        r.careIndex.responsiveness,
        r.careIndex.slaCompliance,
        r.careIndex.resolution,
        r.careIndex.satisfaction,
        r.careIndex.consistency,
        ...FIGURE_COLUMNS.map(([, get]) => get(r.figures)),
      ]),
    }),
  },
};

const STATUS_BY_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  UNKNOWN_UNIT: 404,
  BAD_USER_INPUT: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  QUERY_TOO_COSTLY: 400,
  RATE_LIMITED: 429,
};

// A spreadsheet would run a cell starting with one of these as a formula.
export const neutralise = (value: unknown) =>
  typeof value === "string" && /^[=+\-@\t\r]/.test(value) && Number.isNaN(Number(value)) ? `'${value}` : value;

/**
 * CSV downloads of the KPI tables. Each runs the same GraphQL query a client would, with the caller's
 * Authorization header, so scope and role checks are the API's own. The dashboard fetches them with
 * its token and saves the response.
 */
// biome-ignore lint/suspicious/noExplicitAny: Yoga's instance type is generic over both contexts.
export function csvExports(yoga: YogaServerInstance<any, any>) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const spec = EXPORTS[url.pathname];
    if (!spec) return false;
    if (req.method !== "GET") {
      res
        .writeHead(405, { allow: "GET", "content-type": "application/json" })
        .end(JSON.stringify({ error: "GET only" }));
      return true;
    }
    const authorization = req.headers.authorization;
    // Every export needs credentials: say so before anything else (cost, arguments) is judged.
    if (!authorization) {
      res.writeHead(401, { "content-type": "application/json" }).end(
        JSON.stringify({
          errors: [{ message: "Sign in or send an API key first.", extensions: { code: "UNAUTHENTICATED" } }],
        }),
      );
      return true;
    }
    void (async () => {
      const response = await yoga.fetch("http://localhost/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: spec.query, variables: spec.variables(url.searchParams) }),
      });
      // The export is charged as the operation it runs: the caller sees that operation's cost and budget.
      const charged: Record<string, string> = {};
      for (const name of ["x-query-cost", "x-ratelimit-limit", "x-ratelimit-remaining", "retry-after"]) {
        const value = response.headers.get(name);
        if (value !== null) charged[name] = value;
      }
      const body = (await response.json()) as {
        data?: Json;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
      if (body.errors?.length || !body.data) {
        const code = body.errors?.[0]?.extensions?.code ?? "BAD_REQUEST";
        res
          .writeHead(STATUS_BY_CODE[code] ?? 400, { ...charged, "content-type": "application/json" })
          .end(JSON.stringify({ errors: body.errors ?? [{ message: "No data." }] }));
        return;
      }
      const table = spec.table(body.data);
      const csv = stringify([table.header, ...table.rows.map((row) => row.map(neutralise))], {
        cast: { number: (value) => String(value) },
      });
      res
        .writeHead(200, {
          ...charged,
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="${table.name.replace(/[^\w.-]/g, "_")}.csv"`,
          "cache-control": "no-store",
        })
        .end(csv);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "export failed" }));
    });
    return true;
  };
}
