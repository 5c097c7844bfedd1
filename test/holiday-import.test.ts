import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, targets } from "./support/databases.js";
import { type Run, runEntry } from "./support/entry.js";
import { startServer, type TestServer } from "./support/server.js";

const IMPORT = `mutation($input: ImportHolidaysInput!) {
  importHolidays(input: $input) {
    __typename
    ... on ImportHolidaysSuccess { import { year decree source added updated removed holidays { date name kind source } } }
    ... on Error { code message }
    ... on ValidationError { field }
  }
}`;
const COVERAGE = `{ holidayCoverage { year nationalHolidays cutiBersama decree noticeFrom missing } }`;
const DECREE =
  "SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB tentang Hari Libur Nasional dan Cuti Bersama Tahun 2027 (uji)";
// A list in the decree's shape, for the tests only: the 2027 SKB is not out yet.
const LIST_2027_CSV = `date,name,kind
2027-01-01,Tahun Baru 2027 Masehi,NATIONAL
2027-02-06,"Tahun Baru Imlek 2578 Kongzili",NATIONAL
2027-03-10,"Idulfitri 1448 Hijriah, hari pertama",NATIONAL
2027-03-11,"Idulfitri 1448 Hijriah, hari kedua",NATIONAL
2027-03-12,Cuti Bersama Idulfitri,CUTI_BERSAMA
2027-08-17,Hari Proklamasi Kemerdekaan,NATIONAL
2027-12-25,Hari Raya Natal,NATIONAL
2027-12-24,Cuti Bersama Natal,CUTI_BERSAMA
`;
const OCTOBER_FIRST = new Date("2026-10-01T00:00:00+07:00");
const NOTICE = /^No national holidays for 2027: .*pnpm admin import-holidays/;

