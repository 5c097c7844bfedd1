-- A regional day off moves the legal deadlines of every open ticket in the unit's subtree: it is set by the
-- directorate or the regional office, with the reason written down (e.g. a governor's decree, a disaster).
ALTER TABLE "holiday" ADD COLUMN "reason" TEXT;
