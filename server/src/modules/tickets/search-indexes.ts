import type { Sql } from "../../db/database.js";

/**
 * Drops the trigram search indexes of the ticket table for a bulk load in the caller's transaction, and
 * returns what builds them again. Kept up row by row, the two GIN indexes made the demo's 22,000-ticket
 * load about 40 s slower on a busy machine (PGlite); built once afterwards they take about 3 s of CPU.
 */
export async function dropSearchIndexes(sql: Sql): Promise<() => Promise<void>> {
  const indexes = await sql.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename = 'ticket' AND indexdef LIKE '%gin_trgm_ops%'`,
  );
  for (const index of indexes) await sql.exec(`DROP INDEX "${index.name.replaceAll('"', '""')}"`);
  return async () => {
    for (const index of indexes) await sql.exec(index.definition);
  };
}