describe.each(await targets())("importing a year's holidays on %s", (target) => {
  let server: TestServer;
  let directorate: string;
  let regionalHead: string;
  const lines: Record<string, any>[] = [];
  let clock = OCTOBER_FIRST;

  beforeAll(async () => {
    server = await startServer(target, { now: () => clock, onLog: (line) => lines.push(line) });
    [directorate, regionalHead] = await Promise.all([
      server.login("direktorat@pantau.demo"),
      server.login("kanwil.jatim@pantau.demo"),
    ]);
  });
  afterAll(() => server?.stop());

  const count = async (sql: string) => (await server.app.db.sql.query<{ n: number }>(sql))[0]?.n ?? Number.NaN;
  const state = () =>
    Promise.all([
      server.app.db.sql.query("SELECT date, name, kind, unit_id, source FROM holiday ORDER BY date, id"),
      server.app.db.sql.query("SELECT * FROM holiday_import ORDER BY year"),
      count("SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'Holiday'"),
    ]);

  it("says from 1 October, at start and to the directorate, that next year has no national holidays", async () => {
    const warnings = lines.filter((line) => line.level === 40 && NOTICE.test(String(line.msg)));
    expect(warnings).toHaveLength(1);
    const coverage = await server.gql(COVERAGE, {}, directorate);
    expect(coverage.data?.holidayCoverage).toEqual({
      year: 2027,
      nationalHolidays: 0,
      cutiBersama: 0,
      decree: null,
      noticeFrom: OCTOBER_FIRST.toISOString(),
      missing: true,
    });
    const refused = await server.gql(COVERAGE, {}, regionalHead);
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // A second before 1 October the list is not due yet.
    clock = new Date(OCTOBER_FIRST.getTime() - 1_000);
    try {
      const early = await server.gql(COVERAGE, {}, directorate);
      expect(early.data?.holidayCoverage).toMatchObject({ year: 2027, missing: false });
    } finally {
      clock = OCTOBER_FIRST;
    }
  });

  it("refuses a bad list with a typed error and writes nothing", async () => {
    const before = await state();
    const base = { year: 2027, decree: DECREE, format: "CSV" };
    const cases: [Record<string, unknown>, string][] = [
      [{ content: `${LIST_2027_CSV}2027-02-30,Hari tidak ada,NATIONAL\n` }, "holidays[8].date"],
      [{ content: `${LIST_2027_CSV}2027-1-5,Format salah,NATIONAL\n` }, "holidays[8].date"],
      [{ content: `${LIST_2027_CSV}2027-08-17,Dua kali,NATIONAL\n` }, "holidays[8].date"],
      [{ content: `${LIST_2027_CSV}2026-12-31,Tahun lain,CUTI_BERSAMA\n` }, "holidays[8].date"],
      [{ content: `${LIST_2027_CSV}2027-09-09,Hari daerah,REGIONAL\n` }, "holidays[8].kind"],
      [{ content: `${LIST_2027_CSV}2027-09-10,,NATIONAL\n` }, "holidays[8].name"],
      [{ content: "tanggal,nama\n2027-01-01,Tahun Baru\n" }, "content"],
      [{ content: "date,name,kind\n" }, "content"],
      [{ content: '[{"date": "2027-01-01"', format: "JSON" }, "content"],
      [{ content: LIST_2027_CSV, decree: "  " }, "decree"],
      [{ content: LIST_2027_CSV, year: 1999 }, "year"],
    ];
    for (const [input, field] of cases) {
      const answer = await server.gql(IMPORT, { input: { ...base, ...input } }, directorate);
      expect(answer.data?.importHolidays, JSON.stringify(input)).toMatchObject({ code: "VALIDATION_FAILED", field });
    }
    const refused = await server.gql(IMPORT, { input: { ...base, content: LIST_2027_CSV } }, regionalHead);
    expect(refused.errors?.[0]?.extensions?.code ?? refused.data?.importHolidays.code).toBe("FORBIDDEN");
    expect(await state()).toEqual(before);
  });

  it("imports a year's SKB in one change, then its revision, keeping regional days", async () => {
    const regional = await server.gql(
      `mutation { addHoliday(input: { date: "2027-04-01", name: "Libur daerah uji", kind: REGIONAL,
                  unitCode: "KANWIL-JI", reason: "Keputusan gubernur (uji)" }) { __typename } }`,
      {},
      directorate,
    );
    expect(regional.data?.addHoliday.__typename).toBe("AddHolidaySuccess");
    const source = "https://jdih.menpan.go.id/ (uji)";
    const imported = await server.gql(
      IMPORT,
      { input: { year: 2027, decree: DECREE, source, format: "CSV", content: LIST_2027_CSV } },
      directorate,
    );
    expect(imported.data?.importHolidays).toMatchObject({
      __typename: "ImportHolidaysSuccess",
      import: { year: 2027, added: 8, updated: 0, removed: 0 },
    });
    const days = imported.data?.importHolidays.import.holidays as { date: string; name: string; source: string }[];
    expect(days.map((day) => day.date)).toEqual([
      "2027-01-01",
      "2027-02-06",
      "2027-03-10",
      "2027-03-11",
      "2027-03-12",
      "2027-08-17",
      "2027-12-24",
      "2027-12-25",
    ]);
    expect(days.find((day) => day.date === "2027-03-10")?.name).toBe("Idulfitri 1448 Hijriah, hari pertama");
    expect(days[0]?.source).toBe(`${DECREE} | ${source}`);
    const coverage = await server.gql(COVERAGE, {}, directorate);
    expect(coverage.data?.holidayCoverage).toMatchObject({
      nationalHolidays: 6,
      cutiBersama: 2,
      decree: DECREE,
      missing: false,
    });

    // A revision, as JSON in the shipped file's shape: one day dropped, one renamed, one added.
    const revision = [
      ...LIST_2027_CSV.trim()
        .split("\n")
        .slice(1)
        .map((line) => {
          const [date, ...rest] = line.split(",");
          const kind = rest.pop() as string;
          return { date, name: rest.join(",").replace(/"/g, ""), kind };
        })
        .filter((day) => day.date !== "2027-12-24")
        .map((day) => (day.date === "2027-08-17" ? { ...day, name: "Hari Kemerdekaan Republik Indonesia" } : day)),
      { date: "2027-08-18", name: "Cuti Bersama Kemerdekaan", kind: "CUTI_BERSAMA" },
    ];
    const revised = await server.gql(
      IMPORT,
      {
        input: {
          year: 2027,
          decree: `${DECREE}, perubahan`,
          format: "JSON",
          content: JSON.stringify({ holidays: revision }),
        },
      },
      directorate,
    );
    expect(revised.data?.importHolidays.import).toMatchObject({ added: 1, removed: 1 });
    // Every day of the year now names the revised decree.
    expect(revised.data?.importHolidays.import.updated).toBe(7);
    const year = await server.gql(`{ holidays(year: 2027) { date name kind unit { code } } }`, {}, directorate);
    const listed = year.data?.holidays as { date: string; name: string; unit: { code: string } | null }[];
    expect(listed.map((day) => day.date)).not.toContain("2027-12-24");
    expect(listed.find((day) => day.date === "2027-08-17")?.name).toBe("Hari Kemerdekaan Republik Indonesia");
    expect(listed.find((day) => day.date === "2027-04-01")?.unit?.code).toBe("KANWIL-JI");

    const audit = await server.gql(
      `{ auditLog(first: 10, filter: { entityType: "Holiday", action: "import" }) {
           edges { node { entityId actorName before after } } } }`,
      {},
      directorate,
    );
    const records = (audit.data?.auditLog.edges ?? []).map((edge: any) => edge.node);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      entityId: "year:2027",
      actorName: "direktorat@pantau.demo",
      after: { decree: `${DECREE}, perubahan`, added: 1, removed: 1 },
    });
  });
});

