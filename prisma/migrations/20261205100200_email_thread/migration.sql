-- The e-mail thread of each ticket: every Message-ID that belongs to it, the citizen's (recorded by the
-- e-mail intake) and Pantau's own replies (recorded in the transaction that queues them). A reply answers
-- the thread's latest message and names its latest ones in References; the intake finds a ticket from the
-- In-Reply-To or References of an incoming message, and recognises its own replies coming back (loops).

-- CreateEnum
CREATE TYPE "MailDirection" AS ENUM ('INBOUND', 'OUTBOUND');

-- CreateTable
CREATE TABLE "email_thread_message" (
    "message_id" VARCHAR(998) NOT NULL,
    "ticket_id" UUID NOT NULL,
    "direction" "MailDirection" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_thread_message_pkey" PRIMARY KEY ("message_id")
);

-- CreateIndex
CREATE INDEX "email_thread_message_ticket_id_at_idx" ON "email_thread_message"("ticket_id", "at");

-- AddForeignKey
ALTER TABLE "email_thread_message" ADD CONSTRAINT "email_thread_message_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Like every enum, a text cast the planner can fold (see 20261123120000_enum_text_casts).
CREATE FUNCTION "enum_from_text_MailDirection"(label text) RETURNS "MailDirection" LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
  AS $body$ BEGIN RETURN label::varchar::"MailDirection"; END $body$;
CREATE CAST (text AS "MailDirection") WITH FUNCTION "enum_from_text_MailDirection"(text);
