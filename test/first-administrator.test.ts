import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, targets } from "./support/databases.js";
import { type Run, runEntry as run } from "./support/entry.js";
import { DEMO_PASSWORD, startServer, type TestServer } from "./support/server.js";

const HINT =
  "No active directorate account: create one with `pnpm admin create-user --email <e-mail> --name <name> --role DIRECTORATE --unit IMI`";
const LINK = /(http:\/\/\S+\/set-password#token=(ptp_[A-Za-z0-9_-]+))/;

const COMPLETE = `mutation($token: String!, $password: String!) {
  completePasswordSetup(token: $token, password: $password) {
    __typename
    ... on CompletePasswordSetupSuccess { session { token expiresAt } }
    ... on Error { code message }
    ... on WeakPasswordError { rule }
  }
}`;

describe.each(await targets())("the first administrator on %s", (target) => {
  let env: Record<string, string>;
  let location: { dataDir?: string; databaseUrl?: string };
  let cleanup: () => Promise<void>;
  const admin = (...args: string[]) => run("src/admin.ts", args, env);
  const runs: Record<string, Run> = {};
  let server: TestServer | undefined;

  beforeAll(async () => {
    if (target === "postgres") {
      const database = await createDatabase();
      env = { DATABASE_URL: database.url, NODE_ENV: "production" };
      location = { databaseUrl: database.url };
      cleanup = database.drop;
    } else {
      const dir = mkdtempSync(join(tmpdir(), "pantau-first-admin-"));
      env = { PANTAU_DATA_DIR: dir, NODE_ENV: "production" };
      location = { dataDir: dir };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    // An empty database: the production start says how to get in. (PGlite belongs to one process at a
    // time, so each command runs while no server holds the folder.)
    runs.start = await run("src/main.ts", [], env, "Pantau is listening");
    runs.create = await admin(
      "create-user",
      "--email",
      "Admin.Pertama@Imigrasi.go.id",
      "--name",
      "Admin Pertama",
      "--role",
      "DIRECTORATE",
      "--unit",
      "IMI",
    );
    runs.reset = await admin("reset-password", "--email", "admin.pertama@imigrasi.go.id");
    runs.head = await admin(
      "create-user",
      "--email",
      "kepala.jatim@imigrasi.go.id",
      "--name",
      "Kepala Jatim",
      "--role",
      "REGIONAL_HEAD",
      "--unit",
      "KANWIL-JI",
    );
    runs.duplicate = await admin(
      "create-user",
      "--email",
      "admin.pertama@imigrasi.go.id",
      "--name",
      "Lagi",
      "--role",
      "AGENT",
      "--unit",
      "KANIM-TIDAK-ADA",
    );
    server = await startServer(target, { ...location, env: { NODE_ENV: "production" } });
  }, 900_000);
  afterAll(async () => {
    await server?.stop();
    await cleanup?.();
  });

  const link = (name: string) => {
    const match = LINK.exec(runs[name]?.stdout ?? "");
    if (!match?.[2]) throw new Error(`no link in ${JSON.stringify(runs[name])}`);
    return match[2];
  };

  it("logs the command to run, once, when a production start finds no directorate account", () => {
    expect(runs.start?.stdout.split(HINT).length).toBe(2);
  });

  it("prints a one-time link and no password, and stores only the token's hash", async () => {
    expect(runs.create?.code).toBe(0);
    expect(runs.create?.stdout).toContain("Created DIRECTORATE account admin.pertama@imigrasi.go.id at IMI.");
    // Exactly what was said, so nothing else (a password, a hash) can slip into the output.
    expect(runs.create?.stdout).toMatch(
      /^Created DIRECTORATE account admin\.pertama@imigrasi\.go\.id at IMI\.\nOpen this link once, before \S+Z, to set the password:\n {2}http:\/\/\S+\/set-password#token=ptp_[\w-]{43}\n$/,
    );
    expect(runs.create?.stderr).not.toContain("ptp_");
    const token = link("reset");
    const rows = await server?.app.db.sql.query<{ token_hash: string; hours: number; password_hash: string | null }>(
      `SELECT s.token_hash, extract(epoch FROM s.expires_at - s.created_at) / 3600 AS hours, u.password_hash
       FROM password_setup s JOIN app_user u ON u.id = s.user_id WHERE u.email = 'admin.pertama@imigrasi.go.id'`,
    );
    expect(rows).toHaveLength(2);
    for (const row of rows ?? []) {
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.token_hash).not.toContain(token);
      expect(Number(row.hours)).toBe(24);
      expect(row.password_hash).toBeNull();
    }
  });

  it("refuses a duplicate e-mail address and writes nothing", async () => {
    expect(runs.duplicate?.code).toBe(1);
    expect(runs.duplicate?.stderr).toMatch(/already exists|No unit/);
    const [count] = (await server?.app.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM app_user")) ?? [];
    expect(count?.n).toBe(2);
  });

  it("refuses a replaced link, a weak password and an expired link, with typed errors", async () => {
    const gql = (server as TestServer).gql;
    const replaced = await gql(COMPLETE, { token: link("create"), password: "kuda lumping makan sate" });
    expect(replaced.data?.completePasswordSetup.code).toBe("SETUP_LINK_INVALID");
    const unknown = await gql(COMPLETE, { token: "ptp_tidak-ada", password: "kuda lumping makan sate" });
    expect(unknown.data?.completePasswordSetup.code).toBe("SETUP_LINK_INVALID");
    const token = link("reset");
    for (const [password, rule] of [
      ["pendek", "TOO_SHORT"],
      [DEMO_PASSWORD, "DEMO_PASSWORD"],
      ["admin.pertama@imigrasi.go.id!", "CONTAINS_EMAIL"],
    ]) {
      const weak = await gql(COMPLETE, { token, password });
      expect(weak.data?.completePasswordSetup, password).toMatchObject({ code: "WEAK_PASSWORD", rule });
    }
    await server?.app.db.sql.query(
      `UPDATE password_setup SET expires_at = now() - interval '1 second'
       WHERE user_id = (SELECT id FROM app_user WHERE email = 'kepala.jatim@imigrasi.go.id')`,
    );
    const expired = await gql(COMPLETE, { token: link("head"), password: "kuda lumping makan sate" });
    expect(expired.data?.completePasswordSetup.code).toBe("SETUP_LINK_EXPIRED");
    const [user] =
      (await server?.app.db.sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM app_user WHERE password_hash IS NOT NULL",
      )) ?? [];
    expect(user?.n).toBe(0);
  });

  it("sets the password once, signs the administrator in, and records it all in the audit log", async () => {
    const gql = (server as TestServer).gql;
    const password = "kuda lumping makan sate";
    const done = await gql(COMPLETE, { token: link("reset"), password });
    expect(done.data?.completePasswordSetup.__typename).toBe("CompletePasswordSetupSuccess");
    const session = done.data?.completePasswordSetup.session.token as string;
    const me = await gql(`{ viewer { email role unit { code } } }`, {}, session);
    expect(me.data?.viewer).toEqual({
      email: "admin.pertama@imigrasi.go.id",
      role: "DIRECTORATE",
      unit: { code: "IMI" },
    });

    const again = await gql(COMPLETE, { token: link("reset"), password: "another long password" });
    expect(again.data?.completePasswordSetup.code).toBe("SETUP_LINK_USED");
    const login = await gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }`, {
      e: "admin.pertama@imigrasi.go.id",
      p: password,
    });
    expect(login.data?.login.__typename).toBe("LoginSuccess");

    const log = await gql(
      `{ auditLog(first: 10) { edges { node { actorKind actorName entityType action unit { code } } } } }`,
      {},
      session,
    );
    const entries = (log.data?.auditLog.edges ?? []).map((edge: { node: unknown }) => edge.node);
    expect(entries).toEqual([
      {
        actorKind: "USER",
        actorName: "admin.pertama@imigrasi.go.id",
        entityType: "User",
        action: "set-password",
        unit: { code: "IMI" },
      },
      {
        actorKind: "SYSTEM",
        actorName: "pnpm admin create-user",
        entityType: "User",
        action: "create",
        unit: { code: "KANWIL-JI" },
      },
      {
        actorKind: "SYSTEM",
        actorName: "pnpm admin reset-password",
        entityType: "User",
        action: "reset-password",
        unit: { code: "IMI" },
      },
      {
        actorKind: "SYSTEM",
        actorName: "pnpm admin create-user",
        entityType: "User",
        action: "create",
        unit: { code: "IMI" },
      },
    ]);
  });
});
