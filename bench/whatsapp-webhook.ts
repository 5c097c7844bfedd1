/**
 * WhatsApp webhook → ticket committed, on PostgreSQL: the compiled server with the WhatsApp channel on,
 * fed signed webhooks (Meta's documented JSON) at a fixed rate, open loop (each request leaves on its own
 * schedule, whether or not earlier ones have been answered). Per message it records when the webhook was
 * sent, when it was answered, and when the inbound item was marked processed, which happens once its ticket
 * (or its message on the citizen's open ticket) has committed. Goal: p99 ≤ 100 ms at 100 messages/s.
 * Checks that every message produced exactly one outcome and that the number of tickets is right.
 *
 *   BENCH_WHATSAPP_RATE (100 per second)  BENCH_WHATSAPP_SECONDS (10)  BENCH_WHATSAPP_FOLLOW_UPS (0.2: share of
 *   messages from a citizen who already wrote, which join their open ticket)
 */
import { createHmac } from "node:crypto";
import pg from "pg";
import { isEntryPoint, runAsScript } from "./lib/cleanup.js";
import { createBenchDatabase } from "./lib/database.js";
import { freePort, startPantau } from "./lib/processes.js";
import { banner, machineInfo, writeResult } from "./lib/report.js";
import { round, summarize } from "./lib/stats.js";

const RATE = Number(process.env.BENCH_WHATSAPP_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_WHATSAPP_SECONDS ?? 10);
const FOLLOW_UPS = Number(process.env.BENCH_WHATSAPP_FOLLOW_UPS ?? 0.2);
const GOAL_P99_MS = 100;
const APP_SECRET = "bench-app-secret";
const PHONE_NUMBER_ID = "106540352242922";

interface Sent {
  wamid: string;
  sender: string;
  sentAt: number;
  answeredAt: number | null;
  status: number | null;
}

