-- The work queue's sort key: when a ticket's next deadline falls. It is the earliest due instant of the
-- ticket's clocks that still count (running, at risk, or breached and not yet stopped), and null while
-- the ticket waits on the citizen (a status its policy pauses on), once it is resolved, closed or
-- rejected, and when it has no clock. The SLA engine keeps it in the transaction that writes the clocks
-- (see next-due.ts); this backfills the tickets that exist.
ALTER TABLE "ticket" ADD COLUMN "next_due_at" TIMESTAMPTZ(3);

UPDATE "ticket" t
SET "next_due_at" = due.next_due_at
FROM (
  SELECT c."ticket_id", min(c."due_at") AS next_due_at
  FROM "ticket_clock" c
  WHERE c."state" IN ('RUNNING', 'AT_RISK') OR (c."state" = 'BREACHED' AND c."met_at" IS NULL)
  GROUP BY c."ticket_id"
) due
WHERE due."ticket_id" = t."id"
  AND t."status" NOT IN ('RESOLVED', 'CLOSED', 'REJECTED')
  AND NOT EXISTS (
    SELECT 1 FROM "ticket_clock" c JOIN "sla_policy" p ON p."id" = c."policy_id"
    WHERE c."ticket_id" = t."id" AND t."status" = ANY(p."pause_statuses")
  );

-- A unit's queue in deadline order: one office reads its page straight from the index (ascending, with
-- the tickets that have no deadline at the end, as btree keeps nulls last); a subtree reads each
-- unit's open tickets from it and sorts the few hundred it finds.
CREATE INDEX "ticket_unit_id_next_due_at_id_idx" ON "ticket"("unit_id", "next_due_at", "id");
