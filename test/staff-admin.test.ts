import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, targets } from "./support/databases.js";
import { ASSIGN, CREATE, NOTE, newTicketInput, TRIAGE } from "./support/documents.js";
import { REDIS_URL, redisUnavailableReason } from "./support/instances.js";
import { collect, expectStreamEndsWhenRevoked, liveClient, TICKET_EVENTS } from "./support/live.js";
import { DEMO_PASSWORD, startServer, type TestServer } from "./support/server.js";

const USER_FIELDS = "id name email emailMasked role active passwordSet unit { code }";
const CREATE_USER = `mutation($input: CreateUserInput!) {
  createUser(input: $input) {
    __typename
    ... on CreateUserSuccess { user { ${USER_FIELDS} } invitation { url expiresAt } }
    ... on Error { code message }
    ... on NotGrantableError { field }
    ... on ValidationError { field }
  }
}`;
const UPDATE_USER = `mutation($input: UpdateUserInput!) {
  updateUser(input: $input) {
    __typename
    ... on UpdateUserSuccess { user { ${USER_FIELDS} } }
    ... on Error { code message }
    ... on NotGrantableError { field }
    ... on SelfChangeError { field }
    ... on ValidationError { field }
  }
}`;
const DEACTIVATE_USER = `mutation($id: ID!) {
  deactivateUser(id: $id) {
    __typename
    ... on DeactivateUserSuccess { sessionsEnded user { active } }
    ... on Error { code message }
  }
}`;
const RESET_PASSWORD = `mutation($id: ID!) {
  resetUserPassword(id: $id) {
    __typename
    ... on ResetUserPasswordSuccess { user { id } link { url expiresAt } }
    ... on Error { code message }
  }
}`;
const COMPLETE = `mutation($token: String!, $password: String!) {
  completePasswordSetup(token: $token, password: $password) {
    __typename
    ... on CompletePasswordSetupSuccess { session { token } }
    ... on Error { code }
    ... on WeakPasswordError { rule }
  }
}`;
const USERS = `query($filter: UserFilter, $first: Int, $after: String) {
  users(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { cursor node { ${USER_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const AUDIT = `query($filter: AuditLogFilter) {
  auditLog(filter: $filter, first: 20) {
    edges { node { actorName action entityId before after unit { code } } }
  }
}`;

const STRONG = "kuda lumping makan sate";
let serial = 0;
const newEmail = (tag: string) => `${tag}.${Date.now().toString(36)}${++serial}@imigrasi.go.id`;
const tokenOf = (url: string) => new URL(url).hash.replace(/^#token=/, "");
const localId = (globalId: string) => Buffer.from(globalId, "base64").toString().split(":")[1] as string;

describe.each(await targets())("staff administration on %s", (target) => {
  let server: TestServer;
  let directorate: string;
  let head: string;
  let supervisor: string;
  let agent: string;

  /** Rows every refused change must leave as they were. */
  const state = async () =>
    (
      await server.app.db.sql.query(
        `SELECT (SELECT count(*)::int FROM app_user) AS users,
                (SELECT md5(string_agg(name || role || unit_id || active, ',' ORDER BY id)) FROM app_user) AS accounts,
                (SELECT count(*)::int FROM password_setup) AS links,
                (SELECT count(*)::int FROM session WHERE revoked_at IS NOT NULL) AS revoked,
                (SELECT count(*)::int FROM audit_log) AS audit`,
      )
    )[0];
  const create = async (token: string, input: Record<string, unknown>) =>
    (await server.gql(CREATE_USER, { input }, token)).data?.createUser;
  const update = async (token: string, input: Record<string, unknown>) =>
    (await server.gql(UPDATE_USER, { input }, token)).data?.updateUser;
  const audit = async (filter: Record<string, unknown>) =>
    ((await server.gql(AUDIT, { filter }, directorate)).data?.auditLog.edges ?? []).map((e: any) => e.node);
  /** A new account with its password set, signed in. */
  const person = async (by: string, role: string, unitCode: string, name = "Petugas Uji") => {
    const email = newEmail(role.toLowerCase());
    const created = await create(by, { email, name, role, unitCode });
    expect(created.__typename).toBe("CreateUserSuccess");
    const done = await server.gql(COMPLETE, { token: tokenOf(created.invitation.url), password: STRONG });
    return {
      id: created.user.id as string,
      email,
      token: done.data?.completePasswordSetup.session.token as string,
    };
  };

  beforeAll(async () => {
    server = await startServer(target, { env: { PANTAU_ACCESS_RECHECK_MS: "200" } });
    [directorate, head, supervisor, agent] = await Promise.all([
      server.login("direktorat@pantau.demo"),
      server.login("kanwil.jatim@pantau.demo"),
      server.login("kanim.malang@pantau.demo"),
      server.login("agen.malang@pantau.demo"),
    ]);
  });
  afterAll(() => server?.stop());

  it("invites a person with a one-time link, audited in the same transaction, and the link signs them in once", async () => {
    const email = newEmail("rina");
    const before = Date.now();
    const created = await create(head, {
      email: email.toUpperCase(),
      name: " Rina Kusuma ",
      role: "UNIT_SUPERVISOR",
      unitCode: "KANIM-MALANG",
    });
    expect(created).toMatchObject({
      __typename: "CreateUserSuccess",
      user: {
        name: "Rina Kusuma",
        email,
        emailMasked: false,
        role: "UNIT_SUPERVISOR",
        active: true,
        passwordSet: false,
        unit: { code: "KANIM-MALANG" },
      },
    });
    expect(created.invitation.url).toMatch(/\/set-password#token=ptp_[A-Za-z0-9_-]+$/);
    const expires = Date.parse(created.invitation.expiresAt) - before;
    expect(expires).toBeGreaterThan(24 * 3_600_000 - 60_000);
    expect(expires).toBeLessThanOrEqual(24 * 3_600_000 + 60_000);

    const [record] = await audit({ entity: created.user.id, action: "create" });
    expect(record).toMatchObject({
      actorName: "kanwil.jatim@pantau.demo",
      entityId: localId(created.user.id),
      before: null,
      after: { email, name: "Rina Kusuma", role: "UNIT_SUPERVISOR", unitCode: "KANIM-MALANG", active: true },
      unit: { code: "KANIM-MALANG" },
    });
    expect(JSON.stringify(record)).not.toContain(tokenOf(created.invitation.url));

    // The password policy: length, the demo password, the account's own e-mail address; the link survives each.
    const token = tokenOf(created.invitation.url);
    for (const [password, rule] of [
      ["pendek", "TOO_SHORT"],
      [DEMO_PASSWORD, "DEMO_PASSWORD"],
      [`${email}!`, "CONTAINS_EMAIL"],
    ]) {
      const refused = await server.gql(COMPLETE, { token, password });
      expect(refused.data?.completePasswordSetup).toMatchObject({ __typename: "WeakPasswordError", rule });
    }
    const done = await server.gql(COMPLETE, { token, password: STRONG });
    expect(done.data?.completePasswordSetup.__typename).toBe("CompletePasswordSetupSuccess");
    const reused = await server.gql(COMPLETE, { token, password: `${STRONG} lagi` });
    expect(reused.data?.completePasswordSetup.code).toBe("SETUP_LINK_USED");
    const session = done.data?.completePasswordSetup.session.token;
    const me = await server.gql(`{ viewer { role email user { passwordSet } } }`, {}, session);
    expect(me.data?.viewer).toEqual({ role: "UNIT_SUPERVISOR", email, user: { passwordSet: true } });
  });

  it("refuses an expired link", async () => {
    const created = await create(directorate, {
      email: newEmail("lama"),
      name: "Akun Lama",
      role: "AGENT",
      unitCode: "KANIM-DENPASAR",
    });
    await server.app.db.sql.query(
      "UPDATE password_setup SET expires_at = now() - interval '1 second' WHERE user_id = $1::uuid",
      [localId(created.user.id)],
    );
    const expired = await server.gql(COMPLETE, { token: tokenOf(created.invitation.url), password: STRONG });
    expect(expired.data?.completePasswordSetup.code).toBe("SETUP_LINK_EXPIRED");
  });

  it("lets no one give a role above what they administer or a unit outside their scope, and writes nothing", async () => {
    const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
      [head, { role: "REGIONAL_HEAD", unitCode: "KANWIL-JI" }, { code: "ROLE_NOT_GRANTABLE", field: "role" }],
      [head, { role: "DIRECTORATE", unitCode: "IMI" }, { code: "UNKNOWN_UNIT" }],
      [head, { role: "AGENT", unitCode: "KANIM-DENPASAR" }, { code: "UNKNOWN_UNIT" }],
      [
        supervisor,
        { role: "UNIT_SUPERVISOR", unitCode: "KANIM-MALANG" },
        { code: "ROLE_NOT_GRANTABLE", field: "role" },
      ],
      [supervisor, { role: "AGENT", unitCode: "KANIM-SURABAYA" }, { code: "UNKNOWN_UNIT" }],
      [directorate, { role: "AGENT", unitCode: "KANIM-ATLANTIS" }, { code: "UNKNOWN_UNIT" }],
      // A role is based at a unit of its kind.
      [directorate, { role: "REGIONAL_HEAD", unitCode: "KANIM-MALANG" }, { code: "VALIDATION_FAILED", field: "role" }],
      [
        directorate,
        { role: "AGENT", unitCode: "KANIM-MALANG", email: "bukan-alamat" },
        { code: "VALIDATION_FAILED", field: "email" },
      ],
      [
        directorate,
        { role: "AGENT", unitCode: "KANIM-MALANG", name: "  " },
        { code: "VALIDATION_FAILED", field: "name" },
      ],
      // Any spelling of a taken address.
      [
        directorate,
        { role: "AGENT", unitCode: "KANIM-MALANG", email: " Agen.Malang@Pantau.Demo" },
        { code: "EMAIL_TAKEN" },
      ],
    ];
    const before = await state();
    for (const [token, input, expected] of cases) {
      const answer = await create(token, { email: newEmail("tolak"), name: "Ditolak", ...input });
      expect(answer, JSON.stringify(input)).toMatchObject(expected);
    }
    const byAgent = await server.gql(
      CREATE_USER,
      { input: { email: newEmail("x"), name: "X", role: "AGENT", unitCode: "KANIM-MALANG" } },
      agent,
    );
    expect(byAgent.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const byKey = await server.gql(USERS, {}, server.apiKey);
    expect(byKey.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await state()).toEqual(before);
  });

  it("creates one account when two creations of the same address race", async () => {
    const email = newEmail("balapan");
    const input = { email, name: "Balapan", role: "AGENT", unitCode: "KANIM-MALANG" };
    const answers = await Promise.all([create(directorate, input), create(head, input), create(supervisor, input)]);
    expect(answers.map((a) => a.__typename).sort()).toEqual([
      "CreateUserSuccess",
      "EmailTakenError",
      "EmailTakenError",
    ]);
    const [row] = await server.app.db.sql.query<{ n: number; audits: number }>(
      `SELECT count(*)::int AS n, (SELECT count(*)::int FROM audit_log WHERE action = 'create' AND after->>'email' = $1) AS audits
       FROM app_user WHERE email = $1`,
      [email],
    );
    expect(row).toEqual({ n: 1, audits: 1 });
  });

  it("lists the staff of the caller's scope, filtered, paged, with e-mail addresses masked unless administered", async () => {
    const colleague = await person(head, "UNIT_SUPERVISOR", "KANIM-MALANG", "Zaenal Pengawas");
    const all = await server.gql(USERS, { first: 100 }, head);
    expect(all.errors).toBeUndefined();
    const units = new Set(all.data?.users.edges.map((e: any) => e.node.unit.code));
    const region = await server.gql(`{ units(parentCode: "KANWIL-JI") { code } }`, {}, head);
    const jatim = ["KANWIL-JI", ...(region.data?.units ?? []).map((u: any) => u.code)];
    for (const code of units) expect(jatim).toContain(code);
    expect(all.data?.users.totalCount).toBe(all.data?.users.edges.length);
    const names = all.data?.users.edges.map((e: any) => e.node.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));

    const page = await server.gql(USERS, { first: 2 }, head);
    const next = await server.gql(USERS, { first: 2, after: page.data?.users.pageInfo.endCursor }, head);
    expect(page.data?.users.pageInfo.hasNextPage).toBe(true);
    expect(next.data?.users.edges.map((e: any) => e.node.id)).toEqual(
      all.data?.users.edges.slice(2, 4).map((e: any) => e.node.id),
    );

    const supervisors = await server.gql(
      USERS,
      { filter: { unitCode: "KANIM-MALANG", role: ["UNIT_SUPERVISOR"], active: true } },
      supervisor,
    );
    // Addresses of the accounts you administer in full, every other one masked: a fellow supervisor's, and
    // in a list your own too, since what a field shows depends on your role and units, not on who you are.
    const seen = supervisors.data?.users.edges.map((e: any) => e.node) ?? [];
    expect(seen.find((u: any) => u.name === "Zaenal Pengawas")).toMatchObject({
      emailMasked: true,
      email: "u***@imigrasi.go.id",
    });
    expect(seen.every((u: any) => u.emailMasked)).toBe(true);
    const agents = await server.gql(USERS, { filter: { role: ["AGENT"] } }, supervisor);
    expect(agents.data?.users.edges.length).toBeGreaterThan(0);
    for (const edge of agents.data?.users.edges ?? []) expect(edge.node.emailMasked).toBe(false);

    // A search reads names, and only the addresses the caller may see.
    const byName = await server.gql(USERS, { filter: { search: "zaenal" } }, supervisor);
    expect(byName.data?.users.edges.map((e: any) => e.node.id)).toEqual([colleague.id]);
    const byHiddenEmail = await server.gql(USERS, { filter: { search: colleague.email.split("@")[0] } }, supervisor);
    expect(byHiddenEmail.data?.users.totalCount).toBe(0);
    const byEmail = await server.gql(USERS, { filter: { search: colleague.email.split("@")[0] } }, head);
    expect(byEmail.data?.users.edges.map((e: any) => e.node.id)).toEqual([colleague.id]);
    const wildcard = await server.gql(USERS, { filter: { search: "%" } }, head);
    expect(wildcard.data?.users.totalCount).toBe(0);

    const outside = await server.gql(USERS, { filter: { unitCode: "KANIM-DENPASAR" } }, head);
    expect(outside.errors?.[0]?.extensions?.code).toBe("UNKNOWN_UNIT");
    const byAgent = await server.gql(USERS, {}, agent);
    expect(byAgent.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("masks a colleague's address alike for every live subscriber of one role and office", async () => {
    const [first, second] = [
      await person(supervisor, "AGENT", "KANIM-MALANG"),
      await person(supervisor, "AGENT", "KANIM-MALANG"),
    ];
    const ticket = (await server.gql(CREATE, { input: newTicketInput() }, first.token)).data?.createTicket.ticket;
    await server.gql(TRIAGE, { input: { ticketId: ticket.id } }, first.token);
    await server.gql(ASSIGN, { input: { ticketId: ticket.id, assigneeId: first.id } }, first.token);
    const WATCH = `subscription($id: ID!) { ticket(id: $id) { number assignee { id email emailMasked } } }`;
    const watchers = [first, second, { token: supervisor }].map(({ token }) => {
      const client = liveClient(server.url, token);
      return { client, stream: collect(client, WATCH, { id: ticket.id }, "ticket") };
    });
    try {
      for (const { stream } of watchers) await stream.waitFor((items) => items.length > 0, 15_000, "the ticket");
      await server.gql(NOTE, { input: { ticketId: ticket.id, body: "Catatan uji." } }, supervisor);
      for (const { stream } of watchers) await stream.waitFor((items) => items.length > 1, 15_000, "an update");
      const [own, colleague, boss] = watchers.map(({ stream }) => stream.items.map((item) => item.assignee));
      // The assignee's own stream too: one result serves every agent of the office.
      for (const seen of [...(own ?? []), ...(colleague ?? [])])
        expect(seen).toMatchObject({ id: first.id, emailMasked: true });
      for (const seen of boss ?? []) expect(seen).toMatchObject({ email: first.email, emailMasked: false });
    } finally {
      for (const { client, stream } of watchers) {
        stream.stop();
        await client.dispose();
      }
    }
  });

  it("changes name, role and unit, applies the new scope to the open session, and audits before and after", async () => {
    const staff = await person(head, "AGENT", "KANIM-MALANG", "Budi Santoso");
    const changed = await update(head, {
      id: staff.id,
      name: "Budi Santosa",
      role: "UNIT_SUPERVISOR",
      unitCode: "KANIM-SURABAYA",
    });
    expect(changed).toMatchObject({
      __typename: "UpdateUserSuccess",
      user: { name: "Budi Santosa", role: "UNIT_SUPERVISOR", unit: { code: "KANIM-SURABAYA" }, active: true },
    });
    const me = await server.gql(`{ viewer { role unit { code } } }`, {}, staff.token);
    expect(me.data?.viewer).toEqual({ role: "UNIT_SUPERVISOR", unit: { code: "KANIM-SURABAYA" } });
    const [record] = await audit({ entity: staff.id, action: "update" });
    expect(record).toMatchObject({
      actorName: "kanwil.jatim@pantau.demo",
      before: { name: "Budi Santoso", role: "AGENT", unitCode: "KANIM-MALANG" },
      after: { name: "Budi Santosa", role: "UNIT_SUPERVISOR", unitCode: "KANIM-SURABAYA" },
      // A move within the region belongs to the region.
      unit: { code: "KANWIL-JI" },
    });

    // A change that changes nothing writes nothing.
    const before = await state();
    expect((await update(head, { id: staff.id, name: "Budi Santosa" })).__typename).toBe("UpdateUserSuccess");
    expect(await state()).toEqual(before);
  });

  it("moves a person's live subscription with them: the old office's stream ends at its next event", async () => {
    const staff = await person(head, "UNIT_SUPERVISOR", "KANIM-MALANG", "Gita Pindah");
    const client = liveClient(server.url, staff.token);
    const stream = collect(client, TICKET_EVENTS, { unitCode: "KANIM-MALANG" }, "ticketEvents");
    try {
      const ticket = async () =>
        (await server.gql(CREATE, { input: newTicketInput() }, head)).data?.createTicket.ticket.number as string;
      const first = await ticket();
      await stream.waitFor((items) => items.some((e) => e.ticket?.number === first), 15_000, "an event before");
      expect((await update(head, { id: staff.id, unitCode: "KANIM-SURABAYA" })).__typename).toBe("UpdateUserSuccess");
      const second = await ticket();
      await stream.ended;
      expect(stream.errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect(stream.items.some((e) => e.ticket?.number === second)).toBe(false);
    } finally {
      stream.stop();
      await client.dispose();
    }
  });

  it("refuses changes outside the table, to oneself and to the unknown, and writes nothing", async () => {
    const staff = await person(directorate, "AGENT", "KANIM-MALANG", "Citra Lestari");
    const bali = await person(directorate, "AGENT", "KANIM-DENPASAR", "Made Wirawan");
    const ids = async (token: string) =>
      (await server.gql(`{ viewer { user { id } } }`, {}, token)).data?.viewer.user.id;
    const [headId, supervisorId, directorateId] = [await ids(head), await ids(supervisor), await ids(directorate)];
    const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
      [head, { id: staff.id, role: "REGIONAL_HEAD" }, { code: "ROLE_NOT_GRANTABLE", field: "role" }],
      [head, { id: staff.id, unitCode: "KANIM-DENPASAR" }, { code: "UNKNOWN_UNIT" }],
      [head, { id: staff.id, unitCode: "KANIM-ATLANTIS" }, { code: "UNKNOWN_UNIT" }],
      [head, { id: bali.id, name: "X" }, { code: "NOT_FOUND" }],
      [head, { id: "bukan-id", name: "X" }, { code: "NOT_FOUND" }],
      [supervisor, { id: staff.id, role: "UNIT_SUPERVISOR" }, { code: "ROLE_NOT_GRANTABLE" }],
      [supervisor, { id: headId, name: "X" }, { code: "NOT_FOUND" }],
      [agent, { id: staff.id, name: "X" }, { code: "FORBIDDEN" }],
      [head, { id: headId, role: "AGENT" }, { code: "SELF_CHANGE", field: "role" }],
      [
        supervisor,
        { id: supervisorId, unitCode: "KANIM-MALANG", role: "AGENT" },
        { code: "SELF_CHANGE", field: "role" },
      ],
      [directorate, { id: directorateId, active: false }, { code: "SELF_CHANGE", field: "active" }],
      [directorate, { id: staff.id, name: "x".repeat(121) }, { code: "VALIDATION_FAILED", field: "name" }],
      [directorate, { id: staff.id, role: "REGIONAL_HEAD" }, { code: "VALIDATION_FAILED", field: "role" }],
    ];
    const before = await state();
    for (const [token, input, expected] of cases) {
      expect(await update(token, input), JSON.stringify(input)).toMatchObject(expected);
    }
    for (const [token, id, code] of [
      [directorate, directorateId, "SELF_CHANGE"],
      [head, bali.id, "NOT_FOUND"],
      [supervisor, (await ids(supervisor)) as string, "SELF_CHANGE"],
    ] as const) {
      expect((await server.gql(DEACTIVATE_USER, { id }, token)).data?.deactivateUser.code).toBe(code);
      expect((await server.gql(RESET_PASSWORD, { id }, token)).data?.resetUserPassword.code).toBe(code);
    }
    expect(await state()).toEqual(before);
    // Your own name is yours to correct.
    expect((await update(supervisor, { id: supervisorId, name: "Kepala Kanim Malang" })).__typename).toBe(
      "UpdateUserSuccess",
    );
  });

  it("deactivates an account: its live subscription ends, its sessions end, it signs in nowhere; once", async () => {
    const staff = await person(supervisor, "AGENT", "KANIM-MALANG", "Dewi Anggraini");
    const other = await server.login("agen.malang@pantau.demo");
    let answer: any;
    await expectStreamEndsWhenRevoked(server, staff.token, directorate, async () => {
      answer = (await server.gql(DEACTIVATE_USER, { id: staff.id }, supervisor)).data?.deactivateUser;
    });
    expect(answer).toEqual({ __typename: "DeactivateUserSuccess", sessionsEnded: 1, user: { active: false } });
    expect((await server.gql(`{ viewer { name } }`, {}, staff.token)).status).toBe(401);
    expect((await server.gql(`{ viewer { name } }`, {}, other)).status).toBe(200);
    const login = await server.gql(
      `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename ... on Error { code } } }`,
      { e: staff.email, p: STRONG },
    );
    expect(login.data?.login.code).toBe("INVALID_CREDENTIALS");
    const [record] = await audit({ entity: staff.id, action: "deactivate" });
    expect(record).toMatchObject({
      actorName: "kanim.malang@pantau.demo",
      before: { active: true, openSessions: 1 },
      after: { active: false, openSessions: 0 },
    });

    const before = await state();
    const again = await server.gql(DEACTIVATE_USER, { id: staff.id }, supervisor);
    expect(again.data?.deactivateUser).toMatchObject({ sessionsEnded: 0, user: { active: false } });
    expect(await state()).toEqual(before);
    const reset = await server.gql(RESET_PASSWORD, { id: staff.id }, supervisor);
    expect(reset.data?.resetUserPassword.code).toBe("ACCOUNT_INACTIVE");
    expect(await state()).toEqual(before);

    const back = await update(supervisor, { id: staff.id, active: true });
    expect(back.user).toMatchObject({ active: true });
    expect((await audit({ entity: staff.id, action: "reactivate" })).length).toBe(1);

    // Deactivating through updateUser ends sessions the same way.
    const relogin = await server.gql(
      `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { ... on LoginSuccess { session { token } } } }`,
      { e: staff.email, p: STRONG },
    );
    const session = relogin.data?.login.session.token as string;
    expect((await server.gql(`{ viewer { name } }`, {}, session)).status).toBe(200);
    expect((await update(supervisor, { id: staff.id, active: false })).user).toMatchObject({ active: false });
    expect((await server.gql(`{ viewer { name } }`, {}, session)).status).toBe(401);
    const records = await audit({ entity: staff.id, action: "deactivate" });
    expect(records[0]).toMatchObject({
      before: { active: true, openSessions: 1 },
      after: { active: false, openSessions: 0 },
    });
  });

  it("leaves nothing half-written when the audit record cannot be written", async () => {
    const staff = await person(supervisor, "AGENT", "KANIM-MALANG", "Gagal Tulis");
    // The audit record is the last statement of the change: refusing it must undo everything before it.
    await server.app.db.sql.exec(`
      CREATE FUNCTION refuse_test_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.entity_id = '${localId(staff.id)}' OR NEW.after->>'name' = 'Gagal Dibuat' THEN
          RAISE EXCEPTION 'audit refused by the test';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_test_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_test_audit();`);
    try {
      const before = await state();
      const deactivated = await server.gql(DEACTIVATE_USER, { id: staff.id }, supervisor);
      expect(deactivated.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      const changed = await server.gql(UPDATE_USER, { input: { id: staff.id, name: "Nama Baru" } }, supervisor);
      expect(changed.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      const reset = await server.gql(RESET_PASSWORD, { id: staff.id }, supervisor);
      expect(reset.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      const created = await server.gql(
        CREATE_USER,
        { input: { email: newEmail("gagal"), name: "Gagal Dibuat", role: "AGENT", unitCode: "KANIM-MALANG" } },
        supervisor,
      );
      expect(created.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      expect(await state()).toEqual(before);
      expect((await server.gql(`{ viewer { name } }`, {}, staff.token)).status).toBe(200);
    } finally {
      await server.app.db.sql.exec("DROP TRIGGER refuse_test_audit ON audit_log; DROP FUNCTION refuse_test_audit();");
    }
  });

  it("resets a password with a new link that replaces the older ones", async () => {
    const invited = await create(head, {
      email: newEmail("eko"),
      name: "Eko Prasetyo",
      role: "AGENT",
      unitCode: "KANIM-SURABAYA",
    });
    const first = tokenOf(invited.invitation.url);
    const reset = await server.gql(RESET_PASSWORD, { id: invited.user.id }, head);
    expect(reset.data?.resetUserPassword.__typename).toBe("ResetUserPasswordSuccess");
    const second = tokenOf(reset.data?.resetUserPassword.link.url);
    expect(second).not.toBe(first);
    const old = await server.gql(COMPLETE, { token: first, password: STRONG });
    expect(old.data?.completePasswordSetup.code).toBe("SETUP_LINK_INVALID");
    const used = await server.gql(COMPLETE, { token: second, password: STRONG });
    expect(used.data?.completePasswordSetup.__typename).toBe("CompletePasswordSetupSuccess");
    const [record] = await audit({ entity: invited.user.id, action: "reset-password" });
    expect(record).toMatchObject({
      actorName: "kanwil.jatim@pantau.demo",
      before: { openSetupLinks: 1 },
      after: { openSetupLinks: 1 },
    });
  });
});

const sharedReason = (await targets()).includes("postgres")
  ? await redisUnavailableReason()
  : "PostgreSQL is unreachable";
if (sharedReason && process.env.REQUIRE_POSTGRES === "1") throw new Error(sharedReason);

describe.skipIf(sharedReason !== null)(
  `deactivation across instances sharing PostgreSQL and Redis${sharedReason ? ` (skipped: ${sharedReason})` : ""}`,
  () => {
    let database: Awaited<ReturnType<typeof createDatabase>>;
    let a: TestServer;
    let b: TestServer;

    beforeAll(async () => {
      database = await createDatabase();
      // A re-check interval far longer than the test: only the announcement can end the stream in time.
      const env = { REDIS_URL, PANTAU_ACCESS_RECHECK_MS: "600000" };
      a = await startServer("postgres", { databaseUrl: database.url, env });
      b = await startServer("postgres", { databaseUrl: database.url, env });
    });
    afterAll(async () => {
      await b?.stop();
      await a?.stop();
      await database?.drop();
    });

    it("ends the person's session and live subscription on the other instance within seconds", async () => {
      const head = await a.login("kanwil.jatim@pantau.demo");
      const created = (
        await a.gql(
          CREATE_USER,
          { input: { email: newEmail("fajar"), name: "Fajar Nugroho", role: "AGENT", unitCode: "KANIM-MALANG" } },
          head,
        )
      ).data?.createUser;
      const done = await b.gql(COMPLETE, { token: tokenOf(created.invitation.url), password: STRONG });
      const token = done.data?.completePasswordSetup.session.token as string;
      // Read once on B, so that B holds the credential in its cache.
      expect((await b.gql(`{ viewer { name } }`, {}, token)).status).toBe(200);

      const client = liveClient(b.url, token);
      const stream = collect(client, TICKET_EVENTS, { unitCode: "KANIM-MALANG" }, "ticketEvents");
      try {
        const ticket = async () =>
          (await a.gql(CREATE, { input: newTicketInput() }, head)).data?.createTicket.ticket.number as string;
        const first = await ticket();
        await stream.waitFor((items) => items.some((e) => e.ticket?.number === first), 15_000, "an event before");
        const answer = await a.gql(DEACTIVATE_USER, { id: created.user.id }, head);
        expect(answer.data?.deactivateUser.sessionsEnded).toBe(1);
        const started = Date.now();
        const second = await ticket();
        await stream.ended;
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(stream.errors.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
        expect(stream.items.some((e) => e.ticket?.number === second)).toBe(false);
        expect((await b.gql(`{ viewer { name } }`, {}, token)).status).toBe(401);
      } finally {
        stream.stop();
        await client.dispose();
      }
    });
  },
);