function webhook(wamid: string, sender: string, text: string): string {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "6281100000000", phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name: `Warga ${sender.slice(-4)}` }, wa_id: sender }],
              messages: [
                {
                  from: sender,
                  id: wamid,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: "text",
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

export async function main() {
  const total = Math.round(RATE * SECONDS);
  banner(
    `whatsapp-webhook: ${total} messages at ${RATE}/s on PostgreSQL (${Math.round(FOLLOW_UPS * 100)}% follow-ups)`,
  );
  const db = await createBenchDatabase("whatsapp");
  const server = await startPantau(
    {
      DATABASE_URL: db.url,
      PANTAU_SEED_DAYS: "1",
      PANTAU_SEED_TICKETS_PER_DAY: "10",
      PANTAU_WHATSAPP_APP_SECRET: APP_SECRET,
      PANTAU_WHATSAPP_VERIFY_TOKEN: "bench-verify-token",
      PANTAU_WHATSAPP_ACCESS_TOKEN: "bench-access-token",
      PANTAU_WHATSAPP_GRAPH_URL: "http://127.0.0.1:9/v21.0",
      PANTAU_WHATSAPP_PHONE_NUMBERS: `${PHONE_NUMBER_ID}=KANIM-MALANG`,
    },
    { port: await freePort() },
  );
  console.log(`server ready in ${Math.round(server.readyMs)} ms at ${server.url} (database ${db.name})`);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  client.on("error", () => {});

  const runId = Date.now().toString(36);
  const sent: Sent[] = [];
  const senders: string[] = [];
  const post = async (entry: Sent, body: string) => {
    try {
      const response = await fetch(`${server.url}/webhooks/whatsapp`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-hub-signature-256": `sha256=${createHmac("sha256", APP_SECRET).update(body).digest("hex")}`,
        },
        body,
      });
      await response.arrayBuffer();
      entry.status = response.status;
    } finally {
      entry.answeredAt = performance.timeOrigin + performance.now();
    }
  };

  // Warm-up: a few messages so the first measured ones do not pay for connections and JIT.
  for (let i = 0; i < 20; i++) {
    const entry: Sent = {
      wamid: `wamid.warm.${runId}.${i}`,
      sender: `62899${String(Date.now()).slice(-6)}${i}`,
      sentAt: 0,
      answeredAt: null,
      status: null,
    };
    await post(entry, webhook(entry.wamid, entry.sender, "Pemanasan"));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));

  const started = performance.now();
  const requests: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const followUp = senders.length > 0 && ((i * 7919) % 100) / 100 < FOLLOW_UPS;
    const sender = followUp
      ? (senders[(i * 31) % senders.length] as string)
      : `628${String(10_000_000 + i)}${runId.slice(-3).replace(/\D/g, "1")}`;
    if (!followUp) senders.push(sender);
    const entry: Sent = {
      wamid: `wamid.bench.${runId}.${i}`,
      sender,
      sentAt: performance.timeOrigin + performance.now(),
      answeredAt: null,
      status: null,
    };
    sent.push(entry);
    requests.push(post(entry, webhook(entry.wamid, sender, `Pertanyaan nomor ${i} tentang paspor`)));
  }
  await Promise.all(requests);
  const sendingS = (performance.now() - started) / 1000;

  // Wait until every item has an outcome (a backlog would show here as a long tail).
  const deadline = Date.now() + 60_000;
  let rows: { external_id: string; status: string; processed_at: Date | null; ticket_id: string | null }[] = [];
  for (;;) {
    rows = (
      await client.query(
        `SELECT external_id, status::text AS status, processed_at, ticket_id FROM inbound_message WHERE external_id LIKE $1`,
        [`wamid.bench.${runId}.%`],
      )
    ).rows;
    if (rows.filter((row) => row.status !== "RECEIVED").length >= total || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const byId = new Map(rows.map((row) => [row.external_id, row]));
  const committedMs: number[] = [];
  const answeredMs: number[] = [];
  for (const entry of sent) {
    if (entry.answeredAt !== null) answeredMs.push(entry.answeredAt - entry.sentAt);
    const row = byId.get(entry.wamid);
    if (row?.processed_at) committedMs.push(new Date(row.processed_at).getTime() - entry.sentAt);
  }
  const tickets = new Set(rows.map((row) => row.ticket_id).filter(Boolean)).size;
  const processed = rows.filter((row) => row.status === "PROCESSED").length;
  const webhookCommitted = summarize(committedMs);
  const result = {
    machine: machineInfo(),
    database: "postgres",
    ratePerSecond: RATE,
    offeredPerSecond: round(total / sendingS, 1),
    messages: total,
    followUpShare: FOLLOW_UPS,
    non200: sent.filter((entry) => entry.status !== 200).length,
    processed,
    notProcessed: total - processed,
    tickets,
    expectedTickets: senders.length,
    webhookAnswer: summarize(answeredMs),
    webhookToTicketCommitted: webhookCommitted,
    goalP99Ms: GOAL_P99_MS,
    serverLogWarnings: server.log.snapshot().warn,
    serverLogErrors: server.log.snapshot().error,
  };
  console.table([
    { what: "webhook answered (200)", ...result.webhookAnswer },
    { what: "webhook → ticket committed", ...webhookCommitted },
  ]);
  console.table([
    {
      messages: total,
      offeredPerSecond: result.offeredPerSecond,
      processed,
      tickets,
      expectedTickets: senders.length,
      non200: result.non200,
    },
  ]);
  console.log(`written to ${writeResult("whatsapp-webhook", result)}`);
  const warnings = server.log
    .lastLines(200)
    .split("\n")
    .filter((line) => line.startsWith('{"level":40'));
  if (warnings.length) console.log(`server warnings, the first of them:\n${warnings.slice(0, 3).join("\n")}`);
  await client.end();
  await server.stop();
  await db.drop();
  if (processed !== total || tickets !== senders.length || result.non200 > 0) {
    throw new Error("not every message became exactly one ticket or message");
  }
}

if (isEntryPoint(import.meta.url)) runAsScript(main);
