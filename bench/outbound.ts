/**
 * Outbound delivery throughput: N e-mail rows queued at once (one INSERT, as N committed replies would
 * leave them), then one instance's worker with a real SmtpDriver delivering them to a local SMTP peer
 * (the `smtp-server` package, in this process), timed until every row is DELIVERED. Checks that the peer
 * received each Message-ID once. Goal: at least 200 deliveries per second.
 *
 *   BENCH_OUTBOUND_MESSAGES (2000)  BENCH_OUTBOUND_CONCURRENCY (16)  BENCH_OUTBOUND_DB (postgres | pglite)
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import { type Database, openDatabase } from "../server/src/db/database.js";
import { migrate } from "../server/src/db/migrator.js";
import { createLogger } from "../server/src/logger.js";
import { parseSmtpSettings } from "../server/src/modules/outbound/smtp-config.js";
import { SmtpDriver } from "../server/src/modules/outbound/smtp-driver.js";
import { startOutboundWorker } from "../server/src/modules/outbound/worker.js";
import { seedReferenceData } from "../server/src/modules/seed/seed.js";
import { loadUnitTree } from "../server/src/modules/units/unit-repository.js";
import { deferCleanup, isEntryPoint, runAsScript } from "./lib/cleanup.js";
import { createBenchDatabase } from "./lib/database.js";
import { banner, machineInfo, writeResult } from "./lib/report.js";
import { round } from "./lib/stats.js";

const MESSAGES = Number(process.env.BENCH_OUTBOUND_MESSAGES ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_OUTBOUND_CONCURRENCY ?? 16);
const TARGET = (process.env.BENCH_OUTBOUND_DB ?? "postgres") as "postgres" | "pglite";
const GOAL_PER_SECOND = 200;

async function startPeer() {
  const seen = new Map<string, number>();
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      let head = "";
      stream.on("data", (chunk: Buffer) => {
        if (head.length < 4096) head += chunk.toString("utf8");
      });
      stream.on("end", () => {
        const id = /^message-id:\s*(\S+)/im.exec(head)?.[1] ?? "";
        seen.set(id, (seen.get(id) ?? 0) + 1);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  deferCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port, seen };
}

async function open(): Promise<Database> {
  if (TARGET === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "pantau-bench-outbound-"));
    deferCleanup(async () => rmSync(dir, { recursive: true, force: true }));
    return openDatabase({ dataDir: dir });
  }
  const database = await createBenchDatabase("outbound");
  return openDatabase({ databaseUrl: database.url, poolSize: 10 });
}

export async function main() {
  banner(`outbound: ${MESSAGES} e-mails to a local SMTP peer on ${TARGET}, concurrency ${CONCURRENCY}`);
  const peer = await startPeer();
  const db = await open();
  deferCleanup(() => db.close());
  await migrate(db);
  await seedReferenceData(db);
  const units = await loadUnitTree(db);
  const unit = units.byCode("KANIM-MALANG");
  if (!unit) throw new Error("unit KANIM-MALANG missing");
  await db.sql.query(
    `INSERT INTO outbound_message (channel, unit_id, recipient, payload, idempotency_key)
     SELECT 'EMAIL', $1, 'warga' || n || '@example.id',
       jsonb_build_object('subject', 'Re: Uji [IMI-2026-' || lpad(n::text, 7, '0') || ']',
         'text', 'Terima kasih atas laporan Anda. Kami sedang memeriksanya.',
         'messageId', '<pantau.bench.' || n || '@imigrasi.test>', 'inReplyTo', null,
         'references', '[]'::jsonb, 'ticketNumber', 'IMI-2026-' || lpad(n::text, 7, '0')),
       'bench:' || n
     FROM generate_series(1, $2) AS n`,
    [unit.id, MESSAGES],
  );
  const { settings } = parseSmtpSettings({
    PANTAU_SMTP_URL: `smtp://127.0.0.1:${peer.port}`,
    PANTAU_SMTP_FROM: "pengaduan@imigrasi.test",
  });
  const logger = createLogger("warn");
  const startedAt = performance.now();
  const worker = startOutboundWorker({
    db,
    drivers: [new SmtpDriver(settings, () => units, logger)],
    logger,
    retry: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 5_000 },
    leaseMs: 120_000,
    concurrency: CONCURRENCY,
    pollMs: 1_000,
  });
  await worker.runOnce();
  const elapsedMs = performance.now() - startedAt;
  await worker.stop();
  const [counts] = await db.sql.query<{ delivered: number; other: number; attempts: number }>(
    `SELECT count(*) FILTER (WHERE status = 'DELIVERED')::int AS delivered,
       count(*) FILTER (WHERE status <> 'DELIVERED')::int AS other, coalesce(sum(attempts), 0)::int AS attempts
     FROM outbound_message`,
  );
  const duplicates = [...peer.seen.values()].filter((n) => n > 1).length;
  const perSecond = round((MESSAGES / elapsedMs) * 1_000, 1);
  const result = {
    machine: machineInfo(),
    database: TARGET,
    messages: MESSAGES,
    concurrency: CONCURRENCY,
    elapsedMs: round(elapsedMs, 0),
    deliveriesPerSecond: perSecond,
    goalPerSecond: GOAL_PER_SECOND,
    delivered: counts?.delivered,
    notDelivered: counts?.other,
    attempts: counts?.attempts,
    receivedByPeer: peer.seen.size,
    duplicates,
  };
  console.table([result]);
  console.log(`written to ${writeResult(`outbound-${TARGET}`, result)}`);
  if (counts?.delivered !== MESSAGES || duplicates > 0 || peer.seen.size !== MESSAGES) {
    throw new Error("not every message was delivered exactly once");
  }
}

if (isEntryPoint(import.meta.url)) runAsScript(main);
