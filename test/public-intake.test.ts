import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { CREATE, NOTE, newTicketInput, REPLY, RESOLVE, TRIAGE } from "./support/documents.js";
import { CHALLENGE, SUBMIT, solve, TRACK } from "./support/public-form.js";
import { startServer, type TestServer } from "./support/server.js";

const REPORTS_PER_HOUR = 3;
const LOOKUPS_PER_HOUR = 10;
const LOOKUPS_PER_NUMBER = 14;
const CHALLENGE_TTL_SECONDS = 5;

const STAFF_TICKET = /* GraphQL */ `
  query($number: String!) {
    ticket(number: $number) {
      id number subject description kind channel status unit { code } category { code }
      reporter { name email phone }
      events(first: 10) { edges { node { type actorLabel } } }
    }
  }`;

const WEB_FORM_COUNT = /* GraphQL */ `
  query { tickets(first: 1, filter: { channel: [WEB_FORM] }) { totalCount } }`;

describe.each(await targets())("public web form and tracking on %s", (target) => {
  let server: TestServer;
  let agent: string;
  let address = 0;
  /** A client address no other test uses (the server trusts one proxy hop, so X-Forwarded-For is believed). */
  const newAddress = () => {
    address += 1;
    return `198.51.100.${address}`;
  };

  /** An anonymous call from one client address. */
  async function anon<T = Record<string, any>>(query: string, variables: Record<string, unknown>, from: string) {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        "x-forwarded-for": from,
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    return {
      status: response.status,
      text,
      ...(JSON.parse(text) as { data?: T; errors?: unknown[] }),
    };
  }

  async function challenge(from: string) {
    const result = await anon<{ publicReportChallenge: { token: string; bits: number } }>(CHALLENGE, {}, from);
    const issued = result.data?.publicReportChallenge;
    if (!issued) throw new Error(`no challenge: ${result.text}`);
    return { challenge: issued.token, nonce: solve(issued.token, issued.bits) };
  }

  let serial = 0;
  function reportInput(overrides: Record<string, unknown> = {}) {
    serial += 1;
    return {
      kind: "COMPLAINT",
      unitCode: "KANIM-MALANG",
      subject: `Antrean paspor tidak jelas (${target} ${serial})`,
      description: "Saya sudah datang tiga kali tetapi nomor antrean M-Paspor saya tidak dilayani.",
      contact: { name: "Warga Uji", email: `warga.${serial}@contoh.id`, phone: "+62 812 0000 0001" },
      consent: true,
      ...overrides,
    };
  }

  async function submit(
    from: string,
    overrides: Record<string, unknown> = {},
    solved?: { challenge: string; nonce: string },
  ) {
    const pow = solved ?? (await challenge(from));
    const result = await anon(SUBMIT, { input: { ...reportInput(overrides), ...pow } }, from);
    return result.data?.submitPublicReport as Record<string, any>;
  }

  const webFormTickets = async () => (await server.gql(WEB_FORM_COUNT, {}, agent)).data?.tickets.totalCount as number;

  beforeAll(async () => {
    server = await startServer(target, {
      env: {
        PANTAU_TRUST_PROXY_HOPS: "1",
        PANTAU_PUBLIC_POW_BITS: "10",
        // Short, so that a challenge can be seen to expire; the others are spent within milliseconds.
        PANTAU_PUBLIC_CHALLENGE_TTL_SECONDS: String(CHALLENGE_TTL_SECONDS),
        PANTAU_PUBLIC_REPORTS_PER_HOUR: String(REPORTS_PER_HOUR),
        PANTAU_PUBLIC_LOOKUPS_PER_HOUR: String(LOOKUPS_PER_HOUR),
        PANTAU_PUBLIC_LOOKUPS_PER_NUMBER_PER_HOUR: String(LOOKUPS_PER_NUMBER),
      },
    });
    agent = await server.login("agen.malang@pantau.demo");
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("lists the public unit directory and categories without an account", async () => {
    const from = newAddress();
    const result = await anon(
      `query { publicUnits { code name type provinceCode provinceName city timeZone } publicCategories { code name nameEn children { code } } }`,
      {},
      from,
    );
    expect(result.errors).toBeUndefined();
    const malang = result.data?.publicUnits.find((unit: { code: string }) => unit.code === "KANIM-MALANG");
    expect(malang).toMatchObject({ provinceCode: "ID-JI", timeZone: "Asia/Jakarta", type: "IMMIGRATION_OFFICE" });
    expect(result.data?.publicUnits.length).toBeGreaterThan(150);
    expect(result.data?.publicCategories.length).toBeGreaterThan(5);
  });

  it("opens a WEB_FORM ticket that staff see, and answers its number and a tracking code", async () => {
    const from = newAddress();
    const categories = await anon(`query { publicCategories { code } }`, {}, from);
    const categoryCode = categories.data?.publicCategories[0].code as string;
    const before = await webFormTickets();
    const result = await submit(from, { categoryCode });
    expect(result.__typename).toBe("SubmitPublicReportSuccess");
    const { ticketNumber, trackingCode, unit } = result.report;
    expect(ticketNumber).toMatch(/^IMI-\d{4}-\d{7,}$/);
    expect(trackingCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    expect(unit.code).toBe("KANIM-MALANG");
    expect(await webFormTickets()).toBe(before + 1);

    const staff = await server.gql(STAFF_TICKET, { number: ticketNumber }, agent);
    expect(staff.data?.ticket).toMatchObject({
      channel: "WEB_FORM",
      kind: "COMPLAINT",
      status: "NEW",
      unit: { code: "KANIM-MALANG" },
      category: { code: categoryCode },
      reporter: { name: "Warga Uji", phone: "+62 812 0000 0001" },
    });
    expect(staff.data?.ticket.events.edges[0].node).toEqual({ type: "CREATED", actorLabel: "channel:web-form" });
  });

  it("refuses bad input with typed errors and stores nothing", async () => {
    const before = await webFormTickets();
    const cases: [string, Record<string, unknown>, string, string?][] = [
      ["no consent", { consent: false }, "CONSENT_REQUIRED"],
      ["an unknown unit", { unitCode: "KANIM-ATLANTIS" }, "UNKNOWN_UNIT"],
      ["an unknown category", { categoryCode: "NO_SUCH_CATEGORY" }, "UNKNOWN_CATEGORY"],
      ["the hidden field filled", { website: "http://spam.example" }, "SUBMISSION_REFUSED"],
      ["no contact", { contact: { name: "Tanpa Kontak" } }, "VALIDATION_FAILED", "contact"],
      ["a bad e-mail address", { contact: { email: "bukan-alamat" } }, "VALIDATION_FAILED", "contact.email"],
      ["a short description", { description: "pendek" }, "VALIDATION_FAILED", "description"],
    ];
    for (const [name, overrides, code, field] of cases) {
      const result = await submit(newAddress(), overrides);
      expect({ name, code: result.code, ...(field ? { field: result.field } : {}) }).toEqual({
        name,
        code,
        ...(field ? { field } : {}),
      });
    }
    const kind = await anon(
      SUBMIT,
      { input: { ...reportInput({ kind: "GOSSIP" }), challenge: "x", nonce: "1" } },
      newAddress(),
    );
    expect(kind.errors).toBeDefined();
    expect(await webFormTickets()).toBe(before);
  });

  it("refuses a forged, unsolved or replayed proof-of-work", async () => {
    const from = newAddress();
    const before = await webFormTickets();
    const pow = await challenge(from);
    const unsolved = await submit(from, {}, { challenge: pow.challenge, nonce: `${pow.nonce}x`.slice(0, 32) });
    // A changed nonce solves the challenge only by a 1-in-1024 chance.
    if (unsolved.__typename !== "SubmitPublicReportSuccess") expect(unsolved.code).toBe("CHALLENGE_INVALID");
    const forged = await submit(
      from,
      {},
      { challenge: pow.challenge.replace(/.$/, (c) => (c === "A" ? "B" : "A")), nonce: pow.nonce },
    );
    expect(forged.code).toBe("CHALLENGE_INVALID");
    const malformed = await submit(from, {}, { challenge: "v1.bukan-tantangan", nonce: "1" });
    expect(malformed.code).toBe("CHALLENGE_INVALID");
    const afterFailures = await webFormTickets();
    expect(afterFailures - before).toBe(unsolved.__typename === "SubmitPublicReportSuccess" ? 1 : 0);

    const fresh = await challenge(from);
    const first = await submit(from, {}, fresh);
    expect(first.__typename).toBe("SubmitPublicReportSuccess");
    const replay = await submit(newAddress(), {}, fresh);
    expect(replay.code).toBe("CHALLENGE_USED");
    // The same report again, at once (a double click): still one ticket.
    const [a, b] = await Promise.all([submit(newAddress(), {}, fresh), submit(newAddress(), {}, fresh)]);
    expect([a.code, b.code]).toEqual(["CHALLENGE_USED", "CHALLENGE_USED"]);
    expect(await webFormTickets()).toBe(afterFailures + 1);
  });

  it("refuses a challenge past its lifetime", async () => {
    const from = newAddress();
    const before = await webFormTickets();
    const pow = await challenge(from);
    await new Promise((resolve) => setTimeout(resolve, CHALLENGE_TTL_SECONDS * 1000 + 300));
    const late = await submit(from, {}, pow);
    expect(late.code).toBe("CHALLENGE_EXPIRED");
    expect(await webFormTickets()).toBe(before);
  });

  it("limits reports per address", async () => {
    const from = newAddress();
    for (let i = 0; i < REPORTS_PER_HOUR; i += 1) {
      expect((await submit(from)).__typename).toBe("SubmitPublicReportSuccess");
    }
    const before = await webFormTickets();
    const refused = await submit(from);
    expect(refused.code).toBe("PUBLIC_LIMIT_REACHED");
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(await webFormTickets()).toBe(before);
    expect((await submit(newAddress())).__typename).toBe("SubmitPublicReportSuccess");
  });

  it("shows the citizen status, unit, public replies, the next due date and the outcome, and nothing internal", async () => {
    const from = newAddress();
    const { ticketNumber, trackingCode } = (await submit(from, { kind: "INFORMATION_REQUEST" })).report;
    const opened = await anon(TRACK, { number: ticketNumber, trackingCode }, from);
    const view = opened.data?.publicTicket.ticket;
    expect(view).toMatchObject({
      number: ticketNumber,
      status: "NEW",
      kind: "INFORMATION_REQUEST",
      replies: [],
      outcome: null,
    });
    expect(view.unit).toMatchObject({
      code: "KANIM-MALANG",
      timeZone: "Asia/Jakarta",
      provinceName: expect.any(String),
    });
    expect(view.nextDue.local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
    expect(new Date(view.nextDue.local).getTime()).toBe(new Date(view.nextDue.at).getTime());

    const { id } = (await server.gql(STAFF_TICKET, { number: ticketNumber }, agent)).data?.ticket ?? {};
    const note = "CATATAN-INTERNAL: pelapor mungkin calo.";
    const reply = "Terima kasih, kuota M-Paspor dibuka setiap Jumat pukul 15.00 WIB.";
    for (const [document, input] of [
      [REPLY, { ticketId: id, body: reply }],
      [NOTE, { ticketId: id, body: note }],
      [TRIAGE, { ticketId: id }],
      [RESOLVE, { ticketId: id, resolution: "Informasi telah kami sampaikan." }],
    ] as const) {
      const done = await server.gql(document, { input }, agent);
      expect(JSON.stringify(done.data)).toContain("Success");
    }
    const tracked = await anon(
      TRACK,
      { number: ticketNumber.toLowerCase(), trackingCode: trackingCode.toLowerCase().replaceAll("-", " ") },
      from,
    );
    const resolved = tracked.data?.publicTicket.ticket;
    expect(resolved.status).toBe("RESOLVED");
    expect(resolved.replies.map((r: { body: string }) => r.body)).toEqual([reply, "Informasi telah kami sampaikan."]);
    expect(resolved.outcome).toMatchObject({ kind: "RESOLVED", message: "Informasi telah kami sampaikan." });
    expect(resolved.nextDue).toBeNull();
    expect(tracked.text).not.toContain("CATATAN-INTERNAL");
    const agentName = (await server.gql(`query { viewer { name } }`, {}, agent)).data?.viewer.name as string;
    expect(tracked.text).not.toContain(agentName);
    expect(tracked.text).not.toContain("warga.");
    expect(tracked.text).not.toContain("+62 812");
  });

  it("answers a wrong code and a wrong number alike", async () => {
    const { ticketNumber } = (await submit(newAddress())).report;
    // A ticket staff opened by phone has no tracking code: any code is wrong for it.
    const phoned = await server.gql(CREATE, { input: newTicketInput({ channel: "PHONE" }) }, agent);
    const seeded = phoned.data?.createTicket.ticket.number as string;
    expect(seeded).toMatch(/^IMI-/);
    const [year] = ticketNumber.split("-").slice(1);
    const attempts = {
      wrongCode: () => anon(TRACK, { number: ticketNumber, trackingCode: "0000-0000-0000-0000-0000" }, newAddress()),
      wrongNumber: () =>
        anon(TRACK, { number: `IMI-${year}-9999999`, trackingCode: "0000-0000-0000-0000-0000" }, newAddress()),
      noCodeTicket: () => anon(TRACK, { number: seeded, trackingCode: "0000-0000-0000-0000-0000" }, newAddress()),
      garbage: () => anon(TRACK, { number: "??", trackingCode: "tebak" }, newAddress()),
    };
    const bodies = new Set<string>();
    for (let round = 0; round < 3; round += 1) {
      for (const attempt of Object.values(attempts)) bodies.add((await attempt()).text);
    }
    // One body, byte for byte, whichever part was wrong.
    expect([...bodies]).toHaveLength(1);
    expect(JSON.parse([...bodies][0] ?? "{}").data.publicTicket).toEqual({
      __typename: "NotFoundError",
      code: "NOT_FOUND",
      message: "No ticket with this number and tracking code.",
    });
  });

  it("limits guessing per address and per number", async () => {
    const from = newAddress();
    for (let i = 0; i < LOOKUPS_PER_HOUR; i += 1) {
      const result = await anon(TRACK, { number: `IMI-2026-${String(8000000 + i)}`, trackingCode: "AAAA" }, from);
      expect(result.data?.publicTicket.code).toBe("NOT_FOUND");
    }
    const paused = await anon(TRACK, { number: "IMI-2026-8100000", trackingCode: "AAAA" }, from);
    expect(paused.data?.publicTicket).toMatchObject({
      code: "PUBLIC_LIMIT_REACHED",
      retryAfterSeconds: expect.any(Number),
    });

    const { ticketNumber, trackingCode } = (await submit(newAddress())).report;
    for (let i = 0; i < LOOKUPS_PER_NUMBER; i += 1) {
      const result = await anon(TRACK, { number: ticketNumber, trackingCode: `BBBB-${i}` }, newAddress());
      expect(result.data?.publicTicket.code).toBe("NOT_FOUND");
    }
    // Spread over many addresses, the guesses still pause the number: even the right code waits now.
    const right = await anon(TRACK, { number: ticketNumber, trackingCode }, newAddress());
    expect(right.data?.publicTicket.code).toBe("PUBLIC_LIMIT_REACHED");
  });

  // The seeded history has WEB_FORM tickets of its own, made before the form existed: those have no code.
  it("wrote every ticket of the form with its tracking code hash, and no hash without its ticket", async () => {
    const [row] = await server.app.db.sql.query<{ tickets: number; tracked: number; hashes: number }>(
      `SELECT (SELECT count(*)::int FROM ticket WHERE idempotency_owner = 'key:channel:web-form') AS tickets,
              (SELECT count(*)::int FROM ticket t JOIN ticket_tracking tr ON tr.ticket_id = t.id
                WHERE t.idempotency_owner = 'key:channel:web-form' AND t.channel = 'WEB_FORM') AS tracked,
              (SELECT count(*)::int FROM ticket_tracking) AS hashes`,
    );
    expect(row?.tickets).toBeGreaterThan(5);
    expect(row).toEqual({ tickets: row?.tickets, tracked: row?.tickets, hashes: row?.tickets });
  });

  it("refuses over-long arguments as malformed input", async () => {
    const result = await anon(TRACK, { number: "IMI-2026-0000001", trackingCode: "A".repeat(65) }, newAddress());
    expect(result.data?.publicTicket).toMatchObject({ code: "VALIDATION_FAILED" });
  });
});
