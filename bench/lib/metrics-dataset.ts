/**
 * The national dataset of the metrics measure: tickets over three years across every office, with the
 * events, clocks, stream positions and rollups the running system would have written for them, made
 * in PostgreSQL with set-based SQL, about a month of history per batch.
 */
import type pg from "pg";
import type { Database } from "../../server/src/db/database.js";
import type { SlaPolicy } from "../../server/src/generated/prisma/client.js";
import { Random } from "../../server/src/modules/seed/random.js";
import { unitWeight } from "../../server/src/modules/seed/units.js";
import { matchPolicy } from "../../server/src/modules/sla/policy-matcher.js";
import { stopping } from "./cleanup.js";
import { round } from "./stats.js";
import { CHANNELS, KINDS, PRIORITIES } from "./ticket-mix.js";

const YEARS = 3;
const BATCHES = 36;
const YEAR_MS = 365.25 * 86_400_000;
/** Tickets arrive at the offices (Kantor Imigrasi and Rudenim); regional offices only receive transfers. */
const RECEIVING = new Set(["IMMIGRATION_OFFICE", "DETENTION_CENTER"]);
const AGENTS_PER_UNIT = 3;
const AGENT_DOMAIN = "@bench.pantau.invalid";
const SEED = 20261122;
/** The demo's share of citizens who answer the satisfaction survey sent at resolution. */
const SURVEY_RESPONSE_RATE = 0.35;
/** Office hours (8 a day, 5 days) against the 168 hours of a week: business minutes per wall minute. */
const BUSINESS_SHARE = 40 / 168;

// --- Shapes of the generated tickets: the shared mix, and subjects to search.

const SUBJECTS = [
  "Antrean paspor terlalu lama",
  "Status permohonan paspor",
  "Kuota M-Paspor selalu penuh",
  "Jadwal wawancara paspor",
  "Perpanjangan ITAS",
  "Syarat visa kunjungan",
  "Pembayaran PNBP gagal",
  "Pengaduan perilaku petugas",
  "Paspor rusak atau hilang",
  "Informasi alih status izin tinggal",
];

export interface DatasetOptions {
  tickets: number;
  /** Rows per multi-row statement are bounded by this; each batch is about a month of history. */
  batches?: number;
}

export interface UnitRow {
  id: number;
  code: string;
  name: string;
  type: string;
  officeClass: string | null;
  parentId: number | null;
  city: string | null;
}

export async function loadUnitRows(sql: pg.Client): Promise<UnitRow[]> {
  const { rows } = await sql.query<UnitRow>(
    `SELECT id, code, name, type::text AS type, office_class::text AS "officeClass", parent_id AS "parentId", city
     FROM unit WHERE active ORDER BY id`,
  );
  return rows;
}

/** The receiving units and their share of all tickets, from the demo's own sizing of offices. */
export function officeWeights(units: readonly UnitRow[]): Map<number, number> {
  const offices = units.filter((unit) => RECEIVING.has(unit.type));
  const weights = offices.map((unit) => unitWeight(unit as Parameters<typeof unitWeight>[0]));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return new Map(offices.map((unit, i) => [unit.id, (weights[i] as number) / total]));
}

/**
 * 1,000 slots shared out by weight (largest remainder), so that SQL picks a weighted unit with one
 * array subscript per ticket instead of a range join.
 */
function slots(weights: Map<number, number>, size = 1_000): number[] {
  const entries = [...weights.entries()].map(([id, share]) => ({ id, exact: share * size }));
  const counts = entries.map((e) => ({ id: e.id, n: Math.floor(e.exact), rest: e.exact - Math.floor(e.exact) }));
  let missing = size - counts.reduce((sum, c) => sum + c.n, 0);
  for (const c of [...counts].sort((a, b) => b.rest - a.rest)) {
    if (missing <= 0) break;
    c.n += 1;
    missing -= 1;
  }
  return counts.flatMap((c) => Array.from({ length: c.n }, () => c.id));
}

/** A clock target as minutes the clock counts, and the wall time that takes on average. */
function target(amount: number, unit: string, counting: string) {
  const budget = unit === "MINUTES" ? amount : unit === "WORKING_DAYS" ? amount * 8 * 60 : amount * 24 * 60;
  const share = counting === "ALL_HOURS" ? 1 : BUSINESS_SHARE;
  return { budget, share, wall: budget / share };
}

