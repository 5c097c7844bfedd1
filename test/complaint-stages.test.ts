import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { ASSIGN, CREATE, newTicketInput, TRIAGE } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

const STAGE = `
  ticket { id status sla { kind state startedAt dueAt metAt breachedAt target { amount unit basis source } } }
`;
const INCOMPLETE = `mutation($input: DeclareFileIncompleteInput!) {
  declareFileIncomplete(input: $input) {
    __typename
    ... on DeclareFileIncompleteSuccess { ${STAGE} }
    ... on Error { code message }
    ... on ValidationError { field }
  }
}`;
const COMPLETE = `mutation($input: DeclareFileCompleteInput!) {
  declareFileComplete(input: $input) {
    __typename
    ... on DeclareFileCompleteSuccess { ${STAGE} }
    ... on Error { code message }
    ... on ValidationError { field }
  }
}`;
const READ = `query($id: ID!) {
  node(id: $id) {
    ... on Ticket {
      status closedAt
      sla { kind state startedAt dueAt metAt breachedAt target { amount unit basis source } }
      events(first: 100) { edges { node { type data } } }
    }
  }
}`;
const SAVE = `mutation($input: SlaPolicyInput!) {
  saveSlaPolicy(input: $input) {
    __typename
    ... on SaveSlaPolicySuccess { policy { code stages { kind target { amount unit basis } } } }
    ... on Error { code message }
    ... on ValidationError { field }
  }
}`;

const DAY_MS = 86_400_000;
type Clock = { kind: string; state: string; startedAt: string; dueAt: string; metAt: string | null; target: any };
type ClockKindName = "FIRST_RESPONSE" | "RESOLUTION" | "FILE_ANSWER" | "FILE_LAPSE" | "EXAMINATION";
// Keyed by every kind, so a test reads a clock it expects without a check; a missing one fails its assertion.
const byKind = (sla: Clock[]) =>
  Object.fromEntries(sla.map((clock) => [clock.kind, clock])) as Record<ClockKindName, Clock>;

