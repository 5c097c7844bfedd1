-- Outbound delivery: every message that must leave Pantau (a reply by e-mail today; WhatsApp, webhook
-- calls and citizen notifications later) is a row written in the transaction of the change that causes
-- it, and the row is also the job: workers claim due rows with FOR UPDATE SKIP LOCKED and a lease, so a
-- reply is sent if and only if it committed, by exactly one worker at a time.

-- CreateEnum
CREATE TYPE "OutboundStatus" AS ENUM ('PENDING', 'SENDING', 'DELIVERED', 'FAILED', 'DEAD');

-- CreateTable
CREATE TABLE "outbound_message" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "channel" "Channel" NOT NULL,
    "ticket_id" UUID,
    "message_id" UUID,
    "unit_id" INTEGER NOT NULL,
    "recipient" VARCHAR(320) NOT NULL,
    "payload" JSONB NOT NULL,
    "idempotency_key" VARCHAR(200) NOT NULL,
    "status" "OutboundStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_error" VARCHAR(1000),
    "delivered_at" TIMESTAMPTZ(3),
    "lease_owner" VARCHAR(80),
    "lease_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbound_message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbound_message_message_id_key" ON "outbound_message"("message_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbound_message_idempotency_key_key" ON "outbound_message"("idempotency_key");

-- CreateIndex
CREATE INDEX "outbound_message_ticket_id_created_at_idx" ON "outbound_message"("ticket_id", "created_at");

-- CreateIndex
CREATE INDEX "outbound_message_status_idx" ON "outbound_message"("status");

-- AddForeignKey
ALTER TABLE "outbound_message" ADD CONSTRAINT "outbound_message_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbound_message" ADD CONSTRAINT "outbound_message_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbound_message" ADD CONSTRAINT "outbound_message_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Beyond Prisma: the workers' poll reads only the rows that may be due (waiting, failed and to be
-- retried, or claimed under a lease that may have run out: a claim moves next_attempt_at to the end of
-- its lease), so delivered and dead rows, which are nearly all of them, cost the poll nothing.
CREATE INDEX "outbound_message_due_idx" ON "outbound_message"("next_attempt_at")
  WHERE "status" IN ('PENDING', 'SENDING', 'FAILED');

-- Like every enum, a text cast the planner can fold (see 20261123120000_enum_text_casts).
CREATE FUNCTION "enum_from_text_OutboundStatus"(label text) RETURNS "OutboundStatus" LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
  AS $body$ BEGIN RETURN label::varchar::"OutboundStatus"; END $body$;
CREATE CAST (text AS "OutboundStatus") WITH FUNCTION "enum_from_text_OutboundStatus"(text);