describe.each(await targets())("pnpm admin import-holidays on %s", (target) => {
  let env: Record<string, string>;
  let location: { dataDir?: string; databaseUrl?: string };
  let cleanup: () => Promise<void>;
  const files = mkdtempSync(join(tmpdir(), "pantau-holidays-"));
  const runs: Record<string, Run> = {};
  const lines: Record<string, any>[] = [];
  let server: TestServer | undefined;

  beforeAll(async () => {
    if (target === "postgres") {
      const database = await createDatabase();
      env = { DATABASE_URL: database.url, NODE_ENV: "production" };
      location = { databaseUrl: database.url };
      cleanup = database.drop;
    } else {
      const dir = mkdtempSync(join(tmpdir(), "pantau-holidays-db-"));
      env = { PANTAU_DATA_DIR: dir, NODE_ENV: "production" };
      location = { dataDir: dir };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    const good = join(files, "skb-2027.csv");
    const bad = join(files, "skb-2027-salah.json");
    writeFileSync(good, LIST_2027_CSV);
    writeFileSync(
      bad,
      JSON.stringify({
        year: 2027,
        decree: DECREE,
        holidays: [
          { date: "2027-01-01", name: "Tahun Baru", kind: "NATIONAL" },
          { date: "2027-01-01", name: "Lagi", kind: "NATIONAL" },
        ],
      }),
    );
    const admin = (...args: string[]) => runEntry("src/admin.ts", args, env);
    // PGlite belongs to one process at a time: each command runs while no server holds the folder.
    runs.bad = await admin("import-holidays", "--file", bad);
    runs.missingDecree = await admin("import-holidays", "--file", good, "--year", "2027");
    runs.good = await admin("import-holidays", "--file", good, "--year", "2027", "--decree", DECREE);
    server = await startServer(target, {
      ...location,
      env: { NODE_ENV: "production" },
      now: () => OCTOBER_FIRST,
      onLog: (line) => lines.push(line),
    });
  }, 900_000);
  afterAll(async () => {
    await server?.stop();
    await cleanup?.();
    rmSync(files, { recursive: true, force: true });
  });

  it("imports a CSV list from a real process, and refuses a bad one with the reason and nothing written", async () => {
    expect(runs.bad).toMatchObject({ code: 1 });
    expect(runs.bad?.stderr).toMatch(/holidays\[1\]\.date: 2027-01-01 is listed twice/);
    expect(runs.missingDecree?.code).toBe(2);
    expect(runs.missingDecree?.stderr).toMatch(/--decree/);
    expect(runs.good).toMatchObject({ code: 0 });
    expect(runs.good?.stdout).toMatch(/Imported 2027 .*6 national holidays and 2 cuti bersama days \(8 added/);
    const [imports] = await server!.app.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM holiday_import");
    expect(imports?.n).toBe(1);
    const [audit] = await server!.app.db.sql.query<{ actor_name: string; action: string }>(
      "SELECT actor_name, action FROM audit_log WHERE entity_type = 'Holiday'",
    );
    expect(audit).toEqual({ actor_name: "pnpm admin import-holidays", action: "import" });
    // With next year's days in, a start on 1 October has nothing to report.
    expect(lines.filter((line) => NOTICE.test(String(line.msg)))).toEqual([]);
  });
});
