import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_POLICIES, RETIRED_DEFAULTS_2026_11 } from "@pantau/server/sla-policies";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, targets } from "./support/databases.js";
import { CREATE, newTicketInput } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

const TARGET = "amount unit counting basis source";
const CLOCKS = `query($id: ID!) {
  node(id: $id) { ... on Ticket { sla { kind policy { code } target { ${TARGET} } } } }
}`;
const POLICIES = `{ slaPolicies { code legalSource firstResponse { ${TARGET} } resolution { ${TARGET} } } }`;
const SAVE = `mutation($input: SlaPolicyInput!) {
  saveSlaPolicy(input: $input) {
    __typename
    ... on SaveSlaPolicySuccess { policy { code version resolution { basis source } } }
    ... on Error { code message }
    ... on ValidationError { field }
  }
}`;

const all = await targets();

describe.each(all)("the default SLA policies through the API on %s", (target) => {
  let server: TestServer;
  let agent: string;
  let directorate: string;

  beforeAll(async () => {
    server = await startServer(target);
    [agent, directorate] = await Promise.all([
      server.login("agen.malang@pantau.demo"),
      server.login("direktorat@pantau.demo"),
    ]);
  });
  afterAll(() => server?.stop());

  const clocksOf = async (input: Record<string, unknown>) => {
    const created = await server.gql(CREATE, { input: newTicketInput(input) }, agent);
    expect(created.data?.createTicket.__typename, JSON.stringify(created)).toBe("CreateTicketSuccess");
    const read = await server.gql(CLOCKS, { id: created.data?.createTicket.ticket.id }, agent);
    expect(read.errors).toBeUndefined();
    const sla = read.data?.node.sla as { kind: string; policy: { code: string }; target: any }[];
    return Object.fromEntries(sla.map((clock) => [clock.kind, { code: clock.policy.code, ...clock.target }]));
  };

  it("keeps the KIP clock for an information request from SP4N-LAPOR!", async () => {
    const clocks = await clocksOf({ kind: "INFORMATION_REQUEST", channel: "SP4N_LAPOR", externalRef: "LAPOR-9001" });
    expect(clocks.RESOLUTION).toMatchObject({ code: "KIP_REQUEST_WRITTEN", amount: 10, unit: "WORKING_DAYS" });
    expect(clocks.RESOLUTION.basis).toBe("LEGAL");
    expect(clocks.RESOLUTION.source).toMatch(/UU 14\/2008 Pasal 22 ayat \(7\)/);
  });

  it("gives whistleblowing and violation reports their policy whatever their category", async () => {
    for (const [kind, category] of [
      ["WHISTLEBLOWING", "FEES"],
      ["VIOLATION_REPORT", "FOREIGNER_REPORT"],
      ["WHISTLEBLOWING", null],
    ] as const) {
      const clocks = await clocksOf({ kind, channel: "EMAIL", ...(category ? { category } : {}) });
      expect(clocks.RESOLUTION, `${kind} ${category}`).toMatchObject({
        code: "INTEGRITY_REPORT",
        amount: 60,
        unit: "DAYS",
        basis: "INTERNAL",
      });
    }
    const lapor = await clocksOf({ kind: "WHISTLEBLOWING", channel: "SP4N_LAPOR", externalRef: "LAPOR-9002" });
    expect(lapor.RESOLUTION.code).toBe("INTEGRITY_REPORT");
  });

  it("labels the 60 days of a complaint that needs examination as what they are", async () => {
    const clocks = await clocksOf({ kind: "COMPLAINT", channel: "PHONE", category: "OFFICER_CONDUCT" });
    expect(clocks.RESOLUTION).toMatchObject({ code: "COMPLAINT_NEEDS_EXAMINATION", amount: 60, unit: "DAYS" });
    expect(clocks.RESOLUTION.basis).toBe("INTERNAL");
    expect(clocks.RESOLUTION.source).toMatch(/Perpres 76\/2013/);
    expect(clocks.RESOLUTION.source).not.toMatch(/60 hari kerja/);
  });

  it("gives appreciation messages no complaint tier", async () => {
    const clocks = await clocksOf({ kind: "APPRECIATION", channel: "INSTAGRAM" });
    expect(clocks.RESOLUTION).toMatchObject({ code: "APPRECIATION", amount: 3, unit: "WORKING_DAYS" });
    expect(clocks.RESOLUTION.source).not.toMatch(/pengaduan/i);
    const aspiration = await clocksOf({ kind: "ASPIRATION", channel: "LETTER" });
    expect(aspiration.RESOLUTION.code).toBe("DEFAULT");
  });

  it("labels every target of every policy legal or internal, with its source", async () => {
    const result = await server.gql(POLICIES, {}, agent);
    expect(result.errors).toBeUndefined();
    const policies = result.data?.slaPolicies as any[];
    expect(policies.map((p) => p.code)).toEqual(DEFAULT_POLICIES.map((p) => p.code));
    for (const policy of policies) {
      for (const target of [policy.firstResponse, policy.resolution]) {
        expect(["LEGAL", "INTERNAL"], policy.code).toContain(target.basis);
        expect(target.source.length, policy.code).toBeGreaterThan(20);
        if (target.basis === "LEGAL") expect(target.source, policy.code).toMatch(/Pasal \d+/);
      }
    }
  });

  it("refuses a legal target without its source, and keeps the label of one saved with it", async () => {
    const input = {
      code: "LABEL_TEST",
      name: "Uji label",
      position: 5,
      matchChannels: ["PRESS"],
      matchKinds: ["ASPIRATION"],
      firstResponse: { amount: 1, unit: "WORKING_DAYS", counting: "BUSINESS_HOURS" },
      resolution: { amount: 10, unit: "WORKING_DAYS", counting: "BUSINESS_HOURS", basis: "LEGAL" },
      legalSource: "Uji",
    };
    const refused = await server.gql(SAVE, { input }, directorate);
    expect(refused.data?.saveSlaPolicy).toMatchObject({ code: "VALIDATION_FAILED", field: "resolution.source" });
    const blank = await server.gql(
      SAVE,
      { input: { ...input, resolution: { ...input.resolution, source: "   " } } },
      directorate,
    );
    expect(blank.data?.saveSlaPolicy).toMatchObject({ code: "VALIDATION_FAILED", field: "resolution.source" });
    const long = await server.gql(
      SAVE,
      { input: { ...input, resolution: { ...input.resolution, source: "x".repeat(1001) } } },
      directorate,
    );
    expect(long.data?.saveSlaPolicy).toMatchObject({ code: "VALIDATION_FAILED", field: "resolution.source" });
    const saved = await server.gql(
      SAVE,
      { input: { ...input, resolution: { ...input.resolution, source: " UU 14/2008 Pasal 22 ayat (7) " } } },
      directorate,
    );
    expect(saved.data?.saveSlaPolicy).toEqual({
      __typename: "SaveSlaPolicySuccess",
      policy: {
        code: "LABEL_TEST",
        version: 1,
        resolution: { basis: "LEGAL", source: "UU 14/2008 Pasal 22 ayat (7)" },
      },
    });
    const unlabelled = await server.gql(`{ slaPolicies { code firstResponse { basis source } } }`, {}, directorate);
    expect(unlabelled.data?.slaPolicies.find((p: any) => p.code === "LABEL_TEST").firstResponse).toEqual({
      basis: "INTERNAL",
      source: "",
    });
  });
});