export interface GenerationResult {
  generatedAt: string;
  spanStart: string;
  tickets: number;
  batches: number;
  stepsMs: Record<string, number>;
  /** Ticket, event and clock inserts together. */
  insertMs: number;
  totalMs: number;
  rollup: {
    calls: number;
    events: number;
    tickets: number;
    ms: number;
    eventsPerSecond: number;
    ticketsPerSecond: number;
    slowestCallMs: number;
  };
  counts: Record<string, number>;
  statuses: { status: string; n: number }[];
  clockStates: { kind: string; state: string; n: number }[];
  eventTypes: { type: string; n: number }[];
}

/**
 * Generates the dataset into a migrated database holding only reference data. Each batch draws its
 * tickets once into a temporary table, then writes tickets, events (in time order) and clocks from it.
 * History is not news: the outbox trigger stays silent during the load (replica role), the events take
 * stream positions in log order as already published, and the rollups are built by the server's own
 * `metric_roll_up`, batch by batch and timed, as `streamAsHistory` does for the demo's history.
 */
export async function generateDataset(
  sql: pg.Client,
  database: Database,
  options: DatasetOptions,
): Promise<GenerationResult> {
  const tickets = options.tickets;
  const batches = Math.max(1, Math.min(options.batches ?? BATCHES, tickets));
  const startedAt = performance.now();
  const generatedAt = new Date();
  const spanStart = new Date(generatedAt.getTime() - YEARS * YEAR_MS);
  const steps: Record<string, number> = {};
  const add = (name: string, ms: number) => {
    steps[name] = Math.round((steps[name] ?? 0) + ms);
  };
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await work();
    add(name, performance.now() - t0);
    return result;
  };

  // Sorts of a whole batch (events in time order) stay in memory; this session only.
  await sql.query("SET work_mem = '256MB'");
  await sql.query("SET maintenance_work_mem = '1GB'");
  await sql.query("SELECT setseed(0.2026)");

  const units = await loadUnitRows(sql);
  const weights = officeWeights(units);
  // A per-office pace stretches or shortens every duration there, so that compliance differs between
  // offices and regions (map colours of every kind) instead of being one national average everywhere.
  const random = new Random(SEED);
  const unitRows = units.map((unit) => ({
    id: unit.id,
    code: unit.code,
    parentId: unit.parentId,
    pace: weights.has(unit.id) ? round(0.5 + 1.5 * random.next() ** 2, 3) : 1,
  }));
  await sql.query(
    `CREATE TEMP TABLE bench_unit AS
     SELECT * FROM json_to_recordset($1::json) AS r(id int, code text, "parentId" int, pace float8)`,
    [JSON.stringify(unitRows)],
  );

  // Agents to hold assignments; they have no password and cannot sign in.
  await timed("agents", async () => {
    await sql.query(
      `INSERT INTO app_user (email, name, role, unit_id, password_hash)
       SELECT 'agen.' || lower(u.code) || '.' || n || '${AGENT_DOMAIN}', 'Agen ' || u.code || ' ' || n, 'AGENT', u.id, '!'
       FROM unit u CROSS JOIN generate_series(1, ${AGENTS_PER_UNIT}) AS n
       WHERE u.active
       ON CONFLICT (email) DO NOTHING`,
    );
    await sql.query(
      `CREATE TEMP TABLE bench_agent AS
       SELECT unit_id, (row_number() OVER (PARTITION BY unit_id ORDER BY email) - 1)::int AS slot, id
       FROM app_user WHERE email LIKE '%${AGENT_DOMAIN}'`,
    );
  });

  // The policy of each combination of ticket facts, chosen by the server's own matcher.
  const policies = await database.prisma.slaPolicy.findMany({ where: { current: true } });
  const categories = await database.prisma.category.findMany({ select: { id: true, code: true, parentId: true } });
  await sql.query(
    `CREATE TEMP TABLE bench_policy AS
     SELECT kind::"TicketKind", channel::"Channel", priority::"Priority", category_id, policy_id, policy_code,
       fr_budget, fr_wall, fr_share, res_budget, res_wall, res_share, risk_ratio
     FROM json_to_recordset($1::json) AS r(kind text, channel text, priority text, category_id int, policy_id int,
       policy_code text, fr_budget float8, fr_wall float8, fr_share float8, res_budget float8, res_wall float8,
       res_share float8, risk_ratio float8)`,
    [JSON.stringify(policyRows(policies, categories))],
  );
  await sql.query("ANALYZE bench_unit, bench_agent, bench_policy");

  // History is not announced: with the replica role neither the outbox trigger nor the per-row
  // foreign-key triggers fire. Every reference points at a row written just before, by construction.
  await sql.query("SET session_replication_role = replica");
  const ranges: { after: string; through: string; tickets: number }[] = [];
  let [head] = (await sql.query<{ s: string }>("SELECT coalesce(max(sequence), 0)::text AS s FROM ticket_event")).rows;
  let lastSequence = head?.s ?? "0";
  const params = {
    offices: slots(weights),
    kinds: KINDS,
    channels: CHANNELS,
    priorities: PRIORITIES,
    categories: categories.map((c) => c.id),
  };
  const loadStart = performance.now();
  for (let b = 0; b < batches && !stopping(); b++) {
    const first = Math.floor((b * tickets) / batches) + 1;
    const last = Math.floor(((b + 1) * tickets) / batches);
    const batchStart = performance.now();
    await timed("draw", () =>
      sql.query(DRAW_BATCH, [
        first,
        last,
        spanStart,
        tickets,
        (generatedAt.getTime() - spanStart.getTime()) / 1000,
        params.offices,
        params.kinds,
        params.channels,
        params.priorities,
        params.categories,
        AGENTS_PER_UNIT,
        generatedAt,
      ]),
    );
    await timed("tickets", () => sql.query(INSERT_TICKETS, [SUBJECTS]));
    const events = await timed("events", () => sql.query(INSERT_EVENTS, [generatedAt]));
    await timed("clocks", () => sql.query(INSERT_CLOCKS, [generatedAt]));
    await sql.query("DROP TABLE bench_batch");
    [head] = (await sql.query<{ s: string }>("SELECT coalesce(max(sequence), 0)::text AS s FROM ticket_event")).rows;
    const through = head?.s ?? lastSequence;
    ranges.push({ after: lastSequence, through, tickets: last - first + 1 });
    lastSequence = through;
    const done = last / tickets;
    const elapsed = performance.now() - loadStart;
    const from = new Date(
      spanStart.getTime() + ((first - 1) / tickets) * (generatedAt.getTime() - spanStart.getTime()),
    );
    console.log(
      `batch ${b + 1}/${batches} from ${from.toISOString().slice(0, 10)}: ${(last - first + 1).toLocaleString("en")} tickets, ${(events.rowCount ?? 0).toLocaleString("en")} events in ${((performance.now() - batchStart) / 1000).toFixed(1)} s; ${Math.round(done * 100)} % done, about ${Math.round((elapsed / done - elapsed) / 1000)} s of loading left`,
    );
  }
  if (stopping()) throw new Error("stopped during generation");
  await sql.query("SELECT setval('ticket_number_seq', $1::bigint)", [tickets]);

  // Stream positions in log order, batch by batch, marked as published.
  await timed("stream", async () => {
    for (const range of ranges) await sql.query(STREAM_HISTORY, [range.after, range.through]);
    await sql.query(
      "UPDATE event_relay SET published_through = (SELECT coalesce(max(position), 0) FROM event_stream) WHERE id = 1",
    );
  });
  console.log(`stream positions given in ${steps.stream} ms`);

  // A bulk load builds the rollups' secondary indexes and the duration sketches once at the end rather
  // than row by row (they roughly halve the bulk roll-up rate); the relay's small batches keep them live.
  const readIndexes = (
    await sql.query<{ name: string; definition: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
       WHERE t.relname LIKE 'metric\\_%' AND t.relnamespace = 'public'::regnamespace AND NOT i.indisunique
       ORDER BY 1`,
    )
  ).rows;
  for (const index of readIndexes) await sql.query(`DROP INDEX ${index.name}`);
  await sql.query(`ALTER TABLE metric_duration DISABLE TRIGGER metric_duration_sketch_add`);

  // The rollups, one call per batch of sequences: the bulk path of the relay's own function.
  const rollupMs: number[] = [];
  let rolledEvents = 0;
  for (const [i, range] of ranges.entries()) {
    const t0 = performance.now();
    const { rows } = await sql.query<{ n: number }>(
      `WITH s AS (SELECT array_agg(sequence ORDER BY sequence) AS seqs FROM ticket_event
                  WHERE sequence > $1::bigint AND sequence <= $2::bigint)
       SELECT metric_roll_up(coalesce(s.seqs, '{}')), coalesce(cardinality(s.seqs), 0) AS n FROM s`,
      [range.after, range.through],
    );
    rollupMs.push(performance.now() - t0);
    rolledEvents += rows[0]?.n ?? 0;
    if ((i + 1) % 6 === 0 || i === ranges.length - 1) {
      const ms = rollupMs.reduce((sum, v) => sum + v, 0);
      console.log(
        `rolled up ${i + 1}/${ranges.length} batches: ${rolledEvents.toLocaleString("en")} events in ${(ms / 1000).toFixed(1)} s (${Math.round(rolledEvents / (ms / 1000)).toLocaleString("en")} events/s)`,
      );
    }
  }
  const rollupTotalMs = rollupMs.reduce((sum, v) => sum + v, 0);
  add("rollups", rollupTotalMs);
  await sql.query("RESET session_replication_role");
  await timed("durationSketches", async () => {
    await sql.query("ALTER TABLE metric_duration ENABLE ALWAYS TRIGGER metric_duration_sketch_add");
    await sql.query("SELECT metric_duration_sketch_rebuild()");
  });
  await timed("readIndexes", async () => {
    for (const index of readIndexes) await sql.query(index.definition);
  });
  console.log(
    `duration sketches rebuilt in ${steps.durationSketches} ms, ${readIndexes.length} rollup read indexes in ${steps.readIndexes} ms`,
  );

  const outbox = (await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM event_outbox")).rows[0]?.n ?? -1;
  if (outbox !== 0) throw new Error(`${outbox} generated events reached the outbox`);

  // A production table has been vacuumed and analysed; a freshly bulk-loaded one has neither hint bits
  // nor statistics, which would make the first requests pay for work that is not theirs.
  await timed("vacuumAnalyze", () => sql.query("VACUUM (ANALYZE)"));
  console.log(`VACUUM (ANALYZE) in ${steps.vacuumAnalyze} ms`);

  const counts = (
    await sql.query<Record<string, number>>(
      `SELECT (SELECT count(*) FROM ticket)::int AS tickets, (SELECT count(*) FROM ticket_event)::int AS events,
         (SELECT count(*) FROM ticket_clock)::int AS clocks, (SELECT count(*) FROM event_stream)::int AS stream,
         (SELECT coalesce(sum(created), 0) FROM metric_hourly)::int AS "rolledUpCreated",
         (SELECT count(*) FROM metric_hourly)::int AS "metricHourlyRows",
         (SELECT count(*) FROM metric_transfer_hourly)::int AS "metricTransferRows",
         (SELECT count(*) FROM metric_duration)::int AS "metricDurationRows",
         (SELECT count(*) FROM ticket WHERE status NOT IN ('RESOLVED', 'CLOSED', 'REJECTED'))::int AS "openTickets",
         (SELECT coalesce(sum(open), 0) FROM metric_open)::int AS "rolledUpOpen"`,
    )
  ).rows[0] as Record<string, number>;
  // The rollups must agree with the tickets: every ticket received once, the open ones still open.
  if (
    counts.tickets !== tickets ||
    counts.clocks !== 2 * tickets ||
    counts.rolledUpCreated !== tickets ||
    counts.rolledUpOpen !== counts.openTickets
  ) {
    throw new Error(`generated ${JSON.stringify(counts)}, expected ${tickets} tickets with two clocks each`);
  }
  const statuses = (
    await sql.query<{ status: string; n: number }>(
      "SELECT status::text, count(*)::int AS n FROM ticket GROUP BY 1 ORDER BY 2 DESC",
    )
  ).rows;
  const clockStates = (
    await sql.query<{ kind: string; state: string; n: number }>(
      "SELECT kind::text, state::text, count(*)::int AS n FROM ticket_clock GROUP BY 1, 2 ORDER BY 1, 2",
    )
  ).rows;
  const eventTypes = (
    await sql.query<{ type: string; n: number }>(
      "SELECT type::text, count(*)::int AS n FROM ticket_event GROUP BY 1 ORDER BY 2 DESC",
    )
  ).rows;
  const insertMs = (steps.draw ?? 0) + (steps.tickets ?? 0) + (steps.events ?? 0) + (steps.clocks ?? 0);
  const rolledTickets = counts.rolledUpCreated as number;
  return {
    generatedAt: generatedAt.toISOString(),
    spanStart: spanStart.toISOString(),
    tickets,
    batches,
    stepsMs: steps,
    insertMs,
    totalMs: Math.round(performance.now() - startedAt),
    rollup: {
      calls: rollupMs.length,
      events: rolledEvents,
      tickets: rolledTickets,
      ms: Math.round(rollupTotalMs),
      eventsPerSecond: Math.round(rolledEvents / (rollupTotalMs / 1000)),
      ticketsPerSecond: Math.round(rolledTickets / (rollupTotalMs / 1000)),
      slowestCallMs: Math.round(Math.max(...rollupMs)),
    },
    counts,
    statuses,
    clockStates,
    eventTypes,
  };
}

function policyRows(
  policies: readonly SlaPolicy[],
  categories: readonly { id: number; code: string; parentId: number | null }[],
) {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const pathOf = (id: number) => {
    const codes: string[] = [];
    for (let c = byId.get(id); c; c = c.parentId === null ? undefined : byId.get(c.parentId)) codes.push(c.code);
    return codes;
  };
  const rows = [];
  for (const kind of new Set(KINDS))
    for (const channel of new Set(CHANNELS))
      for (const priority of new Set(PRIORITIES))
        for (const categoryId of [0, ...categories.map((c) => c.id)]) {
          const policy = matchPolicy(policies, {
            kind,
            channel,
            priority,
            categoryCodes: categoryId ? pathOf(categoryId) : [],
          });
          if (!policy) throw new Error(`no policy for ${kind}/${channel}/${priority}/${categoryId}`);
          const fr = target(policy.firstResponseAmount, policy.firstResponseUnit, policy.firstResponseCounting);
          const res = target(policy.resolutionAmount, policy.resolutionUnit, policy.resolutionCounting);
          rows.push({
            kind,
            channel,
            priority,
            category_id: categoryId,
            policy_id: policy.id,
            policy_code: policy.code,
            fr_budget: fr.budget,
            fr_wall: fr.wall,
            fr_share: fr.share,
            res_budget: res.budget,
            res_wall: res.wall,
            res_share: res.share,
            risk_ratio: policy.atRiskRatio,
          });
        }
  return rows;
}

/** An instant `minutes` after receipt when `condition` holds and it is not after generation time ($12). */
const happened = (condition: string, minutes: string) =>
  `CASE WHEN ${condition} AND created_at + (${minutes}) * interval '1 minute' <= $12::timestamptz
        THEN (created_at + (${minutes}) * interval '1 minute')::timestamptz(3) END`;
const instant = (minutes: string) => `(created_at + (${minutes}) * interval '1 minute')::timestamptz(3)`;

/**
 * One batch of tickets, k = $1..$2 of $4, received evenly over the span from $3 ($5 seconds long). Each
 * ticket's life is drawn here and cut at generation time $12: what lies after it has not happened yet,
 * so recent tickets are open as they would be. Shares of all tickets:
 * - 5 % rejected as not immigration's authority at the first answer (half of them before triage);
 * - 2.5 % stuck open for good (half answered, half never), the long tail of the backlog;
 * - 22.5 % resolved at the first answer, without a reply before it;
 * - the rest answered, then resolved; a resolved ticket is closed 3–7 days later;
 * - as in the demo, 35 % of resolved tickets are rated (1–5, mostly satisfied) within two days;
 * - 3 % of the non-rejected transferred right after triage: 60 % to their regional office, the rest to
 *   another office anywhere (the regional office when the draw gives their own).
 * Durations are exponential, scaled by the policy's targets in wall time and the office's pace: the first
 * answer has a mean of 0.4 × the first-response target, the resolution after it 0.3 × the resolution one.
 */
const DRAW_BATCH = `
CREATE TEMP TABLE bench_batch AS
WITH drawn AS (
  SELECT k, gen_random_uuid() AS id,
    $3::timestamptz + ((k - 1 + random()) / $4::float8) * $5::float8 * interval '1 second' AS created_at,
    ($6::int[])[1 + floor(random() * cardinality($6::int[]))::int] AS unit0,
    ($6::int[])[1 + floor(random() * cardinality($6::int[]))::int] AS elsewhere,
    ($7::text[])[1 + floor(random() * cardinality($7::text[]))::int]::"TicketKind" AS kind,
    ($8::text[])[1 + floor(random() * cardinality($8::text[]))::int]::"Channel" AS channel,
    ($9::text[])[1 + floor(random() * cardinality($9::text[]))::int]::"Priority" AS priority,
    CASE WHEN random() < 0.05 THEN 0 ELSE ($10::int[])[1 + floor(random() * cardinality($10::int[]))::int] END
      AS category_id,
    random() AS r_life, random() AS r_first, random() AS r_resolve, random() AS r_triage, random() AS r_transfer,
    random() AS r_close, random() AS r_survey, random() AS r_rating, floor(random() * $11::int)::int AS agent_slot
  FROM generate_series($1::bigint, $2::bigint) AS k
), shaped AS (
  SELECT d.*, u.code AS code0, p.policy_id, p.policy_code, p.fr_budget, p.fr_share, p.res_budget, p.res_share,
    p.fr_wall, p.res_wall, p.risk_ratio,
    d.r_life < 0.05 AS rejects,
    (d.r_life >= 0.0625 AND d.r_life < 0.075) OR d.r_life >= 0.30 AS replies,
    d.r_life >= 0.075 AS resolves,
    d.r_life >= 0.05 OR d.r_triage < 0.5 AS triages,
    d.r_life >= 0.05 AND d.r_transfer < 0.03 AS transfers,
    CASE WHEN d.r_life >= 0.05 AND d.r_transfer < 0.03 THEN
      CASE WHEN d.r_transfer < 0.018 OR d.elsewhere = d.unit0 THEN coalesce(u."parentId", d.elsewhere)
           ELSE d.elsewhere END END AS unit1,
    p.fr_wall * u.pace * 0.4 * -ln(1 - d.r_first) AS first_min,
    p.res_wall * u.pace * 0.3 * -ln(1 - d.r_resolve) AS resolve_extra_min
  FROM drawn d
  JOIN bench_unit u ON u.id = d.unit0
  JOIN bench_policy p ON p.kind = d.kind AND p.channel = d.channel AND p.priority = d.priority
    AND p.category_id = d.category_id
), minutes AS (
  -- Triage, transfer and assignment all come before the first answer, in that order.
  SELECT s.*, s.first_min * 0.3 * s.r_triage AS triage_min,
    s.first_min * 0.3 * s.r_triage + (s.first_min - s.first_min * 0.3 * s.r_triage) * 0.2 AS transfer_min,
    CASE WHEN s.replies THEN s.first_min + s.resolve_extra_min ELSE s.first_min END AS resolve_min
  FROM shaped s
), lived AS (
  SELECT m.*, u1.code AS code1,
    ${instant("0")} AS received_at,
    ${happened("triages", "triage_min")} AS triaged_at,
    ${happened("transfers", "transfer_min")} AS transferred_at,
    ${happened(
      "NOT rejects",
      "CASE WHEN transfers THEN transfer_min ELSE triage_min END + (first_min - CASE WHEN transfers THEN transfer_min ELSE triage_min END) * 0.5",
    )} AS assigned_at,
    ${happened("replies", "first_min")} AS replied_at,
    ${happened("rejects", "first_min")} AS rejected_at,
    ${happened("resolves", "resolve_min")} AS resolved_at,
    ${happened("resolves", "resolve_min + (3 + 4 * r_close) * 1440")} AS closed_at,
    ${happened(`resolves AND r_survey < ${SURVEY_RESPONSE_RATE}`, `resolve_min + 10 + r_survey / ${SURVEY_RESPONSE_RATE} * (48 * 60 - 10)`)} AS rated_at,
    CASE WHEN r_rating < 0.45 THEN 5 WHEN r_rating < 0.75 THEN 4 WHEN r_rating < 0.88 THEN 3 WHEN r_rating < 0.95 THEN 2
         ELSE 1 END AS rating,
    ${instant("fr_wall")} AS fr_due, ${instant("fr_wall * risk_ratio")} AS fr_risk,
    ${instant("res_wall")} AS res_due, ${instant("res_wall * risk_ratio")} AS res_risk
  FROM minutes m LEFT JOIN bench_unit u1 ON u1.id = m.unit1
)
SELECT l.k, l.id, l.received_at AS created_at, l.kind, l.channel, l.priority, l.category_id, l.policy_id,
  l.policy_code, l.fr_budget, l.fr_share, l.res_budget, l.res_share, l.unit0, l.unit1, l.code0, l.code1,
  l.triaged_at, l.transferred_at, l.assigned_at, l.replied_at, l.rejected_at, l.resolved_at, l.closed_at,
  l.rated_at, l.rating, l.fr_due, l.fr_risk, l.res_due, l.res_risk,
  -- A clock stops at the first answer (reply, resolution or rejection) or at the resolution (or rejection).
  least(l.replied_at, l.resolved_at, l.rejected_at) AS fr_stop,
  least(l.resolved_at, l.rejected_at) AS res_stop,
  CASE WHEN l.transferred_at IS NULL THEN l.unit0 ELSE l.unit1 END AS unit_now,
  a0.id AS intake_agent,
  CASE WHEN l.assigned_at IS NOT NULL THEN a1.id END AS assignee
FROM lived l
JOIN bench_agent a0 ON a0.unit_id = l.unit0 AND a0.slot = l.agent_slot
LEFT JOIN bench_agent a1 ON a1.unit_id = CASE WHEN l.transferred_at IS NULL THEN l.unit0 ELSE l.unit1 END
  AND a1.slot = l.agent_slot`;

const INSERT_TICKETS = `
INSERT INTO ticket (id, number, subject, description, kind, channel, category_id, priority, status, unit_id,
  assignee_id, transfer_count, created_at, updated_at, triaged_at, first_responded_at, resolved_at, closed_at)
SELECT id,
  'IMI-' || to_char(created_at AT TIME ZONE 'Asia/Jakarta', 'YYYY') || '-' || lpad(k::text, greatest(7, length(k::text)), '0'),
  ($1::text[])[1 + k % cardinality($1::text[])],
  'Laporan warga nomor ' || k || ' tentang layanan keimigrasian, dengan panjang isi yang wajar untuk sebuah laporan.',
  kind, channel, nullif(category_id, 0), priority,
  CASE WHEN closed_at IS NOT NULL THEN 'CLOSED' WHEN rejected_at IS NOT NULL THEN 'REJECTED'
       WHEN resolved_at IS NOT NULL THEN 'RESOLVED' WHEN replied_at IS NOT NULL THEN 'IN_PROGRESS'
       WHEN assigned_at IS NOT NULL THEN 'ASSIGNED' WHEN triaged_at IS NOT NULL THEN 'TRIAGED'
       ELSE 'NEW' END::"TicketStatus",
  unit_now, assignee, (transferred_at IS NOT NULL)::int, created_at,
  greatest(created_at, triaged_at, transferred_at, assigned_at, replied_at, rejected_at, resolved_at, closed_at,
           rated_at),
  triaged_at, least(replied_at, resolved_at), resolved_at, coalesce(closed_at, rejected_at)
FROM bench_batch ORDER BY k`;

/** The unit that owned the ticket at an instant: the receiving one until the transfer. */
const ownerAt = (at: string) =>
  `CASE WHEN b.transferred_at IS NOT NULL AND ${at} >= b.transferred_at THEN b.unit1 ELSE b.unit0 END`;
const utc = (at: string) => `to_char(${at} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The SLA events of one clock, as the engine writes them: at risk and breached when those instants pass
 * before the clock stops (and before generation time), met when it stops in time.
 */
function slaEvents(kind: "FIRST_RESPONSE" | "RESOLUTION", c: "fr" | "res", ord: number) {
  const data = (breached: boolean) =>
    `jsonb_build_object('clock', '${kind}', 'policyCode', b.policy_code, 'dueAt', ${utc(`b.${c}_due`)}${
      breached ? `, 'breachedAt', ${utc(`b.${c}_due`)}` : ""
    })`;
  const before = (at: string) =>
    `CASE WHEN ${at} < coalesce(b.${c}_stop, 'infinity') AND ${at} <= $1::timestamptz THEN ${at} END`;
  return [
    `(${ord}, 'SLA_AT_RISK'::"TicketEventType", ${before(`b.${c}_risk`)}, ${ownerAt(`b.${c}_risk`)}, NULL::uuid, 'system', ${data(false)})`,
    `(${ord + 1}, 'SLA_BREACHED', ${before(`b.${c}_due`)}, ${ownerAt(`b.${c}_due`)}, NULL, 'system', ${data(true)})`,
    `(${ord + 2}, 'SLA_MET', CASE WHEN b.${c}_stop <= b.${c}_due THEN b.${c}_stop END, ${ownerAt(`b.${c}_stop`)}, NULL, 'system', ${data(false)})`,
  ];
}

/**
 * Every event of the batch in one statement, in time order, so that sequences follow the log as the live
 * system appends it; at one instant a ticket's events keep their causal order (an SLA event follows the
 * change that caused it).
 */
const INSERT_EVENTS = `
INSERT INTO ticket_event (ticket_id, unit_id, type, actor_id, actor_label, at, data)
SELECT b.id, ev.unit_id, ev.type, ev.actor_id, ev.actor_label, ev.at, ev.data
FROM bench_batch b
CROSS JOIN LATERAL (VALUES
  (1, 'CREATED'::"TicketEventType", b.created_at, b.unit0, b.intake_agent, NULL::text, '{"to": "NEW"}'::jsonb),
  (2, 'TRIAGED', b.triaged_at, b.unit0, b.intake_agent, NULL, '{"from": "NEW", "to": "TRIAGED"}'),
  (3, 'TRANSFERRED', b.transferred_at, b.unit1, b.intake_agent, NULL,
   jsonb_build_object('fromUnitCode', b.code0, 'toUnitCode', b.code1, 'reason', 'Di luar wilayah kerja kantor ini')),
  (4, 'ASSIGNED', b.assigned_at, ${ownerAt("b.assigned_at")}, b.assignee, NULL,
   jsonb_build_object('from', 'TRIAGED', 'to', 'ASSIGNED', 'assigneeId', b.assignee)),
  (5, 'REPLIED', b.replied_at, ${ownerAt("b.replied_at")}, b.assignee, NULL, '{"from": "ASSIGNED", "to": "IN_PROGRESS"}'),
  (6, 'REJECTED', b.rejected_at, ${ownerAt("b.rejected_at")}, b.intake_agent, NULL,
   jsonb_build_object('from', CASE WHEN b.triaged_at IS NULL THEN 'NEW' ELSE 'TRIAGED' END, 'to', 'REJECTED',
                      'reason', 'Bukan wewenang Imigrasi')),
  (7, 'RESOLVED', b.resolved_at, ${ownerAt("b.resolved_at")}, b.assignee, NULL,
   jsonb_build_object('from', CASE WHEN b.replied_at IS NULL THEN 'ASSIGNED' ELSE 'IN_PROGRESS' END, 'to', 'RESOLVED')),
  (8, 'CLOSED', b.closed_at, ${ownerAt("b.closed_at")}, b.assignee, NULL, '{"from": "RESOLVED", "to": "CLOSED"}'),
  (9, 'RATED', b.rated_at, ${ownerAt("b.rated_at")}, NULL, 'survey', jsonb_build_object('rating', b.rating)),
  ${[...slaEvents("FIRST_RESPONSE", "fr", 10), ...slaEvents("RESOLUTION", "res", 13)].join(",\n  ")}
) AS ev(ord, type, at, unit_id, actor_id, actor_label, data)
WHERE ev.at IS NOT NULL
ORDER BY ev.at, b.k, ev.ord`;

/**
 * Both clocks of every ticket in the state the engine would leave them at generation time ($1): stopped
 * ones MET or BREACHED with the instant they stopped; running ones RUNNING, AT_RISK or BREACHED, with the
 * next instant the detector must look at them.
 */
const INSERT_CLOCKS = `
INSERT INTO ticket_clock (ticket_id, kind, policy_id, started_at, due_at, at_risk_at, state, elapsed_minutes,
  budget_minutes, paused_minutes, met_at, breached_at, next_check_at, updated_at)
SELECT b.id, c.kind, b.policy_id, b.created_at, c.due, c.risk, s.state,
  extract(epoch FROM coalesce(c.stop, $1::timestamptz) - b.created_at) / 60 * c.share, c.budget, 0, c.stop,
  CASE WHEN s.state = 'BREACHED' THEN c.due END,
  CASE s.state WHEN 'RUNNING' THEN c.risk WHEN 'AT_RISK' THEN c.due END,
  $1::timestamptz
FROM bench_batch b
CROSS JOIN LATERAL (VALUES
  ('FIRST_RESPONSE'::"ClockKind", b.fr_due, b.fr_risk, b.fr_stop, b.fr_budget, b.fr_share),
  ('RESOLUTION', b.res_due, b.res_risk, b.res_stop, b.res_budget, b.res_share)
) AS c(kind, due, risk, stop, budget, share)
CROSS JOIN LATERAL (
  SELECT CASE WHEN c.stop IS NOT NULL THEN CASE WHEN c.stop <= c.due THEN 'MET' ELSE 'BREACHED' END
              WHEN c.due <= $1::timestamptz THEN 'BREACHED'
              WHEN c.risk <= $1::timestamptz THEN 'AT_RISK'
              ELSE 'RUNNING' END::"ClockState" AS state
) AS s
ORDER BY b.k`;

/** streamAsHistory's insert, for one batch of the log. */
const STREAM_HISTORY = `
INSERT INTO event_stream (position, event_sequence, unit_id, from_unit_id, ticket_id, type, streamed_at)
SELECT head.p + row_number() OVER (ORDER BY e.sequence), e.sequence, e.unit_id, fu.id, e.ticket_id, e.type, e.at
FROM ticket_event e
CROSS JOIN (SELECT coalesce(max(position), 0) AS p FROM event_stream) head
LEFT JOIN unit fu ON e.type = 'TRANSFERRED' AND fu.code = e.data->>'fromUnitCode'
WHERE e.sequence > $1::bigint AND e.sequence <= $2::bigint`;
