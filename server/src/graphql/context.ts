import type { Database } from "../db/database.js";
import type { Unit } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import type { LoginThrottle } from "../modules/auth/login-throttle.js";
import type { Viewer } from "../modules/auth/viewer.js";
import type { PublicIntakeDeps } from "../modules/public-intake/public-intake-service.js";
import type { Realtime } from "../modules/realtime/realtime.js";
import type { CalendarDirectory } from "../modules/sla/calendar-directory.js";
import type { PersonalDataReads } from "../modules/tickets/personal-data-log.js";
import type { TicketDeps } from "../modules/tickets/ticket-service.js";
import type { UnitTree } from "../modules/units/unit-tree.js";

/** Built once per operation; everything a resolver may touch. */
export interface Context {
  readonly db: Database;
  /** The unit tree with each unit's whole row. */
  readonly units: UnitTree<Unit>;
  readonly viewer: Viewer;
  /** The credential the viewer was read from, for re-checking long-lived subscriptions. */
  readonly authorization: string | null;
  /** Where the request came from (after trusted proxies): the budget of anonymous callers and sign-in throttling. */
  readonly clientAddress: string;
  /** How the operation arrived: HTTP answers can carry status codes and headers, WebSocket messages cannot. */
  readonly transport: "http" | "websocket";
  readonly loginThrottle: LoginThrottle;
  readonly realtime: Realtime;
  /** Unmasked personal data read so far, written to the access log before the response is sent. */
  readonly personalData: PersonalDataReads;
  readonly tickets: TicketDeps;
  /** The citizens' web form and tracking: its limits, challenge key and settings. */
  readonly publicIntake: PublicIntakeDeps;
  readonly logger: Logger;
  /** Office calendars of the units, for time left on clocks. */
  readonly calendars: () => CalendarDirectory;
  /** After a calendar or holiday change: reload calendars and recompute open clocks in the background. */
  readonly calendarsChanged: (unitIds?: readonly number[]) => Promise<void>;
  /**
   * After a unit was added, changed or moved: reload the tree (scopes, figures' groups) and the calendars;
   * with `recompute`, recompute the open clocks of those units (a new time zone moves their deadlines).
   */
  readonly unitsChanged: (recompute?: readonly number[]) => Promise<void>;
  /** The wall clock: replaced in tests that need a given date (e.g. 1 October for the holiday notice). */
  readonly now: () => Date;
  /** After a policy change: new tickets match the new version at once. */
  readonly policiesChanged: () => void;
  /** For staff administration: the base of password links, and passwords no account may choose. */
  readonly staff: { readonly publicUrl: string; readonly knownPasswords: readonly string[] };
  /** Third parties' endpoints: whether loopback http is allowed (tests and local development only). */
  readonly webhooks: { readonly allowLoopbackHttp: boolean };
}
