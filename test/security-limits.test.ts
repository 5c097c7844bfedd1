import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { CREATE, newTicketInput } from "./support/documents.js";
import { collect, liveClient } from "./support/live.js";
import { startServer, type TestServer } from "./support/server.js";

const PAGE = `query($n: Int) { tickets(first: $n) { edges { node { number unit { code } } } } }`;
const NESTED = `{ tickets(first: 100) { edges { node { events(first: 100) { edges { node { actor { name } } } } } } } }`;

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json", ...headers },
    body: JSON.stringify(body),
  });
  return { response, body: (await response.json()) as any };
}

describe.each(await targets())("query cost, budgets and transport on %s", (target) => {
  let server: TestServer;
  let staff: string;
  let dashboardDir: string;
  const counts = async () =>
    (
      await server.app.db.sql.query<{ tickets: number; events: number }>(
        "SELECT (SELECT count(*)::int FROM ticket) AS tickets, (SELECT count(*)::int FROM ticket_event) AS events",
      )
    )[0];

  beforeAll(async () => {
    dashboardDir = mkdtempSync(join(tmpdir(), "pantau-dashboard-"));
    writeFileSync(join(dashboardDir, "index.html"), "<!doctype html><title>Pantau</title>");
    mkdirSync(join(dashboardDir, "assets"));
    writeFileSync(join(dashboardDir, "assets", "index.js"), "export {};\n//# sourceMappingURL=index.js.map");
    writeFileSync(join(dashboardDir, "assets", "index.js.map"), "{}");
    server = await startServer(target, {
      env: {
        // The demo API key (STANDARD) gets a small, slow budget so that it can be spent in a test.
        PANTAU_BUDGET_STANDARD_CAPACITY: "300",
        PANTAU_BUDGET_STANDARD_REFILL_PER_SECOND: "1",
        PANTAU_CORS_ORIGINS: "https://mitra.example.go.id",
        PANTAU_DASHBOARD_DIR: dashboardDir,
      },
    });
    staff = await server.login("direktorat@pantau.demo");
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dashboardDir, { recursive: true, force: true });
  });

  it("returns the cost and the remaining budget with every response", async () => {
    const { response, body } = await post(
      server.url,
      { query: PAGE, variables: { n: 10 } },
      { authorization: `Bearer ${staff}` },
    );
    expect(body.errors).toBeUndefined();
    expect(body.extensions.http).toBeUndefined();
    expect(response.headers.get("x-query-cost")).toBe("21");
    expect(response.headers.get("x-ratelimit-limit")).toBe("10000");
    expect(Number(response.headers.get("x-ratelimit-remaining"))).toBe(body.extensions.cost.budget.remaining);
    expect(body.extensions.cost).toMatchObject({
      requested: 1 + 10 * 2,
      limit: 1000,
      budget: { capacity: 10000, refillPerSecond: 100, tier: "STAFF" },
    });
    expect(body.extensions.cost.budget.remaining).toBeLessThanOrEqual(10000 - 21);
  });

  it("refuses an operation over the per-operation maximum before it runs", async () => {
    const before = await counts();
    const { response, body } = await post(server.url, { query: NESTED }, { authorization: `Bearer ${staff}` });
    expect(response.status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions).toMatchObject({
      code: "QUERY_TOO_COSTLY",
      cost: 1 + 100 * (1 + 1 + 100 * 2),
      maximum: 1000,
    });
    expect(body.errors[0].message).toMatch(/at most 1000/);
    const mutation = await post(
      server.url,
      {
        query: `mutation($a: CreateTicketInput!) { ${Array.from({ length: 15 }, (_, i) => `m${i}: createTicket(input: $a) { __typename ... on CreateTicketSuccess { ticket { events(first: 100) { edges { node { actor { name } } } } } } }`).join(" ")} }`,
        variables: { a: newTicketInput() },
      },
      { authorization: `Bearer ${staff}` },
    );
    expect(mutation.body.errors[0].extensions.code).toBe("QUERY_TOO_COSTLY");
    expect(await counts()).toEqual(before);
  });

  it("refuses a spent budget with 429, Retry-After and extensions.retryAfter; each operation of a batch counts", async () => {
    const key = { authorization: `Bearer ${server.apiKey}` };
    // 5 operations of 1 + 100 × 2 = 201 points against a budget of 300: the first passes, the rest are refused.
    const batch = Array.from({ length: 5 }, () => ({ query: PAGE, variables: { n: 100 } }));
    const { response, body } = await post(server.url, batch, key);
    expect(Array.isArray(body)).toBe(true);
    expect(body).toHaveLength(5);
    const refused = body.filter((result: any) => result.errors?.[0]?.extensions?.code === "RATE_LIMITED");
    expect(body.filter((result: any) => result.data?.tickets)).toHaveLength(1);
    expect(refused).toHaveLength(4);
    // A batch answers 200 as a whole; each refused operation says why and when to retry.
    expect(response.status).toBe(200);
    const error = refused[0].errors[0];
    expect(error.extensions.retryAfter).toBeGreaterThanOrEqual(1);
    expect(error.extensions.cost).toMatchObject({ requested: 201, budget: { capacity: 300, tier: "STANDARD" } });
    expect(error.extensions.http).toBeUndefined();
    expect(error.message).toMatch(/retry in \d+ s/);
    const single = await post(server.url, { query: PAGE, variables: { n: 100 } }, key);
    expect(single.response.status).toBe(429);
    expect(Number(single.response.headers.get("retry-after"))).toBe(single.body.errors[0].extensions.retryAfter);
    expect(single.body.errors[0].extensions.code).toBe("RATE_LIMITED");
    // Cheap operations still fit in what is left, and staff budgets are separate.
    const small = await post(server.url, { query: `{ viewer { name } }` }, key);
    expect(small.body.errors).toBeUndefined();
    const other = await post(server.url, { query: PAGE, variables: { n: 100 } }, { authorization: `Bearer ${staff}` });
    expect(other.body.errors).toBeUndefined();
  });

  it("costs a subscription when it starts, over WebSocket too", async () => {
    const client = liveClient(server.url, server.apiKey);
    const query = `subscription { queue(unitCode: "IMI") { open } }`;
    // A subscription costs 11 here: spend the key's budget below that first (it refills by 1 point a second).
    for (const n of [10, 1]) {
      let refused = false;
      while (!refused) {
        const spent = await post(
          server.url,
          { query: PAGE, variables: { n } },
          { authorization: `Bearer ${server.apiKey}` },
        );
        refused = spent.body.errors?.[0]?.extensions?.code === "RATE_LIMITED";
      }
    }
    const live = collect(client, query, {}, "queue");
    await live.ended;
    expect(live.errors[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect(live.errors[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    expect(live.errors[0]?.extensions?.http).toBeUndefined();
    await client.dispose();
  });

  it("limits a batch to a few operations", async () => {
    const batch = Array.from({ length: 6 }, () => ({ query: `{ __typename }` }));
    const { response, body } = await post(server.url, batch, { authorization: `Bearer ${staff}` });
    expect(response.status).toBe(413);
    expect(body.errors[0].message).toMatch(/limited to 5/);
  });

  it("limits the request body", async () => {
    const { response, body } = await post(
      server.url,
      { query: CREATE, variables: { input: newTicketInput({ description: "x".repeat(300_000) }) } },
      { authorization: `Bearer ${staff}` },
    );
    expect(response.status).toBe(413);
    expect(body.errors[0].extensions.code).toBe("REQUEST_ENTITY_TOO_LARGE");
  });

  it("limits a body sent without Content-Length (chunked) as well, and refuses a malformed length", async () => {
    const chunked = (text: string, extra: Record<string, string> = {}) =>
      new Promise<{ status: number; body: any }>((resolve, reject) => {
        const { hostname, port } = new URL(server.url);
        const request = httpRequest(
          {
            host: hostname,
            port,
            path: "/graphql",
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${staff}`, ...extra },
          },
          (response) => {
            let data = "";
            response.on("data", (chunk) => {
              data += chunk;
            });
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(data) }));
          },
        );
        request.on("error", reject);
        // Several writes without a declared length go out as chunks.
        for (let at = 0; at < text.length; at += 64 * 1024) request.write(text.slice(at, at + 64 * 1024));
        request.end();
      });
    const before = await counts();
    const small = await chunked(JSON.stringify({ query: "{ viewer { name } }" }));
    expect(small.status).toBe(200);
    expect(small.body.data.viewer.name).toBeTruthy();
    const big = await chunked(
      JSON.stringify({ query: CREATE, variables: { input: newTicketInput({ description: "x".repeat(300_000) }) } }),
    );
    expect(big.status).toBe(413);
    expect(big.body.errors[0].extensions.code).toBe("REQUEST_ENTITY_TOO_LARGE");
    expect(await counts()).toEqual(before);
    const declared = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${staff}` },
      body: JSON.stringify({ query: "{ viewer { name } }" }),
    });
    expect(declared.status).toBe(200);
  });

  it("needs a CSRF header on requests a browser sends without preflight, and runs no mutation over GET", async () => {
    const url = `${server.url}/graphql?query=${encodeURIComponent("{ __typename }")}`;
    const bare = await fetch(url);
    expect(bare.status).toBe(403);
    const form = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `query=${encodeURIComponent("{ __typename }")}`,
    });
    expect(form.status).toBe(403);
    expect((await bare.json()).errors[0].extensions).toMatchObject({ code: "CSRF_HEADER_REQUIRED" });
    expect((await form.json()).errors[0].extensions.code).toBe("CSRF_HEADER_REQUIRED");
    const withHeader = await fetch(url, { headers: { "x-graphql-yoga-csrf": "1" } });
    expect(withHeader.status).toBe(200);
    const before = await counts();
    const mutation = `mutation { createTicket(input: { idempotencyKey: "get-mutation-0001", unitCode: "KANIM-MALANG", kind: COMPLAINT, channel: WEB, subject: "x", description: "y" }) { __typename } }`;
    const viaGet = await fetch(`${server.url}/graphql?query=${encodeURIComponent(mutation)}`, {
      headers: { "x-graphql-yoga-csrf": "1", authorization: `Bearer ${staff}` },
    });
    expect(viaGet.status).toBe(405);
    expect(await counts()).toEqual(before);
  });

  it("answers CORS only for allowed origins", async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/graphql`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      });
    const allowed = await preflight("https://mitra.example.go.id");
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://mitra.example.go.id");
    expect(allowed.headers.get("access-control-allow-credentials")).toBeNull();
    const other = await preflight("https://evil.example.com");
    expect(other.headers.get("access-control-allow-origin")).not.toBe("https://evil.example.com");
  });

  it("lets anonymous callers introspect outside production, but hides suggestions from them", async () => {
    const introspection = await post(server.url, { query: getIntrospectionQuery() });
    expect(introspection.body.errors).toBeUndefined();
    expect(introspection.body.extensions.cost.requested).toBe(50);
    const typo = await post(server.url, { query: `{ tickts { totalCount } }` });
    expect(typo.body.errors[0].message).not.toMatch(/Did you mean/);
    const signedIn = await post(
      server.url,
      { query: `{ tickts { totalCount } }` },
      { authorization: `Bearer ${staff}` },
    );
    expect(signedIn.body.errors[0].message).toMatch(/Did you mean "tickets"/);
    const enumTypo = await post(server.url, {
      query: `query($k: TicketKind) { tickets(filter: { kind: [$k] }) { totalCount } }`,
      variables: { k: "COMPLAIN" },
    });
    expect(enumTypo.body.errors[0].message).not.toMatch(/Did you mean/);
  });

  it("serves GraphiQL outside production", async () => {
    const page = await fetch(`${server.url}/graphql`, { headers: { accept: "text/html" } });
    expect(page.headers.get("content-type")).toContain("text/html");
  });

  it("sends security headers with the dashboard", async () => {
    const page = await fetch(`${server.url}/tickets/123`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(page.headers.get("content-security-policy")).toContain("connect-src 'self';");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("tells no cache to keep a GraphQL answer and no browser to sniff it, refusals included", async () => {
    const answers = [
      (await post(server.url, { query: "{ __typename }" }, { authorization: `Bearer ${staff}` })).response,
      (await post(server.url, { query: "{ nope }" })).response,
      await fetch(`${server.url}/graphql?query=${encodeURIComponent("{ __typename }")}`),
    ];
    for (const answer of answers) {
      expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
      expect(answer.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("gives the app shell only to navigations; anything else that matches no file is not found", async () => {
    const get = (path: string, accept?: string) => fetch(`${server.url}${path}`, accept ? { headers: { accept } } : {});
    const html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    for (const path of ["/", "/tickets/2026-000123", "/peta"]) {
      const page = await get(path, html);
      expect(page.status, path).toBe(200);
      expect(await page.text()).toContain("<title>Pantau</title>");
    }
    for (const [path, accept] of [
      ["/metrics", undefined],
      ["/metrics", "text/plain"],
      ["/webhooks/meta", "application/json"],
      ["/foo.js", html],
      ["/assets/missing.css", "*/*"],
      ["/tickets/1", "*/*"],
    ] as const) {
      const answer = await get(path, accept);
      expect(answer.status, `${path} ${accept}`).toBe(404);
      expect(await answer.text()).not.toContain("<title>");
    }
    const posted = await fetch(`${server.url}/webhooks/meta`, { method: "POST", headers: { accept: html } });
    expect(posted.status).toBe(404);
    expect((await get("/assets/index.js", "*/*")).status).toBe(200);
    // Outside production the built source maps are there for the browser's developer tools.
    expect((await get("/assets/index.js.map", "*/*")).status).toBe(200);
  });

  it("answers a global id of a type that does not exist with a typed validation failure", async () => {
    for (const id of ["Nope:1", Buffer.from("Nope:1").toString("base64"), Buffer.from("Viewer:1").toString("base64")]) {
      const { body } = await post(
        server.url,
        { query: `query($id: ID!) { node(id: $id) { id } }`, variables: { id } },
        {
          authorization: `Bearer ${staff}`,
        },
      );
      expect(body.data?.node ?? null, id).toBeNull();
      expect(body.errors?.[0]?.extensions?.code, id).toBe("VALIDATION_FAILED");
      expect(body.errors[0].message).not.toMatch(/implemented/);
    }
  });
});

describe.each(await targets())("in production on %s", (target) => {
  let server: TestServer;
  const key = `ptk_${randomBytes(6).toString("hex")}_${randomBytes(24).toString("base64url")}`;

  let dashboardDir: string;

  beforeAll(async () => {
    dashboardDir = mkdtempSync(join(tmpdir(), "pantau-dashboard-"));
    writeFileSync(join(dashboardDir, "index.html"), "<!doctype html><title>Pantau</title>");
    mkdirSync(join(dashboardDir, "assets"));
    writeFileSync(join(dashboardDir, "assets", "index.js"), "export {};\n//# sourceMappingURL=index.js.map");
    writeFileSync(join(dashboardDir, "assets", "index.js.map"), "{}");
    server = await startServer(target, { env: { NODE_ENV: "production", PANTAU_DASHBOARD_DIR: dashboardDir } });
    await server.app.db.sql.query(
      `INSERT INTO api_key (name, prefix, key_hash, scopes, unit_id, rate_tier)
       SELECT 'Mitra uji', $1, $2, ARRAY['tickets:read'], id, 'PARTNER' FROM unit WHERE code = 'IMI'`,
      [key.slice(0, 16), createHash("sha256").update(key).digest("hex")],
    );
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dashboardDir, { recursive: true, force: true });
  });

  it("serves the dashboard's scripts but not their source maps", async () => {
    expect((await fetch(`${server.url}/assets/index.js`)).status).toBe(200);
    const map = await fetch(`${server.url}/assets/index.js.map`);
    expect(map.status).toBe(404);
    expect(await map.text()).not.toBe("{}");
  });

  it("refuses introspection to anonymous callers and allows it with a key", async () => {
    const anonymous = await post(server.url, { query: `{ __schema { types { name } } }` });
    expect(anonymous.response.status).toBe(400);
    expect(anonymous.body.errors[0].message).toMatch(/introspection has been disabled/);
    const nested = await post(server.url, { query: `{ __type(name: "Ticket") { name } }` });
    expect(nested.body.errors[0].message).toMatch(/introspection has been disabled/);
    const withKey = await post(server.url, { query: getIntrospectionQuery() }, { authorization: `Bearer ${key}` });
    expect(withKey.body.errors).toBeUndefined();
    expect(withKey.body.data.__schema.queryType.name).toBe("Query");
    expect(withKey.body.extensions.cost.budget).toMatchObject({ tier: "PARTNER", capacity: 10_000 });
  });

  it("serves no GraphiQL unless configured", async () => {
    const page = await fetch(`${server.url}/graphql`, { headers: { accept: "text/html" } });
    expect(page.headers.get("content-type") ?? "").not.toContain("text/html");
  });

  it("masks unexpected errors: no stack, no SQL", async () => {
    await server.app.db.sql.query("ALTER TABLE holiday RENAME TO holiday_moved");
    try {
      const { body } = await post(
        server.url,
        { query: `{ holidays(year: 2026) { date name } }` },
        { authorization: `Bearer ${key}` },
      );
      const text = JSON.stringify(body);
      expect(body.errors[0].message).toBe("Unexpected error.");
      expect(text).not.toMatch(/holiday_moved|relation|SELECT|prisma|stack|\.ts:\d+/i);
    } finally {
      await server.app.db.sql.query("ALTER TABLE holiday_moved RENAME TO holiday");
    }
  });

  it("stays healthy", async () => {
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    const { body } = await post(
      server.url,
      { query: `{ viewer { name rateTier } }` },
      { authorization: `Bearer ${key}` },
    );
    expect(body.data.viewer).toEqual({ name: "Mitra uji", rateTier: "PARTNER" });
  });
});
