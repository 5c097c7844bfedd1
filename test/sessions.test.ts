import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, postgresUnavailableReason } from "./support/databases.js";
import { REDIS_URL, redisUnavailableReason } from "./support/instances.js";
import { expectStreamEndsWhenRevoked } from "./support/live.js";
import { DEMO_PASSWORD, startServer, type TestServer } from "./support/server.js";

const LOGIN = `mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    __typename
    ... on LoginSuccess { session { token } }
    ... on Error { code message }
    ... on TooManyAttemptsError { retryAfterSeconds }
  }
}`;
const REVOKE = `mutation($userId: ID) {
  revokeSessions(userId: $userId) {
    __typename
    ... on RevokeSessionsSuccess { sessions { revoked } }
    ... on Error { code }
  }
}`;

const THROTTLE_ENV = {
  PANTAU_TRUST_PROXY_HOPS: "1",
  PANTAU_LOGIN_ACCOUNT_FAILURES: "3",
  PANTAU_LOGIN_ADDRESS_FAILURES: "6",
  PANTAU_LOGIN_WINDOW_SECONDS: "60",
};

let addressCounter = 0;
/** A fresh client address, as the trusted proxy reports it. */
const newAddress = () => `198.51.100.${++addressCounter}`;

async function login(url: string, email: string, password: string, address: string) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": `203.0.113.250, ${address}` },
    body: JSON.stringify({ query: LOGIN, variables: { email, password } }),
  });
  const body = (await response.json()) as { data?: { login: Record<string, any> } };
  return body.data?.login ?? {};
}

