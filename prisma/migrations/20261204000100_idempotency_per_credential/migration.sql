-- An idempotency key belongs to the credential that used it: the same key from another caller is a
-- new request, so a replay can neither return nor confirm someone else's ticket.
ALTER TABLE "ticket" ADD COLUMN "idempotency_owner" VARCHAR(80);

-- Keys already used keep working for the caller that made them, read from the ticket's CREATED event.
UPDATE "ticket" t SET "idempotency_owner" = o.owner
FROM (
  SELECT DISTINCT ON (e."ticket_id") e."ticket_id",
    CASE WHEN e."actor_id" IS NOT NULL THEN 'user:' || e."actor_id"::text
         ELSE (SELECT 'key:' || k."id"::text FROM "api_key" k
               WHERE 'api-key:' || k."name" = e."actor_label" ORDER BY k."created_at" LIMIT 1)
    END AS owner
  FROM "ticket_event" e
  JOIN "ticket" tk ON tk."id" = e."ticket_id" AND tk."idempotency_key" IS NOT NULL
  WHERE e."type" = 'CREATED'
  ORDER BY e."ticket_id", e."sequence"
) o
WHERE t."id" = o."ticket_id";

DROP INDEX "ticket_idempotency_key_key";
CREATE UNIQUE INDEX "ticket_idempotency_owner_idempotency_key_key" ON "ticket"("idempotency_owner", "idempotency_key");
