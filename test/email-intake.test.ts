import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, targets } from "./support/databases.js";
import { REPLY } from "./support/documents.js";
import { Dovecot, dovecotBinary, type MailUser } from "./support/dovecot.js";
import { startServer, type TestServer } from "./support/server.js";
import { SmtpPeer } from "./support/smtp-peer.js";

const unavailable = dovecotBinary() ? null : "dovecot is not installed (apt-get install dovecot-imapd)";
if (unavailable) {
  process.stdout.write(`\n${"!".repeat(78)}\n!! E-mail intake tests SKIPPED: ${unavailable}.\n${"!".repeat(78)}\n`);
  if (process.env.REQUIRE_DOVECOT === "1") throw new Error(`REQUIRE_DOVECOT=1 but ${unavailable}`);
}

const TICKET = /* GraphQL */ `
  query($number: String!) {
    ticket(number: $number) {
      id number subject description channel status unit { code } reporter { name email }
      messages { visibility body delivery { channel status } attachments { filename stored } }
      attachments { filename contentType sizeBytes sha256 stored refusedReason }
      events(first: 50) { edges { node { type actorLabel } } }
    }
  }`;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** An RFC 5322 message with CRLF line ends. */
function mail(headers: Record<string, string>, body: string): string {
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join("\r\n");
  return `${head}\r\n\r\n${body.replace(/\r?\n/g, "\r\n")}`;
}

const base64Lines = (content: Buffer) => (content.toString("base64").match(/.{1,76}/g) ?? []).join("\r\n");

/** A multipart/mixed message: the text, then each file. */
function withFiles(
  headers: Record<string, string>,
  text: string,
  files: { name: string; type: string; content: Buffer }[],
): string {
  const boundary = "=_pantau_uji_batas";
  const parts = [
    `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${text}\r\n`,
    ...files.map(
      (file) =>
        `--${boundary}\r\nContent-Type: ${file.type}; name="${file.name}"\r\nContent-Disposition: attachment; filename="${file.name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(file.content)}\r\n`,
    ),
  ];
  return mail(
    { ...headers, "MIME-Version": "1.0", "Content-Type": `multipart/mixed; boundary="${boundary}"` },
    `${parts.join("")}--${boundary}--\r\n`,
  );
}

const MAILBOXES: Record<string, MailUser> = {
  pglite: { user: "pengaduan.malang.pglite", password: "sandi-imap-uji-1" },
  postgres: { user: "pengaduan.malang.postgres", password: "sandi-imap-uji-2" },
};

const TARGETS = await targets();

