-- Inbound items (WhatsApp messages today, e-mail intake later): each is committed raw before the channel
-- is answered, then turned into a ticket or a message by a processor that claims rows under a lease. The
-- channel's own id is unique per channel, so a redelivered item is stored once and handled once.

-- CreateEnum
CREATE TYPE "InboundStatus" AS ENUM ('RECEIVED', 'PROCESSED', 'IGNORED', 'FAILED');

-- AlterTable
ALTER TABLE "outbound_message" ADD COLUMN "external_id" VARCHAR(200),
ADD COLUMN "read_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "inbound_message" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "channel" "Channel" NOT NULL,
    "external_id" VARCHAR(998) NOT NULL,
    "unit_id" INTEGER,
    "account" VARCHAR(200),
    "sender" VARCHAR(320),
    "sent_at" TIMESTAMPTZ(3),
    "payload" TEXT,
    "status" "InboundStatus" NOT NULL DEFAULT 'RECEIVED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" VARCHAR(1000),
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_owner" VARCHAR(80),
    "lease_until" TIMESTAMPTZ(3),
    "ticket_id" UUID,
    "message_id" UUID,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbound_message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "outbound_message_external_id_idx" ON "outbound_message"("external_id");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_message_message_id_key" ON "inbound_message"("message_id");

-- CreateIndex
CREATE INDEX "inbound_message_channel_sender_received_at_idx" ON "inbound_message"("channel", "sender", "received_at");

-- CreateIndex
CREATE INDEX "inbound_message_ticket_id_received_at_idx" ON "inbound_message"("ticket_id", "received_at");

-- CreateIndex
CREATE INDEX "inbound_message_status_idx" ON "inbound_message"("status");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_message_channel_external_id_key" ON "inbound_message"("channel", "external_id");

-- AddForeignKey
ALTER TABLE "inbound_message" ADD CONSTRAINT "inbound_message_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbound_message" ADD CONSTRAINT "inbound_message_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbound_message" ADD CONSTRAINT "inbound_message_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Beyond Prisma: the processor's claim reads only the rows still to be handled.
CREATE INDEX "inbound_message_due_idx" ON "inbound_message"("next_attempt_at") WHERE "status" = 'RECEIVED';

-- Like every enum, a text cast the planner can fold (see 20261123120000_enum_text_casts).
CREATE FUNCTION "enum_from_text_InboundStatus"(label text) RETURNS "InboundStatus" LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
  AS $body$ BEGIN RETURN label::varchar::"InboundStatus"; END $body$;
CREATE CAST (text AS "InboundStatus") WITH FUNCTION "enum_from_text_InboundStatus"(text);
