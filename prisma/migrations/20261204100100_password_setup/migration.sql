-- One-time links that let a person set their password: an invitation for a new account, or a reset.
-- Only the SHA-256 of the link's token is stored; a link works once and for 24 hours. An account
-- created by invitation has no password until its link is used.

-- AlterTable
ALTER TABLE "app_user" ALTER COLUMN "password_hash" DROP NOT NULL;

-- CreateTable
CREATE TABLE "password_setup" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "token_hash" VARCHAR(64) NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "password_setup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "password_setup_token_hash_key" ON "password_setup"("token_hash");

-- CreateIndex
CREATE INDEX "password_setup_user_id_idx" ON "password_setup"("user_id");

-- AddForeignKey
ALTER TABLE "password_setup" ADD CONSTRAINT "password_setup_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
