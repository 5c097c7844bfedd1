-- Outbound webhooks for third parties. A key with webhooks:manage registers an endpoint and the event
-- types it wants; a dispatcher reads the event stream after its own cursor and queues one outbound row per
-- matching (subscription, event), so the ticket services write nothing more per change and a webhook
-- call travels the outbound queue like a reply (retries, back-off, dead letter, SKIP LOCKED).

-- The queue's channel is no longer a ticket channel: webhook calls and SP4N-LAPOR! status syncs are not
-- ways a citizen reaches a unit.
CREATE TYPE "OutboundChannel" AS ENUM ('EMAIL', 'WHATSAPP', 'WEBHOOK', 'SP4N_LAPOR');

-- Like every enum, a text cast the planner can fold (see 20261123120000_enum_text_casts).
CREATE FUNCTION "enum_from_text_OutboundChannel"(label text) RETURNS "OutboundChannel" LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
  AS $body$ BEGIN RETURN label::varchar::"OutboundChannel"; END $body$;
CREATE CAST (text AS "OutboundChannel") WITH FUNCTION "enum_from_text_OutboundChannel"(text);

ALTER TABLE "outbound_message" ALTER COLUMN "channel" TYPE "OutboundChannel" USING "channel"::text::"OutboundChannel";

-- The receiving side's HTTP status of the last attempt (webhooks, SP4N-LAPOR!), or an SMTP reply code.
ALTER TABLE "outbound_message" ADD COLUMN "response_code" INTEGER;
ALTER TABLE "outbound_message" ADD COLUMN "webhook_id" UUID;

-- CreateTable
CREATE TABLE "webhook_subscription" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "api_key_id" UUID NOT NULL,
    "url" VARCHAR(2000) NOT NULL,
    "event_types" TEXT[],
    "secret" VARCHAR(100) NOT NULL,
    "description" VARCHAR(200),
    "from_position" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removed_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stream_consumer" (
    "name" VARCHAR(40) NOT NULL,
    "through" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stream_consumer_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "webhook_subscription_api_key_id_created_at_idx" ON "webhook_subscription"("api_key_id", "created_at");

-- CreateIndex
CREATE INDEX "outbound_message_webhook_id_created_at_idx" ON "outbound_message"("webhook_id", "created_at");

-- AddForeignKey
ALTER TABLE "webhook_subscription" ADD CONSTRAINT "webhook_subscription_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbound_message" ADD CONSTRAINT "outbound_message_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhook_subscription"("id") ON DELETE SET NULL ON UPDATE CASCADE;
