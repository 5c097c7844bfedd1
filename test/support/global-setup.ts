import { postgresUnavailableReason } from "./databases.js";

export default async function setup() {
  const reason = await postgresUnavailableReason();
  const banner = reason
    ? `\n${"!".repeat(78)}\n!! PostgreSQL is NOT reachable (${reason}).\n!! The black-box suite runs on PGlite ONLY; the Postgres run is SKIPPED.\n${"!".repeat(78)}\n`
    : "\nBlack-box suite: running every test on PGlite AND on PostgreSQL.\n";
  process.stdout.write(banner);
  if (reason && process.env.REQUIRE_POSTGRES === "1")
    throw new Error("REQUIRE_POSTGRES=1 but PostgreSQL is unreachable");
}