describe.each(all)("an install with the first release's defaults on %s", (target) => {
  let location: { dataDir?: string; databaseUrl?: string };
  let cleanup: () => Promise<void>;
  let server: TestServer | undefined;

  beforeAll(async () => {
    if (target === "postgres") {
      const database = await createDatabase();
      location = { databaseUrl: database.url };
      cleanup = database.drop;
    } else {
      const dir = mkdtempSync(join(tmpdir(), "pantau-policies-"));
      location = { dataDir: dir };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    // Reference data only, no tickets: the policy table can be put back as the first release left it.
    server = await startServer(target, { ...location, env: { NODE_ENV: "production" } });
    const sql = server.app.db.sql;
    await sql.query("DELETE FROM sla_policy");
    await sql.query("DELETE FROM audit_log WHERE entity_type = 'SlaPolicy'");
    for (const [index, p] of RETIRED_DEFAULTS_2026_11.entries()) {
      await sql.query(
        `INSERT INTO sla_policy (code, version, name, position, match_kinds, match_channels, match_categories,
           match_priorities, first_response_amount, first_response_unit, first_response_counting, resolution_amount,
           resolution_unit, resolution_counting, extension_amount, pause_statuses, at_risk_ratio, legal_source)
         VALUES ($1, 1, $2, $3, $4::"TicketKind"[], $5::"Channel"[], $6, $7::"Priority"[], $8, $9::"TargetUnit",
           $10::"Counting", $11, $12::"TargetUnit", $13::"Counting", $14, $15::"TicketStatus"[], $16, $17)`,
        [
          p.code,
          // One default the directorate edited: it is theirs and stays as they left it.
          p.code === "COMPLAINT_VOICE" ? "Pengaduan lewat telepon (diubah)" : p.name,
          (index + 1) * 10,
          p.matchKinds,
          p.matchChannels,
          p.matchCategories,
          p.matchPriorities,
          p.firstResponse.amount,
          p.firstResponse.unit,
          p.firstResponse.counting,
          p.resolution.amount,
          p.resolution.unit,
          p.resolution.counting,
          p.extensionAmount,
          p.pauseStatuses,
          p.atRiskRatio,
          p.legalSource,
        ],
      );
    }
    await server.stop();
    server = await startServer(target, { ...location, env: { NODE_ENV: "production" } });
  });
  afterAll(async () => {
    await server?.stop();
    await cleanup?.();
  });

  it("revises the untouched defaults to labelled versions, adds the new ones and leaves edited ones alone", async () => {
    const sql = server?.app.db.sql;
    if (!sql) throw new Error("no server");
    const current = await sql.query<{ code: string; version: number; position: number; basis: string }>(
      `SELECT code, version, position, resolution_basis::text AS basis FROM sla_policy WHERE current ORDER BY position, code`,
    );
    const expected = DEFAULT_POLICIES.map((p, index) => {
      // The edited version keeps the position it was shipped at.
      if (p.code === "COMPLAINT_VOICE") return { code: p.code, version: 1, position: 70, basis: "INTERNAL" };
      const isNew = !RETIRED_DEFAULTS_2026_11.some((r) => r.code === p.code);
      return { code: p.code, version: isNew ? 1 : 2, position: (index + 1) * 10, basis: p.resolution.basis };
    });
    expect(current).toEqual([...expected].sort((a, b) => a.position - b.position || a.code.localeCompare(b.code)));
    const [lapor] = await sql.query<{ kinds: string[]; source: string }>(
      `SELECT match_kinds::text[] AS kinds, first_response_source AS source FROM sla_policy
       WHERE current AND code = 'LAPOR_VERIFICATION'`,
    );
    expect(lapor).toMatchObject({ kinds: ["COMPLAINT"] });
    const audit = await sql.query<{ entity: string; actor: string; action: string; before: any; after: any }>(
      `SELECT entity_id AS entity, actor_kind::text AS actor, action, before, after FROM audit_log
       WHERE entity_type = 'SlaPolicy' ORDER BY entity_id`,
    );
    const revised = RETIRED_DEFAULTS_2026_11.map((p) => p.code).filter((code) => code !== "COMPLAINT_VOICE");
    expect(audit.map((row) => row.entity)).toEqual([...revised].sort());
    for (const row of audit) {
      expect(row).toMatchObject({ actor: "SYSTEM", action: "new-version" });
      expect(row.before.version).toBe(1);
      expect(row.after.version).toBe(2);
    }
  });

  it("does nothing more on the next start", async () => {
    await server?.stop();
    server = await startServer(target, { ...location, env: { NODE_ENV: "production" } });
    const [counts] = await server.app.db.sql.query<{ versions: number; audits: number }>(
      `SELECT (SELECT count(*)::int FROM sla_policy) AS versions,
              (SELECT count(*)::int FROM audit_log WHERE entity_type = 'SlaPolicy') AS audits`,
    );
    expect(counts).toEqual({
      versions: RETIRED_DEFAULTS_2026_11.length * 2 - 1 + (DEFAULT_POLICIES.length - RETIRED_DEFAULTS_2026_11.length),
      audits: RETIRED_DEFAULTS_2026_11.length - 1,
    });
  });
});
