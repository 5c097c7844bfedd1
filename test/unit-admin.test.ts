import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { CREATE, newTicketInput } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

const UNIT = "code name type officeClass provinceCode city timeZone latitude longitude uncertainty parent { code }";
const RESULT = (field: string) => `
  __typename
  ... on ${field}Success { unit { ${UNIT} } }
  ... on Error { code message }
  ... on ValidationError { field }`;
const CREATE_UNIT = `mutation($input: CreateUnitInput!) { createUnit(input: $input) { ${RESULT("CreateUnit")} } }`;
const UPDATE_UNIT = `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { ${RESULT("UpdateUnit")} } }`;
const MOVE_UNIT = `mutation($input: MoveUnitInput!) {
  moveUnit(input: $input) { ${RESULT("MoveUnit")} ... on UnitCycleError { unitCode parentCode } } }`;
const FIGURES = `created resolved rejected transfersIn transfersOut backlog { open age0to1d age1to3d age3to7d age7to30d ageOver30d }
  firstResponse { wall { count median p90 } } resolution { wall { count median p90 } }
  sla { clock judged met breached }`;
const METRICS = `query($code: String!, $from: DateTime!, $to: DateTime!) {
  unitMetrics(code: $code, from: $from, to: $to, granularity: DAY) {
    totals { ${FIGURES} } buckets { start figures { ${FIGURES} } }
  }
}`;

const DAY_MS = 86_400_000;
const WIB_MS = 7 * 3_600_000;
/** 00:00 WIB today: where a move made today starts to count for the new region. */
const startOfTodayWib = () => new Date(Math.floor((Date.now() + WIB_MS) / DAY_MS) * DAY_MS - WIB_MS);