describe.each(await targets())("a complaint's file stages (UU 25/2009) on %s", (target) => {
  let server: TestServer;
  let agent: string;
  let directorate: string;
  let agentId: string;

  beforeAll(async () => {
    server = await startServer(target);
    [agent, directorate] = await Promise.all([
      server.login("agen.malang@pantau.demo"),
      server.login("direktorat@pantau.demo"),
    ]);
    const me = await server.gql(`{ viewer { user { id } } }`, {}, agent);
    agentId = me.data?.viewer.user.id;
  });
  afterAll(() => server?.stop());

  const assignedTicket = async (input: Record<string, unknown>) => {
    const created = await server.gql(CREATE, { input: newTicketInput(input) }, agent);
    expect(created.data?.createTicket.__typename, JSON.stringify(created)).toBe("CreateTicketSuccess");
    const id = created.data?.createTicket.ticket.id as string;
    await server.gql(TRIAGE, { input: { ticketId: id } }, agent);
    const assigned = await server.gql(ASSIGN, { input: { ticketId: id, assigneeId: agentId } }, agent);
    expect(assigned.data?.assignTicket.__typename).toBe("AssignTicketSuccess");
    return id;
  };
  const read = async (id: string) => {
    const result = await server.gql(READ, { id }, agent);
    expect(result.errors).toBeUndefined();
    return result.data?.node;
  };

  it("answers on the file, waits on the citizen with the lapse clock running, and examines from the complete file", async () => {
    const id = await assignedTicket({ kind: "COMPLAINT", channel: "EMAIL" });
    let node = await read(id);
    let clocks = byKind(node.sla);
    // From receipt: the 14-day answer on the file, a legal clock; the lapse and examination have not started.
    expect(Object.keys(clocks).sort()).toEqual(["FILE_ANSWER", "FIRST_RESPONSE", "RESOLUTION"]);
    expect(clocks.FILE_ANSWER.target).toMatchObject({ amount: 14, unit: "DAYS", basis: "LEGAL" });
    expect(clocks.FILE_ANSWER.target.source).toMatch(/UU 25\/2009 Pasal 50.*tidak diverifikasi/);
    expect(clocks.FILE_ANSWER.state).toBe("RUNNING");
    expect(clocks.RESOLUTION.target.basis).toBe("INTERNAL");
    const received = Date.parse(clocks.FILE_ANSWER.startedAt);
    expect(Date.parse(clocks.FILE_ANSWER.dueAt) - received).toBeGreaterThan(13 * DAY_MS);
    expect(Date.parse(clocks.FILE_ANSWER.dueAt) - received).toBeLessThanOrEqual(15 * DAY_MS);

    const incomplete = await server.gql(
      INCOMPLETE,
      { input: { ticketId: id, missing: "Mohon kirim salinan paspor dan bukti pembayaran PNBP." } },
      agent,
    );
    expect(incomplete.data?.declareFileIncomplete.__typename, JSON.stringify(incomplete)).toBe(
      "DeclareFileIncompleteSuccess",
    );
    const waiting = incomplete.data?.declareFileIncomplete.ticket;
    expect(waiting.status).toBe("WAITING_ON_CITIZEN");
    clocks = byKind(waiting.sla);
    expect(clocks.FILE_ANSWER.state).toBe("MET");
    expect(clocks.FIRST_RESPONSE.metAt).not.toBeNull();
    // The citizen's 30 days run while the ticket waits on them; the unit's resolution clock is paused.
    expect(clocks.FILE_LAPSE).toMatchObject({ state: "RUNNING", target: { amount: 30, unit: "DAYS", basis: "LEGAL" } });
    expect(clocks.RESOLUTION.state).toBe("PAUSED");
    const lapseFrom = Date.parse(clocks.FILE_LAPSE.startedAt);
    expect(Date.parse(clocks.FILE_LAPSE.dueAt) - lapseFrom).toBeGreaterThan(29 * DAY_MS);
    expect(Date.parse(clocks.FILE_LAPSE.dueAt) - lapseFrom).toBeLessThanOrEqual(31 * DAY_MS);
    expect(clocks.EXAMINATION).toBeUndefined();

    const complete = await server.gql(
      COMPLETE,
      { input: { ticketId: id, answer: "Berkas pengaduan Anda sudah lengkap dan sedang kami periksa." } },
      agent,
    );
    expect(complete.data?.declareFileComplete.__typename, JSON.stringify(complete)).toBe("DeclareFileCompleteSuccess");
    const examined = complete.data?.declareFileComplete.ticket;
    expect(examined.status).toBe("IN_PROGRESS");
    clocks = byKind(examined.sla);
    expect(clocks.FILE_LAPSE.state).toBe("MET");
    expect(clocks.RESOLUTION.state).not.toBe("PAUSED");
    expect(clocks.EXAMINATION).toMatchObject({
      state: "RUNNING",
      target: { amount: 60, unit: "DAYS", basis: "LEGAL" },
    });
    const completeAt = Date.parse(clocks.EXAMINATION.startedAt);
    expect(completeAt).toBeGreaterThanOrEqual(lapseFrom);
    expect(Date.parse(clocks.EXAMINATION.dueAt) - completeAt).toBeGreaterThan(59 * DAY_MS);
    expect(Date.parse(clocks.EXAMINATION.dueAt) - completeAt).toBeLessThanOrEqual(61 * DAY_MS);

    node = await read(id);
    const types = node.events.edges.map((e: any) => e.node.type);
    expect(types.filter((t: string) => t === "FILE_INCOMPLETE")).toHaveLength(1);
    expect(types.filter((t: string) => t === "FILE_COMPLETE")).toHaveLength(1);

    // Once: a second declaration is refused, and so is a second answer that the file is incomplete.
    const again = await server.gql(COMPLETE, { input: { ticketId: id, answer: "Lengkap." } }, agent);
    expect(again.data?.declareFileComplete).toMatchObject({
      __typename: "FileAlreadyCompleteError",
      code: "FILE_ALREADY_COMPLETE",
    });
    const late = await server.gql(INCOMPLETE, { input: { ticketId: id, missing: "Kurang." } }, agent);
    expect(late.data?.declareFileIncomplete).toMatchObject({ code: "FILE_ALREADY_COMPLETE" });
    node = await read(id);
    expect(node.events.edges.map((e: any) => e.node.type).filter((t: string) => t === "FILE_COMPLETE")).toHaveLength(1);
  });

  it("declares a file complete straight away, starting the examination without a lapse clock", async () => {
    const id = await assignedTicket({ kind: "COMPLAINT", channel: "PHONE", category: "OFFICER_CONDUCT" });
    const complete = await server.gql(COMPLETE, { input: { ticketId: id, answer: "Berkas lengkap." } }, agent);
    const clocks = byKind(complete.data?.declareFileComplete.ticket.sla);
    expect(clocks.FILE_ANSWER.state).toBe("MET");
    expect(clocks.FILE_LAPSE).toBeUndefined();
    expect(clocks.EXAMINATION.state).toBe("RUNNING");
  });

  it("refuses the file stages to what is not a complaint under them, and bad input, changing nothing", async () => {
    for (const input of [
      { kind: "INFORMATION_REQUEST", channel: "EMAIL" },
      { kind: "WHISTLEBLOWING", channel: "EMAIL" },
      { kind: "APPRECIATION", channel: "EMAIL" },
    ]) {
      const id = await assignedTicket(input);
      const complete = await server.gql(COMPLETE, { input: { ticketId: id, answer: "Lengkap." } }, agent);
      expect(complete.data?.declareFileComplete, input.kind).toMatchObject({
        __typename: "NoComplaintFileError",
        code: "NO_COMPLAINT_FILE",
      });
      const incomplete = await server.gql(INCOMPLETE, { input: { ticketId: id, missing: "Kurang." } }, agent);
      expect(incomplete.data?.declareFileIncomplete).toMatchObject({ code: "NO_COMPLAINT_FILE" });
      const node = await read(id);
      expect(node.status).toBe("ASSIGNED");
      expect(node.events.edges.map((e: any) => e.node.type)).not.toContain("FILE_COMPLETE");
      expect(node.sla.map((c: Clock) => c.kind).sort()).toEqual(["FIRST_RESPONSE", "RESOLUTION"]);
    }
    const id = await assignedTicket({ kind: "COMPLAINT", channel: "EMAIL" });
    const empty = await server.gql(COMPLETE, { input: { ticketId: id, answer: "  " } }, agent);
    expect(empty.data?.declareFileComplete).toMatchObject({ code: "VALIDATION_FAILED", field: "answer" });
    const missing = await server.gql(INCOMPLETE, { input: { ticketId: id, missing: "x".repeat(10_001) } }, agent);
    expect(missing.data?.declareFileIncomplete).toMatchObject({ code: "VALIDATION_FAILED", field: "missing" });
    // A new ticket that nobody triaged cannot be answered on its file yet.
    const created = await server.gql(CREATE, { input: newTicketInput({ kind: "COMPLAINT", channel: "EMAIL" }) }, agent);
    const fresh = await server.gql(
      COMPLETE,
      { input: { ticketId: created.data?.createTicket.ticket.id, answer: "Lengkap." } },
      agent,
    );
    expect(fresh.data?.declareFileComplete).toMatchObject({ code: "INVALID_TRANSITION" });
    expect((await read(id)).status).toBe("ASSIGNED");
  });

  it("lets the complaint lapse when the citizen does not complete the file in time", async () => {
    // A press complaint policy whose citizen's time is three seconds, so the lapse happens within the test.
    const saved = await server.gql(
      SAVE,
      {
        input: {
          code: "TEST_QUICK_LAPSE",
          name: "Uji pengaduan kedaluwarsa",
          position: 1,
          matchKinds: ["COMPLAINT"],
          matchChannels: ["PRESS"],
          firstResponse: { amount: 1, unit: "WORKING_DAYS", counting: "BUSINESS_HOURS" },
          resolution: { amount: 14, unit: "DAYS", counting: "ALL_HOURS" },
          legalSource: "Uji",
          stages: [
            { kind: "FILE_ANSWER", target: { amount: 14, unit: "DAYS", counting: "ALL_HOURS" } },
            { kind: "FILE_LAPSE", target: { amount: 0.05, unit: "MINUTES", counting: "ALL_HOURS" } },
            { kind: "EXAMINATION", target: { amount: 60, unit: "DAYS", counting: "ALL_HOURS" } },
          ],
        },
      },
      directorate,
    );
    expect(saved.data?.saveSlaPolicy.__typename, JSON.stringify(saved)).toBe("SaveSlaPolicySuccess");
    expect(saved.data?.saveSlaPolicy.policy.stages.map((s: any) => s.kind)).toEqual([
      "FILE_ANSWER",
      "FILE_LAPSE",
      "EXAMINATION",
    ]);
    const id = await assignedTicket({ kind: "COMPLAINT", channel: "PRESS" });
    const incomplete = await server.gql(
      INCOMPLETE,
      { input: { ticketId: id, missing: "Mohon kirim kronologi." } },
      agent,
    );
    expect(incomplete.data?.declareFileIncomplete.ticket.status).toBe("WAITING_ON_CITIZEN");

    let node = await read(id);
    for (let i = 0; i < 40 && node.status !== "CLOSED"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      node = await read(id);
    }
    expect(node.status).toBe("CLOSED");
    expect(node.closedAt).not.toBeNull();
    const clocks = byKind(node.sla);
    expect(clocks.FILE_LAPSE.state).toBe("BREACHED");
    // The unit neither met nor missed the resolution of a complaint the citizen let lapse.
    expect(clocks.RESOLUTION.state).toBe("REJECTED");
    const events = node.events.edges.map((e: any) => e.node);
    const lapsed = events.filter((e: any) => e.type === "COMPLAINT_LAPSED");
    expect(lapsed).toHaveLength(1);
    expect(lapsed[0].data).toMatchObject({ from: "WAITING_ON_CITIZEN", to: "CLOSED", clock: "FILE_LAPSE" });
    const types = events.map((e: any) => e.type);
    expect(types.indexOf("COMPLAINT_LAPSED")).toBeGreaterThan(
      events.findIndex((e: any) => e.type === "SLA_BREACHED" && e.data.clock === "FILE_LAPSE"),
    );
    // Too late to complete it now.
    const complete = await server.gql(COMPLETE, { input: { ticketId: id, answer: "Lengkap." } }, agent);
    expect(complete.data?.declareFileComplete).toMatchObject({ code: "INVALID_TRANSITION" });

    // Stage input is checked like any target.
    const bad = await server.gql(
      SAVE,
      {
        input: {
          code: "TEST_BAD_STAGES",
          name: "Uji",
          position: 2,
          firstResponse: { amount: 1, unit: "WORKING_DAYS", counting: "BUSINESS_HOURS" },
          resolution: { amount: 14, unit: "DAYS", counting: "ALL_HOURS" },
          legalSource: "Uji",
          stages: [{ kind: "FILE_LAPSE", target: { amount: 30, unit: "DAYS", counting: "ALL_HOURS" } }],
        },
      },
      directorate,
    );
    expect(bad.data?.saveSlaPolicy).toMatchObject({ code: "VALIDATION_FAILED", field: "stages" });
    const twice = await server.gql(
      SAVE,
      {
        input: {
          code: "TEST_BAD_STAGES",
          name: "Uji",
          position: 2,
          firstResponse: { amount: 1, unit: "WORKING_DAYS", counting: "BUSINESS_HOURS" },
          resolution: { amount: 14, unit: "DAYS", counting: "ALL_HOURS" },
          legalSource: "Uji",
          stages: [
            { kind: "FILE_ANSWER", target: { amount: 14, unit: "DAYS", counting: "ALL_HOURS", basis: "LEGAL" } },
            { kind: "RESOLUTION", target: { amount: 30, unit: "DAYS", counting: "ALL_HOURS" } },
          ],
        },
      },
      directorate,
    );
    expect(twice.data?.saveSlaPolicy).toMatchObject({ code: "VALIDATION_FAILED", field: "stages[0].target.source" });
  });
});
