import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { CREATE, NOTE, newTicketInput, TRIAGE } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

const TICKET = `query($id: ID!) { node(id: $id) { ... on Ticket { number SELECTION } } }`;
const codes = (body: { errors?: { extensions?: { code?: string } }[] }) =>
  (body.errors ?? []).map((error) => error.extensions?.code ?? "untyped");

describe.each(await targets())("units reached through edges on %s", (target) => {
  let server: TestServer;
  let agent: string;
  let regionalHead: string;
  let directorate: string;
  let ticketId: string;
  let directorateStaff: string[];

  beforeAll(async () => {
    server = await startServer(target);
    agent = await server.login("agen.malang@pantau.demo");
    regionalHead = await server.login("kanwil.jatim@pantau.demo");
    directorate = await server.login("direktorat@pantau.demo");
    ticketId = (await server.gql(CREATE, { input: newTicketInput() }, agent)).data?.createTicket.ticket.id;
    await server.gql(TRIAGE, { input: { ticketId } }, agent);
    // The directorate acts on a Malang ticket: its person, of a unit outside East Java, is now on the record.
    await server.gql(NOTE, { input: { ticketId, body: "Catatan dari direktorat." } }, directorate);
    directorateStaff = (
      await server.app.db.sql.query<{ name: string }>(
        "SELECT u.name FROM app_user u JOIN unit ON unit.id = u.unit_id WHERE unit.code = 'IMI'",
      )
    ).map((row) => row.name);
    expect(directorateStaff.length).toBeGreaterThan(0);
  });
  afterAll(() => server?.stop());

  const read = (selection: string, token: string) =>
    server.gql(TICKET.replace("SELECTION", selection), { id: ticketId }, token);

  it.each([
    [
      "an event actor's unit's staff",
      "events(first: 100) { edges { node { actor { unit { code staff { name } } } } } }",
    ],
    [
      "an event actor's unit's children",
      "events(first: 100) { edges { node { actor { unit { code children { code } } } } } }",
    ],
    ["a message author's unit's staff", "messages { author { unit { staff { name role openTicketCount } } } }"],
    ["an actor's workload", "events(first: 100) { edges { node { actor { name openTicketCount } } } }"],
  ])("refuses %s outside the caller's scope with a typed error", async (_label, selection) => {
    const answer = await read(selection, regionalHead);
    const text = JSON.stringify(answer.data ?? {});
    for (const name of directorateStaff) expect(text).not.toContain(`"name":"${name}","role"`);
    expect(codes(answer).length).toBeGreaterThan(0);
    expect(new Set(codes(answer))).toEqual(new Set(["FORBIDDEN"]));
  });

  it("still answers inside the caller's scope, and still names a unit outside it", async () => {
    const inside = await read(
      "unit { code staff { name } children { code } } events(first: 100) { edges { node { unit { code staff { name } } } } }",
      regionalHead,
    );
    expect(inside.errors).toBeUndefined();
    expect(inside.data?.node.unit.staff.length).toBeGreaterThan(0);
    const named = await read("messages { author { unit { code name } } }", regionalHead);
    expect(named.errors).toBeUndefined();
    expect(named.data?.node.messages.map((m: any) => m.author?.unit.code)).toContain("IMI");
    const all = await read("messages { author { unit { staff { name } } } }", directorate);
    expect(all.errors).toBeUndefined();
  });

  it("answers a transfer that moves the ticket out of the caller's scope with what the caller may still see", async () => {
    const own = (await server.gql(CREATE, { input: newTicketInput() }, agent)).data?.createTicket.ticket.id;
    await server.gql(TRIAGE, { input: { ticketId: own } }, agent);
    const moved = await server.gql(
      `mutation($input: TransferTicketInput!) {
        transferTicket(input: $input) {
          __typename
          ... on TransferTicketSuccess { ticket { id number status inScope unit { id code name } } }
          ... on Error { code }
        }
      }`,
      { input: { ticketId: own, unitCode: "KANWIL-JI", reason: "Kewenangan Kanwil." } },
      agent,
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data?.transferTicket).toMatchObject({
      __typename: "TransferTicketSuccess",
      ticket: { id: own, inScope: false, unit: { code: "KANWIL-JI" } },
    });
    const staff = await server.gql(
      `mutation($input: TransferTicketInput!) {
        transferTicket(input: $input) { ... on TransferTicketSuccess { ticket { inScope unit { staff { name } } } } }
      }`,
      { input: { ticketId: ticketId, unitCode: "KANWIL-JI", reason: "Kewenangan Kanwil." } },
      agent,
    );
    expect(codes(staff)).toEqual(["FORBIDDEN"]);
    // The ticket's record (events, messages, reporter) is no longer the caller's to read: refused, typed.
    const third = (await server.gql(CREATE, { input: newTicketInput() }, agent)).data?.createTicket.ticket.id;
    await server.gql(TRIAGE, { input: { ticketId: third } }, agent);
    const record = await server.gql(
      `mutation($input: TransferTicketInput!) {
        transferTicket(input: $input) {
          ... on TransferTicketSuccess {
            ticket { inScope events(first: 5) { edges { node { type } } } messages { body } reporter { name } }
          }
        }
      }`,
      { input: { ticketId: third, unitCode: "KANWIL-JI", reason: "Kewenangan Kanwil." } },
      agent,
    );
    expect(record.data?.transferTicket.ticket ?? null).not.toMatchObject({ events: { edges: expect.anything() } });
    expect(new Set(codes(record))).toEqual(new Set(["FORBIDDEN"]));
    const events = await server.app.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM ticket_event WHERE type = 'TRANSFERRED'",
    );
    expect(events[0]?.n).toBeGreaterThanOrEqual(2);
    const inside = await server.gql(TICKET.replace("SELECTION", "inScope"), { id: own }, regionalHead);
    expect(inside.data?.node.inScope).toBe(true);
  });
});
