-- CreateTable
CREATE TABLE "event_outbox" (
    "event_sequence" BIGINT NOT NULL,

    CONSTRAINT "event_outbox_pkey" PRIMARY KEY ("event_sequence")
);

-- CreateTable
CREATE TABLE "event_stream" (
    "position" BIGINT NOT NULL,
    "event_sequence" BIGINT NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "from_unit_id" INTEGER,
    "ticket_id" UUID NOT NULL,
    "type" "TicketEventType" NOT NULL,
    "streamed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_stream_pkey" PRIMARY KEY ("position")
);

-- CreateTable
CREATE TABLE "event_relay" (
    "id" INTEGER NOT NULL,
    "published_through" BIGINT NOT NULL DEFAULT 0,
    "stream_id" UUID NOT NULL DEFAULT gen_random_uuid(),

    CONSTRAINT "event_relay_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "event_stream_event_sequence_key" ON "event_stream"("event_sequence");

-- CreateIndex
CREATE INDEX "event_stream_streamed_at_idx" ON "event_stream"("streamed_at");

-- AddForeignKey
ALTER TABLE "event_outbox" ADD CONSTRAINT "event_outbox_event_sequence_fkey" FOREIGN KEY ("event_sequence") REFERENCES "ticket_event"("sequence") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_stream" ADD CONSTRAINT "event_stream_event_sequence_fkey" FOREIGN KEY ("event_sequence") REFERENCES "ticket_event"("sequence") ON DELETE RESTRICT ON UPDATE CASCADE;

INSERT INTO "event_relay" ("id", "published_through") VALUES (1, 0);

-- Every event enters the outbox in the transaction that writes it, whoever writes it.
CREATE FUNCTION "ticket_event_enqueue"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "event_outbox" ("event_sequence") SELECT "sequence" FROM "inserted";
  -- Delivered at commit only, so the relay wakes exactly when there is something it can see.
  PERFORM pg_notify('event_outbox', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "ticket_event_to_outbox"
  AFTER INSERT ON "ticket_event"
  REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "ticket_event_enqueue"();

-- Events written before the stream existed are history: they take the first positions, in log order.
INSERT INTO "event_stream" ("position", "event_sequence", "unit_id", "from_unit_id", "ticket_id", "type", "streamed_at")
SELECT row_number() OVER (ORDER BY e."sequence"), e."sequence", e."unit_id", fu."id", e."ticket_id", e."type", e."at"
FROM "ticket_event" e
LEFT JOIN "unit" fu ON e."type" = 'TRANSFERRED' AND fu."code" = e."data"->>'fromUnitCode';

UPDATE "event_relay" SET "published_through" = (SELECT coalesce(max("position"), 0) FROM "event_stream");
