-- A citizen who reported through the public web form tracks the ticket with its number and a private
-- tracking code. Only the code's SHA-256 is kept (the code is 100 random bits, so a fast hash suffices);
-- the row is written in the same statement as the ticket, so no ticket from the form exists without it.
CREATE TABLE "ticket_tracking" (
    "ticket_id" UUID NOT NULL,
    "code_hash" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ticket_tracking_pkey" PRIMARY KEY ("ticket_id")
);

ALTER TABLE "ticket_tracking" ADD CONSTRAINT "ticket_tracking_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The key that signs the form's proof-of-work challenges, one per database so that every instance of a
-- deployment accepts the challenges of the others. The server writes it at its first start.
CREATE TABLE "public_intake_key" (
    "id" INTEGER NOT NULL,
    "secret" VARCHAR(128) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "public_intake_key_pkey" PRIMARY KEY ("id")
);
