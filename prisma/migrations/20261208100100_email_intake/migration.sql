-- E-mail intake by IMAP: where the poller has read each unit's mailbox to (UIDVALIDITY and the highest UID
-- stored), and the attachments that came with citizens' e-mails, kept with size and type limits (one
-- refused is recorded without its content).

-- CreateTable
CREATE TABLE "imap_mailbox_state" (
    "account" VARCHAR(200) NOT NULL,
    "uid_validity" BIGINT NOT NULL,
    "last_uid" BIGINT NOT NULL DEFAULT 0,
    "polled_at" TIMESTAMPTZ(3),
    "last_error" VARCHAR(1000),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "imap_mailbox_state_pkey" PRIMARY KEY ("account")
);

-- CreateTable
CREATE TABLE "attachment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "ticket_id" UUID NOT NULL,
    "message_id" UUID,
    "inbound_id" UUID,
    "position" INTEGER NOT NULL,
    "filename" VARCHAR(255) NOT NULL,
    "content_type" VARCHAR(127) NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "sha256" VARCHAR(64),
    "content" BYTEA,
    "refused_reason" VARCHAR(200),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attachment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "attachment_ticket_id_created_at_idx" ON "attachment"("ticket_id", "created_at");

-- CreateIndex
CREATE INDEX "attachment_message_id_idx" ON "attachment"("message_id");

-- CreateIndex
CREATE UNIQUE INDEX "attachment_inbound_id_position_key" ON "attachment"("inbound_id", "position");

-- AddForeignKey
ALTER TABLE "attachment" ADD CONSTRAINT "attachment_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attachment" ADD CONSTRAINT "attachment_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attachment" ADD CONSTRAINT "attachment_inbound_id_fkey" FOREIGN KEY ("inbound_id") REFERENCES "inbound_message"("id") ON DELETE SET NULL ON UPDATE CASCADE;
