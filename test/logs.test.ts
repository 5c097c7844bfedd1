import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { CREATE, newTicketInput, REPLY } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

/** pino's numeric levels. */
const INFO = 30;
const ERROR = 50;

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json", ...headers },
    body: JSON.stringify(body),
  });
  return (await response.json()) as any;
}

describe.each(await targets())("what the server logs on %s", (target) => {
  let server: TestServer;
  let agent: string;
  const lines: Record<string, any>[] = [];

  beforeAll(async () => {
    server = await startServer(target, { onLog: (line) => lines.push(line) });
    agent = await server.login("agen.malang@pantau.demo");
  });
  afterAll(() => server?.stop());

  it("logs ordinary refusals at info at most, without a stack", async () => {
    const auth = { authorization: `Bearer ${agent}` };
    const refusals: [string, () => Promise<any>][] = [
      ["anonymous", () => post(server.url, { query: "{ tickets(first: 1) { totalCount } }" })],
      ["a forged token", () => post(server.url, { query: "{ viewer { name } }" }, { authorization: "Bearer nope" })],
      [
        "an agent's forbidden action",
        () =>
          post(
            server.url,
            { query: `mutation { addHoliday(input: { date: "2026-12-31", name: "x" }) { __typename } }` },
            auth,
          ),
      ],
      ["an unknown type's id", () => post(server.url, { query: `{ node(id: "${btoa("Nope:1")}") { id } }` }, auth)],
      ["a malformed id", () => post(server.url, { query: `{ node(id: "garbage") { id } }` }, auth)],
      [
        "NUL text",
        () => post(server.url, { query: REPLY, variables: { input: { ticketId: "x", body: "a\u0000" } } }, auth),
      ],
      [
        "a lone surrogate",
        () => post(server.url, { query: REPLY, variables: { input: { ticketId: "x", body: "\ud800" } } }, auth),
      ],
      [
        "a typed domain error",
        () => post(server.url, { query: CREATE, variables: { input: newTicketInput({ unitCode: "NOPE" }) } }, auth),
      ],
      ["a page over the cap", () => post(server.url, { query: "{ tickets(first: 500) { totalCount } }" }, auth)],
      ["a parse error", () => post(server.url, { query: "{ tickets(" }, auth)],
      ["a field that does not exist", () => post(server.url, { query: "{ nope }" }, auth)],
      ["variables that do not fit", () => post(server.url, { query: CREATE, variables: { input: { a: 1 } } }, auth)],
      [
        "too deep",
        () => post(server.url, { query: `{ ${"units { children { ".repeat(10)}code${" } }".repeat(10)} }` }, auth),
      ],
      [
        "a wrong password",
        () =>
          post(server.url, {
            query: `mutation { login(email: "agen.malang@pantau.demo", password: "salah") { __typename } }`,
          }),
      ],
    ];
    for (const [label, send] of refusals) {
      const from = lines.length;
      const body = await send();
      const code = body.errors?.[0]?.extensions?.code ?? Object.values(body.data ?? {})[0];
      expect(code, label).toBeTruthy();
      const logged = lines.slice(from);
      expect(
        logged.filter((line) => line.level > INFO || line.err?.stack),
        `${label}: ${JSON.stringify(logged)}`,
      ).toEqual([]);
    }
  });

  it("keeps error level, with the stack, for a fault", async () => {
    await server.app.db.sql.query("ALTER TABLE holiday RENAME TO holiday_moved");
    const from = lines.length;
    try {
      const body = await post(
        server.url,
        { query: "{ holidays(year: 2026) { date name } }" },
        { authorization: `Bearer ${agent}` },
      );
      expect(body.errors[0].message).toMatch(/Unexpected error|holiday/);
    } finally {
      await server.app.db.sql.query("ALTER TABLE holiday_moved RENAME TO holiday");
    }
    const faults = lines.slice(from).filter((line) => line.level >= ERROR);
    expect(faults).toHaveLength(1);
    expect(faults[0]?.err?.stack).toBeTruthy();
  });

  it("names each request: its id is echoed, on its access line and on every line logged while serving it", async () => {
    const auth = { authorization: `Bearer ${agent}` };
    const send = (headers: Record<string, string>, body: unknown) =>
      fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...auth, ...headers },
        body: JSON.stringify(body),
      });
    const from = lines.length;
    const given = await send(
      { "x-request-id": "lb-7f3a9c2e-0001" },
      { query: "query Kotak { tickets(first: 1) { totalCount } }", operationName: "Kotak" },
    );
    expect(given.headers.get("x-request-id")).toBe("lb-7f3a9c2e-0001");
    // A header that could forge log lines is replaced by an id of the server's own.
    const forged = await send({ "x-request-id": "abcdefgh\tlevel=50" }, { query: "{ __typename }" });
    const made = forged.headers.get("x-request-id") ?? "";
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    // A refusal logged while serving the request carries its id.
    const refused = await send(
      { "x-request-id": "refusal-0000000042" },
      { query: `mutation { addHoliday(input: { date: "2026-12-31", name: "x", kind: NATIONAL }) { __typename } }` },
    );
    expect(refused.headers.get("x-request-id")).toBe("refusal-0000000042");
    await Promise.all([given.text(), forged.text(), refused.text()]);
    const logged = lines.slice(from);
    const access = (id: string) => logged.find((line) => line.msg === "request" && line.requestId === id);
    expect(access("lb-7f3a9c2e-0001")).toMatchObject({
      level: INFO,
      method: "POST",
      path: "/graphql",
      status: 200,
      operation: "Kotak",
    });
    expect(access("lb-7f3a9c2e-0001")?.ms).toBeGreaterThanOrEqual(0);
    expect(access(made)).toMatchObject({ status: 200 });
    expect(
      logged.find((line) => line.msg === "request refused" && line.requestId === "refusal-0000000042"),
    ).toMatchObject({ code: "FORBIDDEN" });
    // Probes are not logged.
    const probes = lines.length;
    await (await fetch(`${server.url}/health`)).text();
    expect(lines.slice(probes).filter((line) => line.msg === "request")).toEqual([]);
  });
});
