import type { Database } from "../../db/database.js";

/** Logged by a production start that nobody could sign in to. */
export const FIRST_ADMINISTRATOR_HINT =
  "No active directorate account: create one with `pnpm admin create-user --email <e-mail> --name <name> --role DIRECTORATE --unit IMI`";

export async function hasActiveDirectorate(db: Database): Promise<boolean> {
  const [row] = await db.sql.query<{ any: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM app_user WHERE role = 'DIRECTORATE' AND active) AS any",
  );
  return row?.any ?? false;
}
