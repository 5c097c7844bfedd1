import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { CREATE, newTicketInput } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

const SAVE_POLICY = `mutation($input: SlaPolicyInput!) {
  saveSlaPolicy(input: $input) {
    __typename
    ... on SaveSlaPolicySuccess { policy { code version current firstResponse { amount } } }
    ... on Error { code message }
    ... on ValidationError { field }
  }
}`;
const ADD_HOLIDAY = `mutation($input: AddHolidayInput!) {
  addHoliday(input: $input) {
    __typename
    ... on AddHolidaySuccess { holiday { id date name kind reason unit { code } } }
    ... on Error { code message }
    ... on ValidationError { field }
  }
}`;
const SET_HOURS = `mutation($unitCode: String!, $week: OfficeWeekInput!) {
  setBusinessHours(unitCode: $unitCode, week: $week) {
    __typename
    ... on Error { code message }
    ... on ValidationError { field }
  }
}`;
const EXTEND = `mutation($input: ExtendTicketDeadlineInput!) {
  extendTicketDeadline(input: $input) {
    __typename
    ... on ExtendTicketDeadlineSuccess { ticket { sla { kind dueAt extendedAt } } }
    ... on Error { code message }
  }
}`;
const CLOCKS = `query($id: ID!) { node(id: $id) { ... on Ticket { sla { kind dueAt state policy { code version } } } } }`;

const complaintChat = {
  code: "COMPLAINT_CHAT",
  name: "Pengaduan lewat chat dan media sosial",
  position: 60,
  matchKinds: ["COMPLAINT"],
  matchChannels: ["WHATSAPP", "LIVE_CHAT", "INSTAGRAM", "X", "FACEBOOK", "TIKTOK"],
  firstResponse: { amount: 30, unit: "MINUTES", counting: "BUSINESS_HOURS" },
  resolution: { amount: 14, unit: "DAYS", counting: "ALL_HOURS" },
  legalSource: "UU 25/2009; respons pertama 30 menit kerja",
};