describe.each(await targets())("unit administration on %s", (target) => {
  let server: TestServer;
  let directorate: string;
  let regionalHead: string;
  let agent: string;

  beforeAll(async () => {
    server = await startServer(target, {
      env: { PANTAU_BUDGET_STAFF_CAPACITY: "1000000", PANTAU_BUDGET_STAFF_REFILL_PER_SECOND: "100000" },
    });
    [directorate, regionalHead, agent] = await Promise.all([
      server.login("direktorat@pantau.demo"),
      server.login("kanwil.jatim@pantau.demo"),
      server.login("agen.malang@pantau.demo"),
    ]);
  });
  afterAll(() => server?.stop());

  const count = async (sql: string) => (await server.app.db.sql.query<{ n: number }>(sql))[0]?.n ?? Number.NaN;
  const auditOf = async (code: string) => {
    const answer = await server.gql(
      `query($filter: AuditLogFilter) { auditLog(first: 100, filter: $filter) {
         edges { node { entityId action actorName before after } } } }`,
      { filter: { entityType: "Unit" } },
      directorate,
    );
    expect(answer.errors).toBeUndefined();
    return (answer.data?.auditLog.edges ?? []).map((edge: any) => edge.node).filter((n: any) => n.entityId === code);
  };

  it("gives the four offices the directory could not class their class", async () => {
    const classes = await server.gql(
      `{ a: unit(code: "KANIM-JAKARTA-SELATAN") { officeClass uncertainty }
         b: unit(code: "KANIM-JAKARTA-BARAT") { officeClass uncertainty }
         c: unit(code: "KANIM-BANYUWANGI") { officeClass uncertainty }
         d: unit(code: "KANIM-TANJUNG-REDEB") { officeClass uncertainty } }`,
      {},
      directorate,
    );
    expect(classes.data).toMatchObject({
      a: { officeClass: "KELAS_I_KHUSUS_NON_TPI" },
      b: { officeClass: "KELAS_I_KHUSUS_NON_TPI" },
      c: { officeClass: "KELAS_III_TPI" },
      d: { officeClass: "KELAS_III_TPI" },
    });
    expect(JSON.stringify(classes.data)).not.toContain("has no OfficeClass value");
  });

  it("adds an office under a Kantor Wilayah, changes it, and each change is audited and in use at once", async () => {
    const created = await server.gql(
      CREATE_UNIT,
      {
        input: {
          code: "KANIM-BATU",
          name: "Kantor Imigrasi Kelas III Non TPI Batu",
          type: "IMMIGRATION_OFFICE",
          officeClass: "KELAS_III_NON_TPI",
          parentCode: "KANWIL-JI",
          city: "Batu",
          latitude: -7.87,
          longitude: 112.52,
          uncertainty: "kelas belum diumumkan",
        },
      },
      directorate,
    );
    expect(created.data?.createUnit).toMatchObject({
      __typename: "CreateUnitSuccess",
      unit: {
        code: "KANIM-BATU",
        provinceCode: "ID-JI",
        timeZone: "Asia/Jakarta",
        officeClass: "KELAS_III_NON_TPI",
        parent: { code: "KANWIL-JI" },
      },
    });
    // The regional head's scope and the ticket intake know the new office at once.
    const listed = await server.gql(`{ units(parentCode: "KANWIL-JI") { code } }`, {}, regionalHead);
    expect(listed.data?.units.map((u: { code: string }) => u.code)).toContain("KANIM-BATU");
    const ticket = await server.gql(CREATE, { input: newTicketInput({ unitCode: "KANIM-BATU" }) }, regionalHead);
    expect(ticket.data?.createTicket.__typename).toBe("CreateTicketSuccess");

    const updated = await server.gql(
      UPDATE_UNIT,
      {
        input: {
          code: "KANIM-BATU",
          name: "Kantor Imigrasi Kelas II Non TPI Batu",
          officeClass: "KELAS_II_NON_TPI",
          timeZone: "Asia/Makassar",
          latitude: -7.9,
          longitude: 112.55,
          uncertainty: "",
        },
      },
      directorate,
    );
    expect(updated.data?.updateUnit.unit).toMatchObject({
      name: "Kantor Imigrasi Kelas II Non TPI Batu",
      officeClass: "KELAS_II_NON_TPI",
      timeZone: "Asia/Makassar",
      latitude: -7.9,
      longitude: 112.55,
      uncertainty: null,
    });
    const sla = await server.gql(
      `query($n: String!) { ticket(number: $n) { unit { timeZone } } }`,
      { n: ticket.data?.createTicket.ticket.number },
      regionalHead,
    );
    expect(sla.data?.ticket.unit.timeZone).toBe("Asia/Makassar");
    const audit = await auditOf("KANIM-BATU");
    expect(audit.map((r: any) => r.action).sort()).toEqual(["create", "update"]);
    expect(audit.find((r: any) => r.action === "update")).toMatchObject({
      actorName: "direktorat@pantau.demo",
      before: { officeClass: "KELAS_III_NON_TPI", timeZone: "Asia/Jakarta" },
      after: { officeClass: "KELAS_II_NON_TPI", timeZone: "Asia/Makassar" },
    });
  });

  it("moves an office to another Kantor Wilayah: each region's history stays, its future counts in the new one", async () => {
    const today = startOfTodayWib();
    const history = { from: new Date(today.getTime() - 10 * DAY_MS).toISOString(), to: today.toISOString() };
    const untilTomorrow = { from: history.from, to: new Date(today.getTime() + DAY_MS).toISOString() };
    const read = async (code: string, period: { from: string; to: string }) => {
      const answer = await server.gql(METRICS, { code, ...period }, directorate);
      expect(answer.errors).toBeUndefined();
      return answer.data?.unitMetrics;
    };
    const regions = ["KANWIL-JI", "KANWIL-JT", "IMI"];
    // A backlog is read back from now through what happened since, in two statements: a roll-up committing
    // between them would shift it by a ticket, so every read below waits for the relay to be idle first.
    await waitForRollup();
    const before = await Promise.all(regions.map((code) => read(code, history)));
    const malangHistory = await read("KANIM-MALANG", history);
    expect(malangHistory.totals.created).toBeGreaterThan(0);

    const moved = await server.gql(
      MOVE_UNIT,
      { input: { code: "KANIM-MALANG", parentCode: "KANWIL-JT" } },
      directorate,
    );
    expect(moved.data?.moveUnit).toMatchObject({
      __typename: "MoveUnitSuccess",
      unit: { parent: { code: "KANWIL-JT" } },
    });

    // Scope follows at once: Jawa Timur's head no longer sees the office, its own agent still works in it.
    expect((await server.gql(`{ unit(code: "KANIM-MALANG") { code } }`, {}, regionalHead)).data?.unit).toBeNull();
    const fresh = await server.gql(CREATE, { input: newTicketInput() }, agent);
    expect(fresh.data?.createTicket.__typename).toBe("CreateTicketSuccess");

    // Every day before the move reads as it did, in both regions and nationally.
    await waitForRollup();
    const after = await Promise.all(regions.map((code) => read(code, history)));
    expect(after).toEqual(before);

    // From today the office counts in Jawa Tengah, and the figures equal a count of the log in which each
    // event belongs to the region its unit was under at the time.
    await waitForRollup();
    const fromScratch = async (regionCode: string) =>
      count(
        `SELECT count(*)::int AS n FROM ticket_event e JOIN unit u ON u.id = e.unit_id
         WHERE e.type = 'CREATED' AND e.at >= '${untilTomorrow.from}' AND e.at < '${untilTomorrow.to}'
           AND coalesce((SELECT m.from_parent_id FROM unit_move m WHERE m.unit_id = u.id AND m.effective_at > e.at
                         ORDER BY m.effective_at LIMIT 1), u.parent_id) = (SELECT id FROM unit WHERE code = '${regionCode}')`,
      );
    const [jatim, jateng] = await Promise.all([read("KANWIL-JI", untilTomorrow), read("KANWIL-JT", untilTomorrow)]);
    expect(jatim.totals.created).toBe(await fromScratch("KANWIL-JI"));
    expect(jateng.totals.created).toBe(await fromScratch("KANWIL-JT"));
    const todayOf = (metrics: any) => metrics.buckets.find((b: any) => b.start === today.toISOString())?.figures;
    const malangToday = todayOf(await read("KANIM-MALANG", untilTomorrow));
    expect(malangToday.created).toBeGreaterThan(0);
    const jatengHistory = before[1].totals.created;
    expect(jateng.totals.created).toBe(jatengHistory + (todayOf(await read("KANWIL-JT", untilTomorrow)).created ?? 0));
    expect(todayOf(jateng).created).toBeGreaterThanOrEqual(malangToday.created);
    // The backlog now is what is open in each region's offices now.
    const openIn = (regionCode: string) =>
      count(
        `SELECT count(*)::int AS n FROM ticket t JOIN unit u ON u.id = t.unit_id
         WHERE t.status IN ('NEW','TRIAGED','ASSIGNED','IN_PROGRESS','WAITING_ON_CITIZEN')
           AND (u.code = '${regionCode}' OR u.parent_id = (SELECT id FROM unit WHERE code = '${regionCode}'))`,
      );
    expect(jatim.totals.backlog.open).toBe(await openIn("KANWIL-JI"));
    expect(jateng.totals.backlog.open).toBe(await openIn("KANWIL-JT"));

    const audit = await auditOf("KANIM-MALANG");
    expect(audit.find((r: any) => r.action === "move")).toMatchObject({
      before: { parentCode: "KANWIL-JI" },
      after: { parentCode: "KANWIL-JT", countsUnderNewParentFrom: today.toISOString() },
    });
  });

  async function waitForRollup() {
    // The relay rolls up what committed; the outbox is empty once it has.
    for (let i = 0; i < 100; i++) {
      if ((await count("SELECT count(*)::int AS n FROM event_outbox")) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("the relay did not roll up the new events");
  }

  it("refuses bad input with typed errors and writes nothing", async () => {
    const state = () =>
      Promise.all([
        count("SELECT count(*)::int AS n FROM unit"),
        count("SELECT count(*)::int AS n FROM unit_move"),
        count("SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'Unit'"),
        server.app.db.sql.query("SELECT code, parent_id, time_zone, office_class FROM unit ORDER BY id"),
      ]);
    const unchanged = await state();
    const office = { name: "Kantor Imigrasi Uji", type: "IMMIGRATION_OFFICE", parentCode: "KANWIL-JI" };
    const creates: [Record<string, unknown>, string, string | null][] = [
      [{ ...office, code: "KANIM-SURABAYA" }, "VALIDATION_FAILED", "code"],
      [{ ...office, code: "kanim lower" }, "VALIDATION_FAILED", "code"],
      [{ ...office, code: "KANIM-UJI", timeZone: "Asia/Singapore" }, "VALIDATION_FAILED", "timeZone"],
      [{ ...office, code: "KANIM-UJI", timeZone: "WIB" }, "VALIDATION_FAILED", "timeZone"],
      [{ ...office, code: "KANIM-UJI", parentCode: "KANWIL-NOWHERE" }, "UNKNOWN_UNIT", null],
      [{ ...office, code: "KANIM-UJI", parentCode: "KANIM-SURABAYA" }, "VALIDATION_FAILED", "parentCode"],
      [{ ...office, code: "KANWIL-UJI", type: "REGIONAL_OFFICE" }, "VALIDATION_FAILED", "type"],
      [{ ...office, code: "KANIM-UJI", latitude: 48.1, longitude: 11.6 }, "VALIDATION_FAILED", "latitude"],
      [{ ...office, code: "KANIM-UJI", latitude: -7.2 }, "VALIDATION_FAILED", "longitude"],
      [
        { ...office, code: "RUDENIM-UJI", type: "DETENTION_CENTER", officeClass: "KELAS_I_TPI" },
        "VALIDATION_FAILED",
        "officeClass",
      ],
    ];
    for (const [input, code, field] of creates) {
      const answer = await server.gql(CREATE_UNIT, { input }, directorate);
      expect(answer.data?.createUnit, JSON.stringify(input)).toMatchObject({ code, ...(field ? { field } : {}) });
    }
    const updates: [Record<string, unknown>, string, string | null][] = [
      [{ code: "KANIM-NOWHERE", name: "x" }, "UNKNOWN_UNIT", null],
      [{ code: "KANIM-SURABAYA", timeZone: "Europe/Amsterdam" }, "VALIDATION_FAILED", "timeZone"],
      [{ code: "KANIM-SURABAYA", name: " " }, "VALIDATION_FAILED", "name"],
      [{ code: "KANIM-SURABAYA" }, "VALIDATION_FAILED", null],
    ];
    for (const [input, code, field] of updates) {
      const answer = await server.gql(UPDATE_UNIT, { input }, directorate);
      expect(answer.data?.updateUnit, JSON.stringify(input)).toMatchObject({ code, ...(field ? { field } : {}) });
    }
    const moves: [Record<string, unknown>, string, string | null][] = [
      [{ code: "KANIM-NOWHERE", parentCode: "KANWIL-JT" }, "UNKNOWN_UNIT", null],
      [{ code: "KANIM-SURABAYA", parentCode: "KANWIL-NOWHERE" }, "UNKNOWN_UNIT", null],
      [{ code: "KANWIL-JI", parentCode: "KANIM-SURABAYA" }, "UNIT_CYCLE", null],
      [{ code: "IMI", parentCode: "KANWIL-JT" }, "UNIT_CYCLE", null],
      [{ code: "KANIM-SURABAYA", parentCode: "KANIM-SURABAYA" }, "UNIT_CYCLE", null],
      [{ code: "KANIM-SURABAYA", parentCode: "KANIM-BANYUWANGI" }, "VALIDATION_FAILED", "parentCode"],
      [{ code: "KANIM-SURABAYA", parentCode: "KANWIL-JI" }, "VALIDATION_FAILED", "parentCode"],
      [{ code: "KANWIL-JT", parentCode: "IMI" }, "VALIDATION_FAILED", "code"],
    ];
    for (const [input, code, field] of moves) {
      const answer = await server.gql(MOVE_UNIT, { input }, directorate);
      expect(answer.data?.moveUnit, JSON.stringify(input)).toMatchObject({ code, ...(field ? { field } : {}) });
    }
    for (const token of [regionalHead, agent]) {
      for (const [document, input] of [
        [CREATE_UNIT, { ...office, code: "KANIM-REGIONAL" }],
        [UPDATE_UNIT, { code: "KANIM-SURABAYA", name: "Regional" }],
        [MOVE_UNIT, { code: "KANIM-SURABAYA", parentCode: "KANWIL-JT" }],
      ] as const) {
        const refused = await server.gql(document, { input }, token);
        const field = Object.keys(refused.data ?? {})[0] ?? "";
        expect(refused.errors?.[0]?.extensions?.code ?? refused.data?.[field]?.code).toBe("FORBIDDEN");
      }
    }
    expect(await state()).toEqual(unchanged);
  });
});
