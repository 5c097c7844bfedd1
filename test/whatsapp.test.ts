import { createHmac } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDatabase, targets } from "./support/databases.js";
import { ASSIGN, REPLY, WAIT } from "./support/documents.js";
import { GRAPH_TOKEN, GraphFake, messagesWebhook, statusWebhook } from "./support/graph-fake.js";
import { collect, liveClient } from "./support/live.js";
import { startServer, type TestServer } from "./support/server.js";

const APP_SECRET = "rahasia-aplikasi-meta-uji";
const VERIFY_TOKEN = "token-verifikasi-uji";
const MALANG_NUMBER = "106540352242922";
const UNMAPPED_NUMBER = "106540352299999";

const TICKET = /* GraphQL */ `
  query($number: String!) {
    ticket(number: $number) {
      id number subject description channel status unit { code } reporter { name phone }
      messages {
        visibility body author { name }
        delivery { channel status attempts lastError deliveredAt readAt }
      }
      events(first: 50) { edges { node { type actorLabel } } }
    }
  }`;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sign = (body: string, secret = APP_SECRET) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** The channel's configuration in the tests, with short retry steps (the rules themselves are unit-tested). */
const whatsAppEnv = (graphUrl: string) => ({
  PANTAU_WHATSAPP_APP_SECRET: APP_SECRET,
  PANTAU_WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
  PANTAU_WHATSAPP_ACCESS_TOKEN: GRAPH_TOKEN,
  PANTAU_WHATSAPP_GRAPH_URL: graphUrl,
  PANTAU_WHATSAPP_PHONE_NUMBERS: `${MALANG_NUMBER}=KANIM-MALANG`,
  PANTAU_WHATSAPP_TEMPLATE: "pantau_balasan_tiket",
  PANTAU_WHATSAPP_TEMPLATE_LANGUAGE: "id",
  PANTAU_WHATSAPP_MAX_BODY_BYTES: "65536",
  PANTAU_OUTBOUND_MAX_ATTEMPTS: "5",
  PANTAU_OUTBOUND_RETRY_BASE_MS: "100",
  PANTAU_OUTBOUND_RETRY_MAX_MS: "400",
  PANTAU_OUTBOUND_POLL_MS: "50",
  PANTAU_INBOUND_POLL_MS: "100",
});

