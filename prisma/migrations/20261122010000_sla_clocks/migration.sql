-- AlterEnum
ALTER TYPE "TicketEventType" ADD VALUE 'SLA_AT_RISK';
ALTER TYPE "TicketEventType" ADD VALUE 'SLA_BREACHED';
ALTER TYPE "TicketEventType" ADD VALUE 'SLA_MET';
ALTER TYPE "TicketEventType" ADD VALUE 'SLA_PAUSED';
ALTER TYPE "TicketEventType" ADD VALUE 'SLA_RESUMED';
ALTER TYPE "TicketEventType" ADD VALUE 'SLA_EXTENDED';

-- CreateEnum
CREATE TYPE "ClockKind" AS ENUM ('FIRST_RESPONSE', 'RESOLUTION');

-- CreateEnum
CREATE TYPE "ClockState" AS ENUM ('RUNNING', 'PAUSED', 'AT_RISK', 'BREACHED', 'MET');

-- CreateEnum
CREATE TYPE "TargetUnit" AS ENUM ('MINUTES', 'WORKING_DAYS', 'DAYS');

-- CreateEnum
CREATE TYPE "Counting" AS ENUM ('BUSINESS_HOURS', 'ALL_HOURS');

-- CreateEnum
CREATE TYPE "HolidayKind" AS ENUM ('NATIONAL', 'CUTI_BERSAMA', 'REGIONAL');

-- CreateTable
CREATE TABLE "business_calendar" (
    "unit_id" INTEGER NOT NULL,
    "week" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "business_calendar_pkey" PRIMARY KEY ("unit_id")
);

-- CreateTable
CREATE TABLE "holiday" (
    "id" SERIAL NOT NULL,
    "date" DATE NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "kind" "HolidayKind" NOT NULL,
    "unit_id" INTEGER,
    "source" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "holiday_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sla_policy" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(64) NOT NULL,
    "version" INTEGER NOT NULL,
    "current" BOOLEAN NOT NULL DEFAULT true,
    "name" VARCHAR(200) NOT NULL,
    "position" INTEGER NOT NULL,
    "match_kinds" "TicketKind"[],
    "match_channels" "Channel"[],
    "match_categories" TEXT[],
    "match_priorities" "Priority"[],
    "first_response_amount" DOUBLE PRECISION NOT NULL,
    "first_response_unit" "TargetUnit" NOT NULL,
    "first_response_counting" "Counting" NOT NULL,
    "resolution_amount" DOUBLE PRECISION NOT NULL,
    "resolution_unit" "TargetUnit" NOT NULL,
    "resolution_counting" "Counting" NOT NULL,
    "extension_amount" DOUBLE PRECISION,
    "pause_statuses" "TicketStatus"[],
    "at_risk_ratio" DOUBLE PRECISION NOT NULL,
    "legal_source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sla_policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ticket_clock" (
    "ticket_id" UUID NOT NULL,
    "kind" "ClockKind" NOT NULL,
    "policy_id" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "at_risk_at" TIMESTAMPTZ(3) NOT NULL,
    "state" "ClockState" NOT NULL,
    "elapsed_minutes" DOUBLE PRECISION NOT NULL,
    "budget_minutes" DOUBLE PRECISION NOT NULL,
    "paused_minutes" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "extended_at" TIMESTAMPTZ(3),
    "met_at" TIMESTAMPTZ(3),
    "breached_at" TIMESTAMPTZ(3),
    "next_check_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ticket_clock_pkey" PRIMARY KEY ("ticket_id","kind")
);

-- CreateIndex
CREATE INDEX "holiday_date_idx" ON "holiday"("date");

-- CreateIndex
CREATE INDEX "sla_policy_current_position_idx" ON "sla_policy"("current", "position");

-- CreateIndex
CREATE UNIQUE INDEX "sla_policy_code_version_key" ON "sla_policy"("code", "version");

-- CreateIndex
CREATE INDEX "ticket_clock_next_check_at_idx" ON "ticket_clock"("next_check_at");

-- CreateIndex
CREATE INDEX "ticket_clock_state_kind_idx" ON "ticket_clock"("state", "kind");

-- AddForeignKey
ALTER TABLE "business_calendar" ADD CONSTRAINT "business_calendar_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "holiday" ADD CONSTRAINT "holiday_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ticket_clock" ADD CONSTRAINT "ticket_clock_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ticket_clock" ADD CONSTRAINT "ticket_clock_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "sla_policy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Beyond what schema.prisma can express:

-- At most one current version per policy code.
CREATE UNIQUE INDEX "sla_policy_current_code_key" ON "sla_policy"("code") WHERE "current";
-- A national holiday is listed once per date; a regional one once per date and unit.
CREATE UNIQUE INDEX "holiday_national_date_key" ON "holiday"("date") WHERE "unit_id" IS NULL;
CREATE UNIQUE INDEX "holiday_regional_date_unit_key" ON "holiday"("date", "unit_id") WHERE "unit_id" IS NOT NULL;
