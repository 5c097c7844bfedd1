import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDatabase, targets } from "./support/databases.js";
import { CREATE, NOTE, newTicketInput, REPLY, RESOLVE, TRIAGE } from "./support/documents.js";
import { collect, liveClient } from "./support/live.js";
import { startServer, type TestServer } from "./support/server.js";
import { SMTP_PASSWORD, SmtpPeer } from "./support/smtp-peer.js";

const MESSAGES = /* GraphQL */ `
  query($id: ID!) {
    node(id: $id) {
      ... on Ticket {
        number
        messages { id visibility body delivery { channel status attempts lastError nextAttemptAt deliveredAt } }
      }
    }
  }`;

/** Short retry steps so that a dead letter takes about a second; the rule itself is unit-tested. */
const RETRY_ENV = {
  PANTAU_OUTBOUND_MAX_ATTEMPTS: "5",
  PANTAU_OUTBOUND_RETRY_BASE_MS: "100",
  PANTAU_OUTBOUND_RETRY_MAX_MS: "400",
  PANTAU_OUTBOUND_POLL_MS: "50",
};

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The database id inside a global id (`Ticket:<uuid>`). */
const rowId = (globalId: string) => Buffer.from(globalId, "base64").toString("utf8").split(":")[1];

describe.each(await targets())("outbound delivery by e-mail on %s", (target) => {
  const peer = new SmtpPeer();
  let server: TestServer;
  let agent: string;
  const logged: string[] = [];

  beforeAll(async () => {
    await peer.start();
    server = await startServer(target, {
      onLog: (line) => logged.push(JSON.stringify(line)),
      env: {
        ...RETRY_ENV,
        PANTAU_SMTP_URL: peer.url,
        PANTAU_SMTP_FROM: "Ditjen Imigrasi <pengaduan@imigrasi.test>",
        // Malang's regional office has an account of its own, which its offices send through.
        PANTAU_SMTP_URL__KANWIL_JI: peer.url,
        PANTAU_SMTP_FROM__KANWIL_JI: "Kanwil Jawa Timur <pengaduan@jatim.imigrasi.test>",
      },
    });
    agent = await server.login("agen.malang@pantau.demo");
  });
  afterAll(async () => {
    await server?.stop();
    await peer.stop();
  });
  beforeEach(() => {
    peer.rule = () => null;
  });

  let counter = 0;
  const citizen = (tag: string) => `warga.${tag}.${target}.${Date.now()}.${++counter}@example.id`;

  async function emailTicket(email: string, overrides: Record<string, unknown> = {}) {
    const created = await server.gql(
      CREATE,
      {
        input: newTicketInput({
          channel: "EMAIL",
          subject: "Re: Paspor rusak",
          reporter: { name: "Siti Rahma", email },
          ...overrides,
        }),
      },
      agent,
    );
    expect(created.data?.createTicket.__typename).toBe("CreateTicketSuccess");
    const ticket = created.data?.createTicket.ticket as { id: string; number: string };
    const triaged = await server.gql(TRIAGE, { input: { ticketId: ticket.id } }, agent);
    expect(triaged.data?.triageTicket.__typename).toBe("TriageTicketSuccess");
    return ticket;
  }

  async function send(document: string, input: Record<string, unknown>) {
    const result = await server.gql(document, { input }, agent);
    expect(result.errors).toBeUndefined();
    return Object.values(result.data ?? {})[0] as Record<string, any>;
  }

  const messagesOf = async (id: string, token = agent) =>
    (await server.gql(MESSAGES, { id }, token)).data?.node.messages as {
      visibility: string;
      body: string;
      delivery: null | {
        channel: string;
        status: string;
        attempts: number;
        lastError: string | null;
        nextAttemptAt: string | null;
        deliveredAt: string | null;
      };
    }[];

  it("sends public replies with the ticket number and threading headers; notes stay inside", async () => {
    const email = citizen("thread");
    const ticket = await emailTicket(email);
    // The citizen's own e-mail, as the intake records it: the thread the replies answer.
    const original = `<asli.${Date.now()}.${counter}@mail.example.id>`;
    await server.app.db.sql.query(
      "INSERT INTO email_thread_message (message_id, ticket_id, direction, at) VALUES ($1, $2, 'INBOUND', now() - interval '1 hour')",
      [original, rowId(ticket.id)],
    );
    await send(REPLY, { ticketId: ticket.id, body: "Mohon kirim foto halaman data paspor." });
    await send(NOTE, { ticketId: ticket.id, body: "Catatan internal: jangan dikirim." });
    const first = await until(
      async () => peer.to(email),
      (mails) => mails.length === 1,
      "the first reply",
    );
    await send(RESOLVE, { ticketId: ticket.id, resolution: "Paspor pengganti dapat diambil hari Senin." });
    const mails = await until(
      async () => peer.to(email),
      (all) => all.length === 2,
      "the resolution",
    );
    const [reply, resolution] = mails;
    if (!reply || !resolution || !first[0]) throw new Error("expected two mails");
    const domain = "jatim.imigrasi.test";
    expect(reply.headers.get("subject")).toBe(`Re: Paspor rusak [${ticket.number}]`);
    expect(reply.headers.get("from")).toBe("Kanwil Jawa Timur <pengaduan@jatim.imigrasi.test>");
    expect(reply.headers.get("to")).toBe(email);
    expect(reply.headers.get("x-pantau-ticket")).toBe(ticket.number);
    expect(reply.headers.get("message-id")).toMatch(
      new RegExp(`^<pantau\\.[0-9a-f-]{36}@${domain.replace(/\./g, "\\.")}>$`),
    );
    expect(reply.headers.get("in-reply-to")).toBe(original);
    expect(reply.headers.get("references")).toBe(original);
    expect(reply.body).toContain("Mohon kirim foto halaman data paspor.");
    expect(reply.body).toContain(ticket.number);
    // The resolution answers the reply: a mail client shows one conversation.
    expect(resolution.headers.get("in-reply-to")).toBe(reply.headers.get("message-id"));
    expect(resolution.headers.get("references")).toBe(`${original} ${reply.headers.get("message-id")}`);
    // Both replies joined the thread, where the intake will recognise them as Pantau's own.
    const thread = await server.app.db.sql.query<{ id: string; direction: string }>(
      "SELECT message_id AS id, direction::text FROM email_thread_message WHERE ticket_id = $1 ORDER BY at",
      [rowId(ticket.id)],
    );
    expect(thread).toEqual([
      { id: original, direction: "INBOUND" },
      { id: reply.headers.get("message-id"), direction: "OUTBOUND" },
      { id: resolution.headers.get("message-id"), direction: "OUTBOUND" },
    ]);
    expect(resolution.headers.get("message-id")).not.toBe(reply.headers.get("message-id"));
    expect(peer.received.some((mail) => mail.body.includes("Catatan internal"))).toBe(false);

    const messages = await until(
      () => messagesOf(ticket.id),
      (list) => list.filter((m) => m.delivery?.status === "DELIVERED").length === 2,
      "both deliveries recorded",
    );
    const [replied, note, resolved] = messages;
    expect(replied?.delivery).toMatchObject({ channel: "EMAIL", status: "DELIVERED", attempts: 1, lastError: null });
    expect(replied?.delivery?.nextAttemptAt).toBeNull();
    expect(Date.parse(replied?.delivery?.deliveredAt ?? "")).toBeGreaterThan(Date.now() - 60_000);
    expect(note).toMatchObject({ visibility: "INTERNAL_NOTE", delivery: null });
    expect(resolved?.delivery?.status).toBe("DELIVERED");
  });

  it("names SMTP accounts in its logs by host and port, never with their credentials", async () => {
    expect(logged.some((line) => line.includes("SMTP account of a unit") && line.includes("KANWIL_JI"))).toBe(true);
    expect(logged.some((line) => line.includes(`smtp://127.0.0.1:${peer.port}`))).toBe(true);
    expect(logged.filter((line) => line.includes(SMTP_PASSWORD))).toEqual([]);
  });

  it("sends through the global account for a unit without one of its own", async () => {
    const director = await server.login("direktorat@pantau.demo");
    const email = citizen("global");
    const created = await server.gql(
      CREATE,
      {
        input: newTicketInput({ unitCode: "KANIM-PEMALANG", channel: "WEB_FORM", reporter: { name: "A", email } }),
      },
      director,
    );
    const ticket = created.data?.createTicket.ticket;
    const replied = await server.gql(REPLY, { input: { ticketId: ticket.id, body: "Terima kasih." } }, director);
    expect(replied.data?.replyToTicket.__typename).toBe("ReplyToTicketSuccess");
    const [mail] = await until(
      async () => peer.to(email),
      (mails) => mails.length === 1,
      "the reply",
    );
    expect(mail?.headers.get("from")).toBe("Ditjen Imigrasi <pengaduan@imigrasi.test>");
    expect(mail?.headers.get("message-id")).toMatch(/@imigrasi\.test>$/);
  });

  it("records but does not send replies on channels without a driver or without a contact", async () => {
    const whatsapp = await server.gql(CREATE, { input: newTicketInput({ channel: "WHATSAPP" }) }, agent);
    const noContact = await emailTicket("", { reporter: { name: "Tanpa Kontak", phone: "+62 811 1111 111" } });
    for (const id of [whatsapp.data?.createTicket.ticket.id as string, noContact.id]) {
      await send(REPLY, { ticketId: id, body: "Balasan yang tidak dikirim lewat e-mail." });
      const [message] = await messagesOf(id);
      expect(message).toMatchObject({ visibility: "PUBLIC_REPLY", delivery: null });
      const rows = await server.app.db.sql.query("SELECT 1 FROM outbound_message WHERE ticket_id = $1", [rowId(id)]);
      expect(rows).toHaveLength(0);
    }
  });

  it("writes nothing to the queue when the reply itself is refused", async () => {
    const email = citizen("refused");
    const ticket = await emailTicket(email);
    const tooLong = await server.gql(REPLY, { input: { ticketId: ticket.id, body: "x".repeat(20_001) } }, agent);
    expect(tooLong.data?.replyToTicket.code).toBe("VALIDATION_FAILED");
    await send(RESOLVE, { ticketId: ticket.id, resolution: "Selesai." });
    await send(/* close */ `mutation($input: TicketIdInput!) { closeTicket(input: $input) { __typename } }`, {
      ticketId: ticket.id,
    });
    const closed = await server.gql(REPLY, { input: { ticketId: ticket.id, body: "Terlambat." } }, agent);
    expect(closed.data?.replyToTicket.code).toBe("INVALID_TRANSITION");
    const rows = await server.app.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbound_message WHERE ticket_id = $1",
      [rowId(ticket.id)],
    );
    expect(rows[0]?.n).toBe(1);
  });

  it("retries a refused delivery with back-off, then dead-letters it where the API shows it", async () => {
    const permanent = citizen("refuse5xx");
    const temporary = citizen("refuse4xx");
    peer.rule = (address) =>
      address === permanent
        ? { code: 550, message: `5.1.1 <${permanent}>: mailbox unavailable` }
        : address === temporary
          ? { code: 451, message: "4.3.0 try again later" }
          : null;
    const tickets = [await emailTicket(permanent), await emailTicket(temporary)];
    const startedAt = Date.now();
    for (const ticket of tickets) await send(REPLY, { ticketId: ticket.id, body: "Balasan kami." });
    for (const [ticket, code] of [
      [tickets[0], "550"],
      [tickets[1], "451"],
    ] as const) {
      const [message] = await until(
        () => messagesOf(ticket?.id ?? ""),
        (list) => list[0]?.delivery?.status === "DEAD",
        `the ${code} reply dead-lettered`,
      );
      expect(message?.delivery).toMatchObject({ status: "DEAD", attempts: 5, deliveredAt: null, nextAttemptAt: null });
      expect(message?.delivery?.lastError).toContain(code);
      // The refusal named the citizen's address; the API never does.
      expect(message?.delivery?.lastError).not.toContain("@");
    }
    expect(peer.offered.filter((address) => address === permanent)).toHaveLength(5);
    expect(peer.offered.filter((address) => address === temporary)).toHaveLength(5);
    expect(peer.to(permanent)).toHaveLength(0);
    // Four waits of at least half their step (50, 100, 200, 200 ms): back-off, not a tight loop.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(550);
    // An API key sees the delivery of public replies too, under the same scope rules as the ticket.
    const asKey = await messagesOf(tickets[0]?.id ?? "", server.apiKey);
    expect(asKey[0]?.delivery?.status).toBe("DEAD");
  });

  it("delivers a reply that failed a few times once the peer accepts it", async () => {
    const email = citizen("later");
    let refusals = 2;
    peer.rule = (address) => (address === email && refusals-- > 0 ? { code: 421, message: "4.7.0 busy" } : null);
    const ticket = await emailTicket(email);
    await send(REPLY, { ticketId: ticket.id, body: "Coba lagi." });
    const [message] = await until(
      () => messagesOf(ticket.id),
      (list) => list[0]?.delivery?.status === "DELIVERED",
      "the delivery",
    );
    expect(message?.delivery).toMatchObject({ status: "DELIVERED", attempts: 3, lastError: null });
    expect(peer.to(email)).toHaveLength(1);
  });

  it("takes over a message whose worker stopped mid-send once its lease ends", async () => {
    // Rows as a worker that died during its attempt leaves them: SENDING, under a lease that ends soon. They
    // carry replies of WhatsApp tickets, which queue nothing themselves, so no live worker touches them first.
    const held = async (email: string, attempts: number) => {
      const created = await server.gql(CREATE, { input: newTicketInput({ channel: "WHATSAPP" }) }, agent);
      const ticket = created.data?.createTicket.ticket as { id: string; number: string };
      await send(REPLY, { ticketId: ticket.id, body: "Balasan kami." });
      const [message] = (await server.gql(MESSAGES, { id: ticket.id }, agent)).data?.node.messages ?? [];
      await server.app.db.sql.query(
        `INSERT INTO outbound_message (channel, ticket_id, message_id, unit_id, recipient, payload, idempotency_key,
           status, attempts, lease_owner, lease_until, next_attempt_at)
         SELECT 'EMAIL', t.id, $2::uuid, t.unit_id, $3, $4::jsonb, 'test:' || $2, 'SENDING', $5, 'stopped-instance',
           now() + interval '1500 milliseconds', now() + interval '1500 milliseconds'
         FROM ticket t WHERE t.id = $1::uuid`,
        [
          rowId(ticket.id),
          message.id,
          email,
          JSON.stringify({
            subject: `Re: Uji [${ticket.number}]`,
            text: "Balasan kami.",
            messageId: `<lease.${message.id}@jatim.imigrasi.test>`,
            inReplyTo: null,
            references: [],
            ticketNumber: ticket.number,
          }),
          attempts,
        ],
      );
      return ticket;
    };
    const email = citizen("lease");
    const lastTry = citizen("lease-last");
    const taken = await held(email, 1);
    const last = await held(lastTry, 5);
    expect((await messagesOf(taken.id))[0]?.delivery).toMatchObject({ status: "SENDING", attempts: 1 });
    const [delivered] = await until(
      () => messagesOf(taken.id),
      (list) => list[0]?.delivery?.status === "DELIVERED",
      "the delivery after the lease",
    );
    expect(delivered?.delivery?.attempts).toBe(2);
    expect(peer.to(email)).toHaveLength(1);
    expect(peer.to(email)[0]?.headers.get("message-id")).toMatch(/^<lease\./);
    // Its fifth and last attempt's outcome is unknown: it is dead-lettered, saying so, not sent a sixth time.
    const [unknown] = await until(
      () => messagesOf(last.id),
      (list) => list[0]?.delivery?.status === "DEAD",
      "the dead letter after the last lease",
    );
    expect(unknown?.delivery).toMatchObject({ attempts: 6, deliveredAt: null });
    expect(unknown?.delivery?.lastError).toMatch(/interrupted/);
    expect(peer.offered).not.toContain(lastTry);
  });

  it("delivers exactly once after the receiving side was down, and keeps serving meanwhile", async () => {
    const email = citizen("down");
    const ticket = await emailTicket(email);
    await peer.stop();
    // A detail page watching the ticket sees the delivery land, though that is no ticket event.
    const live = liveClient(server.url, agent);
    const watched = collect<{ messages: { delivery: { status: string; attempts: number } | null }[] }>(
      live,
      "subscription($id: ID!) { ticket(id: $id) { messages { delivery { status attempts } } } }",
      { id: ticket.id },
      "ticket",
    );
    try {
      try {
        await send(REPLY, { ticketId: ticket.id, body: "Dikirim setelah server surat kembali." });
        const [failing] = await until(
          () => messagesOf(ticket.id),
          (list) => (list[0]?.delivery?.attempts ?? 0) >= 2,
          "two failed attempts",
        );
        expect(failing?.delivery?.status).toMatch(/^(FAILED|SENDING)$/);
        expect(failing?.delivery?.lastError).toMatch(/ECONNREFUSED|connect/i);
        // The server answers while its deliveries fail.
        expect((await fetch(`${server.url}/health`)).status).toBe(200);
        expect((await fetch(`${server.url}/ready`)).status).toBe(200);
        const other = await emailTicket(citizen("meanwhile"));
        expect(other.number).toMatch(/^IMI-/);
        await watched.waitFor(
          (items) => items.some((item) => (item.messages[0]?.delivery?.attempts ?? 0) >= 2),
          10_000,
          "a failed attempt on the live ticket",
        );
      } finally {
        await peer.start();
      }
      await watched.waitFor(
        (items) => items.some((item) => item.messages[0]?.delivery?.status === "DELIVERED"),
        20_000,
        "the delivered state on the live ticket",
      );
    } finally {
      watched.stop();
      await live.dispose();
    }
    const [delivered] = await messagesOf(ticket.id);
    expect(delivered?.delivery?.status).toBe("DELIVERED");
    expect(delivered?.delivery?.lastError).toBeNull();
    await pause(500);
    expect(peer.to(email)).toHaveLength(1);
    // Failed attempts were logged without the account's credentials or the citizen's address.
    const failures = logged.filter((line) => line.includes("outbound attempt failed"));
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.filter((line) => line.includes(SMTP_PASSWORD) || line.includes(email))).toEqual([]);
  });
});