describe.each(await targets())("WhatsApp Business channel on %s", (target) => {
  const graph = new GraphFake();
  let server: TestServer;
  let agent: string;
  let counter = 0;
  /** A citizen of this run: a number and a name no other test uses. */
  const citizen = () => {
    counter += 1;
    return {
      waId: `628${target === "postgres" ? 1 : 2}${String(Date.now()).slice(-7)}${counter}`,
      name: `Warga ${counter}`,
    };
  };
  const wamid = () => `wamid.test.${target}.${Date.now()}.${++counter}`;

  beforeAll(async () => {
    await graph.start();
    server = await startServer(target, { env: whatsAppEnv(graph.url) });
    agent = await server.login("agen.malang@pantau.demo");
  });
  afterAll(async () => {
    await server?.stop();
    await graph.stop();
  });
  beforeEach(() => {
    graph.rule = () => null;
  });

  const post = (body: string, headers: Record<string, string> = { "x-hub-signature-256": sign(body) }) =>
    fetch(`${server.url}/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });

  const inbound = (externalId: string) =>
    server.app.db.sql.query<{
      status: string;
      ticket_id: string | null;
      last_error: string | null;
      payload: string | null;
    }>("SELECT status::text, ticket_id, last_error, payload FROM inbound_message WHERE external_id = $1", [externalId]);

  /** Sends a citizen's message and waits until it has been handled; returns its ticket's number. */
  async function receive(from: { waId: string; name: string }, message: Record<string, unknown>, id = wamid()) {
    const body = JSON.stringify(messagesWebhook(MALANG_NUMBER, from, [{ id, ...message }]));
    const response = await post(body);
    expect(response.status).toBe(200);
    const [row] = await until(
      () => inbound(id),
      (rows) => rows[0]?.status !== undefined && rows[0].status !== "RECEIVED",
      "the message handled",
    );
    expect(row).toMatchObject({ status: "PROCESSED", last_error: null, payload: null });
    const [ticket] = await server.app.db.sql.query<{ number: string }>("SELECT number FROM ticket WHERE id = $1", [
      row?.ticket_id,
    ]);
    return ticket?.number as string;
  }

  const ticketOf = async (number: string) => (await server.gql(TICKET, { number }, agent)).data?.ticket;

  it("answers Meta's verification handshake only with the configured token", async () => {
    const handshake = (query: string) => fetch(`${server.url}/webhooks/whatsapp?${query}`);
    const ok = await handshake(`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    for (const query of [
      "hub.mode=subscribe&hub.verify_token=salah&hub.challenge=1",
      `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
      `hub.mode=subscribe&hub.challenge=1`,
      `hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=<script>`,
    ]) {
      expect((await handshake(query)).status, query).toBe(403);
    }
  });

  it("refuses a missing or forged signature and stores nothing", async () => {
    const id = wamid();
    const body = JSON.stringify(
      messagesWebhook(MALANG_NUMBER, citizen(), [{ id, type: "text", text: { body: "Halo" } }]),
    );
    expect((await post(body, {})).status).toBe(401);
    expect((await post(body, { "x-hub-signature-256": sign(body, "rahasia-lain") })).status).toBe(403);
    expect((await post(body, { "x-hub-signature-256": "sha256=00" })).status).toBe(403);
    // Signed, then altered: the signature is of the raw bytes.
    expect((await post(body.replace("Halo", "Hallo"), { "x-hub-signature-256": sign(body) })).status).toBe(403);
    expect(await inbound(id)).toEqual([]);
  });

  it("opens a ticket from a text message, live on the unit's event stream, and threads the next message into it", async () => {
    const from = citizen();
    const client = liveClient(server.url, agent);
    const live = collect<{ type: string; ticket: { number: string; channel: string } }>(
      client,
      `subscription { ticketEvents(unitCode: "KANIM-MALANG") { type ticket { number channel } } }`,
      {},
      "ticketEvents",
    );
    try {
      // The stream is open once the server has sent the first event or a moment has passed.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const first = wamid();
      const number = await receive(from, { type: "text", text: { body: "Paspor saya rusak terkena banjir" } }, first);
      const ticket = await ticketOf(number);
      expect(ticket).toMatchObject({
        subject: "WhatsApp: Paspor saya rusak terkena banjir",
        description: "Paspor saya rusak terkena banjir",
        channel: "WHATSAPP",
        status: "NEW",
        unit: { code: "KANIM-MALANG" },
        reporter: { name: from.name, phone: `+${from.waId}` },
      });
      expect(ticket.events.edges[0].node).toMatchObject({ type: "CREATED", actorLabel: "channel:whatsapp" });
      await live.waitFor(
        (events) => events.some((event) => event.type === "CREATED" && event.ticket.number === number),
        15_000,
        "the new ticket on the live stream",
      );

      // Meta redelivers the same message: nothing new.
      const replayed = JSON.stringify(
        messagesWebhook(MALANG_NUMBER, from, [
          { id: first, type: "text", text: { body: "Paspor saya rusak terkena banjir" } },
        ]),
      );
      expect((await post(replayed)).status).toBe(200);
      expect(await inbound(first)).toHaveLength(1);

      const second = await receive(from, { type: "text", text: { body: "Ini nomor paspor saya: C1234567" } });
      expect(second).toBe(number);
      const after = await ticketOf(number);
      expect(after.messages).toEqual([
        { visibility: "CITIZEN", body: "Ini nomor paspor saya: C1234567", author: null, delivery: null },
      ]);
      expect(after.events.edges.map((edge: { node: { type: string } }) => edge.node.type)).toContain("CITIZEN_MESSAGE");
      const [row] = await server.app.db.sql.query<{ tickets: number }>(
        "SELECT count(DISTINCT ticket_id)::int AS tickets FROM inbound_message WHERE sender = $1",
        [from.waId],
      );
      expect(row?.tickets).toBe(1);
      await live.waitFor(
        (events) => events.some((event) => event.type === "CITIZEN_MESSAGE" && event.ticket.number === number),
        15_000,
        "the citizen's message on the live stream",
      );
    } finally {
      live.stop();
      await client.dispose();
    }
  });

  it("turns media and interactive replies into messages that name what was sent", async () => {
    const from = citizen();
    const number = await receive(from, {
      type: "image",
      image: { id: "1479537139650973", mime_type: "image/jpeg", sha256: "q1w2e3", caption: "Foto paspor rusak" },
    });
    await receive(from, {
      type: "interactive",
      interactive: { type: "button_reply", button_reply: { id: "ya", title: "Ya, benar" } },
    });
    const ticket = await ticketOf(number);
    expect(ticket.description).toBe("Foto paspor rusak\n[Gambar / image, image/jpeg, WhatsApp media 1479537139650973]");
    expect(ticket.messages.map((m: { body: string }) => m.body)).toEqual(["Ya, benar"]);
  });

  it("records, without a ticket, a reaction and a message to a number mapped to no unit", async () => {
    const from = citizen();
    const reaction = wamid();
    await post(
      JSON.stringify(
        messagesWebhook(MALANG_NUMBER, from, [
          { id: reaction, type: "reaction", reaction: { message_id: "wamid.x", emoji: "👍" } },
        ]),
      ),
    );
    const stray = wamid();
    await post(
      JSON.stringify(messagesWebhook(UNMAPPED_NUMBER, from, [{ id: stray, type: "text", text: { body: "Halo" } }])),
    );
    const settled = (id: string) =>
      until(
        () => inbound(id),
        (rows) => rows[0]?.status === "IGNORED",
        `${id} ignored`,
      );
    expect((await settled(reaction))[0]?.last_error).toContain("reaction messages are not turned into tickets");
    expect((await settled(stray))[0]?.last_error).toContain(
      `${UNMAPPED_NUMBER} is not in PANTAU_WHATSAPP_PHONE_NUMBERS`,
    );
    expect((await inbound(stray))[0]?.ticket_id).toBeNull();
  });

  it("sends a typed reply as text within the 24-hour window, and shows its receipts as DELIVERED then READ", async () => {
    const from = citizen();
    const number = await receive(from, { type: "text", text: { body: "Kapan kuota M-Paspor dibuka?" } });
    const { id } = await ticketOf(number);
    const replied = await server.gql(
      REPLY,
      { input: { ticketId: id, body: "Kuota dibuka setiap Jumat pukul 15.00 WIB." } },
      agent,
    );
    expect(replied.data?.replyToTicket.__typename).toBe("ReplyToTicketSuccess");
    const [send] = await until(
      async () => graph.accepted(from.waId),
      (sends) => sends.length === 1,
      "the reply at Graph",
    );
    expect(send).toMatchObject({
      phoneNumberId: MALANG_NUMBER,
      body: {
        messaging_product: "whatsapp",
        to: from.waId,
        type: "text",
        text: { body: "Kuota dibuka setiap Jumat pukul 15.00 WIB." },
      },
    });
    const delivery = async () =>
      (await ticketOf(number)).messages.find((m: { visibility: string }) => m.visibility === "PUBLIC_REPLY")?.delivery;
    await until(delivery, (d) => d?.status === "SENT", "SENT");

    const receipt = (status: string) =>
      post(
        JSON.stringify(
          statusWebhook(MALANG_NUMBER, {
            wamid: send?.wamid as string,
            status,
            to: from.waId,
            callback: send?.body.biz_opaque_callback_data,
          }),
        ),
      );
    expect((await receipt("delivered")).status).toBe(200);
    const delivered = await until(delivery, (d) => d?.status === "DELIVERED", "DELIVERED");
    expect(delivered).toMatchObject({ channel: "WHATSAPP", attempts: 1, lastError: null, readAt: null });
    expect(delivered.deliveredAt).not.toBeNull();
    await receipt("read");
    // A late or repeated "delivered" does not move it back.
    await receipt("delivered");
    const read = await until(delivery, (d) => d?.status === "READ", "READ");
    expect(read.readAt).not.toBeNull();
    expect((await delivery()).status).toBe("READ");
  });

  it("sends the configured template once the citizen's last message is more than 24 hours old", async () => {
    const from = citizen();
    const number = await receive(from, { type: "text", text: { body: "Permohonan ITAS saya belum diproses" } });
    await server.app.db.sql.query(
      "UPDATE inbound_message SET sent_at = now() - interval '25 hours', received_at = now() - interval '25 hours' WHERE sender = $1",
      [from.waId],
    );
    const { id } = await ticketOf(number);
    await server.gql(REPLY, { input: { ticketId: id, body: "Mohon lampirkan sponsor." } }, agent);
    const [send] = await until(
      async () => graph.accepted(from.waId),
      (sends) => sends.length === 1,
      "the template at Graph",
    );
    expect(send?.body).toMatchObject({
      type: "template",
      template: {
        name: "pantau_balasan_tiket",
        language: { code: "id" },
        components: [{ type: "body", parameters: [{ type: "text", text: number }] }],
      },
    });
    expect(send?.body.text).toBeUndefined();
  });

  it("retries a Graph 500 and a 429 (after its Retry-After), then sends once", async () => {
    const from = citizen();
    const number = await receive(from, { type: "text", text: { body: "Antrean di kantor panjang sekali" } });
    const answers = [
      { status: 500, body: { error: { message: "An unknown error occurred", type: "OAuthException", code: 1 } } },
      {
        status: 429,
        body: { error: { message: "(#130429) Rate limit hit", type: "OAuthException", code: 130429 } },
        headers: { "retry-after": "1" },
      },
    ];
    graph.rule = (send) => (send.body.to === from.waId ? (answers.shift() ?? null) : null);
    const { id } = await ticketOf(number);
    await server.gql(REPLY, { input: { ticketId: id, body: "Mohon maaf atas antreannya." } }, agent);
    const delivery = async () => (await ticketOf(number)).messages[0]?.delivery;
    const sent = await until(delivery, (d) => d?.status === "SENT", "sent after retries");
    expect(sent).toMatchObject({ attempts: 3, lastError: null });
    const tries = graph.sends.filter((send) => send.body.to === from.waId);
    expect(tries).toHaveLength(3);
    expect(graph.accepted(from.waId)).toHaveLength(1);
    // The same outbound row on every try.
    expect(new Set(tries.map((t) => t.body.biz_opaque_callback_data)).size).toBe(1);
  });

  it("dead-letters a reply Graph refuses for good, with Graph's error in lastError", async () => {
    const from = citizen();
    const number = await receive(from, { type: "text", text: { body: "Saya ingin melapor calo" } });
    graph.rule = (send) =>
      send.body.to === from.waId
        ? {
            status: 400,
            body: {
              error: {
                message: "Message undeliverable",
                type: "OAuthException",
                code: 131026,
                error_data: {
                  messaging_product: "whatsapp",
                  details: `Recipient ${from.waId} cannot receive this message`,
                },
              },
            },
          }
        : null;
    const { id } = await ticketOf(number);
    await server.gql(REPLY, { input: { ticketId: id, body: "Terima kasih atas laporannya." } }, agent);
    const dead = await until(
      async () => (await ticketOf(number)).messages[0]?.delivery,
      (d) => d?.status === "DEAD",
      "DEAD",
    );
    expect(dead.attempts).toBe(1);
    expect(dead.lastError).toContain("Graph API 400 (#131026): Message undeliverable");
    expect(dead.lastError).not.toContain(from.waId);
  });

  it("keeps a signed body that is not JSON as a failed item, once, and goes on serving", async () => {
    const body = '{"object":"whatsapp_business_account","entry":[{"changes":[';
    const first = await post(body);
    expect(first.status).toBe(200);
    expect((await post(body)).status).toBe(200);
    const rows = await server.app.db.sql.query<{ status: string; last_error: string; payload: string }>(
      "SELECT status::text, last_error, payload FROM inbound_message WHERE payload = $1",
      [body],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe("FAILED");
    expect(rows[0]?.last_error).toMatch(/^malformed JSON: /);
    // Signed JSON of the wrong shape is kept too, with what was wrong.
    const wrong = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ changes: [{ field: "messages", value: { messages: [{ type: "text" }] } }] }],
    });
    expect((await post(wrong)).status).toBe(200);
    const [kept] = await server.app.db.sql.query<{ last_error: string }>(
      "SELECT last_error FROM inbound_message WHERE payload = $1",
      [wrong],
    );
    expect(kept?.last_error).toContain("messages[0]: needs id, from and metadata.phone_number_id");
    const still = await receive(citizen(), { type: "text", text: { body: "Masih melayani?" } });
    expect(still).toMatch(/^IMI-/);
  });

  it("takes a waiting ticket back to work when the citizen answers", async () => {
    const from = citizen();
    const number = await receive(from, { type: "text", text: { body: "Paspor hilang di bandara" } });
    const { id } = await ticketOf(number);
    const viewer = await server.gql(`{ viewer { user { id } } }`, {}, agent);
    const triage = await server.gql(
      `mutation($input: TriageTicketInput!) { triageTicket(input: $input) { __typename } }`,
      { input: { ticketId: id } },
      agent,
    );
    expect(triage.data?.triageTicket.__typename).toBe("TriageTicketSuccess");
    const assigned = await server.gql(
      ASSIGN,
      { input: { ticketId: id, assigneeId: viewer.data?.viewer.user.id } },
      agent,
    );
    expect(assigned.data?.assignTicket.__typename).toBe("AssignTicketSuccess");
    const waiting = await server.gql(
      WAIT,
      { input: { ticketId: id, reason: "Menunggu surat kehilangan dari kepolisian" } },
      agent,
    );
    expect(waiting.data?.waitOnCitizen.ticket.status).toBe("WAITING_ON_CITIZEN");
    expect(await receive(from, { type: "text", text: { body: "Surat kehilangan sudah saya dapat" } })).toBe(number);
    expect((await ticketOf(number)).status).toBe("IN_PROGRESS");
  });

  it("opens a new ticket when the citizen writes again after their ticket was resolved", async () => {
    const from = citizen();
    const first = await receive(from, { type: "text", text: { body: "Berapa biaya paspor elektronik?" } });
    const { id } = await ticketOf(first);
    await server.gql(
      `mutation($input: TriageTicketInput!) { triageTicket(input: $input) { __typename } }`,
      { input: { ticketId: id } },
      agent,
    );
    const resolved = await server.gql(
      `mutation($input: ResolveTicketInput!) { resolveTicket(input: $input) { __typename } }`,
      { input: { ticketId: id, resolution: "Biaya paspor elektronik Rp650.000." } },
      agent,
    );
    expect(resolved.data?.resolveTicket.__typename).toBe("ResolveTicketSuccess");
    const second = await receive(from, { type: "text", text: { body: "Pertanyaan lain: visa kunjungan" } });
    expect(second).not.toBe(first);
  });

  it("handles a message whose webhook committed just before a crash, at the next sweep", async () => {
    const from = citizen();
    const id = wamid();
    const stored = {
      id,
      phoneNumberId: MALANG_NUMBER,
      from: from.waId,
      profileName: from.name,
      sentAt: new Date().toISOString(),
      message: { id, from: from.waId, type: "text", text: { body: "Pesan sebelum server mati" } },
    };
    // As the webhook leaves it, with a lease a processor that died held and never released.
    await server.app.db.sql.query(
      `INSERT INTO inbound_message (channel, external_id, account, sender, sent_at, payload, attempts, lease_owner, lease_until)
       VALUES ('WHATSAPP', $1, $2, $3, now(), $4, 1, 'crashed', now() - interval '1 second')`,
      [id, MALANG_NUMBER, from.waId, JSON.stringify(stored)],
    );
    const [row] = await until(
      () => inbound(id),
      (rows) => rows[0]?.status === "PROCESSED",
      "the sweep",
    );
    expect(row?.ticket_id).not.toBeNull();
  });

  it("shows a failed receipt as not delivered, with Meta's reason", async () => {
    const from = citizen();
    const number = await receive(from, { type: "text", text: { body: "Kapan paspor saya jadi?" } });
    const { id } = await ticketOf(number);
    await server.gql(REPLY, { input: { ticketId: id, body: "Paspor dapat diambil besok." } }, agent);
    const [send] = await until(
      async () => graph.accepted(from.waId),
      (sends) => sends.length === 1,
      "the reply",
    );
    await until(
      async () => (await ticketOf(number)).messages[0]?.delivery,
      (d) => d?.status === "SENT",
      "SENT",
    );
    // As Meta sends it: with the callback data the send carried.
    const failed = statusWebhook(MALANG_NUMBER, {
      wamid: send?.wamid as string,
      status: "failed",
      to: from.waId,
      callback: send?.body.biz_opaque_callback_data,
      errors: [{ code: 131049, title: "This message was not delivered to maintain healthy ecosystem engagement." }],
    });
    expect((await post(JSON.stringify(failed))).status).toBe(200);
    const dead = await until(
      async () => (await ticketOf(number)).messages[0]?.delivery,
      (d) => d?.status === "DEAD",
      "DEAD",
    );
    expect(dead.lastError).toBe("131049 This message was not delivered to maintain healthy ecosystem engagement.");
  });

  it("refuses a body over the size limit before reading it", async () => {
    const body = JSON.stringify({ object: "whatsapp_business_account", entry: [], pad: "x".repeat(70_000) });
    const response = await post(body);
    expect(response.status).toBe(413);
  });
});

describe.runIf((await targets()).includes("postgres"))("WhatsApp intake on two instances of one PostgreSQL", () => {
  const graph = new GraphFake();
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    await graph.start();
    database = await createDatabase();
    a = await startServer("postgres", { databaseUrl: database.url, env: whatsAppEnv(graph.url) });
    b = await startServer("postgres", { databaseUrl: database.url, env: whatsAppEnv(graph.url) });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await database?.drop();
    await graph.stop();
  });

  it("opens one ticket per citizen when their messages reach both instances at once", async () => {
    const stamp = String(Date.now()).slice(-6);
    const citizens = Array.from({ length: 8 }, (_, i) => ({ waId: `62877${stamp}${i}`, name: `Warga ${i}` }));
    const posts: Promise<Response>[] = [];
    for (let round = 0; round < 3; round++) {
      citizens.forEach((from, i) => {
        const body = JSON.stringify(
          messagesWebhook(MALANG_NUMBER, from, [
            {
              id: `wamid.pair.${stamp}.${i}.${round}`,
              type: "text",
              text: { body: `Pesan ${round + 1} dari warga ${i}` },
            },
          ]),
        );
        const server = (i + round) % 2 === 0 ? a : b;
        posts.push(
          fetch(`${server.url}/webhooks/whatsapp`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-hub-signature-256": sign(body) },
            body,
          }),
        );
      });
    }
    expect((await Promise.all(posts)).map((response) => response.status)).toEqual(posts.map(() => 200));
    const rows = await until(
      () =>
        a.app.db.sql.query<{ sender: string; status: string; ticket_id: string | null; message_id: string | null }>(
          "SELECT sender, status::text, ticket_id, message_id FROM inbound_message WHERE external_id LIKE $1",
          [`wamid.pair.${stamp}.%`],
        ),
      (all) => all.length === 24 && all.every((row) => row.status === "PROCESSED"),
      "24 messages handled",
      60_000,
    );
    for (const from of citizens) {
      const mine = rows.filter((row) => row.sender === from.waId);
      expect(new Set(mine.map((row) => row.ticket_id)).size, from.waId).toBe(1);
      expect(mine.filter((row) => row.message_id !== null)).toHaveLength(2);
    }
    const [{ tickets }] = (await a.app.db.sql.query<{ tickets: number }>(
      "SELECT count(*)::int AS tickets FROM ticket WHERE reporter_phone LIKE $1",
      [`+62877${stamp}%`],
    )) as [{ tickets: number }];
    expect(tickets).toBe(8);
  });
});
