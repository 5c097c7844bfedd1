-- A period reads a unit's daily counts for a run of days. Every event updates its day's row, so the rows
-- of a unit are spread over as many heap pages as it has days; with the counts in the index the read is
-- an index-only scan.
CREATE INDEX "metric_daily_read_idx" ON "metric_daily"("unit_id", "day")
INCLUDE ("created", "resolved", "closed", "rejected", "reopened", "transfers_in", "transfers_out", "first_response_met",
         "first_response_breached", "resolution_met", "resolution_breached", "ratings", "rating_sum", "ratings_satisfied");

-- Transfers into a subtree, by receiving unit (those out of it are found by the primary key).
CREATE INDEX "metric_transfer_daily_to_unit_id_day_idx" ON "metric_transfer_daily"("to_unit_id", "day");
CREATE INDEX "metric_transfer_hourly_to_unit_id_hour_idx" ON "metric_transfer_hourly"("to_unit_id", "hour");
