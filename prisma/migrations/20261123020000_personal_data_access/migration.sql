-- Every read of unmasked personal data (a reporter's name, e-mail or phone), one row per ticket and
-- request, written before the response leaves the server.

-- CreateEnum
CREATE TYPE "AccessTransport" AS ENUM ('HTTP', 'WEBSOCKET');

-- CreateTable
CREATE TABLE "personal_data_access" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "user_id" UUID,
    "api_key_id" UUID,
    "ticket_id" UUID NOT NULL,
    "fields" TEXT[],
    "transport" "AccessTransport" NOT NULL,
    "operation_name" VARCHAR(120),

    CONSTRAINT "personal_data_access_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "personal_data_access_ticket_id_at_idx" ON "personal_data_access"("ticket_id", "at");

-- CreateIndex
CREATE INDEX "personal_data_access_user_id_at_idx" ON "personal_data_access"("user_id", "at");

-- CreateIndex
CREATE INDEX "personal_data_access_api_key_id_at_idx" ON "personal_data_access"("api_key_id", "at");

-- CreateIndex
CREATE INDEX "personal_data_access_at_idx" ON "personal_data_access"("at");

-- AddForeignKey
ALTER TABLE "personal_data_access" ADD CONSTRAINT "personal_data_access_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "personal_data_access" ADD CONSTRAINT "personal_data_access_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "personal_data_access" ADD CONSTRAINT "personal_data_access_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Beyond Prisma: the log is evidence, so it may only grow (a person or key it names is deactivated, not
-- deleted), and every row names exactly one reader.
ALTER TABLE "personal_data_access" ADD CONSTRAINT "personal_data_access_one_reader"
  CHECK (("user_id" IS NULL) <> ("api_key_id" IS NULL));

CREATE FUNCTION "personal_data_access_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'personal_data_access is append-only (% refused)', TG_OP USING ERRCODE = 'P0001';
END;
$$;

CREATE TRIGGER "personal_data_access_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "personal_data_access"
  FOR EACH ROW EXECUTE FUNCTION "personal_data_access_append_only"();