describe("sessions", () => {
  let server: TestServer;
  const sessions = async () =>
    (await server.app.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM session"))[0]?.n ?? 0;

  beforeAll(async () => {
    server = await startServer("pglite", { env: THROTTLE_ENV });
    // Accounts of their own for the tests that lock one out, so the demo accounts stay usable.
    await server.app.db.sql.query(
      `INSERT INTO app_user (email, name, role, unit_id, password_hash)
       SELECT 'uji' || n || '@pantau.demo', 'Uji ' || n, 'AGENT', a.unit_id, a.password_hash
       FROM generate_series(1, 2) AS n, app_user a WHERE a.email = 'agen.malang@pantau.demo'`,
    );
  });
  afterAll(() => server?.stop());

  it("pauses sign-in to an account from an address after repeated failures there, even with the right password", async () => {
    const address = newAddress();
    for (let i = 0; i < 3; i++) {
      expect((await login(server.url, "uji1@pantau.demo", "salah", address)).code).toBe("INVALID_CREDENTIALS");
    }
    const before = await sessions();
    const paused = await login(server.url, "uji1@pantau.demo", DEMO_PASSWORD, address);
    expect(paused).toMatchObject({ __typename: "TooManyAttemptsError", code: "TOO_MANY_ATTEMPTS" });
    expect(paused.retryAfterSeconds).toBeGreaterThan(0);
    expect(paused.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await sessions()).toBe(before);
  });

  it("does not let an anonymous stranger lock the owner out: guesses from elsewhere pause only the guesser", async () => {
    const stranger = newAddress();
    // Any spelling of the e-mail address is the same account.
    for (const email of ["agen.malang@pantau.demo", " AGEN.MALANG@pantau.demo", "Agen.Malang@Pantau.Demo "]) {
      expect((await login(server.url, email, "salah", stranger)).code).toBe("INVALID_CREDENTIALS");
    }
    expect((await login(server.url, "agen.malang@pantau.demo", "salah", stranger)).code).toBe("TOO_MANY_ATTEMPTS");
    const owner = await login(server.url, "agen.malang@pantau.demo", DEMO_PASSWORD, newAddress());
    expect(owner.__typename).toBe("LoginSuccess");
  });

  it("pauses an account for everyone when guesses spread over ten times as many addresses", async () => {
    // 3 per address, 30 for the account: ten addresses' worth of guesses.
    for (let i = 0; i < 10; i++) {
      const address = newAddress();
      for (let j = 0; j < 3; j++) {
        expect((await login(server.url, "uji1@pantau.demo", "salah", address)).code).toMatch(
          /INVALID_CREDENTIALS|TOO_MANY_ATTEMPTS/,
        );
      }
    }
    expect((await login(server.url, "uji1@pantau.demo", DEMO_PASSWORD, newAddress())).code).toBe("TOO_MANY_ATTEMPTS");
  });

  it("answers an unknown account exactly like a real one", async () => {
    const answers = async (email: string) => {
      const seen = [];
      const address = newAddress();
      for (let i = 0; i < 4; i++) {
        const { __typename, code, message } = await login(server.url, email, "salah", address);
        seen.push({ __typename, code, message: String(message).replace(/\d+ s\b/, "N s") });
      }
      return seen;
    };
    const real = await answers("uji2@pantau.demo");
    const unknown = await answers("tidak.ada@pantau.demo");
    expect(unknown).toEqual(real);
    expect(real.at(-1)?.code).toBe("TOO_MANY_ATTEMPTS");
  });

  it("gives a successful sign-in a fresh count", async () => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) {
        expect((await login(server.url, "kanwil.jatim@pantau.demo", "salah", newAddress())).code).toBe(
          "INVALID_CREDENTIALS",
        );
      }
      expect((await login(server.url, "kanwil.jatim@pantau.demo", DEMO_PASSWORD, newAddress())).__typename).toBe(
        "LoginSuccess",
      );
    }
  });

  it("pauses an address that tries many accounts, and only that address", async () => {
    const address = newAddress();
    for (let i = 0; i < 6; i++) {
      expect((await login(server.url, `coba${i}@pantau.demo`, "salah", address)).code).toBe("INVALID_CREDENTIALS");
    }
    expect((await login(server.url, "direktorat@pantau.demo", DEMO_PASSWORD, address)).code).toBe("TOO_MANY_ATTEMPTS");
    expect((await login(server.url, "direktorat@pantau.demo", DEMO_PASSWORD, newAddress())).__typename).toBe(
      "LoginSuccess",
    );
  });

  it("raises a password hash made with older parameters at the next sign-in, which still succeeds", async () => {
    const { hashPassword } = await import("../server/src/modules/auth/password.js");
    const old = await hashPassword(DEMO_PASSWORD, { N: 2 ** 14, r: 8, p: 1 });
    await server.app.db.sql.query(
      `INSERT INTO app_user (email, name, role, unit_id, password_hash)
       SELECT 'lama@pantau.demo', 'Akun Lama', 'AGENT', unit_id, $1 FROM app_user WHERE email = 'agen.malang@pantau.demo'`,
      [old],
    );
    const stored = async () =>
      (
        await server.app.db.sql.query<{ hash: string }>(
          "SELECT password_hash AS hash FROM app_user WHERE email = 'lama@pantau.demo'",
        )
      )[0]?.hash;
    const address = newAddress();
    // A wrong password changes nothing.
    expect((await login(server.url, "lama@pantau.demo", "bukan-sandinya-sama-sekali", address)).code).toBe(
      "INVALID_CREDENTIALS",
    );
    expect(await stored()).toBe(old);
    expect((await login(server.url, "lama@pantau.demo", DEMO_PASSWORD, address)).__typename).toBe("LoginSuccess");
    const raised = await stored();
    expect(raised).not.toBe(old);
    expect(raised).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect((await login(server.url, "lama@pantau.demo", DEMO_PASSWORD, newAddress())).__typename).toBe("LoginSuccess");
    expect(await stored()).toBe(raised);
  });

  it("ends every session of a person at once", async () => {
    const [first, second] = [
      await server.login("direktorat@pantau.demo"),
      await server.login("direktorat@pantau.demo"),
    ];
    const out = await server.gql(REVOKE, {}, first);
    expect(out.data?.revokeSessions.sessions.revoked).toBeGreaterThanOrEqual(2);
    for (const token of [first, second]) expect((await server.gql(`{ viewer { name } }`, {}, token)).status).toBe(401);
  });

  it("ends the live streams of sessions it ends", async () => {
    const directorate = await server.login("direktorat@pantau.demo");
    const agent = await server.login("agen.malang@pantau.demo");
    const agentId = (await server.gql(`{ viewer { user { id } } }`, {}, agent)).data?.viewer.user.id;
    await expectStreamEndsWhenRevoked(server, agent, directorate, () =>
      server.gql(REVOKE, { userId: agentId }, directorate),
    );
  });

  it("lets those who administer an account end its sessions, and nobody else", async () => {
    const agent = await server.login("agen.malang@pantau.demo");
    const agentId = (await server.gql(`{ viewer { user { id } } }`, {}, agent)).data?.viewer.user.id;
    const colleague = await server.login("agen.kanim-malang.1@pantau.demo");
    const supervisor = await server.login("kanim.malang@pantau.demo");
    const head = await server.login("kanwil.jatim@pantau.demo");
    const headId = (await server.gql(`{ viewer { user { id } } }`, {}, head)).data?.viewer.user.id;
    // A colleague of the same office administers nobody; a key has no sessions to manage.
    const byColleague = await server.gql(REVOKE, { userId: agentId }, colleague);
    expect(byColleague.data?.revokeSessions).toEqual({ __typename: "ForbiddenError", code: "FORBIDDEN" });
    const byKey = await server.gql(REVOKE, { userId: agentId }, server.apiKey);
    expect(byKey.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // The office's supervisor cannot reach the regional head above it.
    const upwards = await server.gql(REVOKE, { userId: headId }, supervisor);
    expect(upwards.data?.revokeSessions).toEqual({ __typename: "NotFoundError", code: "NOT_FOUND" });
    expect((await server.gql(`{ viewer { name } }`, {}, agent)).status).toBe(200);
    expect((await server.gql(`{ viewer { name } }`, {}, head)).status).toBe(200);

    const directorate = await server.login("direktorat@pantau.demo");
    for (const userId of ["nope", Buffer.from("User:00000000-0000-4000-8000-000000000000").toString("base64")]) {
      const missing = await server.gql(REVOKE, { userId }, directorate);
      expect(missing.data?.revokeSessions).toEqual({ __typename: "NotFoundError", code: "NOT_FOUND" });
    }
    // The office's supervisor administers its agents, so may sign one out everywhere.
    const done = await server.gql(REVOKE, { userId: agentId }, supervisor);
    expect(done.data?.revokeSessions.sessions.revoked).toBeGreaterThanOrEqual(1);
    expect((await server.gql(`{ viewer { name } }`, {}, agent)).status).toBe(401);
    expect((await server.gql(`{ viewer { name } }`, {}, supervisor)).status).toBe(200);
    expect((await server.gql(`{ viewer { name } }`, {}, colleague)).status).toBe(200);
  });
});

