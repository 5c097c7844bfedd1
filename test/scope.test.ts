import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { CREATE, EVENTS, NOTE, newTicketInput, REPLY, TICKETS, TRANSFER } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

// Verified credentials are remembered for the recheck interval; a short one lets the
// expiry test below see a session ended in the database directly.
const ACCESS_RECHECK_MS = 200;

describe.each(await targets())("scope and roles on %s", (target) => {
  let server: TestServer;
  let directorate: string;
  let regionalHead: string;
  let supervisor: string;
  let baliTicket: { id: string; number: string };
  let eventsBefore: number;

  beforeAll(async () => {
    server = await startServer(target, { env: { PANTAU_ACCESS_RECHECK_MS: String(ACCESS_RECHECK_MS) } });
    [directorate, regionalHead, supervisor] = await Promise.all([
      server.login("direktorat@pantau.demo"),
      server.login("kanwil.jatim@pantau.demo"),
      server.login("kanim.malang@pantau.demo"),
    ]);
    const created = await server.gql(CREATE, { input: newTicketInput({ unitCode: "KANIM-DENPASAR" }) }, directorate);
    baliTicket = created.data?.createTicket.ticket;
    expect(baliTicket?.id).toBeTruthy();
    eventsBefore = await countEvents();
  });
  afterAll(() => server?.stop());

  const countEvents = async () =>
    (await server.app.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM ticket_event"))[0]?.n ?? 0;

  it("lets the regional head see only tickets of Jawa Timur", async () => {
    const all = await server.gql(TICKETS, { first: 100 }, directorate);
    const region = await server.gql(TICKETS, { first: 100 }, regionalHead);
    expect(region.errors).toBeUndefined();
    const regionCount = region.data?.tickets.totalCount;
    expect(regionCount).toBeGreaterThan(0);
    expect(regionCount).toBeLessThan(all.data?.tickets.totalCount);
    const jatimOffices = await server.gql(`{ units(parentCode: "KANWIL-JI") { code } }`, {}, regionalHead);
    const allowed = new Set(["KANWIL-JI", ...(jatimOffices.data?.units ?? []).map((u: any) => u.code)]);
    expect(allowed.has("KANIM-MALANG")).toBe(true);
    for (const edge of region.data?.tickets.edges ?? []) expect(allowed.has(edge.node.unit.code)).toBe(true);
  });

  it("answers another region's ticket exactly like a missing one", async () => {
    const byNode = await server.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: baliTicket.id }, regionalHead);
    expect(byNode.errors).toBeUndefined();
    expect(byNode.data?.node).toBeNull();
    const byNumber = await server.gql(
      `query($n: String!) { ticket(number: $n) { id } }`,
      { n: baliTicket.number },
      regionalHead,
    );
    expect(byNumber.data?.ticket).toBeNull();
    const filtered = await server.gql(TICKETS, { filter: { unitCode: "KANWIL-BA" } }, regionalHead);
    expect(filtered.errors?.[0]?.extensions?.code).toBe("UNKNOWN_UNIT");
    const unit = await server.gql(`{ unit(code: "KANWIL-BA") { code } }`, {}, regionalHead);
    expect(unit.data?.unit).toBeNull();
  });

  it("refuses to act on another region's ticket and writes nothing", async () => {
    const reply = await server.gql(REPLY, { input: { ticketId: baliTicket.id, body: "Halo" } }, regionalHead);
    expect(reply.data?.replyToTicket).toMatchObject({ __typename: "NotFoundError", code: "NOT_FOUND" });
    const transfer = await server.gql(
      TRANSFER,
      { input: { ticketId: baliTicket.id, unitCode: "KANIM-MALANG", reason: "coba" } },
      supervisor,
    );
    expect(transfer.data?.transferTicket.code).toBe("NOT_FOUND");
    const create = await server.gql(CREATE, { input: newTicketInput({ unitCode: "KANIM-DENPASAR" }) }, supervisor);
    expect(create.data?.createTicket).toMatchObject({ code: "UNKNOWN_UNIT" });
    expect(await countEvents()).toBe(eventsBefore);
  });

  it("keeps the unit supervisor inside the office", async () => {
    const page = await server.gql(TICKETS, { first: 100 }, supervisor);
    expect(page.data?.tickets.edges.every((e: any) => e.node.unit.code === "KANIM-MALANG")).toBe(true);
    const up = await server.gql(`{ unit(code: "KANIM-MALANG") { parent { code } } }`, {}, supervisor);
    expect(up.data?.unit.parent).toBeNull();
  });

  it("requires credentials and refuses forged or expired tokens", async () => {
    const anonymous = await server.gql(TICKETS, { first: 1 });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(anonymous.data?.tickets ?? null).toBeNull();
    for (const token of ["pts_forged", "ptk_abc_def", "nonsense", `${directorate}x`]) {
      const forged = await server.gql(TICKETS, { first: 1 }, token);
      expect(forged.status).toBe(401);
      expect(forged.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
    await server.app.db.sql.query(
      "UPDATE session SET expires_at = now() - interval '1 second' WHERE revoked_at IS NULL AND user_id = (SELECT id FROM app_user WHERE email = 'kanim.malang@pantau.demo')",
    );
    await new Promise((resolve) => setTimeout(resolve, ACCESS_RECHECK_MS * 2));
    const expired = await server.gql(TICKETS, { first: 1 }, supervisor);
    expect(expired.status).toBe(401);
    supervisor = await server.login("kanim.malang@pantau.demo");
  });

  it("ends a session at logout", async () => {
    const token = await server.login("kanwil.jatim@pantau.demo");
    const out = await server.gql(`mutation { logout }`, {}, token);
    expect(out.data?.logout).toBe(true);
    expect((await server.gql(`{ viewer { name } }`, {}, token)).status).toBe(401);
  });

  it("refuses a wrong password with a typed error", async () => {
    const result = await server.gql(
      `mutation { login(email: "kanim.malang@pantau.demo", password: "salah-sekali") { __typename ... on Error { code } } }`,
    );
    expect(result.data?.login).toEqual({ __typename: "InvalidCredentialsError", code: "INVALID_CREDENTIALS" });
  });

  it("gives the third-party key read access with personal data masked, and no writes", async () => {
    const viewer = await server.gql(`{ viewer { kind scopes unit { code } } }`, {}, server.apiKey);
    expect(viewer.data?.viewer).toEqual({
      kind: "API_KEY",
      scopes: ["metrics:read", "tickets:read"],
      unit: { code: "IMI" },
    });
    await server.gql(REPLY, { input: { ticketId: baliTicket.id, body: "Laporan diterima." } }, directorate);
    await server.gql(NOTE, { input: { ticketId: baliTicket.id, body: "Catatan internal petugas." } }, directorate);
    eventsBefore = await countEvents();
    const read = await server.gql(
      EVENTS.replace("status", "status reporter { name phone masked }"),
      { id: baliTicket.id },
      server.apiKey,
    );
    expect(read.data?.node.reporter).toEqual({ name: "B*** S***", phone: "***890", masked: true });
    // Internal notes stay with staff.
    expect(read.data?.node.messages).toEqual([{ visibility: "PUBLIC_REPLY", body: "Laporan diterima." }]);
    const staff = await server.gql(EVENTS, { id: baliTicket.id }, directorate);
    expect(staff.data?.node.messages.map((m: any) => m.visibility)).toEqual(["PUBLIC_REPLY", "INTERNAL_NOTE"]);
    const write = await server.gql(CREATE, { input: newTicketInput() }, server.apiKey);
    expect(write.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await countEvents()).toBe(eventsBefore);
  });

  it("masks personal data for the directorate but not for the office that handles the ticket", async () => {
    const created = await server.gql(CREATE, { input: newTicketInput() }, supervisor);
    const id = created.data?.createTicket.ticket.id;
    const q = `query($id: ID!) { node(id: $id) { ... on Ticket { reporter { email masked } } } }`;
    expect((await server.gql(q, { id }, directorate)).data?.node.reporter).toEqual({
      email: "b***@example.id",
      masked: true,
    });
    expect((await server.gql(q, { id }, supervisor)).data?.node.reporter).toEqual({
      email: "budi.santoso@example.id",
      masked: false,
    });
    eventsBefore = await countEvents();
  });
});
