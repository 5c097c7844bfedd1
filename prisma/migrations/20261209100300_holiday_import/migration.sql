-- A year's national holidays and cuti bersama as imported from its SKB: the decree and its source. Once a
-- year is imported its list is the decree's, so the shipped directory no longer adds days to that year.
CREATE TABLE "holiday_import" (
    "year" INTEGER NOT NULL,
    "decree" VARCHAR(500) NOT NULL,
    "source" TEXT,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "holiday_import_pkey" PRIMARY KEY ("year")
);
