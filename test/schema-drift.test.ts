import { readFileSync } from "node:fs";
import { type Database, openDatabase } from "@pantau/server/database";
import { migrate } from "@pantau/server/migrator";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, targets } from "./support/databases.js";

// The data model as Prisma itself reads schema.prisma (the same WASM the CLI uses), so the
// comparison does not depend on a parser of our own.
interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object";
  type: string;
  isList: boolean;
  isRequired: boolean;
  hasDefaultValue: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal";
  fields: { name: string; sortOrder?: "asc" | "desc" }[];
}
const dmmf = JSON.parse(
  get_dmmf(JSON.stringify({ prismaSchema: readFileSync(new URL("../prisma/schema.prisma", import.meta.url), "utf8") })),
) as {
  datamodel: { models: DmmfModel[]; enums: { name: string; values: { name: string }[] }[]; indexes: DmmfIndex[] };
};
const { models, enums, indexes } = dmmf.datamodel;

// Partial, covering and trigram indexes schema.prisma cannot express; each lives in a migration's "beyond Prisma" part.
const EXTRA_INDEXES = [
  "CREATE UNIQUE INDEX sla_policy_current_code_key ON public.sla_policy USING btree (code) WHERE current",
  "CREATE UNIQUE INDEX holiday_national_date_key ON public.holiday USING btree (date) WHERE (unit_id IS NULL)",
  "CREATE UNIQUE INDEX holiday_regional_date_unit_key ON public.holiday USING btree (date, unit_id) WHERE (unit_id IS NOT NULL)",
  "CREATE UNIQUE INDEX metric_duration_first_response_key ON public.metric_duration USING btree (ticket_id) WHERE (kind = 'FIRST_RESPONSE'::ClockKind)",
  "CREATE INDEX metric_daily_read_idx ON public.metric_daily USING btree (unit_id, day) INCLUDE (created, resolved, closed, rejected, reopened, transfers_in, transfers_out, first_response_met, first_response_breached, resolution_met, resolution_breached, resolution_rejected, ratings, rating_sum, ratings_satisfied)",
  "CREATE INDEX metric_duration_sketch_read_idx ON public.metric_duration_sketch USING btree (unit_id, day, kind, bin) INCLUDE (wall, business)",
  "CREATE INDEX ticket_subject_trgm_idx ON public.ticket USING gin (subject gin_trgm_ops)",
  "CREATE INDEX ticket_description_trgm_idx ON public.ticket USING gin (description gin_trgm_ops)",
  "CREATE INDEX outbound_message_due_idx ON public.outbound_message USING btree (next_attempt_at) WHERE (status = ANY (ARRAY['PENDING'::OutboundStatus, 'SENDING'::OutboundStatus, 'FAILED'::OutboundStatus]))",
  "CREATE INDEX inbound_message_due_idx ON public.inbound_message USING btree (next_attempt_at) WHERE (status = 'RECEIVED'::InboundStatus)",
  "CREATE INDEX ticket_open_next_due_idx ON public.ticket USING btree (unit_id, next_due_at, id) WHERE (status = ANY (ARRAY['NEW'::TicketStatus, 'TRIAGED'::TicketStatus, 'ASSIGNED'::TicketStatus, 'IN_PROGRESS'::TicketStatus, 'WAITING_ON_CITIZEN'::TicketStatus]))",
  "CREATE UNIQUE INDEX metric_staff_duration_first_response_key ON public.metric_staff_duration USING btree (ticket_id) WHERE (kind = 'FIRST_RESPONSE'::ClockKind)",
  "CREATE INDEX metric_staff_duration_read_idx ON public.metric_staff_duration USING btree (unit_id, day) INCLUDE (user_id, kind, wall_minutes, clock_minutes)",
  "CREATE INDEX metric_duration_sketch_week_read_idx ON public.metric_duration_sketch_week USING btree (unit_id, week, kind, bin) INCLUDE (wall, business)",
];

const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
const columnOf = (field: DmmfField) => field.dbName ?? field.name;
const modelByName = new Map(models.map((m) => [m.name, m]));