describe.each(await targets())("SLA administration on %s", (target) => {
  let server: TestServer;
  let directorate: string;
  let regional: string;
  let supervisor: string;
  let agent: string;

  beforeAll(async () => {
    server = await startServer(target);
    [directorate, regional, supervisor, agent] = await Promise.all([
      server.login("direktorat@pantau.demo"),
      server.login("kanwil.jatim@pantau.demo"),
      server.login("kanim.malang@pantau.demo"),
      server.login("agen.malang@pantau.demo"),
    ]);
  });
  afterAll(() => server?.stop());

  const payload = (response: { data?: Record<string, any> }) => Object.values(response.data ?? {})[0];
  /** The code of a refusal, whether the field's scope refused it (a request error) or its resolver (a payload). */
  const refusal = (response: { data?: Record<string, any>; errors?: any[] }) =>
    response.errors?.[0]?.extensions?.code ?? payload(response)?.code;

  it("versions a policy without touching tickets that matched the old version", async () => {
    const before = await server.gql(CREATE, { input: newTicketInput() }, agent);
    const oldId = before.data?.createTicket.ticket.id;
    const response = await server.gql(SAVE_POLICY, { input: complaintChat }, directorate);
    const saved = payload(response);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(saved.policy).toEqual({ code: "COMPLAINT_CHAT", version: 2, current: true, firstResponse: { amount: 30 } });
    const after = await server.gql(CREATE, { input: newTicketInput() }, agent);
    const newId = after.data?.createTicket.ticket.id;
    const old = await server.gql(CLOCKS, { id: oldId }, agent);
    const fresh = await server.gql(CLOCKS, { id: newId }, agent);
    expect(old.data?.node.sla[0].policy).toEqual({ code: "COMPLAINT_CHAT", version: 1 });
    expect(fresh.data?.node.sla[0].policy).toEqual({ code: "COMPLAINT_CHAT", version: 2 });
    const history = await server.gql(`{ slaPolicies(includeHistory: true) { code version current } }`, {}, agent);
    expect(history.data?.slaPolicies.filter((p: any) => p.code === "COMPLAINT_CHAT")).toEqual([
      { code: "COMPLAINT_CHAT", version: 2, current: true },
      { code: "COMPLAINT_CHAT", version: 1, current: false },
    ]);
  });

  it.each([
    [
      "a zero target",
      { firstResponse: { amount: 0, unit: "MINUTES", counting: "BUSINESS_HOURS" } },
      "firstResponse.amount",
    ],
    ["a negative target", { resolution: { amount: -3, unit: "DAYS", counting: "ALL_HOURS" } }, "resolution.amount"],
    [
      "working days counted in all hours",
      { resolution: { amount: 5, unit: "WORKING_DAYS", counting: "ALL_HOURS" } },
      "resolution.counting",
    ],
    ["an at-risk share of 150%", { atRiskRatio: 1.5 }, "atRiskRatio"],
    ["a pause on a closed ticket", { pauseStatuses: ["CLOSED"] }, "pauseStatuses"],
    ["a code with spaces", { code: "bad code" }, "code"],
  ])("refuses %s", async (_label, change, field) => {
    const result = payload(await server.gql(SAVE_POLICY, { input: { ...complaintChat, ...change } }, directorate));
    expect(result).toMatchObject({ __typename: "ValidationError", code: "VALIDATION_FAILED", field });
  });

  it("lets only the directorate change policies", async () => {
    const result = await server.gql(SAVE_POLICY, { input: complaintChat }, supervisor);
    expect(result.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it.each([
    ["a date outside any year", { date: "1999-12-31" }, "date"],
    ["a date that does not exist", { date: "2026-02-30" }, "date"],
    ["a malformed date", { date: "31-12-2026" }, "date"],
    ["a date already listed", { date: "2026-08-17" }, "date"],
    ["a regional day without a unit", { kind: "REGIONAL" }, "unitCode"],
  ])("refuses a holiday with %s", async (_label, change, field) => {
    const input = { date: "2026-12-30", name: "Uji", kind: "NATIONAL", ...change };
    const result = payload(await server.gql(ADD_HOLIDAY, { input }, directorate));
    expect(result).toMatchObject({ code: "VALIDATION_FAILED", field });
  });

  it("keeps national days off for the directorate", async () => {
    const input = { date: "2026-12-30", name: "Uji", kind: "NATIONAL" };
    expect(refusal(await server.gql(ADD_HOLIDAY, { input }, supervisor))).toBe("FORBIDDEN");
    expect(refusal(await server.gql(ADD_HOLIDAY, { input }, regional))).toBe("FORBIDDEN");
  });

  const AUDIT = `query($type: String!) {
    auditLog(first: 5, filter: { entityType: $type }) {
      edges { node { actorName entityType entityId action before after unit { code } } }
    }
  }`;
  const audited = async (type: string) =>
    ((await server.gql(AUDIT, { type }, directorate)).data?.auditLog.edges ?? []).map((e: any) => e.node);
  const holidayCount = async () =>
    (await server.app.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM holiday"))[0]?.n;

  it("keeps regional days off and office hours from the office whose deadlines they move", async () => {
    const before = await holidayCount();
    const day = { date: "2026-12-29", name: "Uji", kind: "REGIONAL", unitCode: "KANIM-MALANG", reason: "Uji" };
    expect(refusal(await server.gql(ADD_HOLIDAY, { input: day }, supervisor))).toBe("FORBIDDEN");
    expect(refusal(await server.gql(ADD_HOLIDAY, { input: day }, agent))).toBe("FORBIDDEN");
    const week = { MON: [{ start: "08:00", end: "12:00" }] };
    expect(refusal(await server.gql(SET_HOURS, { unitCode: "KANIM-MALANG", week }, supervisor))).toBe("FORBIDDEN");
    expect(await holidayCount()).toBe(before);
    // Outside the regional office's region: as if the unit did not exist.
    const bali = { ...day, unitCode: "KANIM-DENPASAR" };
    expect(payload(await server.gql(ADD_HOLIDAY, { input: bali }, regional))).toMatchObject({ code: "UNKNOWN_UNIT" });
    expect(await holidayCount()).toBe(before);
  });

  it("asks a reason for a regional day off, and records who set and removed it", async () => {
    const day = { date: "2026-12-28", name: "Banjir Malang (uji)", kind: "REGIONAL", unitCode: "KANIM-MALANG" };
    const before = await holidayCount();
    for (const reason of [undefined, "   ", "x".repeat(501)]) {
      expect(payload(await server.gql(ADD_HOLIDAY, { input: { ...day, reason } }, regional))).toMatchObject({
        code: "VALIDATION_FAILED",
        field: "reason",
      });
    }
    expect(await holidayCount()).toBe(before);
    const added = payload(
      await server.gql(
        ADD_HOLIDAY,
        { input: { ...day, reason: "Instruksi Kakanwil: kantor tutup karena banjir" } },
        regional,
      ),
    );
    expect(added.__typename, JSON.stringify(added)).toBe("AddHolidaySuccess");
    expect(added.holiday).toMatchObject({
      date: "2026-12-28",
      reason: "Instruksi Kakanwil: kantor tutup karena banjir",
      unit: { code: "KANIM-MALANG" },
    });
    expect(Number.isInteger(added.holiday.id)).toBe(true);
    const removed = await server.gql(
      `mutation($id: Int!) { removeHoliday(id: $id) { __typename ... on RemoveHolidaySuccess { holiday { id } } } }`,
      { id: added.holiday.id },
      regional,
    );
    expect(removed.data?.removeHoliday).toEqual({
      __typename: "RemoveHolidaySuccess",
      holiday: { id: added.holiday.id },
    });
    expect(await holidayCount()).toBe(before);
    const [removal, creation] = await audited("Holiday");
    expect(creation).toMatchObject({
      actorName: "kanwil.jatim@pantau.demo",
      entityId: String(added.holiday.id),
      action: "create",
      before: null,
      after: { date: "2026-12-28", unitCode: "KANIM-MALANG", reason: "Instruksi Kakanwil: kantor tutup karena banjir" },
      unit: { code: "KANIM-MALANG" },
    });
    expect(removal).toMatchObject({ action: "remove", after: null, before: { date: "2026-12-28" } });
  });

  it("records who changed office hours and policies, with the values before and after", async () => {
    const week = { MON: [{ start: "07:30", end: "16:00" }], TUE: [{ start: "07:30", end: "16:00" }] };
    const set = payload(await server.gql(SET_HOURS, { unitCode: "KANIM-JEMBER", week }, regional));
    expect(set.__typename, JSON.stringify(set)).toBe("SetBusinessHoursSuccess");
    const [hours] = await audited("BusinessCalendar");
    expect(hours).toMatchObject({
      actorName: "kanwil.jatim@pantau.demo",
      entityId: "KANIM-JEMBER",
      after: { unitCode: "KANIM-JEMBER", week: { MON: [{ start: "07:30", end: "16:00" }] } },
      unit: { code: "KANIM-JEMBER" },
    });
    const saved = payload(
      await server.gql(
        SAVE_POLICY,
        { input: { ...complaintChat, code: "AUDIT_TRAIL_TEST", position: 980 } },
        directorate,
      ),
    );
    expect(saved.__typename, JSON.stringify(saved)).toBe("SaveSlaPolicySuccess");
    const [policy] = await audited("SlaPolicy");
    expect(policy).toMatchObject({
      actorName: "direktorat@pantau.demo",
      entityId: "AUDIT_TRAIL_TEST",
      action: "create",
      before: null,
      after: { code: "AUDIT_TRAIL_TEST", version: 1, legalSource: complaintChat.legalSource },
      unit: null,
    });
    // A refused change leaves no record.
    const refused = payload(
      await server.gql(SAVE_POLICY, { input: { ...complaintChat, code: "AUDIT_TRAIL_TEST", name: "" } }, directorate),
    );
    expect(refused).toMatchObject({ code: "VALIDATION_FAILED" });
    expect((await audited("SlaPolicy")).filter((entry: any) => entry.entityId === "AUDIT_TRAIL_TEST")).toHaveLength(1);
  });

  it.each([
    [
      "overlapping hours",
      {
        MON: [
          { start: "08:00", end: "12:00" },
          { start: "11:00", end: "16:00" },
        ],
      },
    ],
    ["an interval that ends before it starts", { MON: [{ start: "16:00", end: "08:00" }] }],
    ["a week with no hours at all", {}],
    ["a time that does not exist", { MON: [{ start: "08:00", end: "25:00" }] }],
  ])("refuses office hours with %s", async (_label, week) => {
    const result = payload(await server.gql(SET_HOURS, { unitCode: "KANIM-MALANG", week }, regional));
    expect(result).toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("moves the due instants of open tickets when a day off is added, in the background", async () => {
    const created = await server.gql(
      CREATE,
      { input: newTicketInput({ kind: "INFORMATION_REQUEST", channel: "EMAIL" }) },
      agent,
    );
    const id = created.data?.createTicket.ticket.id;
    const due = async () =>
      Date.parse(
        (await server.gql(CLOCKS, { id }, agent)).data?.node.sla.find((c: any) => c.kind === "RESOLUTION").dueAt,
      );
    const before = await due();
    // A regional day off in Malang on the first working day the clock counts: the day after receipt, local time.
    const receipt = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(new Date());
    let day = new Date(Date.parse(`${receipt}T00:00:00Z`) + 86_400_000);
    while ([0, 6].includes(day.getUTCDay())) day = new Date(day.getTime() + 86_400_000);
    const date = day.toISOString().slice(0, 10);
    const added = payload(
      await server.gql(
        ADD_HOLIDAY,
        {
          input: {
            date,
            name: "Hari jadi Kota Malang (uji)",
            kind: "REGIONAL",
            unitCode: "KANIM-MALANG",
            reason: "Keputusan Wali Kota Malang (uji)",
          },
        },
        regional,
      ),
    );
    expect(added.__typename, JSON.stringify(added)).toBe("AddHolidaySuccess");
    const deadline = Date.now() + 20_000;
    let after = await due();
    while (after === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await due();
    }
    expect(after).toBeGreaterThan(before);
  });

  const REQUEST = `mutation($input: RequestDeadlineExtensionInput!) {
    requestDeadlineExtension(input: $input) {
      __typename
      ... on RequestDeadlineExtensionSuccess { ticket { sla { kind dueAt extendedAt } } }
      ... on Error { code message }
    }
  }`;
  const DECIDE = `mutation($input: DecideDeadlineExtensionInput!) {
    decideDeadlineExtension(input: $input) {
      __typename
      ... on DecideDeadlineExtensionSuccess { ticket { sla { kind dueAt extendedAt } } }
      ... on Error { code message }
      ... on ValidationError { field }
    }
  }`;

  it("extends the KIP deadline once, when an agent asks with a reason and a supervisor grants it", async () => {
    const created = await server.gql(
      CREATE,
      { input: newTicketInput({ kind: "INFORMATION_REQUEST", channel: "LETTER" }) },
      agent,
    );
    const id = created.data?.createTicket.ticket.id;
    const dueOf = (ticket: any) => Date.parse(ticket.sla.find((c: any) => c.kind === "RESOLUTION").dueAt);
    const dueBefore = dueOf((await server.gql(CLOCKS, { id }, agent)).data?.node);
    const reason = "Informasi yang diminta perlu dihimpun dari beberapa kantor.";
    // The agent cannot extend their own ticket's deadline: they ask, and nothing moves yet.
    expect(payload(await server.gql(EXTEND, { input: { ticketId: id, reason } }, agent))).toMatchObject({
      code: "FORBIDDEN",
    });
    const asked = payload(await server.gql(REQUEST, { input: { ticketId: id, reason } }, agent));
    expect(asked.__typename).toBe("RequestDeadlineExtensionSuccess");
    expect(dueOf(asked.ticket)).toBe(dueBefore);
    expect(payload(await server.gql(REQUEST, { input: { ticketId: id, reason } }, agent))).toMatchObject({
      code: "EXTENSION_PENDING",
    });
    // Only a supervisor decides, and a refusal says why.
    expect(payload(await server.gql(DECIDE, { input: { ticketId: id, grant: true } }, agent))).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(payload(await server.gql(DECIDE, { input: { ticketId: id, grant: false } }, supervisor))).toMatchObject({
      code: "VALIDATION_FAILED",
      field: "note",
    });
    const granted = payload(await server.gql(DECIDE, { input: { ticketId: id, grant: true } }, supervisor));
    expect(granted.__typename).toBe("DecideDeadlineExtensionSuccess");
    const resolution = granted.ticket.sla.find((c: any) => c.kind === "RESOLUTION");
    expect(resolution.extendedAt).not.toBeNull();
    // Seven more working days: at least nine calendar days later.
    expect(Date.parse(resolution.dueAt) - dueBefore).toBeGreaterThanOrEqual(9 * 86_400_000);
    expect(payload(await server.gql(DECIDE, { input: { ticketId: id, grant: true } }, supervisor))).toMatchObject({
      code: "NO_EXTENSION_REQUEST",
    });
    expect(payload(await server.gql(REQUEST, { input: { ticketId: id, reason } }, agent))).toMatchObject({
      code: "VALIDATION_FAILED",
    });
    const log = await server.gql(
      `query($id: ID!) { node(id: $id) { ... on Ticket { events(first: 100) { edges { node { type data actor { name } } } } } } }`,
      { id },
      agent,
    );
    const steps = log.data?.node.events.edges
      .map((e: any) => e.node)
      .filter((e: any) => ["EXTENSION_REQUESTED", "EXTENSION_REFUSED", "SLA_EXTENDED"].includes(e.type))
      .map((e: any) => [e.type, e.actor?.name, e.data.reason]);
    expect(steps).toEqual([
      ["EXTENSION_REQUESTED", "Yusuf Pratama", reason],
      ["SLA_EXTENDED", "Dewi Anggraini", reason],
    ]);
    const complaint = await server.gql(CREATE, { input: newTicketInput() }, agent);
    const refused = payload(
      await server.gql(REQUEST, { input: { ticketId: complaint.data?.createTicket.ticket.id, reason } }, agent),
    );
    expect(refused).toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("lets a refused request stand without moving the deadline, and keeps supervisors off their own tickets", async () => {
    const created = await server.gql(
      CREATE,
      { input: newTicketInput({ kind: "INFORMATION_REQUEST", channel: "LETTER" }) },
      agent,
    );
    const id = created.data?.createTicket.ticket.id;
    const reason = "Perlu waktu tambahan.";
    await server.gql(REQUEST, { input: { ticketId: id, reason } }, agent);
    const refused = payload(
      await server.gql(DECIDE, { input: { ticketId: id, grant: false, note: "Data sudah tersedia." } }, supervisor),
    );
    expect(refused.ticket.sla.find((c: any) => c.kind === "RESOLUTION").extendedAt).toBeNull();
    // A supervisor who asks cannot grant their own request, nor extend a ticket they hold.
    expect(payload(await server.gql(REQUEST, { input: { ticketId: id, reason } }, supervisor)).__typename).toBe(
      "RequestDeadlineExtensionSuccess",
    );
    expect(payload(await server.gql(DECIDE, { input: { ticketId: id, grant: true } }, supervisor))).toMatchObject({
      code: "FORBIDDEN",
    });
    const regional = await server.login("kanwil.jatim@pantau.demo");
    const granted = payload(await server.gql(DECIDE, { input: { ticketId: id, grant: true } }, regional));
    expect(granted.__typename).toBe("DecideDeadlineExtensionSuccess");
  });
});
