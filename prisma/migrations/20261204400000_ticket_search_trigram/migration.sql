-- A search is a substring match (ILIKE '%term%') on the subject and the description: without an index
-- every search, and every count of one, reads the whole ticket table. Trigram GIN indexes answer
-- ILIKE with a bitmap of the rows holding the term's trigrams, for terms of at least three letters or
-- digits (the API refuses shorter ones). pg_trgm is a trusted extension on PostgreSQL 13+, and PGlite
-- ships it (loaded where the database is opened).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "ticket_subject_trgm_idx" ON "ticket" USING gin ("subject" gin_trgm_ops);
CREATE INDEX "ticket_description_trgm_idx" ON "ticket" USING gin ("description" gin_trgm_ops);