function expectedType(field: DmmfField): string {
  const native = field.nativeType;
  let base: string;
  if (field.kind === "enum") base = field.type;
  else if (native?.[0] === "VarChar") base = `character varying(${native[1][0]})`;
  else if (native?.[0] === "Uuid") base = "uuid";
  else if (native?.[0] === "Date") base = "date";
  else if (native?.[0] === "Timestamptz") base = `timestamp(${native[1][0] ?? 3}) with time zone`;
  else {
    base = {
      Int: "integer",
      BigInt: "bigint",
      Float: "double precision",
      Boolean: "boolean",
      String: "text",
      DateTime: "timestamp(3) without time zone",
      Json: "jsonb",
      Bytes: "bytea",
    }[field.type] as string;
  }
  return field.isList ? `${base}[]` : base;
}

describe.each(await targets())("migrated %s database matches schema.prisma", (target) => {
  let db: Database;
  let drop = async () => {};

  beforeAll(async () => {
    if (target === "postgres") {
      const created = await createDatabase();
      drop = created.drop;
      db = await openDatabase({ databaseUrl: created.url });
    } else {
      db = await openDatabase({ dataDir: "memory://" });
    }
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    await drop();
  });

  it("has exactly the tables of the models", async () => {
    const rows = await db.sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const actual = rows.map((r) => r.table_name).filter((t) => t !== "_prisma_migrations");
    expect(actual.sort()).toEqual(models.map(tableOf).sort());
  });

  it.each(models.map((m) => [m.name, m] as const))(
    "%s has the right columns, types, nullability and defaults",
    async (_n, model) => {
      const rows = await db.sql.query<{ name: string; type: string; not_null: boolean; has_default: boolean }>(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null, a.atthasdef AS has_default
       FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
        [`"${tableOf(model)}"`],
      );
      const actual = Object.fromEntries(rows.map((r) => [r.name, { ...r, type: r.type.replaceAll('"', "") }]));
      const scalars = model.fields.filter((f) => f.kind !== "object");
      expect(Object.keys(actual).sort()).toEqual(scalars.map(columnOf).sort());
      for (const field of scalars) {
        const column = actual[columnOf(field)];
        expect({
          column: columnOf(field),
          type: column?.type,
          notNull: column?.not_null,
          hasDefault: column?.has_default,
        }).toEqual({
          column: columnOf(field),
          type: expectedType(field),
          // Prisma leaves list columns nullable even when required.
          notNull: field.isRequired && !field.isList,
          hasDefault: field.hasDefaultValue,
        });
      }
    },
  );

  it("has exactly the indexes the models declare (plus the listed partial ones), with their columns and order", async () => {
    const rows = await db.sql.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    const expected = indexes.map((index) => {
      const model = modelByName.get(index.model) as DmmfModel;
      const table = tableOf(model);
      const columns = index.fields.map((f) => columnOf(model.fields.find((mf) => mf.name === f.name) as DmmfField));
      const suffix = { id: "pkey", unique: "key", normal: "idx" }[index.type];
      const name = index.type === "id" ? `${table}_pkey` : `${table}_${columns.join("_")}_${suffix}`;
      const parts = index.fields.map((f, i) => `${columns[i]}${f.sortOrder === "desc" ? " DESC" : ""}`);
      return `CREATE ${index.type === "normal" ? "" : "UNIQUE "}INDEX ${name} ON public.${table} USING btree (${parts.join(", ")})`;
    });
    // Quotes appear only around keywords used as names (e.g. "position"); they are not part of the shape.
    const actual = rows.map((r) => r.indexdef.replaceAll('"', ""));
    expect(actual.sort()).toEqual([...expected, ...EXTRA_INDEXES].sort());
  });

  it("has the enums with their values in order", async () => {
    for (const e of enums) {
      const rows = await db.sql.query<{ label: string }>(
        `SELECT e.enumlabel AS label FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 ORDER BY e.enumsortorder`,
        [e.name],
      );
      expect(rows.map((r) => r.label)).toEqual(e.values.map((v) => v.name));
    }
  });

  it("casts text to every enum through an immutable function, so Prisma's enum parameters fold into constants", async () => {
    const rows = await db.sql.query<{ enum: string; volatility: string }>(
      `SELECT t.typname AS enum, p.provolatile AS volatility
       FROM pg_cast c JOIN pg_type t ON t.oid = c.casttarget JOIN pg_proc p ON p.oid = c.castfunc
       WHERE c.castsource = 'text'::regtype AND t.typtype = 'e'`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.enum, r.volatility]))).toEqual(
      Object.fromEntries(enums.map((e) => [e.name, "i"])),
    );
    // The statement as Prisma writes it: the list becomes one constant array instead of a conversion per row.
    const plan = await db.sql.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM ticket
       WHERE status IN (CAST($1::text AS "TicketStatus"), CAST($2::text AS "TicketStatus"))`,
      ["NEW", "CLOSED"],
    );
    const text = plan.map((row) => row["QUERY PLAN"]).join("\n");
    expect(text).toContain(`'{NEW,CLOSED}'::"TicketStatus"[]`);
    expect(text).not.toContain("cstring");
    // The conversion is the enum's own: same values, same error for an unknown label, NULL stays NULL.
    const [converted] = await db.sql.query<{ status: string; none: string | null }>(
      `SELECT CAST($1::text AS "TicketStatus")::text AS status, CAST(NULL::text AS "ClockState") AS none`,
      ["WAITING_ON_CITIZEN"],
    );
    expect(converted).toEqual({ status: "WAITING_ON_CITIZEN", none: null });
    await expect(db.sql.query(`SELECT CAST($1::text AS "TicketStatus")`, ["OPEN"])).rejects.toThrow(
      /invalid input value for enum "TicketStatus": "OPEN"/,
    );
  });

  it("has a foreign key for every relation", async () => {
    const rows = await db.sql.query<{ name: string; definition: string }>(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE contype = 'f'`,
    );
    const actual = Object.fromEntries(rows.map((r) => [r.name, r.definition]));
    const expected: Record<string, string> = {};
    for (const model of models) {
      for (const field of model.fields.filter((f) => f.relationFromFields?.length)) {
        const target = modelByName.get(field.type) as DmmfModel;
        const from = (field.relationFromFields ?? []).map((n) =>
          columnOf(model.fields.find((f) => f.name === n) as DmmfField),
        );
        const to = (field.relationToFields ?? []).map((n) =>
          columnOf(target.fields.find((f) => f.name === n) as DmmfField),
        );
        const onDelete = field.isRequired ? "RESTRICT" : "SET NULL";
        expected[`${tableOf(model)}_${from.join("_")}_fkey`] =
          `FOREIGN KEY (${from.join(", ")}) REFERENCES ${tableOf(target)}(${to.join(", ")}) ON UPDATE CASCADE ON DELETE ${onDelete}`;
      }
    }
    expect(actual).toEqual(expected);
  });

  it("records the migrations the way Prisma does and applies nothing twice", async () => {
    const rows = await db.sql.query<{ migration_name: string; finished_at: Date | null; applied_steps_count: number }>(
      `SELECT migration_name, finished_at, applied_steps_count FROM "_prisma_migrations"`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
    expect(await migrate(db)).toEqual([]);
  });

  it("refuses to change the event log", async () => {
    await expect(db.sql.exec(`DELETE FROM ticket_event`)).resolves.toBeUndefined();
    const [unit] = await db.sql.query<{ id: number }>(
      `INSERT INTO unit (code, name, type, province_code, province_name, time_zone) VALUES ('T', 'T', 'DIRECTORATE', 'ID-JK', 'DKI', 'Asia/Jakarta') RETURNING id`,
    );
    const [ticket] = await db.sql.query<{ id: string }>(
      `INSERT INTO ticket (number, subject, description, kind, channel, unit_id) VALUES ('T-1', 's', 'd', 'COMPLAINT', 'PHONE', $1) RETURNING id`,
      [unit?.id],
    );
    await db.sql.query(`INSERT INTO ticket_event (ticket_id, unit_id, type) VALUES ($1, $2, 'CREATED')`, [
      ticket?.id,
      unit?.id,
    ]);
    await expect(db.sql.exec(`DELETE FROM ticket_event`)).rejects.toThrow(/append-only/);
    await expect(db.sql.exec(`UPDATE ticket_event SET type = 'CLOSED'`)).rejects.toThrow(/append-only/);
  });
});