describe.skipIf(unavailable !== null)("e-mail intake by IMAP", () => {
  const dovecot = new Dovecot(Object.values(MAILBOXES));
  beforeAll(async () => {
    await dovecot.start();
  });
  afterAll(async () => {
    await dovecot.destroy();
  });

  describe.each(TARGETS)("on %s", (target) => {
    const mailbox = MAILBOXES[target] as MailUser;
    const peer = new SmtpPeer();
    const logged: Record<string, any>[] = [];
    let server: TestServer;
    let agent: string;
    let counter = 0;
    const account = () => `${mailbox.user}@127.0.0.1:${dovecot.port}/INBOX`;
    const messageId = (tag: string) => `<${tag}.${target}.${Date.now()}.${++counter}@warga.example.id>`;
    const citizen = (tag: string) => `${tag}.${target}.${Date.now()}.${++counter}@warga.example.id`;

    beforeAll(async () => {
      await peer.start();
      server = await startServer(target, {
        onLog: (line) => logged.push(line),
        env: {
          PANTAU_IMAP_URL__KANIM_MALANG: dovecot.url(mailbox),
          // A regional office whose mail server is not there: retried with back-off, never in the way.
          PANTAU_IMAP_URL__KANWIL_JI: "imap://pengaduan.jatim:sandi-tak-terbaca@127.0.0.1:9/INBOX",
          PANTAU_IMAP_POLL_MS: "200",
          PANTAU_IMAP_RETRY_BASE_MS: "100",
          PANTAU_IMAP_RETRY_MAX_MS: "800",
          PANTAU_IMAP_MAX_MESSAGE_BYTES: String(5 * 1024 * 1024),
          PANTAU_EMAIL_MAX_ATTACHMENT_BYTES: "65536",
          PANTAU_INBOUND_POLL_MS: "100",
          PANTAU_SMTP_URL__KANIM_MALANG: peer.url,
          PANTAU_SMTP_FROM__KANIM_MALANG: "Kantor Imigrasi Malang <pengaduan@malang.imigrasi.test>",
          PANTAU_OUTBOUND_POLL_MS: "50",
        },
      });
      agent = await server.login("agen.malang@pantau.demo");
    });
    afterAll(async () => {
      await server?.stop();
      await peer.stop();
    });

    const inbound = (id: string) =>
      server.app.db.sql.query<{
        status: string;
        ticket_id: string | null;
        message_id: string | null;
        last_error: string | null;
        payload: string | null;
      }>(
        "SELECT status::text, ticket_id, message_id, last_error, payload FROM inbound_message WHERE channel = 'EMAIL' AND external_id = $1",
        [`${account()} ${id}`],
      );

    /** Waits until the message with this Message-ID has been handled; returns its row. */
    const handled = async (id: string) => {
      const [row] = await until(
        () => inbound(id),
        (rows) => rows[0] !== undefined && rows[0].status !== "RECEIVED",
        `the e-mail ${id} handled`,
      );
      return row as NonNullable<typeof row>;
    };
    const numberOf = async (ticketId: string | null) =>
      (await server.app.db.sql.query<{ number: string }>("SELECT number FROM ticket WHERE id = $1", [ticketId]))[0]
        ?.number as string;
    const ticketOf = async (number: string) => (await server.gql(TICKET, { number }, agent)).data?.ticket;

    it("opens a ticket from a new e-mail, keeps allowed attachments, and stores a redelivered message once", async () => {
      const from = citizen("siti");
      const id = messageId("baru");
      const pdf = Buffer.from("%PDF-1.4\n% surat pernyataan kehilangan paspor\n%%EOF\n");
      const source = withFiles(
        {
          From: `Siti Rahma <${from}>`,
          To: "pengaduan@malang.imigrasi.test",
          Subject: "Paspor hilang di Malang",
          Date: new Date().toUTCString(),
          "Message-ID": id,
        },
        "Selamat siang,\nPaspor saya hilang kemarin. Apa yang harus saya lakukan?",
        [
          { name: "surat-kehilangan.pdf", type: "application/pdf", content: pdf },
          { name: "foto-besar.png", type: "image/png", content: Buffer.alloc(100_000, 7) },
          { name: "program.exe", type: "application/octet-stream", content: Buffer.from("MZ") },
        ],
      );
      await dovecot.append(mailbox, source);
      const row = await handled(id);
      expect(row).toMatchObject({ status: "PROCESSED", last_error: null, payload: null });
      const number = await numberOf(row.ticket_id);
      const ticket = await ticketOf(number);
      expect(ticket).toMatchObject({
        subject: "Paspor hilang di Malang",
        description: "Selamat siang,\nPaspor saya hilang kemarin. Apa yang harus saya lakukan?",
        channel: "EMAIL",
        status: "NEW",
        unit: { code: "KANIM-MALANG" },
        reporter: { name: "Siti Rahma", email: from },
        messages: [],
      });
      expect(ticket.events.edges[0].node).toMatchObject({ type: "CREATED", actorLabel: "channel:email" });

      const files = await server.app.db.sql.query<{
        filename: string;
        content_type: string;
        size_bytes: number;
        stored: boolean;
        refused_reason: string | null;
      }>(
        `SELECT filename, content_type, size_bytes, content IS NOT NULL AS stored, refused_reason FROM attachment
         WHERE ticket_id = $1 ORDER BY position`,
        [row.ticket_id],
      );
      expect(files).toEqual([
        {
          filename: "surat-kehilangan.pdf",
          content_type: "application/pdf",
          size_bytes: pdf.length,
          stored: true,
          refused_reason: null,
        },
        {
          filename: "foto-besar.png",
          content_type: "image/png",
          size_bytes: 100_000,
          stored: false,
          refused_reason: "larger than 65536 bytes",
        },
        {
          filename: "program.exe",
          content_type: "application/octet-stream",
          size_bytes: 2,
          stored: false,
          refused_reason: "type application/octet-stream is not accepted",
        },
      ]);
      // Through the API, to whoever may see the reporter's data (the office's agent), not to the directorate.
      expect(ticket.attachments).toEqual([
        {
          filename: "surat-kehilangan.pdf",
          contentType: "application/pdf",
          sizeBytes: pdf.length,
          sha256: createHash("sha256").update(pdf).digest("hex"),
          stored: true,
          refusedReason: null,
        },
        {
          filename: "foto-besar.png",
          contentType: "image/png",
          sizeBytes: 100_000,
          sha256: null,
          stored: false,
          refusedReason: "larger than 65536 bytes",
        },
        {
          filename: "program.exe",
          contentType: "application/octet-stream",
          sizeBytes: 2,
          sha256: null,
          stored: false,
          refusedReason: "type application/octet-stream is not accepted",
        },
      ]);
      const directorate = await server.login("direktorat@pantau.demo");
      expect((await server.gql(TICKET, { number }, directorate)).data?.ticket.attachments).toEqual([]);
      const [content] = await server.app.db.sql.query<{ content: Buffer }>(
        "SELECT content FROM attachment WHERE ticket_id = $1 AND position = 0",
        [row.ticket_id],
      );
      expect(Buffer.from(content?.content ?? []).equals(pdf)).toBe(true);
      const [thread] = await server.app.db.sql.query<{ ticket_id: string; direction: string }>(
        "SELECT ticket_id, direction::text FROM email_thread_message WHERE message_id = $1",
        [id],
      );
      expect(thread).toEqual({ ticket_id: row.ticket_id, direction: "INBOUND" });

      // The same message delivered again (a second copy in the mailbox): stored once, no second ticket.
      await dovecot.append(mailbox, source);
      const marker = messageId("penanda");
      await dovecot.append(mailbox, mail({ From: from, Subject: "Penanda urutan", "Message-ID": marker }, "x"));
      await handled(marker);
      expect(await inbound(id)).toHaveLength(1);
      const [count] = await server.app.db.sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM ticket WHERE reporter_email = $1 AND subject = 'Paspor hilang di Malang'",
        [from],
      );
      expect(count?.n).toBe(1);
    });

    it("threads the citizen's answer to a dashboard reply into the same ticket, and the next reply answers it", async () => {
      const from = citizen("budi");
      const first = messageId("awal");
      await dovecot.append(
        mailbox,
        mail(
          { From: `Budi <${from}>`, Subject: "Perpanjangan ITAS", "Message-ID": first, Date: new Date().toUTCString() },
          "Berapa lama perpanjangan ITAS?",
        ),
      );
      const opened = await handled(first);
      const number = await numberOf(opened.ticket_id);
      const ticketId = (await ticketOf(number)).id;

      const replied = await server.gql(
        REPLY,
        { input: { ticketId, body: "Perpanjangan ITAS memakan 5 hari kerja." } },
        agent,
      );
      expect(replied.data?.replyToTicket.__typename).toBe("ReplyToTicketSuccess");
      const [sent] = await until(
        () => Promise.resolve(peer.to(from)),
        (mails) => mails.length === 1,
        "the reply sent",
      );
      const sentId = sent?.headers.get("message-id") as string;
      expect(sentId).toMatch(/^<pantau\.[0-9a-f-]{36}@malang\.imigrasi\.test>$/);
      expect(sent?.headers.get("in-reply-to")).toBe(first);
      expect(sent?.headers.get("subject")).toBe(`Re: Perpanjangan ITAS [${number}]`);

      const answer = messageId("jawab");
      await dovecot.append(
        mailbox,
        withFiles(
          {
            From: `Budi <${from}>`,
            Subject: `Re: Perpanjangan ITAS [${number}]`,
            "Message-ID": answer,
            "In-Reply-To": sentId,
            References: `${first} ${sentId}`,
          },
          `Terima kasih. Dokumen apa saja yang perlu dibawa?\n\nOn Mon, 7 Dec 2026, Kantor Imigrasi Malang wrote:\n> Perpanjangan ITAS memakan 5 hari kerja.\n>\n> --\n> Nomor tiket / Ticket number: ${number}\n`,
          [{ name: "itas.jpg", type: "image/jpeg", content: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]) }],
        ),
      );
      const threaded = await handled(answer);
      expect(threaded).toMatchObject({ status: "PROCESSED", ticket_id: opened.ticket_id });
      expect(threaded.message_id).not.toBeNull();
      const ticket = await ticketOf(number);
      expect(
        ticket.messages.map((m: { visibility: string; body: string; attachments: unknown[] }) => [
          m.visibility,
          m.body,
          m.attachments,
        ]),
      ).toEqual([
        ["PUBLIC_REPLY", "Perpanjangan ITAS memakan 5 hari kerja.", []],
        ["CITIZEN", "Terima kasih. Dokumen apa saja yang perlu dibawa?", [{ filename: "itas.jpg", stored: true }]],
      ]);
      expect(ticket.events.edges.map((edge: { node: { type: string } }) => edge.node.type)).toContain(
        "CITIZEN_MESSAGE",
      );

      // The next reply answers the citizen's message and names the whole thread.
      await server.gql(REPLY, { input: { ticketId, body: "Bawa paspor dan sponsor." } }, agent);
      const [, second] = await until(
        () => Promise.resolve(peer.to(from)),
        (mails) => mails.length === 2,
        "the second reply",
      );
      expect(second?.headers.get("in-reply-to")).toBe(answer);
      expect(second?.headers.get("references")?.split(/\s+/)).toEqual([first, sentId, answer]);
    });

    it("threads by the ticket number in the subject only for the ticket's reporter", async () => {
      const from = citizen("ani");
      const first = messageId("ani");
      await dovecot.append(
        mailbox,
        mail({ From: from, Subject: "Visa kunjungan", "Message-ID": first }, "Pertanyaan visa"),
      );
      const opened = await handled(first);
      const number = await numberOf(opened.ticket_id);

      const again = messageId("ani-lagi");
      await dovecot.append(
        mailbox,
        mail({ From: from, Subject: `Tambahan untuk ${number}`, "Message-ID": again }, "Saya lupa melampirkan data."),
      );
      expect((await handled(again)).ticket_id).toBe(opened.ticket_id);

      const stranger = messageId("orang-lain");
      await dovecot.append(
        mailbox,
        mail({ From: citizen("lain"), Subject: `Re: ${number}`, "Message-ID": stranger }, "Saya orang lain."),
      );
      const other = await handled(stranger);
      expect(other.status).toBe("PROCESSED");
      expect(await numberOf(other.ticket_id)).not.toBe(number);
    });

    it("records auto-replies, bounces, list mail and its own messages without opening tickets or answering", async () => {
      const from = citizen("otomatis");
      const cases: [string, Record<string, string>, RegExp][] = [
        ["auto-replied", { "Auto-Submitted": "auto-replied" }, /Auto-Submitted: auto-replied/],
        ["bulk", { Precedence: "bulk" }, /Precedence: bulk/],
        ["autoreply", { "X-Autoreply": "yes" }, /x-autoreply/],
        ["own", { "X-Pantau-Ticket": "IMI-2026-0000001" }, /X-Pantau-Ticket/],
      ];
      for (const [tag, headers, reason] of cases) {
        const id = messageId(tag);
        await dovecot.append(
          mailbox,
          mail({ From: from, Subject: "Out of office", "Message-ID": id, ...headers }, "Saya sedang cuti."),
        );
        const row = await handled(id);
        expect(row.status, tag).toBe("IGNORED");
        expect(row.last_error, tag).toMatch(reason);
        expect(row.ticket_id, tag).toBeNull();
        // Recorded as it came.
        expect(row.payload, tag).not.toBeNull();
      }
      const bounce = messageId("bounce");
      await dovecot.append(
        mailbox,
        mail(
          {
            From: "Mail Delivery System <MAILER-DAEMON@mx.example.id>",
            Subject: "Undelivered Mail Returned to Sender",
            "Message-ID": bounce,
            "MIME-Version": "1.0",
            "Content-Type": 'multipart/report; report-type=delivery-status; boundary="b"',
          },
          "--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--b--\r\n",
        ),
      );
      expect((await handled(bounce)).last_error).toMatch(/multipart\/report/);
      // A copy of Pantau's own reply (its Message-ID form) coming back.
      const loop = `<pantau.${crypto.randomUUID()}@malang.imigrasi.test>`;
      await dovecot.append(mailbox, mail({ From: from, Subject: "Re: [IMI-2026-0000001]", "Message-ID": loop }, "x"));
      expect((await handled(loop)).status).toBe("IGNORED");
      const [count] = await server.app.db.sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM ticket WHERE reporter_email = $1 OR reporter_email ILIKE 'mailer-daemon@%'",
        [from],
      );
      expect(count?.n).toBe(0);
      expect(peer.to(from)).toEqual([]);
    });

    it("keeps malformed and oversized messages with a clear outcome while the server keeps serving", async () => {
      // No From, a broken multipart: kept as failed with the reason.
      const broken = messageId("rusak");
      await dovecot.append(
        mailbox,
        `Subject: =?utf-8?B?rusak?=\r\nMessage-ID: ${broken}\r\nContent-Type: multipart/mixed; boundary="tidak-ada"\r\n\r\n\u0000\u0001 tanpa batas\r\n--lain\r\n`,
      );
      const failed = await handled(broken);
      expect(failed.status).toBe("FAILED");
      expect(failed.last_error).toMatch(/no From address/);
      expect(failed.payload).not.toBeNull();

      // Over the 5 MB limit of this test (a 50 MB message takes the same path under the 25 MB default): not downloaded.
      const big = messageId("besar");
      const huge = mail(
        { From: citizen("besar"), Subject: "Lampiran besar", "Message-ID": big },
        "A".repeat(6 * 1024 * 1024),
      );
      const appended = dovecot.append(mailbox, huge);
      for (let i = 0; i < 5; i++) expect((await fetch(`${server.url}/health`)).status).toBe(200);
      await appended;
      const oversize = await handled(big);
      // Its headers stored, its content left in the mailbox: a ticket that says so, so staff can ask for less.
      expect(oversize).toMatchObject({ status: "PROCESSED", last_error: null });
      const ticket = await ticketOf(await numberOf(oversize.ticket_id));
      expect(ticket.subject).toBe("Lampiran besar");
      expect(ticket.description).toMatch(/^\(E-mail sebesar 6\.0 MB melebihi batas 5\.0 MB dan tidak diunduh/);
      expect(ticket.attachments).toEqual([]);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    });

    it("reads the mailbox again after a UIDVALIDITY change without storing anything twice", async () => {
      const [before] = await server.app.db.sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM inbound_message WHERE account = $1",
        [account()],
      );
      const mark = logged.length;
      // As if the server had renumbered the mailbox: the stored mark no longer applies.
      await server.app.db.sql.query("UPDATE imap_mailbox_state SET uid_validity = 1 WHERE account = $1", [account()]);
      await until(
        () => Promise.resolve(logged.slice(mark)),
        (lines) => lines.some((line) => String(line.msg).startsWith("IMAP UIDVALIDITY changed")),
        "the change noticed",
      );
      const id = messageId("sesudah");
      await dovecot.append(mailbox, mail({ From: citizen("sesudah"), Subject: "Sesudah", "Message-ID": id }, "Halo"));
      expect((await handled(id)).status).toBe("PROCESSED");
      const [after] = await server.app.db.sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM inbound_message WHERE account = $1",
        [account()],
      );
      expect(after?.n).toBe((before?.n ?? 0) + 1);
    });

    it("retries an unreachable IMAP server with back-off, never logs its password, and catches up when it is back", async () => {
      const failures = () =>
        logged.filter((line) => line.msg === "reading an IMAP mailbox failed; retrying" && /:9\//.test(line.mailbox));
      await until(
        () => Promise.resolve(failures()),
        (lines) => lines.length >= 3,
        "retries of the missing server",
      );
      const waits = failures().map((line) => line.retryInMs as number);
      expect(waits[2]).toBeGreaterThan(waits[0] as number);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);

      // Malang's own server goes away and comes back; mail that arrived meanwhile is read then.
      await dovecot.stop();
      const before = logged.length;
      await until(
        () => Promise.resolve(logged.slice(before)),
        (lines) =>
          lines.some((line) => line.msg === "reading an IMAP mailbox failed; retrying" && !/:9\//.test(line.mailbox)),
        "a failed poll of Malang's mailbox",
      );
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      await dovecot.start();
      const id = messageId("kembali");
      await dovecot.append(
        mailbox,
        mail({ From: citizen("kembali"), Subject: "Setelah gangguan", "Message-ID": id }, "Halo"),
      );
      expect((await handled(id)).status).toBe("PROCESSED");

      const text = JSON.stringify(logged);
      expect(text).not.toContain(mailbox.password);
      expect(text).not.toContain("sandi-tak-terbaca");
    });
  });

  describe.skipIf(!TARGETS.includes("postgres"))("two instances on one PostgreSQL database", () => {
    const shared: MailUser = { user: "pengaduan.malang.cluster", password: "sandi-imap-uji-3" };
    let database: Awaited<ReturnType<typeof createDatabase>>;
    let servers: TestServer[] = [];

    beforeAll(async () => {
      await dovecot.addUser(shared);
      database = await createDatabase();
      const env = {
        PANTAU_IMAP_URL__KANIM_MALANG: dovecot.url(shared),
        PANTAU_IMAP_POLL_MS: "100",
        PANTAU_INBOUND_POLL_MS: "100",
      };
      servers = [
        await startServer("postgres", { databaseUrl: database.url, env }),
        await startServer("postgres", { databaseUrl: database.url, env }),
      ];
    });
    afterAll(async () => {
      for (const server of servers) await server.stop();
      await database?.drop();
    });

    it("read the same mailbox and store and handle each message once", async () => {
      const ids = Array.from({ length: 12 }, (_, i) => `<cluster.${Date.now()}.${i}@warga.example.id>`);
      for (const [i, id] of ids.entries()) {
        await dovecot.append(
          shared,
          mail({ From: `warga.cluster.${i}@warga.example.id`, Subject: `Pesan ${i}`, "Message-ID": id }, "Halo"),
        );
      }
      const db = (servers[0] as TestServer).app.db;
      const rows = await until(
        () =>
          db.sql.query<{ status: string; ticket_id: string | null }>(
            "SELECT status::text, ticket_id FROM inbound_message WHERE channel = 'EMAIL' AND account LIKE 'pengaduan.malang.cluster@%'",
          ),
        (found) => found.length >= ids.length && found.every((row) => row.status !== "RECEIVED"),
        "every message handled",
      );
      expect(rows).toHaveLength(ids.length);
      expect(rows.every((row) => row.status === "PROCESSED")).toBe(true);
      expect(new Set(rows.map((row) => row.ticket_id)).size).toBe(ids.length);
      const [tickets] = await db.sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM ticket WHERE channel = 'EMAIL' AND reporter_email LIKE 'warga.cluster.%'",
      );
      expect(tickets?.n).toBe(ids.length);
    });
  });
});
