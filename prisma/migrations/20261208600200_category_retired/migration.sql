-- A category is retired, never deleted: tickets filed under it keep it, new ones cannot choose it.
ALTER TABLE "category" ADD COLUMN "retired_at" TIMESTAMPTZ(3);
