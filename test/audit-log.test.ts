import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    __typename
    ... on CreateApiKeySuccess { apiKey { id } }
    ... on Error { code }
  }
}`;
const REVOKE_KEY = `mutation($id: ID!) { revokeApiKey(id: $id) { __typename ... on Error { code } } }`;
const AUDIT = `query($filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id at actorKind actorName actorId entityType entityId action before after unit { code } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Node {
  id: string;
  actorKind: string;
  actorName: string;
  actorId: string | null;
  entityType: string;
  entityId: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  unit: { code: string } | null;
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe.each(await targets())("audit log on %s", (target) => {
  let server: TestServer;
  let directorate: string;
  let regionalHead: string;

  const audit = async (token: string, filter: Record<string, unknown> = {}, first = 50) => {
    const response = await server.gql(AUDIT, { filter, first }, token);
    expect(response.errors).toBeUndefined();
    return ((response.data?.auditLog.edges ?? []) as { node: Node }[]).map((edge) => edge.node);
  };
  const createKey = async (unitCode: string, name = "Audit uji") => {
    const response = await server.gql(
      CREATE_KEY,
      { input: { name, scopes: ["TICKETS_READ"], unitCode, expiresAt: inDays(30) } },
      directorate,
    );
    return response.data?.createApiKey.apiKey.id as string;
  };
  const rows = async () =>
    (await server.app.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log"))[0]?.n ?? 0;

  beforeAll(async () => {
    server = await startServer(target);
    directorate = await server.login("direktorat@pantau.demo");
    regionalHead = await server.login("kanwil.jatim@pantau.demo");
  });
  afterAll(() => server?.stop());

  it("records a change with its actor, entity and values, in the change's own transaction", async () => {
    const id = await createKey("KANIM-MALANG", "Audit Malang");
    const localId = Buffer.from(id, "base64").toString().split(":")[1];
    const [created] = await audit(directorate, { entity: id });
    expect(created).toMatchObject({
      actorKind: "USER",
      actorName: "direktorat@pantau.demo",
      entityType: "ApiKey",
      entityId: localId,
      action: "create",
      before: null,
      unit: { code: "KANIM-MALANG" },
    });
    expect(created?.after).toMatchObject({ name: "Audit Malang", scopes: ["tickets:read"], unitCode: "KANIM-MALANG" });
    expect(JSON.stringify(created)).not.toMatch(/key_?hash/i);

    await server.gql(REVOKE_KEY, { id }, directorate);
    const [revoked, first] = await audit(directorate, { entity: id });
    expect(revoked).toMatchObject({ action: "revoke", before: { revokedAt: null } });
    expect(revoked?.after?.revokedAt).toEqual(expect.any(String));
    expect(first?.id).toBe(created?.id);
    // Revoking a revoked key changes nothing, so nothing is recorded.
    await server.gql(REVOKE_KEY, { id }, directorate);
    expect(await audit(directorate, { entity: id })).toHaveLength(2);
  });

  it("records nothing for a change that did not commit", async () => {
    const before = await rows();
    const refused = await server.gql(
      CREATE_KEY,
      { input: { name: "Audit", scopes: [], unitCode: "KANIM-TIDAK-ADA", expiresAt: inDays(3) } },
      directorate,
    );
    expect(refused.data?.createApiKey.code).toBe("UNKNOWN_UNIT");
    // A unique violation inside the transaction (a taken prefix) rolls the record back with the key.
    await expect(
      server.app.db.transaction(async (sql) => {
        await sql.query(
          `INSERT INTO audit_log (actor_kind, actor_name, entity_type, entity_id, action) VALUES ('SYSTEM', 't', 'ApiKey', 'x', 'create')`,
        );
        await sql.query(
          `INSERT INTO api_key (name, prefix, key_hash, scopes, unit_id) SELECT name, prefix, key_hash, scopes, unit_id FROM api_key LIMIT 1`,
        );
      }),
    ).rejects.toThrow();
    expect(await rows()).toBe(before);
  });

  it("is append-only: updates, deletes and truncation are refused", async () => {
    await createKey("KANWIL-JI");
    for (const statement of ["UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log", "TRUNCATE audit_log"]) {
      await expect(server.app.db.sql.query(statement), statement).rejects.toThrow(/append-only/);
    }
    await expect(
      server.app.db.sql.query(
        `INSERT INTO audit_log (actor_kind, actor_name, entity_type, entity_id, action) VALUES ('USER', 'x', 'User', 'x', 'create')`,
      ),
    ).rejects.toThrow();
  });

  it("shows a regional head the changes of their region only, and the directorate everything", async () => {
    const inside = await createKey("KANIM-SURABAYA", "Audit Surabaya");
    const outside = await createKey("KANIM-DENPASAR", "Audit Denpasar");
    const headView = (await audit(regionalHead, {}, 100)).map((n) => n.unit?.code);
    expect(headView.length).toBeGreaterThan(0);
    for (const code of headView) expect(["KANWIL-JI", "KANIM-MALANG", "KANIM-SURABAYA"]).toContain(code);
    expect(await audit(regionalHead, { entity: outside })).toEqual([]);
    expect(await audit(regionalHead, { entity: inside })).toHaveLength(1);
    expect(await audit(directorate, { entity: outside })).toHaveLength(1);
    const outsideUnit = await server.gql(AUDIT, { filter: { unitCode: "KANIM-DENPASAR" } }, regionalHead);
    expect(outsideUnit.errors?.[0]?.extensions?.code).toBe("UNKNOWN_UNIT");
  });

  it("filters by actor, type, action and time, and pages newest first", async () => {
    const me = await server.gql(`{ viewer { user { id } } }`, {}, directorate);
    const actorId = me.data?.viewer.user.id as string;
    for (let i = 0; i < 3; i += 1) await createKey("KANIM-MALANG", `Audit halaman ${i}`);
    const mine = await audit(directorate, { actorId, entityType: "ApiKey", action: "create" });
    expect(mine.length).toBeGreaterThanOrEqual(3);
    for (const node of mine) expect(node).toMatchObject({ actorId, entityType: "ApiKey", action: "create" });
    const ids = mine.map((n) => BigInt(n.id));
    expect([...ids].sort((a, b) => (a < b ? 1 : -1))).toEqual(ids);

    const page1 = await server.gql(AUDIT, { first: 2 }, directorate);
    const page2 = await server.gql(AUDIT, { first: 2, after: page1.data?.auditLog.pageInfo.endCursor }, directorate);
    const [a, b] = (page1.data?.auditLog.edges ?? []) as { node: Node }[];
    const [c] = (page2.data?.auditLog.edges ?? []) as { node: Node }[];
    expect(BigInt(a?.node.id ?? 0)).toBeGreaterThan(BigInt(b?.node.id ?? 0));
    expect(BigInt(b?.node.id ?? 0)).toBeGreaterThan(BigInt(c?.node.id ?? 0));

    expect(await audit(directorate, { from: inDays(1) })).toEqual([]);
    const bad = await server.gql(AUDIT, { filter: { actorId: "bukan-id" } }, directorate);
    expect(bad.errors?.[0]?.extensions?.code).toBe("VALIDATION_FAILED");
  });

  it("is refused to unit supervisors, agents and API keys", async () => {
    for (const email of ["kanim.malang@pantau.demo", "agen.malang@pantau.demo"]) {
      const response = await server.gql(AUDIT, {}, await server.login(email));
      expect(response.errors?.[0]?.extensions?.code, email).toBe("FORBIDDEN");
    }
    const byKey = await server.gql(AUDIT, {}, server.apiKey);
    expect(byKey.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