const sharedReason = (await postgresUnavailableReason()) ?? (await redisUnavailableReason());

describe.skipIf(sharedReason !== null)(
  `sign-in throttling across instances sharing Redis${sharedReason ? ` (skipped: ${sharedReason})` : ""}`,
  () => {
    let a: TestServer;
    let b: TestServer;
    let drop = async () => {};

    beforeAll(async () => {
      const database = await createDatabase();
      drop = database.drop;
      const env = { ...THROTTLE_ENV, REDIS_URL };
      a = await startServer("postgres", { databaseUrl: database.url, env });
      b = await startServer("postgres", { databaseUrl: database.url, env });
    });
    afterAll(async () => {
      await a?.stop();
      await b?.stop();
      await drop();
    });

    it("counts failures on one instance against the other", async () => {
      const address = newAddress();
      const email = `bersama.${Date.now()}@pantau.demo`;
      expect((await login(a.url, email, "salah", address)).code).toBe("INVALID_CREDENTIALS");
      expect((await login(b.url, email, "salah", address)).code).toBe("INVALID_CREDENTIALS");
      expect((await login(a.url, email, "salah", address)).code).toBe("INVALID_CREDENTIALS");
      expect((await login(b.url, email, "salah", address)).code).toBe("TOO_MANY_ATTEMPTS");
      expect((await login(a.url, email, "salah", address)).code).toBe("TOO_MANY_ATTEMPTS");
    });

    it("refuses a session ended on one instance on the other, though the other had just verified it", async () => {
      const token = await a.login("agen.malang@pantau.demo");
      // Verified (and so remembered) by B a moment before A ends it.
      expect((await b.gql(`{ viewer { name } }`, {}, token)).status).toBe(200);
      expect((await a.gql(`mutation { logout }`, {}, token)).status).toBe(200);
      let status = 200;
      for (let attempt = 0; attempt < 40 && status !== 401; attempt++) {
        status = (await b.gql(`{ viewer { name } }`, {}, token)).status;
        if (status !== 401) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status).toBe(401);
      expect((await a.gql(`{ viewer { name } }`, {}, token)).status).toBe(401);
    });
  },
);
