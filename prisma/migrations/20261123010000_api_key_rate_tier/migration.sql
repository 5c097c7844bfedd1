-- CreateEnum
CREATE TYPE "RateTier" AS ENUM ('STANDARD', 'PARTNER', 'INTERNAL');

-- AlterTable
-- Existing keys keep the smallest budget until the directorate raises them.
ALTER TABLE "api_key" ADD COLUMN "rate_tier" "RateTier" NOT NULL DEFAULT 'STANDARD';
