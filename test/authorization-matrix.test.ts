import {
  buildClientSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  type IntrospectionQuery,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { CREATE, newTicketInput } from "./support/documents.js";
import { collect, liveClient } from "./support/live.js";
import { DEMO_PASSWORD, startServer, type TestServer } from "./support/server.js";

/**
 * Every root field × every kind of caller × data inside and outside the caller's scope. The fields come
 * from the running server's schema; what each caller may see comes from POLICY below, keyed by field name.
 * A field without a policy fails the test, so a new entry point cannot go untested.
 */

type Operation = "query" | "mutation" | "subscription";
type Side = "in" | "out";

interface Principal {
  name: string;
  kind: "user" | "apiKey" | "anonymous";
  role?: "DIRECTORATE" | "REGIONAL_HEAD" | "UNIT_SUPERVISOR" | "AGENT";
  scopes?: string[];
  token?: string;
  userId?: string;
}

// Inside: an office of Jawa Timur, in every caller's scope. Outside: an office of Bali, in nobody's but
// the directorate's (whose scope is the whole country, so for it "outside" data is visible).
const INSIDE = { office: "KANIM-MALANG", region: "KANWIL-JI" } as const;
const OUTSIDE = { office: "KANIM-DENPASAR", region: "KANWIL-BA" } as const;

interface Fixture {
  tickets: Record<Side, { id: string; number: string }>;
  freshTicket(side: Side): Promise<string>;
  freshHoliday(side: Side): Promise<number>;
  /** A new agent of the side's office, for calls that may deactivate one. */
  freshUser(side: Side): Promise<string>;
  users: Record<Side, string>;
  apiKeys: Record<Side, string>;
  unitIds: Record<Side, string>;
  eventIds: Record<Side, string>;
  /** The webhook key's own subscription. */
  webhookSubscriptionId: string;
  principals: Record<string, Principal>;
}

const isUser = (p: Principal) => p.kind === "user";
const isDirectorate = (p: Principal) => p.role === "DIRECTORATE";
const supervises = (p: Principal) => isUser(p) && p.role !== "AGENT";
const regionalOrAbove = (p: Principal) => p.role === "DIRECTORATE" || p.role === "REGIONAL_HEAD";
const readsTickets = (p: Principal) => isUser(p) || (p.scopes ?? []).includes("tickets:read");
const readsMetrics = (p: Principal) => isUser(p) || (p.scopes ?? []).includes("metrics:read");
const authenticated = (p: Principal) => p.kind !== "anonymous";
const managesWebhooks = (p: Principal) => (p.scopes ?? []).includes("webhooks:manage");
const anyone = () => true;

interface Policy {
  /** Who may use the field at all (role, key scope). */
  allowed: (p: Principal) => boolean;
  /** Whether the field touches unit-scoped data, so that outside data must stay hidden. */
  scoped: boolean;
  /** Arguments for the inside or outside case. */
  args: (fx: Fixture, side: Side, p: Principal) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** A visible outcome beyond `allowed` (e.g. a list that is empty for callers below a region). */
  visible?: (p: Principal) => boolean;
  /** The call ends the caller's session: run it with a session of its own. */
  freshSession?: boolean;
}

const unitArg =
  (name = "unitCode", level: "office" | "region" = "office") =>
  (_fx: Fixture, side: Side) => ({ [name]: (side === "in" ? INSIDE : OUTSIDE)[level] });
const onTicket = (extra: Record<string, unknown> = {}) => ({
  allowed: isUser,
  scoped: true,
  args: async (fx: Fixture, side: Side) => ({ input: { ticketId: await fx.freshTicket(side), ...extra } }),
});
const REASON = { reason: "Uji matriks otorisasi." };
const PERIOD = { from: "2026-10-01T00:00:00+07:00", to: "2026-11-01T00:00:00+07:00" };
const week = { MON: [{ start: "08:00", end: "16:00" }], TUE: [{ start: "08:00", end: "16:00" }] };

let holidayDay = 0;
let userSerial = 0;
let categorySerial = 0;
let unitSerial = 0;
const nextHolidayDate = () => {
  holidayDay += 1;
  return new Date(Date.UTC(2027, 0, 1) + holidayDay * 86_400_000).toISOString().slice(0, 10);
};

const POLICY: Record<Operation, Record<string, Policy>> = {
  query: {
    viewer: { allowed: authenticated, scoped: false, args: () => ({}) },
    node: {
      allowed: readsTickets,
      scoped: true,
      args: (fx, side) => ({ id: fx.tickets[side].id }),
    },
    ticket: { allowed: readsTickets, scoped: true, args: (fx, side) => ({ number: fx.tickets[side].number }) },
    tickets: {
      allowed: readsTickets,
      scoped: true,
      // With an event filter every ticket matches (each has its CREATED), so its `actor` is probed too.
      args: (_fx, side) => ({
        first: 5,
        filter: { unitCode: (side === "in" ? INSIDE : OUTSIDE).office, event: { type: ["CREATED"] } },
      }),
    },
    unit: { allowed: authenticated, scoped: true, args: unitArg("code") },
    units: { allowed: authenticated, scoped: true, args: unitArg("parentCode", "region") },
    categories: { allowed: authenticated, scoped: false, args: () => ({}) },
    // The citizens' entry points (public scope): open to every caller, signed in or not.
    publicUnits: { allowed: anyone, scoped: false, args: () => ({}) },
    publicCategories: { allowed: anyone, scoped: false, args: () => ({}) },
    publicReportChallenge: { allowed: anyone, scoped: false, args: () => ({}) },
    // Aggregates anyone may read, small counts withheld; any unit of the public directory.
    publicStatistics: {
      allowed: anyone,
      scoped: false,
      args: () => ({ month: new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7) }),
    },
    // Without its tracking code a ticket stays hidden from every caller, staff included (NOT_FOUND).
    publicTicket: {
      allowed: () => false,
      scoped: false,
      args: (fx, side) => ({ number: fx.tickets[side].number, trackingCode: "0000-0000-0000-0000-0000" }),
    },
    holidays: { allowed: authenticated, scoped: false, args: () => ({ year: 2026 }) },
    holidayCoverage: { allowed: isDirectorate, scoped: false, args: () => ({}) },
    slaPolicies: { allowed: authenticated, scoped: false, args: () => ({}) },
    unitMetrics: {
      allowed: readsMetrics,
      scoped: true,
      args: (fx, side) => ({ ...unitArg("code")(fx, side), ...PERIOD, granularity: "WEEK" }),
    },
    nationalOverview: {
      allowed: readsMetrics,
      scoped: false,
      // One row per regional office in scope: nothing for callers whose scope is a single office.
      visible: (p) => p.role !== "UNIT_SUPERVISOR" && p.role !== "AGENT",
      args: () => PERIOD,
    },
    subunitMetrics: {
      allowed: readsMetrics,
      scoped: true,
      // The offices of a region: a caller whose scope is one office cannot name the region.
      visible: (p) => p.role !== "UNIT_SUPERVISOR" && p.role !== "AGENT",
      args: (fx, side) => ({ ...unitArg("code", "region")(fx, side), ...PERIOD, granularity: "WEEK" }),
    },
    // Figures per person: for those who supervise, within their scope; never for an API key.
    teamFigures: {
      allowed: supervises,
      scoped: true,
      args: (fx, side) => ({ ...unitArg("code")(fx, side), ...PERIOD }),
    },
    subunitTeamFigures: {
      allowed: supervises,
      scoped: true,
      // The offices of a region: a supervisor's scope is one office, which cannot name the region.
      visible: (p) => p.role !== "UNIT_SUPERVISOR",
      args: (fx, side) => ({ ...unitArg("code", "region")(fx, side), ...PERIOD }),
    },
    // One's own figures: every person, no key.
    myFigures: { allowed: isUser, scoped: false, args: () => PERIOD },
    eventStreamHead: { allowed: readsTickets, scoped: false, args: () => ({}) },
    apiKeys: { allowed: isDirectorate, scoped: false, args: () => ({ includeInactive: true }) },
    personalDataAccesses: { allowed: isDirectorate, scoped: false, args: () => ({ first: 5 }) },
    // A key's own endpoints: no one else's, whoever asks.
    webhookSubscriptions: { allowed: managesWebhooks, scoped: false, args: () => ({ includeRemoved: true }) },
    auditLog: {
      allowed: (p) => isDirectorate(p) || p.role === "REGIONAL_HEAD",
      scoped: true,
      args: (_fx, side) => ({ first: 5, filter: { unitCode: (side === "in" ? INSIDE : OUTSIDE).office } }),
    },
    // Those who administer staff (docs/permissions.md); the office's agents are theirs to see.
    users: {
      allowed: supervises,
      scoped: true,
      args: (_fx, side) => ({ first: 5, filter: { unitCode: (side === "in" ? INSIDE : OUTSIDE).office } }),
    },
  },
  mutation: {
    login: {
      allowed: anyone,
      scoped: false,
      args: () => ({ email: "sasaran.malang@pantau.demo", password: DEMO_PASSWORD }),
    },
    logout: { allowed: isUser, scoped: false, args: () => ({}), freshSession: true },
    // Reaches the proof-of-work check for every caller (CHALLENGE_INVALID), which writes nothing.
    submitPublicReport: {
      allowed: anyone,
      scoped: false,
      args: () => ({
        input: {
          kind: "COMPLAINT",
          unitCode: INSIDE.office,
          description: "Laporan uji matriks otorisasi.",
          contact: { email: "warga@contoh.id" },
          consent: true,
          challenge: "v1.tidak-sah",
          nonce: "0",
        },
      }),
    },
    // Anyone holding a link may use it; a made-up token is answered as such, whoever calls.
    completePasswordSetup: {
      allowed: anyone,
      scoped: false,
      args: () => ({ token: "ptp_matriks", password: "kuda lumping makan sate" }),
    },
    revokeSessions: {
      // Another person's sessions: whoever administers the account (an agent of the office).
      allowed: supervises,
      scoped: true,
      args: (fx, side) => ({ userId: fx.users[side] }),
    },
    // An agent of the office: every role that administers staff administers agents of its scope.
    createUser: {
      allowed: supervises,
      scoped: true,
      args: (_fx, side) => ({
        input: {
          email: `matriks.${++userSerial}@imigrasi.go.id`,
          name: "Matriks",
          role: "AGENT",
          unitCode: (side === "in" ? INSIDE : OUTSIDE).office,
        },
      }),
    },
    updateUser: {
      allowed: supervises,
      scoped: true,
      args: (fx, side) => ({ input: { id: fx.users[side], name: "Sasaran Matriks" } }),
    },
    deactivateUser: { allowed: supervises, scoped: true, args: async (fx, side) => ({ id: await fx.freshUser(side) }) },
    resetUserPassword: { allowed: supervises, scoped: true, args: (fx, side) => ({ id: fx.users[side] }) },
    createApiKey: {
      allowed: isDirectorate,
      scoped: true,
      args: (_fx, side) => ({
        input: {
          name: "Matriks",
          scopes: ["TICKETS_READ"],
          unitCode: (side === "in" ? INSIDE : OUTSIDE).office,
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      }),
    },
    revokeApiKey: { allowed: isDirectorate, scoped: true, args: (fx, side) => ({ id: fx.apiKeys[side] }) },
    createWebhookSubscription: {
      allowed: managesWebhooks,
      scoped: false,
      args: () => ({ input: { url: "https://hooks.ombudsman.go.id/matriks", eventTypes: ["RESOLVED"] } }),
    },
    // Removing a removed subscription answers it again, so both sides see it.
    removeWebhookSubscription: {
      allowed: managesWebhooks,
      scoped: false,
      args: (fx) => ({ id: fx.webhookSubscriptionId }),
    },
    createTicket: {
      allowed: isUser,
      scoped: true,
      args: (_fx, side) => ({ input: newTicketInput({ unitCode: (side === "in" ? INSIDE : OUTSIDE).office }) }),
    },
    triageTicket: onTicket(),
    assignTicket: {
      allowed: isUser,
      scoped: true,
      // Agents may only take tickets themselves; others give them to an agent of the ticket's unit.
      args: async (fx, side, p) => ({
        input: {
          ticketId: await fx.freshTicket(side),
          assigneeId: p.role === "AGENT" && p.userId ? p.userId : fx.users[side],
        },
      }),
    },
    transferTicket: onTicket({ unitCode: INSIDE.region, ...REASON }),
    replyToTicket: onTicket({ body: "Terima kasih, laporan sedang kami periksa." }),
    addInternalNote: onTicket({ body: "Catatan uji." }),
    waitOnCitizen: onTicket(REASON),
    resumeTicket: onTicket(),
    resolveTicket: onTicket({ resolution: "Sudah dijawab." }),
    closeTicket: onTicket(),
    reopenTicket: onTicket(REASON),
    rejectTicket: onTicket(REASON),
    // Staff transcribe paper forms; a key needs ratings:write, which none of the matrix's keys holds.
    rateTicket: onTicket({ rating: 5, paperFormReference: "KUESIONER-UJI" }),
    extendTicketDeadline: { ...onTicket(REASON), allowed: supervises },
    requestDeadlineExtension: onTicket(REASON),
    decideDeadlineExtension: { ...onTicket({ grant: true }), allowed: supervises },
    declareFileIncomplete: onTicket({ missing: "Mohon kirim salinan paspor." }),
    declareFileComplete: onTicket({ answer: "Berkas pengaduan lengkap." }),
    saveSlaPolicy: {
      allowed: isDirectorate,
      scoped: false,
      args: () => ({
        input: {
          code: "MATRIX_TEST",
          name: "Uji matriks",
          position: 990,
          matchChannels: ["PRESS"],
          firstResponse: { amount: 1, unit: "WORKING_DAYS", counting: "BUSINESS_HOURS" },
          resolution: { amount: 14, unit: "DAYS", counting: "ALL_HOURS" },
          legalSource: "Uji",
        },
      }),
    },
    addHoliday: {
      allowed: regionalOrAbove,
      scoped: true,
      args: (_fx, side) => ({
        input: {
          date: nextHolidayDate(),
          name: "Libur uji",
          kind: "REGIONAL",
          unitCode: (side === "in" ? INSIDE : OUTSIDE).office,
          reason: "Uji",
        },
      }),
    },
    createCategory: {
      allowed: isDirectorate,
      scoped: false,
      args: () => {
        categorySerial += 1;
        return { input: { code: `MATRIX_${categorySerial}`, name: "Uji matriks", nameEn: "Matrix test" } };
      },
    },
    // An unknown code: the directorate gets UNKNOWN_CATEGORY (past the checks), everyone else FORBIDDEN.
    renameCategory: {
      allowed: isDirectorate,
      scoped: false,
      args: () => ({ input: { code: "MATRIX_NONE", name: "x" } }),
    },
    retireCategory: { allowed: isDirectorate, scoped: false, args: () => ({ code: "MATRIX_NONE" }) },
    // A list with a day of another year: the directorate gets VALIDATION_FAILED (past the checks), nothing is written.
    importHolidays: {
      allowed: isDirectorate,
      scoped: false,
      args: () => ({
        input: {
          year: 2031,
          decree: "SKB uji matriks",
          format: "CSV",
          content: "date,name,kind\n2030-01-01,Tahun Baru,NATIONAL\n",
        },
      }),
    },
    createUnit: {
      allowed: isDirectorate,
      scoped: false,
      args: () => {
        unitSerial += 1;
        return {
          input: {
            code: `KANIM-MATRIX-${unitSerial}`,
            name: `Kantor Imigrasi Uji Matriks ${unitSerial}`,
            type: "IMMIGRATION_OFFICE",
            parentCode: INSIDE.region,
          },
        };
      },
    },
    updateUnit: {
      allowed: isDirectorate,
      scoped: false,
      args: () => ({ input: { code: INSIDE.office, uncertainty: "Uji matriks" } }),
    },
    // A move to where the office already is: the directorate gets VALIDATION_FAILED (past the checks).
    moveUnit: {
      allowed: isDirectorate,
      scoped: false,
      args: () => ({ input: { code: INSIDE.office, parentCode: INSIDE.region } }),
    },
    removeHoliday: {
      allowed: regionalOrAbove,
      scoped: true,
      args: async (fx, side) => ({ id: await fx.freshHoliday(side) }),
    },
    setBusinessHours: {
      allowed: regionalOrAbove,
      scoped: true,
      args: (_fx, side) => ({ unitCode: (side === "in" ? INSIDE : OUTSIDE).office, week }),
    },
  },
  subscription: {
    queue: { allowed: readsTickets, scoped: true, args: unitArg() },
    ticketEvents: { allowed: readsTickets, scoped: true, args: unitArg() },
    slaAlerts: { allowed: readsTickets, scoped: true, args: unitArg() },
    ticket: { allowed: readsTickets, scoped: true, args: (fx, side) => ({ id: fx.tickets[side].id }) },
  },
};

function expectedVisible(policy: Policy, p: Principal, side: Side): boolean {
  return policy.allowed(p) && (policy.visible?.(p) ?? true) && (side === "in" || !policy.scoped || isDirectorate(p));
}

/** Codes that mean "not for you": the caller learns nothing about the data. */
const DENIED = new Set(["FORBIDDEN", "UNAUTHENTICATED", "NOT_FOUND", "UNKNOWN_UNIT"]);

type Outcome = "visible" | "hidden" | `error ${string}`;

interface Response {
  status?: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

function classify(response: Response, field: string): Outcome {
  const error = response.errors?.[0];
  if (error) {
    const code = error.extensions?.code ?? "";
    return DENIED.has(code) ? "hidden" : `error ${code}: ${error.message}`;
  }
  const value = response.data?.[field] as unknown;
  if (value === null || value === undefined || value === false) return "hidden";
  if (Array.isArray(value)) return value.length ? "visible" : "hidden";
  if (typeof value === "object") {
    const object = value as { edges?: unknown[]; code?: string };
    if (object.edges) return object.edges.length ? "visible" : "hidden";
    // A typed error from a result union: a denial hides, any other error means the call got past the checks.
    if (object.code) return DENIED.has(object.code) ? "hidden" : "visible";
  }
  return "visible";
}

function selectionFor(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return "";
  if (isUnionType(named)) return "{ __typename ... on Error { code message } }";
  if (isObjectType(named) && named.getFields().edges) return "{ __typename edges { cursor } }";
  return "{ __typename }";
}

function documentFor(operation: Operation, field: GraphQLField<unknown, unknown>, variables: Record<string, unknown>) {
  const used = field.args.filter((arg) => arg.name in variables);
  const missing = field.args.filter((arg) => isNonNullType(arg.type) && !(arg.name in variables));
  if (missing.length) throw new Error(`policy for ${field.name} lacks ${missing.map((a) => a.name).join(", ")}`);
  const definitions = used.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(", ");
  const passed = used.map((arg) => `${arg.name}: $${arg.name}`).join(", ");
  return `${operation} Matrix${definitions ? `(${definitions})` : ""} { ${field.name}${passed ? `(${passed})` : ""} ${selectionFor(field.type)} }`;
}

/** Paths to every ID in a field's arguments, through input objects: e.g. ["input", "ticketId"]. */
function idPaths(args: readonly GraphQLArgument[]): string[][] {
  const paths: string[][] = [];
  const visit = (type: GraphQLInputType, path: string[], seen: Set<string>) => {
    const named = getNamedType(type);
    if (named.name === "ID") paths.push(path);
    if (isInputObjectType(named) && !seen.has(named.name) && !isListType(getNullableType(type))) {
      for (const inner of Object.values(named.getFields()))
        visit(inner.type, [...path, inner.name], new Set([...seen, named.name]));
    }
  };
  for (const arg of args) visit(arg.type, [arg.name], new Set());
  return paths;
}

function withValueAt(variables: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) return { ...variables, [head]: value };
  const inner = (variables[head] ?? {}) as Record<string, unknown>;
  return { ...variables, [head]: withValueAt(inner, rest, value) };
}

describe.each(await targets())("authorization matrix on %s", (target) => {
  let server: TestServer;
  let schema: GraphQLSchema;
  let fx: Fixture;
  let directorate: string;

  /** Everything a denied call could have changed (SLA events are left out: the detector writes those). */
  const snapshot = async () =>
    (
      await server.app.db.sql.query(
        `SELECT (SELECT count(*)::int FROM ticket) AS tickets,
                (SELECT count(*)::int FROM ticket_event WHERE type::text NOT LIKE 'SLA%') AS events,
                (SELECT count(*)::int FROM message) AS messages,
                (SELECT max(updated_at) FROM ticket) AS ticket_change,
                (SELECT count(*)::int FROM api_key) AS keys,
                (SELECT count(*)::int FROM api_key WHERE revoked_at IS NOT NULL) AS revoked_keys,
                (SELECT count(*)::int FROM webhook_subscription WHERE removed_at IS NULL) AS webhooks,
                (SELECT count(*)::int FROM session WHERE revoked_at IS NOT NULL) AS revoked_sessions,
                (SELECT count(*)::int FROM holiday) AS holidays,
                (SELECT count(*)::int FROM sla_policy) AS policies,
                (SELECT count(*)::int FROM business_calendar) AS calendars,
                (SELECT count(*)::int FROM app_user) AS users,
                (SELECT md5(string_agg(name || role || unit_id || active, ',' ORDER BY id)) FROM app_user) AS accounts,
                (SELECT count(*)::int FROM password_setup) AS password_links,
                (SELECT count(*)::int FROM audit_log) AS audit_records,
                (SELECT coalesce(max(updated_at), 'epoch') FROM business_calendar) AS calendar_change`,
      )
    )[0];

  const call = async (
    operation: Operation,
    field: GraphQLField<unknown, unknown>,
    p: Principal,
    side: Side,
    reuseTickets = false,
  ) => {
    const policy = POLICY[operation][field.name] as Policy;
    // Calls that must change nothing share one ticket (a write would show in the snapshot anyway);
    // calls that may act get a fresh ticket each, so one caller's action cannot change the next one's answer.
    const shared = reuseTickets || !expectedVisible(policy, p, side);
    const fixture = shared ? { ...fx, freshTicket: async (s: Side) => fx.tickets[s].id } : fx;
    const variables = await policy.args(fixture, side, p);
    let token = p.token;
    if (policy.freshSession && p.kind === "user") token = await server.login(p.name);
    return { document: documentFor(operation, field, variables), variables, token };
  };

  const subscribe = async (document: string, variables: Record<string, unknown>, field: string, token?: string) => {
    const client = liveClient(server.url, token);
    const live = collect(client, document, variables, field);
    try {
      // Refusals arrive at once; a stream that is allowed may have nothing to say yet.
      const deadline = Date.now() + 800;
      while (!live.items.length && !live.errors.length && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return live.errors.length ? { errors: live.errors } : { data: { [field]: live.items[0] ?? true } };
    } finally {
      live.stop();
      await client.dispose();
    }
  };

  beforeAll(async () => {
    // Thousands of probes from a handful of callers: budgets are not what this test is about.
    const generous = Object.fromEntries(
      ["ANONYMOUS", "STAFF", "STANDARD"].flatMap((tier) => [
        [`PANTAU_BUDGET_${tier}_CAPACITY`, "1000000"],
        [`PANTAU_BUDGET_${tier}_REFILL_PER_SECOND`, "100000"],
      ]),
    );
    server = await startServer(target, { env: generous });
    directorate = await server.login("direktorat@pantau.demo");
    await server.app.db.sql.query(
      `INSERT INTO app_user (email, name, role, unit_id, password_hash)
       SELECT 'sasaran.' || s.tag || '@pantau.demo', 'Sasaran ' || s.tag, 'AGENT', u.id, a.password_hash
       FROM (VALUES ('malang', $1), ('denpasar', $2)) AS s(tag, code)
       JOIN unit u ON u.code = s.code, app_user a WHERE a.email = 'agen.malang@pantau.demo'`,
      [INSIDE.office, OUTSIDE.office],
    );
    const gid = (type: string, id: string | number) => Buffer.from(`${type}:${id}`).toString("base64");
    const ids = await server.app.db.sql.query<{ tag: string; user_id: string; unit_id: number }>(
      `SELECT split_part(u.email, '.', 2) AS tag, u.id AS user_id, u.unit_id FROM app_user u WHERE u.email LIKE 'sasaran.%'`,
    );
    const byTag = (tag: string) => ids.find((row) => row.tag.startsWith(tag)) as (typeof ids)[number];

    const createKey = async (scopes: string[], unitCode: string) => {
      const response = await server.gql(
        `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ... on CreateApiKeySuccess { key apiKey { id } } } }`,
        {
          input: {
            name: `Matriks ${scopes.join("+") || "tanpa scope"}`,
            scopes,
            unitCode,
            expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          },
        },
        directorate,
      );
      return response.data?.createApiKey as { key: string; apiKey: { id: string } };
    };
    const createTicket = async (side: Side) => {
      const response = await server.gql(
        CREATE,
        { input: newTicketInput({ unitCode: (side === "in" ? INSIDE : OUTSIDE).office }) },
        directorate,
      );
      return response.data?.createTicket.ticket as { id: string; number: string };
    };
    const [readKey, metricsKey, noScopeKey, keyIn, keyOut, hookKey] = await Promise.all([
      createKey(["TICKETS_READ", "METRICS_READ"], INSIDE.region),
      createKey(["METRICS_READ"], INSIDE.region),
      createKey([], INSIDE.region),
      createKey(["TICKETS_READ"], INSIDE.office),
      createKey(["TICKETS_READ"], OUTSIDE.office),
      createKey(["WEBHOOKS_MANAGE"], INSIDE.region),
    ]);
    const hooked = await server.gql(
      `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) {
        ... on CreateWebhookSubscriptionSuccess { subscription { id } } } }`,
      { input: { url: "https://hooks.ombudsman.go.id/matriks", eventTypes: ["RESOLVED"] } },
      hookKey.key,
    );
    const webhookSubscriptionId = hooked.data?.createWebhookSubscription.subscription.id as string;
    const tickets = { in: await createTicket("in"), out: await createTicket("out") };
    // Triaged, so that probes of assignTicket reach the assignee instead of stopping at the status.
    for (const ticket of Object.values(tickets)) {
      await server.gql(
        `mutation($input: TriageTicketInput!) { triageTicket(input: $input) { __typename } }`,
        { input: { ticketId: ticket.id } },
        directorate,
      );
    }
    const firstEvent = async (ticketId: string) =>
      (
        await server.gql(
          `query($id: ID!) { node(id: $id) { ... on Ticket { events(first: 1) { edges { node { id } } } } } }`,
          { id: ticketId },
          directorate,
        )
      ).data?.node.events.edges[0].node.id as string;
    // A personal-data read, so that the directorate's log is not empty.
    const agentToken = await server.login("agen.malang@pantau.demo");
    await server.gql(
      `query($id: ID!) { node(id: $id) { ... on Ticket { reporter { name } } } }`,
      { id: tickets.in.id },
      agentToken,
    );

    const users = async (email: string, role: Principal["role"]) => {
      const token = await server.login(email);
      const me = await server.gql(`{ viewer { user { id } } }`, {}, token);
      return { name: email, kind: "user" as const, role, token, userId: me.data?.viewer.user.id as string };
    };
    const principals: Record<string, Principal> = {
      directorate: await users("direktorat@pantau.demo", "DIRECTORATE"),
      regionalHead: await users("kanwil.jatim@pantau.demo", "REGIONAL_HEAD"),
      unitSupervisor: await users("kanim.malang@pantau.demo", "UNIT_SUPERVISOR"),
      agent: await users("agen.malang@pantau.demo", "AGENT"),
      readKey: { name: "readKey", kind: "apiKey", scopes: ["tickets:read", "metrics:read"], token: readKey.key },
      metricsKey: { name: "metricsKey", kind: "apiKey", scopes: ["metrics:read"], token: metricsKey.key },
      noScopeKey: { name: "noScopeKey", kind: "apiKey", scopes: [], token: noScopeKey.key },
      hookKey: { name: "hookKey", kind: "apiKey", scopes: ["webhooks:manage"], token: hookKey.key },
      anonymous: { name: "anonymous", kind: "anonymous" },
    };
    fx = {
      tickets,
      freshTicket: async (side) => (await createTicket(side)).id,
      freshHoliday: async (side) => {
        const [row] = await server.app.db.sql.query<{ id: number }>(
          `INSERT INTO holiday (date, name, kind, unit_id) SELECT $1::date, 'Libur uji', 'REGIONAL', id FROM unit WHERE code = $2 RETURNING id`,
          [nextHolidayDate(), (side === "in" ? INSIDE : OUTSIDE).office],
        );
        return row?.id as number;
      },
      freshUser: async (side) => {
        const [row] = await server.app.db.sql.query<{ id: string }>(
          `INSERT INTO app_user (email, name, role, unit_id) SELECT $1, 'Sasaran baru', 'AGENT', id FROM unit WHERE code = $2 RETURNING id`,
          [`baru.${++userSerial}@imigrasi.go.id`, (side === "in" ? INSIDE : OUTSIDE).office],
        );
        return gid("User", row?.id as string);
      },
      users: { in: gid("User", byTag("malang").user_id), out: gid("User", byTag("denpasar").user_id) },
      apiKeys: { in: keyIn.apiKey.id, out: keyOut.apiKey.id },
      unitIds: { in: gid("Unit", byTag("malang").unit_id), out: gid("Unit", byTag("denpasar").unit_id) },
      eventIds: { in: await firstEvent(tickets.in.id), out: await firstEvent(tickets.out.id) },
      webhookSubscriptionId,
      principals,
    };
    const introspection = await server.gql<IntrospectionQuery>(getIntrospectionQuery(), {}, directorate);
    schema = buildClientSchema(introspection.data as IntrospectionQuery);
  });
  afterAll(() => server?.stop());

  const rootFields = (operation: Operation) => {
    const root = {
      query: schema.getQueryType(),
      mutation: schema.getMutationType(),
      subscription: schema.getSubscriptionType(),
    }[operation];
    return Object.values(root?.getFields() ?? {});
  };

  it("has a policy for every root field of the schema, and none for fields that are gone", () => {
    for (const operation of ["query", "mutation", "subscription"] as const) {
      const names = rootFields(operation)
        .map((f) => f.name)
        .sort();
      expect(names, `${operation} fields without a policy`).toEqual(Object.keys(POLICY[operation]).sort());
    }
  });

  it.each(["query", "mutation", "subscription"] as const)(
    "answers every %s field as the policy says, and a denied one writes nothing",
    async (operation) => {
      const mismatches: string[] = [];
      for (const field of rootFields(operation)) {
        const policy = POLICY[operation][field.name];
        if (!policy) continue;
        for (const p of Object.values(fx.principals)) {
          for (const side of ["in", "out"] as const) {
            const expected = expectedVisible(policy, p, side) ? "visible" : "hidden";
            const { document, variables, token } = await call(operation, field, p, side);
            const before = operation === "mutation" ? await snapshot() : null;
            const response: Response =
              operation === "subscription"
                ? await subscribe(document, variables, field.name, token)
                : await server.gql(document, variables, token);
            const outcome = classify(response, field.name);
            if (outcome !== expected)
              mismatches.push(`${operation} ${field.name} × ${p.name} × ${side}: expected ${expected}, got ${outcome}`);
            if (before && outcome === "hidden") {
              const after = await snapshot();
              if (JSON.stringify(after) !== JSON.stringify(before)) {
                mismatches.push(
                  `${operation} ${field.name} × ${p.name} × ${side}: denied but wrote ${JSON.stringify({ before, after })}`,
                );
              }
            }
          }
        }
      }
      expect(mismatches).toEqual([]);
    },
    // Hundreds of calls: generous for a machine busy with other suites.
    240_000,
  );

  it("counts only what is in scope: totalCount matches the tickets of the caller's units", async () => {
    const roots: Record<string, string> = {
      directorate: "IMI",
      regionalHead: INSIDE.region,
      unitSupervisor: INSIDE.office,
      agent: INSIDE.office,
      readKey: INSIDE.region,
    };
    for (const [name, root] of Object.entries(roots)) {
      const [row] = await server.app.db.sql.query<{ n: number }>(
        `WITH RECURSIVE scope AS (SELECT id FROM unit WHERE code = $1 UNION ALL SELECT u.id FROM unit u JOIN scope s ON u.parent_id = s.id)
         SELECT count(*)::int AS n FROM ticket WHERE unit_id IN (SELECT id FROM scope)`,
        [root],
      );
      const page = await server.gql(`{ tickets(first: 1) { totalCount } }`, {}, fx.principals[name]?.token);
      expect(page.data?.tickets.totalCount, name).toBe(row?.n);
    }
  });

  it("applies the same checks to the CSV downloads", async () => {
    const mismatches: string[] = [];
    for (const p of Object.values(fx.principals)) {
      for (const side of ["in", "out"] as const) {
        const code = (side === "in" ? INSIDE : OUTSIDE).office;
        const downloads = [
          [`/export/unit-metrics.csv?code=${code}&from=${PERIOD.from}&to=${PERIOD.to}&granularity=week`, side],
          [`/export/national-overview.csv?from=${PERIOD.from}&to=${PERIOD.to}`, "in"],
          [`/export/team-figures.csv?code=${code}&from=${PERIOD.from}&to=${PERIOD.to}`, side],
        ] as const;
        for (const [path, scopeSide] of downloads) {
          const response = await fetch(`${server.url}${path.replaceAll("+", "%2B")}`, {
            headers: p.token ? { authorization: `Bearer ${p.token}` } : {},
          });
          const allowed = path.startsWith("/export/team-figures") ? supervises(p) : readsMetrics(p);
          const expected = allowed && (scopeSide === "in" || isDirectorate(p)) ? 200 : "refused";
          const actual =
            response.status === 200 ? 200 : [401, 403, 404].includes(response.status) ? "refused" : response.status;
          if (actual !== expected) mismatches.push(`${path} × ${p.name}: expected ${expected}, got ${response.status}`);
          await response.arrayBuffer();
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("answers another unit's global id in every ID argument as nothing, and writes nothing", async () => {
    const foreign = [fx.tickets.out.id, fx.users.out, fx.unitIds.out, fx.eventIds.out, fx.apiKeys.out];
    const callers = ["regionalHead", "unitSupervisor", "agent", "readKey"].map(
      (name) => fx.principals[name] as Principal,
    );
    const mismatches: string[] = [];
    let probes = 0;
    for (const operation of ["query", "mutation", "subscription"] as const) {
      for (const field of rootFields(operation)) {
        const paths = idPaths(field.args);
        if (!paths.length) continue;
        for (const p of callers) {
          for (const path of paths) {
            for (const id of foreign) {
              const base = await call(operation, field, p, "in", true);
              const variables = withValueAt(base.variables, path, id);
              const document = documentFor(operation, field, variables);
              const before = await snapshot();
              const response: Response =
                operation === "subscription"
                  ? await subscribe(document, variables, field.name, base.token)
                  : await server.gql(document, variables, base.token);
              probes += 1;
              const outcome = classify(response, field.name);
              const refusedAsInput =
                outcome.startsWith("error VALIDATION_FAILED") ||
                (response.data?.[field.name] as { code?: string } | undefined)?.code === "VALIDATION_FAILED";
              if (outcome !== "hidden" && !refusedAsInput) {
                mismatches.push(`${operation} ${field.name}.${path.join(".")} × ${p.name} × ${id}: got ${outcome}`);
              }
              if (JSON.stringify(await snapshot()) !== JSON.stringify(before)) {
                mismatches.push(`${operation} ${field.name}.${path.join(".")} × ${p.name} × ${id}: wrote something`);
              }
            }
          }
        }
      }
    }
    expect(probes).toBeGreaterThan(50);
    expect(mismatches).toEqual([]);
  }, 240_000);
});