describe.runIf((await targets()).includes("postgres"))("outbound delivery from two instances on one PostgreSQL", () => {
  const peer = new SmtpPeer();
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let a: TestServer;
  let b: TestServer;
  const attempted = { a: 0, b: 0 };

  beforeAll(async () => {
    await peer.start();
    database = await createDatabase();
    const env = {
      ...RETRY_ENV,
      PANTAU_SMTP_URL: peer.url,
      PANTAU_SMTP_FROM: "pengaduan@imigrasi.test",
      PANTAU_OUTBOUND_CONCURRENCY: "4",
    };
    const counting = (which: "a" | "b") => ({
      logLevel: "debug",
      onLog: (line: Record<string, any>) => {
        if (line.msg === "outbound messages attempted") attempted[which] += line.handled;
      },
    });
    a = await startServer("postgres", { databaseUrl: database.url, env, ...counting("a") });
    b = await startServer("postgres", { databaseUrl: database.url, env, ...counting("b") });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await database?.drop();
    await peer.stop();
  });

  it("delivers each message once while both instances take from the queue", async () => {
    const tokens = [await a.login("agen.malang@pantau.demo"), await b.login("agen.malang@pantau.demo")];
    const servers = [a, b];
    const stamp = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const server = servers[i % 2] as TestServer;
      const token = tokens[i % 2] as string;
      const created = await server.gql(
        CREATE,
        {
          input: newTicketInput({ channel: "EMAIL", reporter: { name: "W", email: `warga.${stamp}.${i}@example.id` } }),
        },
        token,
      );
      ids.push(created.data?.createTicket.ticket.id);
    }
    await Promise.all(
      ids.map((id, i) =>
        (servers[i % 2] as TestServer).gql(REPLY, { input: { ticketId: id, body: `Balasan ${i}` } }, tokens[i % 2]),
      ),
    );
    await until(
      () =>
        a.app.db.sql.query<{ status: string; attempts: number; error: string | null; n: number }>(
          `SELECT status::text, attempts, last_error AS error, count(*)::int AS n
           FROM outbound_message GROUP BY 1, 2, 3 ORDER BY 1, 2`,
        ),
      (rows) => rows.length === 1 && rows[0]?.status === "DELIVERED" && rows[0]?.n === 40,
      "40 deliveries",
      60_000,
    );
    await pause(500);
    const mine = peer.received.filter((mail) => mail.to[0]?.startsWith(`warga.${stamp}.`));
    expect(mine).toHaveLength(40);
    expect(new Set(mine.map((mail) => mail.headers.get("message-id"))).size).toBe(40);
    // Both instances took part: each wakes its own worker when its replies commit.
    expect(attempted.a).toBeGreaterThan(0);
    expect(attempted.b).toBeGreaterThan(0);
    expect(attempted.a + attempted.b).toBe(40);
  });
});
