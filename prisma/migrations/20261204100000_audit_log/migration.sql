-- One row per administrative change (staff, roles, units, categories, policies, holidays, business
-- hours, keys, sessions, rate tiers): who made it, when, to what, and the values before and after.
-- Written in the transaction of the change itself, so it exists exactly when the change committed.

-- CreateEnum
CREATE TYPE "AuditActorKind" AS ENUM ('USER', 'API_KEY', 'SYSTEM');

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_kind" "AuditActorKind" NOT NULL,
    "user_id" UUID,
    "api_key_id" UUID,
    "actor_name" VARCHAR(200) NOT NULL,
    "entity_type" VARCHAR(64) NOT NULL,
    "entity_id" VARCHAR(128) NOT NULL,
    "action" VARCHAR(64) NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "unit_id" INTEGER,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_log_entity_type_entity_id_id_idx" ON "audit_log"("entity_type", "entity_id", "id");

-- CreateIndex
CREATE INDEX "audit_log_user_id_id_idx" ON "audit_log"("user_id", "id");

-- CreateIndex
CREATE INDEX "audit_log_api_key_id_id_idx" ON "audit_log"("api_key_id", "id");

-- CreateIndex
CREATE INDEX "audit_log_unit_id_id_idx" ON "audit_log"("unit_id", "id");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Beyond Prisma: the log is evidence, so it may only grow (people and keys it names are deactivated or
-- revoked, never deleted), and the actor columns agree with the actor's kind. The foreign keys' SET NULL
-- is Prisma's default for optional relations; the trigger refuses that update, so deleting a person, key
-- or unit the log names fails, as it should.
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_matches_kind" CHECK (
  ("actor_kind" = 'USER' AND "user_id" IS NOT NULL AND "api_key_id" IS NULL) OR
  ("actor_kind" = 'API_KEY' AND "api_key_id" IS NOT NULL AND "user_id" IS NULL) OR
  ("actor_kind" = 'SYSTEM' AND "user_id" IS NULL AND "api_key_id" IS NULL)
);

CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'P0001';
END;
$$;

CREATE TRIGGER "audit_log_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();

-- TRUNCATE skips row triggers; refuse it too.
CREATE TRIGGER "audit_log_no_truncate"
  BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();

-- Like every enum, a text cast the planner can fold (see 20261123120000_enum_text_casts).
CREATE FUNCTION "enum_from_text_AuditActorKind"(label text) RETURNS "AuditActorKind" LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
  AS $body$ BEGIN RETURN label::varchar::"AuditActorKind"; END $body$;
CREATE CAST (text AS "AuditActorKind") WITH FUNCTION "enum_from_text_AuditActorKind"(text);
