import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, targets } from "./support/databases.js";
import { REDIS_URL, redisUnavailableReason } from "./support/instances.js";
import { startServer, type TestServer } from "./support/server.js";

const hasPostgres = (await targets()).includes("postgres");
const redisReason = await redisUnavailableReason();
if (!hasPostgres || redisReason) {
  const message = `${hasPostgres ? `Redis at ${REDIS_URL} is unreachable (${redisReason})` : "PostgreSQL is unreachable"}: the shared query budget tests are SKIPPED`;
  if (process.env.REQUIRE_POSTGRES === "1") throw new Error(message);
  console.warn(`\n${"!".repeat(100)}\n${message}\n${"!".repeat(100)}\n`);
}

const PAGE = `query($n: Int) { tickets(first: $n) { edges { node { number unit { code } } } } }`;

async function post(url: string, query: string, variables: Record<string, unknown>, token: string) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: (await response.json()) as any,
  };
}

describe.runIf(hasPostgres && !redisReason)("query budgets across instances sharing Redis", () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let a: TestServer;
  let b: TestServer;
  let token: string;
  // A small, slowly refilling staff budget: two pages of 100 (201 points each) spend it.
  const env = { REDIS_URL, PANTAU_BUDGET_STAFF_CAPACITY: "450", PANTAU_BUDGET_STAFF_REFILL_PER_SECOND: "1" };

  beforeAll(async () => {
    database = await createDatabase();
    a = await startServer("postgres", { databaseUrl: database.url, env });
    b = await startServer("postgres", { databaseUrl: database.url, env });
    token = await a.login("kanwil.jatim@pantau.demo");
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await database?.drop();
  });

  it("spends a client's budget on instance A and finds it spent on instance B", async () => {
    const first = await post(a.url, PAGE, { n: 100 }, token);
    expect(first.body.extensions.cost.budget.remaining).toBeLessThanOrEqual(450 - 201 + 2);
    const second = await post(a.url, PAGE, { n: 100 }, token);
    expect(second.body.errors).toBeUndefined();
    const onB = await post(b.url, PAGE, { n: 100 }, token);
    expect(onB.status).toBe(429);
    expect(onB.body.errors[0].extensions).toMatchObject({ code: "RATE_LIMITED" });
    expect(Number(onB.retryAfter)).toBeGreaterThanOrEqual(150);
    expect(onB.body.errors[0].extensions.cost.budget.remaining).toBeLessThan(201);
    // What B reports as left is what A then sees: one budget, not one per instance.
    const small = await post(b.url, PAGE, { n: 1 }, token);
    const smallOnA = await post(a.url, PAGE, { n: 1 }, token);
    expect(smallOnA.body.extensions.cost.budget.remaining).toBeLessThanOrEqual(
      small.body.extensions.cost.budget.remaining - 3 + 2,
    );
  });

  it("keeps other clients' budgets apart", async () => {
    const other = await b.login("kanim.malang@pantau.demo");
    const page = await post(b.url, PAGE, { n: 100 }, other);
    expect(page.body.errors).toBeUndefined();
    expect(page.body.extensions.cost.budget.remaining).toBeGreaterThanOrEqual(450 - 201 - 1);
  });
});
