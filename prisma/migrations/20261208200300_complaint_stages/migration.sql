-- A policy's stage clocks beyond first response and resolution (e.g. a complaint's answer on the file, the
-- citizen's time to complete it, the examination from the complete file): a JSON list of
-- { kind, amount, unit, counting, basis, source }, checked by the server when saved. Empty: no stages.
ALTER TABLE "sla_policy" ADD COLUMN "stages" JSONB NOT NULL DEFAULT '[]';
