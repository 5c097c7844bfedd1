import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { expectStreamEndsWhenRevoked } from "./support/live.js";
import { startServer, type TestServer } from "./support/server.js";

/** Short, so that a test can wait out how long a verified credential is remembered. */
const ACCESS_RECHECK_MS = 300;

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    __typename
    ... on CreateApiKeySuccess { key apiKey { id name prefix scopes unit { code } createdAt expiresAt revokedAt lastUsedAt active } }
    ... on Error { code message }
    ... on ValidationError { field }
    ... on UnknownUnitError { unitCode }
  }
}`;
const REVOKE_KEY = `mutation($id: ID!) {
  revokeApiKey(id: $id) {
    __typename
    ... on RevokeApiKeySuccess { apiKey { id revokedAt active } }
    ... on Error { code message }
  }
}`;
const LIST_KEYS = `query($all: Boolean) { apiKeys(includeInactive: $all) { id name prefix scopes revokedAt lastUsedAt } }`;

const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString();

describe.each(await targets())("API keys on %s", (target) => {
  let server: TestServer;
  let directorate: string;
  let regionalHead: string;

  const keyRows = async () =>
    (await server.app.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM api_key"))[0]?.n ?? 0;
  const create = (input: Record<string, unknown>, token: string | undefined = directorate) =>
    server.gql(
      CREATE_KEY,
      {
        input: {
          name: "Ombudsman RI",
          scopes: ["TICKETS_READ"],
          unitCode: "KANWIL-JI",
          expiresAt: inDays(30),
          ...input,
        },
      },
      token,
    );

  /** A key that must be created: its secret and record. */
  const created = async (input: Record<string, unknown>) => {
    const payload = (await create(input)).data?.createApiKey;
    expect(payload?.__typename).toBe("CreateApiKeySuccess");
    return payload as { key: string; apiKey: { id: string; prefix: string } };
  };

  beforeAll(async () => {
    server = await startServer(target, { env: { PANTAU_ACCESS_RECHECK_MS: String(ACCESS_RECHECK_MS) } });
    [directorate, regionalHead] = await Promise.all([
      server.login("direktorat@pantau.demo"),
      server.login("kanwil.jatim@pantau.demo"),
    ]);
  });
  afterAll(() => server?.stop());

  it("shows the secret once, stores only its hash, and the key works within its unit and scopes", async () => {
    const response = await create({
      name: "  Ombudsman RI — riset  ",
      scopes: ["TICKETS_READ", "METRICS_READ", "TICKETS_READ"],
    });
    const payload = response.data?.createApiKey;
    expect(payload.__typename).toBe("CreateApiKeySuccess");
    expect(payload.key).toMatch(/^ptk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(payload.key.startsWith(`${payload.apiKey.prefix}_`)).toBe(true);
    expect(payload.apiKey).toMatchObject({
      name: "Ombudsman RI — riset",
      scopes: ["METRICS_READ", "TICKETS_READ"],
      unit: { code: "KANWIL-JI" },
      revokedAt: null,
      lastUsedAt: null,
      active: true,
    });
    const [row] = await server.app.db.sql.query<Record<string, unknown>>("SELECT * FROM api_key WHERE prefix = $1", [
      payload.apiKey.prefix,
    ]);
    // The secret is everything after `ptk_<prefix>_`; it may itself contain "_".
    const secret = (payload.key as string).slice(`${payload.apiKey.prefix}_`.length);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row?.key_hash).toMatch(/^[0-9a-f]{64}$/);

    const viewer = await server.gql(`{ viewer { kind scopes unit { code } } }`, {}, payload.key);
    expect(viewer.data?.viewer).toEqual({
      kind: "API_KEY",
      scopes: ["metrics:read", "tickets:read"],
      unit: { code: "KANWIL-JI" },
    });
    const outside = await server.gql(`{ unit(code: "KANWIL-BA") { code } }`, {}, payload.key);
    expect(outside.data?.unit).toBeNull();

    // Listed for the directorate, never with the hash or the secret.
    const listed = await server.gql(LIST_KEYS, {}, directorate);
    const entry = listed.data?.apiKeys.find((k: { id: string }) => k.id === payload.apiKey.id);
    expect(entry).toMatchObject({ prefix: payload.apiKey.prefix });
    expect(JSON.stringify(listed.data)).not.toContain(payload.key);
  });

  it("records the last use at most once a minute per key", async () => {
    const { key, apiKey } = await created({});
    const lastUsed = async () =>
      (
        await server.app.db.sql.query<{ at: Date | null }>("SELECT last_used_at AS at FROM api_key WHERE prefix = $1", [
          apiKey.prefix,
        ])
      )[0]?.at ?? null;
    await server.gql(`{ viewer { name } }`, {}, key);
    await expect.poll(lastUsed).not.toBeNull();
    const recent = new Date(Date.now() - 30_000);
    await server.app.db.sql.query("UPDATE api_key SET last_used_at = $2 WHERE prefix = $1", [apiKey.prefix, recent]);
    for (let i = 0; i < 3; i++) await server.gql(`{ viewer { name } }`, {}, key);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await lastUsed())?.getTime()).toBe(recent.getTime());
    const old = new Date(Date.now() - 120_000);
    await server.app.db.sql.query("UPDATE api_key SET last_used_at = $2 WHERE prefix = $1", [apiKey.prefix, old]);
    // The key's row is read again once the verified credential is no longer remembered.
    await new Promise((resolve) => setTimeout(resolve, ACCESS_RECHECK_MS * 2));
    await server.gql(`{ viewer { name } }`, {}, key);
    await expect.poll(async () => (await lastUsed())?.getTime()).toBeGreaterThan(Date.now() - 10_000);
  });

  it("revokes a key at once and lists it only among inactive keys", async () => {
    const { key, apiKey } = await created({});
    expect((await server.gql(`{ viewer { name } }`, {}, key)).status).toBe(200);
    const revoked = await server.gql(REVOKE_KEY, { id: apiKey.id }, directorate);
    expect(revoked.data?.revokeApiKey).toMatchObject({
      __typename: "RevokeApiKeySuccess",
      apiKey: { id: apiKey.id, active: false },
    });
    expect(revoked.data?.revokeApiKey.apiKey.revokedAt).toBeTruthy();
    const refused = await server.gql(`{ viewer { name } }`, {}, key);
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const again = await server.gql(REVOKE_KEY, { id: apiKey.id }, directorate);
    expect(again.data?.revokeApiKey.apiKey.revokedAt).toBe(revoked.data?.revokeApiKey.apiKey.revokedAt);
    const active = await server.gql(LIST_KEYS, {}, directorate);
    expect(active.data?.apiKeys.map((k: { id: string }) => k.id)).not.toContain(apiKey.id);
    const all = await server.gql(LIST_KEYS, { all: true }, directorate);
    expect(all.data?.apiKeys.map((k: { id: string }) => k.id)).toContain(apiKey.id);
  });

  it("ends a revoked key's live stream at its next event", async () => {
    const { key, apiKey } = await created({});
    await expectStreamEndsWhenRevoked(server, key, directorate, () =>
      server.gql(REVOKE_KEY, { id: apiKey.id }, directorate),
    );
  });

  it("gives a key the rate tier the directorate chose, which sets its query budget", async () => {
    const standard = await created({});
    const partner = await created({ rateTier: "PARTNER" });
    const tierOf = async (key: string) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: "{ viewer { rateTier } }" }),
      });
      const body = (await response.json()) as {
        data: { viewer: { rateTier: string } };
        extensions: { cost: { budget: { tier: string; capacity: number } } };
      };
      return { tier: body.data.viewer.rateTier, budget: body.extensions.cost.budget };
    };
    const a = await tierOf(standard.key);
    const b = await tierOf(partner.key);
    expect(a.tier).toBe("STANDARD");
    expect(b.tier).toBe("PARTNER");
    expect(b.budget.tier).toBe("PARTNER");
    expect(b.budget.capacity).toBeGreaterThan(a.budget.capacity);
    const listed = await server.gql(`{ apiKeys { prefix rateTier } }`, {}, directorate);
    expect(listed.data?.apiKeys.find((k: { prefix: string }) => k.prefix === partner.apiKey.prefix)?.rateTier).toBe(
      "PARTNER",
    );
  });

  it("refuses an expired key", async () => {
    const { key, apiKey } = await created({});
    await server.app.db.sql.query("UPDATE api_key SET expires_at = now() - interval '1 second' WHERE prefix = $1", [
      apiKey.prefix,
    ]);
    expect((await server.gql(`{ viewer { name } }`, {}, key)).status).toBe(401);
  });

  it.each([
    ["a blank name", { name: "   " }, "VALIDATION_FAILED", "name"],
    ["an over-long name", { name: "x".repeat(121) }, "VALIDATION_FAILED", "name"],
    ["an expiry in the past", { expiresAt: inDays(-1) }, "VALIDATION_FAILED", "expiresAt"],
    ["an expiry more than a year ahead", { expiresAt: inDays(400) }, "VALIDATION_FAILED", "expiresAt"],
    ["an unknown unit", { unitCode: "KANIM-ATLANTIS" }, "UNKNOWN_UNIT", null],
  ])("refuses %s with a typed error and writes nothing", async (_label, input, code, field) => {
    const before = await keyRows();
    const response = await create(input);
    expect(response.errors).toBeUndefined();
    expect(response.data?.createApiKey.code).toBe(code);
    if (field) expect(response.data?.createApiKey.field).toBe(field);
    expect(await keyRows()).toBe(before);
  });

  it("refuses an unknown scope before execution and writes nothing", async () => {
    const before = await keyRows();
    const response = await create({ scopes: ["TICKETS_READ", "ADMIN"] });
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.message).toMatch(/ApiKeyScope/);
    expect(await keyRows()).toBe(before);
  });

  it("refuses a unit outside a directorate member's scope like an unknown one", async () => {
    // A directorate member posted to a region: the role allows managing keys, the scope limits where.
    await server.app.db.sql.query(
      `INSERT INTO app_user (email, name, role, unit_id, password_hash)
       SELECT 'direktorat.jatim@pantau.demo', 'Direktorat di Jatim', 'DIRECTORATE', u.id, a.password_hash
       FROM unit u, app_user a WHERE u.code = 'KANWIL-JI' AND a.email = 'direktorat@pantau.demo'`,
    );
    const posted = await server.login("direktorat.jatim@pantau.demo");
    const before = await keyRows();
    const outside = await create({ unitCode: "KANWIL-BA" }, posted);
    expect(outside.data?.createApiKey).toMatchObject({ code: "UNKNOWN_UNIT", unitCode: "KANWIL-BA" });
    expect(await keyRows()).toBe(before);
    const { apiKey } = await created({ unitCode: "KANWIL-BA" });
    const revoke = await server.gql(REVOKE_KEY, { id: apiKey.id }, posted);
    expect(revoke.data?.revokeApiKey.code).toBe("NOT_FOUND");
    const node = await server.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: apiKey.id }, posted);
    expect(node.data?.node).toBeNull();
    expect(
      (await server.gql(LIST_KEYS, { all: true }, posted)).data?.apiKeys.map((k: { id: string }) => k.id),
    ).not.toContain(apiKey.id);
  });

  it("answers a malformed or foreign id to revoke with NOT_FOUND", async () => {
    for (const id of ["nope", Buffer.from("Ticket:00000000-0000-4000-8000-000000000000").toString("base64")]) {
      const response = await server.gql(REVOKE_KEY, { id }, directorate);
      expect(response.data?.revokeApiKey.code).toBe("NOT_FOUND");
    }
  });

  it("lets only the directorate manage keys", async () => {
    const before = await keyRows();
    for (const token of [regionalHead, server.apiKey, undefined]) {
      const created = await create({}, token ?? "");
      expect(created.data?.createApiKey ?? null).toBeNull();
      expect(["FORBIDDEN", "UNAUTHENTICATED"]).toContain(created.errors?.[0]?.extensions?.code);
      const listed = await server.gql(LIST_KEYS, {}, token);
      expect(listed.data?.apiKeys ?? null).toBeNull();
    }
    expect(await keyRows()).toBe(before);
  });
});
