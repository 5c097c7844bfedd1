/**
 * E-mail intake of large messages, on PostgreSQL: the compiled server reads a real Dovecot mailbox (started
 * here, as in test/email-intake.test.ts) into which 5 MB messages (a text and a 3.7 MB PDF) are put by IMAP
 * APPEND, one after another. Meanwhile a probe asks GET /health and a minimal GraphQL query in turn, one
 * request at a time, and records how long each took: the parsing happens in the inbound processor, not on a
 * request, so the answers should stay as fast as with nothing to parse (the same probe first runs idle).
 * Per message it records APPEND done → inbound item processed (its ticket committed, attachment stored).
 *
 *   BENCH_EMAIL_MESSAGES (5)  BENCH_EMAIL_MB (5)
 */
import pg from "pg";
import { Dovecot } from "../test/support/dovecot.js";
import { isEntryPoint, runAsScript } from "./lib/cleanup.js";
import { createBenchDatabase } from "./lib/database.js";
import { freePort, startPantau } from "./lib/processes.js";
import { banner, machineInfo, writeResult } from "./lib/report.js";
import { summarize } from "./lib/stats.js";

const MESSAGES = Number(process.env.BENCH_EMAIL_MESSAGES ?? 5);
const MEGABYTES = Number(process.env.BENCH_EMAIL_MB ?? 5);
const MAILBOX = { user: "pengaduan.bench", password: "sandi-bench-imap" };

function bigMessage(index: number, bytes: number): { id: string; source: Buffer } {
  const id = `<bench.${Date.now()}.${index}@warga.example.id>`;
  // base64 grows the file by 4/3; the rest of the message is a few hundred bytes.
  const pdf = Buffer.alloc(Math.floor((bytes * 3) / 4) - 2_000, 0x41);
  pdf.write("%PDF-1.4\n", 0);
  const body = (pdf.toString("base64").match(/.{1,76}/g) ?? []).join("\r\n");
  const source = [
    `From: Warga ${index} <warga.${index}.${Date.now()}@warga.example.id>`,
    "To: pengaduan@malang.imigrasi.test",
    `Subject: Berkas permohonan ${index}`,
    `Message-ID: ${id}`,
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b"',
    "",
    "--b",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Berkas permohonan saya terlampir.",
    "--b",
    'Content-Type: application/pdf; name="berkas.pdf"',
    'Content-Disposition: attachment; filename="berkas.pdf"',
    "Content-Transfer-Encoding: base64",
    "",
    body,
    "--b--",
    "",
  ].join("\r\n");
  return { id, source: Buffer.from(source) };
}

/** Requests one at a time until stopped, alternating /health and a minimal GraphQL query. */
function probe(url: string) {
  const health: number[] = [];
  const graphql: number[] = [];
  let running = true;
  const done = (async () => {
    for (let i = 0; running; i++) {
      const start = performance.now();
      if (i % 2 === 0) {
        await fetch(`${url}/health`).then((response) => response.arrayBuffer());
        health.push(performance.now() - start);
      } else {
        await fetch(`${url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ __typename }" }),
        }).then((response) => response.arrayBuffer());
        graphql.push(performance.now() - start);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { health: summarize(health), graphql: summarize(graphql) };
    },
  };
}

export async function main() {
  banner(`email-intake: ${MESSAGES} messages of ${MEGABYTES} MB by IMAP into Pantau on PostgreSQL`);
  const dovecot = await new Dovecot([MAILBOX]).start();
  const db = await createBenchDatabase("email");
  const server = await startPantau(
    {
      DATABASE_URL: db.url,
      PANTAU_SEED_DAYS: "1",
      PANTAU_SEED_TICKETS_PER_DAY: "10",
      PANTAU_IMAP_URL__KANIM_MALANG: dovecot.url(MAILBOX),
      PANTAU_IMAP_POLL_MS: "200",
      PANTAU_INBOUND_POLL_MS: "200",
    },
    { port: await freePort() },
  );
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const idle = probe(server.url);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const idleFigures = await idle.stop();

    const busy = probe(server.url);
    const toProcessed: number[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const { id, source } = bigMessage(i, MEGABYTES * 1024 * 1024);
      await dovecot.append(MAILBOX, source);
      const appended = performance.now();
      for (;;) {
        const { rows } = await client.query<{ status: string; stored: boolean }>(
          `SELECT im.status::text AS status, EXISTS (SELECT 1 FROM attachment a WHERE a.inbound_id = im.id AND a.content IS NOT NULL) AS stored
           FROM inbound_message im WHERE im.external_id LIKE '%' || $1`,
          [id],
        );
        if (rows[0] && rows[0].status !== "RECEIVED") {
          if (rows[0].status !== "PROCESSED" || !rows[0].stored)
            throw new Error(`message ${i}: ${JSON.stringify(rows[0])}`);
          toProcessed.push(performance.now() - appended);
          break;
        }
        if (performance.now() - appended > 120_000) throw new Error(`message ${i} not handled in 2 minutes`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    const busyFigures = await busy.stop();
    const result = {
      machine: machineInfo(),
      messages: MESSAGES,
      messageBytes: MEGABYTES * 1024 * 1024,
      appendToProcessedMs: summarize(toProcessed),
      idle: idleFigures,
      whileParsing: busyFigures,
      serverLogWarnings: server.log.snapshot().warn,
      serverLogErrors: server.log.snapshot().error,
    };
    console.table([
      { what: "APPEND → ticket committed", ...result.appendToProcessedMs },
      { what: "GET /health, idle", ...idleFigures.health },
      { what: "GET /health, while parsing", ...busyFigures.health },
      { what: "{ __typename }, idle", ...idleFigures.graphql },
      { what: "{ __typename }, while parsing", ...busyFigures.graphql },
    ]);
    console.log(`max /health while parsing: ${busyFigures.health.maxMs} ms`);
    console.log(`written to ${writeResult("email-intake", result)}`);
  } finally {
    await client.end();
    await server.stop();
    await db.drop();
    await dovecot.destroy();
  }
}

if (isEntryPoint(import.meta.url)) runAsScript(main);
