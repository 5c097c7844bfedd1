import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { CREATE, newTicketInput, REJECT, REPLY, RESOLVE, TRANSFER, TRIAGE } from "./support/documents.js";
import { LAPOR_TOKEN, LaporFake } from "./support/lapor-fake.js";
import { startServer, type TestServer } from "./support/server.js";

const SECRET = "rahasia-bersama-lapor-uji";

async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** LAPOR!'s side of the signature: HMAC-SHA256 of "<t>.<body>" with the shared secret. */
const sign = (body: string, t = Math.floor(Date.now() / 1000), secret = SECRET) =>
  `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;

const TICKET = `query($number: String!) {
  ticket(number: $number) { id number channel kind externalRef subject status unit { code } reporter { name email } }
}`;

describe.each(await targets())("SP4N-LAPOR! boundary on %s", (target) => {
  const lapor = new LaporFake();
  let server: TestServer;
  let directorate: string;
  let serial = 0;
  const trackingId = () => `LAPOR-${target}-${Date.now()}-${++serial}`;
  const report = (overrides: Record<string, unknown> = {}) => ({
    trackingId: trackingId(),
    title: "Calo paspor di depan kantor imigrasi",
    content: "Ada orang menawarkan jasa percepatan paspor dengan biaya tambahan di depan kantor.",
    classification: "PENGADUAN",
    unitCode: "KANIM-MALANG",
    submittedAt: new Date().toISOString(),
    reporter: { name: "Siti Rahma", email: "siti@contoh.id" },
    ...overrides,
  });
  const post = (body: string, signature: string | null = sign(body)) =>
    fetch(`${server.url}/webhooks/lapor`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(signature ? { "x-lapor-signature": signature } : {}) },
      body,
    });
  const inbound = (externalId: string) =>
    server.app.db.sql.query<{ status: string; last_error: string | null; ticket_id: string | null }>(
      "SELECT status::text, last_error, ticket_id FROM inbound_message WHERE channel = 'SP4N_LAPOR' AND external_id = $1",
      [externalId],
    );
  const ticketsOf = (ref: string) =>
    server.app.db.sql.query<{ number: string }>(
      "SELECT number FROM ticket WHERE channel = 'SP4N_LAPOR' AND external_ref = $1",
      [ref],
    );
  /** Posts a report and waits for its ticket; returns the ticket as the API shows it. */
  const received = async (body: Record<string, unknown>) => {
    const response = await post(JSON.stringify(body));
    expect(response.status).toBe(202);
    const ref = body.trackingId as string;
    const [row] = await until(
      () => inbound(ref),
      (rows) => rows[0]?.status === "PROCESSED",
      "the report handled",
    );
    expect(row?.ticket_id).not.toBeNull();
    const [ticket] = await ticketsOf(ref);
    return (await server.gql(TICKET, { number: ticket?.number }, directorate)).data?.ticket;
  };

  beforeAll(async () => {
    await lapor.start();
    server = await startServer(target, {
      env: {
        PANTAU_LAPOR_SECRET: SECRET,
        PANTAU_LAPOR_UNIT: "KANWIL-JI",
        PANTAU_LAPOR_API_URL: lapor.url,
        PANTAU_LAPOR_API_TOKEN: LAPOR_TOKEN,
        PANTAU_OUTBOUND_MAX_ATTEMPTS: "6",
        PANTAU_OUTBOUND_RETRY_BASE_MS: "50",
        PANTAU_OUTBOUND_RETRY_MAX_MS: "200",
        PANTAU_OUTBOUND_POLL_MS: "50",
        PANTAU_INBOUND_POLL_MS: "100",
      },
    });
    directorate = await server.login("direktorat@pantau.demo");
  });
  afterAll(async () => {
    await server?.stop();
    await lapor.stop();
  });

  it("opens a ticket with channel SP4N_LAPOR and the tracking id as externalRef, once per report", async () => {
    const first = report();
    const ticket = await received(first);
    expect(ticket).toMatchObject({
      channel: "SP4N_LAPOR",
      kind: "COMPLAINT",
      externalRef: first.trackingId,
      subject: first.title,
      status: "NEW",
      unit: { code: "KANIM-MALANG" },
      // The directorate sees reporters masked; the unit's staff see them whole.
      reporter: { name: "S*** R***", email: "s***@contoh.id" },
    });
    const [stored] = await server.app.db.sql.query(
      "SELECT reporter_name, reporter_email FROM ticket WHERE external_ref = $1",
      [first.trackingId],
    );
    expect(stored).toEqual({ reporter_name: "Siti Rahma", reporter_email: "siti@contoh.id" });
    // Sent again alone and in an import with itself twice: still one ticket.
    const again = await post(JSON.stringify(first));
    expect(await again.json()).toMatchObject({ stored: 0, duplicates: 1, failed: 0 });
    const anonymous = report({ unitCode: null, classification: "ASPIRASI", anonymous: true });
    const batch = await post(JSON.stringify({ reports: [first, anonymous, anonymous] }));
    expect(await batch.json()).toMatchObject({ stored: 1, duplicates: 2, failed: 0 });
    await until(
      () => inbound(anonymous.trackingId),
      (rows) => rows[0]?.status === "PROCESSED",
      "the import handled",
    );
    expect(await ticketsOf(first.trackingId)).toHaveLength(1);
    const [made] = await ticketsOf(anonymous.trackingId);
    const second = (await server.gql(TICKET, { number: made?.number }, directorate)).data?.ticket;
    // No unit named: the configured one; anonymous: no reporter kept.
    expect(second).toMatchObject({
      kind: "ASPIRATION",
      unit: { code: "KANWIL-JI" },
      reporter: { name: null, email: null },
    });
  });

  it("ignores a report whose tracking id a ticket already carries", async () => {
    const ref = trackingId();
    const typed = await server.gql(
      CREATE,
      { input: newTicketInput({ unitCode: "KANIM-MALANG", channel: "SP4N_LAPOR", externalRef: ref }) },
      directorate,
    );
    expect(typed.data?.createTicket.__typename).toBe("CreateTicketSuccess");
    expect((await post(JSON.stringify(report({ trackingId: ref })))).status).toBe(202);
    const [row] = await until(
      () => inbound(ref),
      (rows) => rows[0]?.status === "IGNORED",
      "the report ignored",
    );
    expect(row?.last_error).toMatch(/already ticket IMI-/);
    expect(await ticketsOf(ref)).toHaveLength(1);
  });

  it("refuses a missing, forged or old signature and stores nothing", async () => {
    const body = JSON.stringify(report());
    const count = async () =>
      (await server.app.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM inbound_message"))[0]?.n;
    const before = await count();
    expect((await post(body, null)).status).toBe(401);
    expect((await post(body, sign(body, undefined, "rahasia-lain-sekali"))).status).toBe(403);
    expect((await post(body, sign(`${body} `))).status).toBe(403);
    expect((await post(body, "sha256=00")).status).toBe(403);
    // A captured call replayed ten minutes later.
    const replay = await post(body, sign(body, Math.floor(Date.now() / 1000) - 600));
    expect(replay.status).toBe(403);
    expect((await replay.json()).error).toMatch(/replay/);
    expect(await count()).toBe(before);
  });

  it("keeps a report that cannot become a ticket, with the reason, and answers it", async () => {
    const bad = report({ title: "" });
    const response = await post(JSON.stringify({ reports: [bad] }));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ stored: 0, failed: 1 });
    const [row] = await server.app.db.sql.query<{ status: string; last_error: string; sender: string }>(
      "SELECT status::text, last_error, sender FROM inbound_message WHERE channel = 'SP4N_LAPOR' AND sender = $1",
      [bad.trackingId],
    );
    expect(row).toMatchObject({ status: "FAILED", last_error: expect.stringMatching(/^title:/) });
    const unknownUnit = report({ unitCode: "KANIM-ATLANTIS" });
    await post(JSON.stringify(unknownUnit));
    const [failed] = await until(
      () => inbound(unknownUnit.trackingId),
      (rows) => rows[0]?.status === "FAILED",
      "failed",
    );
    expect(failed?.last_error).toMatch(/KANIM-ATLANTIS/);
  });

  it("tells LAPOR! each mapped change once, through the outbound queue, retried after refusals", async () => {
    lapor.rule = (nth) => (nth === 1 ? 503 : 200);
    const worked = await received(report());
    const refused = await received(report());
    const other = (await server.gql(CREATE, { input: newTicketInput({ unitCode: "KANIM-MALANG" }) }, directorate)).data
      ?.createTicket.ticket;
    await server.gql(TRIAGE, { input: { ticketId: other.id } }, directorate);
    const ok = (result: { data?: Record<string, any> }) =>
      expect(Object.values(result.data ?? {})[0]?.__typename).toMatch(/Success$/);
    ok(await server.gql(TRIAGE, { input: { ticketId: worked.id } }, directorate));
    ok(
      await server.gql(
        TRANSFER,
        { input: { ticketId: worked.id, unitCode: "KANIM-SURABAYA", reason: "Lokasi kejadian di Surabaya." } },
        directorate,
      ),
    );
    ok(await server.gql(REPLY, { input: { ticketId: worked.id, body: "Laporan sedang kami periksa." } }, directorate));
    ok(
      await server.gql(
        RESOLVE,
        { input: { ticketId: worked.id, resolution: "Petugas telah menertibkan calo." } },
        directorate,
      ),
    );
    ok(await server.gql(REJECT, { input: { ticketId: refused.id, reason: "Urusan kepolisian." } }, directorate));

    const taken = await until(
      () => lapor.taken,
      (calls) =>
        calls.filter((c) => c.trackingId === worked.externalRef).length >= 4 &&
        calls.some((c) => c.trackingId === refused.externalRef),
      "the status calls taken",
    );
    const statuses = (ref: string) =>
      taken
        .filter((call) => call.trackingId === ref)
        .sort((a, b) => a.body.at.localeCompare(b.body.at))
        .map((call) => [call.body.status, call.body.eventType, call.body.text]);
    expect(statuses(worked.externalRef)).toEqual([
      ["VERIFIED", "TRIAGED", null],
      ["DISPOSED", "TRANSFERRED", null],
      ["IN_FOLLOW_UP", "REPLIED", "Laporan sedang kami periksa."],
      ["DONE", "RESOLVED", "Petugas telah menertibkan calo."],
    ]);
    expect(taken.find((call) => call.body.eventType === "TRANSFERRED")?.body.unit).toMatchObject({
      code: "KANIM-SURABAYA",
    });
    expect(statuses(refused.externalRef)).toEqual([["NOT_AUTHORITY", "REJECTED", "Urusan kepolisian."]]);
    // Each call refused once, then taken once; never a second time.
    const keys = new Set(taken.map((call) => call.idempotencyKey));
    expect(keys.size).toBe(taken.length);
    for (const key of keys) {
      expect(lapor.calls.filter((call) => call.idempotencyKey === key).map((call) => call.status)).toEqual([503, 200]);
    }
    // A ticket that did not come from LAPOR! is none of its business.
    const [queued] = await server.app.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbound_message
       WHERE channel = 'SP4N_LAPOR' AND ticket_id = (SELECT id FROM ticket WHERE number = $1)`,
      [other.number],
    );
    expect(queued?.n).toBe(0);
    expect(JSON.stringify(lapor.calls)).not.toContain("siti@contoh.id");
  });
});
