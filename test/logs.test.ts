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
});
