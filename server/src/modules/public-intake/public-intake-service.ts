import { randomBytes } from "node:crypto";
import type { Database } from "../../db/database.js";
import {
  ChallengeError,
  ConsentRequiredError,
  IdempotencyConflictError,
  NotFoundError,
  SubmissionRefusedError,
  UnknownUnitError,
  ValidationError,
} from "../../errors.js";
import type { Unit } from "../../generated/prisma/client.js";
import type { TicketKind, TicketStatus } from "../../generated/prisma/enums.js";
import { intakeViewer } from "../inbound/intake-viewer.js";
import { parseInput } from "../tickets/ticket-input.js";
import { createTicket, type TicketDeps } from "../tickets/ticket-service.js";
import type { UnitTree } from "../units/unit-tree.js";
import { type Challenge, checkSolution, issueChallenge } from "./proof-of-work.js";
import { type PublicReportInput, publicReportInput, subjectFrom } from "./public-input.js";
import type { PublicLimits } from "./public-limits.js";
import { hashTrackingCode, MAX_CODE_INPUT, newTrackingCode, sameHash } from "./tracking-code.js";

export interface PublicIntakeSettings {
  /** Leading zero bits the proof-of-work needs: about 2^bits SHA-256 hashes in the citizen's browser. */
  readonly powBits: number;
  /** How long a challenge may be solved and spent. */
  readonly challengeTtlMs: number;
}

export interface PublicIntakeDeps {
  readonly db: Database;
  readonly units: () => UnitTree<Unit>;
  readonly tickets: TicketDeps;
  readonly limits: PublicLimits;
  readonly settings: PublicIntakeSettings;
  /** The deployment's challenge-signing key (public_intake_key). */
  readonly key: () => Promise<Buffer>;
  readonly now?: () => Date;
}

/** The key that signs challenges: written once per database (the first instance to start wins), then read. */
export function intakeKey(db: Database): () => Promise<Buffer> {
  let loaded: Promise<Buffer> | null = null;
  return () => {
    loaded ??= (async () => {
      await db.sql.query("INSERT INTO public_intake_key (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING", [
        randomBytes(32).toString("base64url"),
      ]);
      const [row] = await db.sql.query<{ secret: string }>("SELECT secret FROM public_intake_key WHERE id = 1");
      if (!row) throw new Error("public_intake_key has no row");
      return Buffer.from(row.secret, "base64url");
    })().catch((error: unknown) => {
      loaded = null;
      throw error;
    });
    return loaded;
  };
}

/** Units a citizen may address a report to: every active unit of the directory. */
export function publicUnits(tree: UnitTree<Unit>): Unit[] {
  return [...tree.all()]
    .filter((unit) => unit.active)
    .sort(
      (a, b) =>
        a.provinceName.localeCompare(b.provinceName, "id") ||
        (a.city ?? "").localeCompare(b.city ?? "", "id") ||
        a.name.localeCompare(b.name, "id"),
    );
}

export async function newChallenge(deps: PublicIntakeDeps): Promise<Challenge> {
  const now = deps.now?.() ?? new Date();
  return issueChallenge(await deps.key(), now, { bits: deps.settings.powBits, ttlMs: deps.settings.challengeTtlMs });
}

export interface SubmittedReport {
  readonly ticketNumber: string;
  /** Shown once; only its hash is kept. */
  readonly trackingCode: string;
  readonly unit: Unit;
  readonly createdAt: Date;
}

const CHALLENGE_MESSAGES = {
  MALFORMED: "The proof-of-work is malformed; ask for a new challenge.",
  FORGED: "The challenge was not issued by this server; ask for a new one.",
  UNSOLVED: "The nonce does not solve the challenge.",
} as const;

/**
 * A citizen's report from the public web form, checked in order of cost: its fields, the consent, the hidden
 * field, the proof-of-work (one HMAC and one hash), the unit; then the address's report limit is charged and
 * the ticket is created through the ticket service like any intake's. The ticket's idempotency key is the
 * challenge's id, so the statement that creates the ticket (with its tracking code hash) also spends the
 * challenge: a replay conflicts with it and nothing is written twice.
 */
export async function submitPublicReport(
  deps: PublicIntakeDeps,
  raw: PublicReportInput,
  address: string,
): Promise<SubmittedReport> {
  const input = parseInput(publicReportInput, raw);
  if (!input.consent) throw new ConsentRequiredError();
  if (input.website?.trim()) throw new SubmissionRefusedError();
  const now = deps.now?.() ?? new Date();
  const check = checkSolution(await deps.key(), input.challenge, input.nonce, now, deps.settings.powBits);
  if (!check.ok) {
    if (check.reason === "EXPIRED")
      throw new ChallengeError("CHALLENGE_EXPIRED", "The challenge has expired; ask for a new one.");
    throw new ChallengeError("CHALLENGE_INVALID", CHALLENGE_MESSAGES[check.reason]);
  }
  const tree = deps.units();
  const unit = tree.byCode(input.unitCode);
  if (!unit?.active) throw new UnknownUnitError(input.unitCode);
  await deps.limits.report(address);

  const trackingCode = newTrackingCode();
  const idempotencyKey = `web-form:${check.id}`;
  try {
    const ticket = await createTicket(
      deps.tickets,
      // The channel principal every intake uses; its events name it channel:web-form.
      intakeViewer(deps.tickets, "web-form", "Web form"),
      {
        idempotencyKey,
        unitCode: unit.code,
        kind: input.kind,
        channel: "WEB_FORM",
        subject: input.subject ?? subjectFrom(input.description),
        description: input.description,
        categoryCode: input.categoryCode ?? null,
        reporter: {
          name: input.contact.name ?? null,
          email: input.contact.email ?? null,
          phone: input.contact.phone ?? null,
        },
      },
      { trackingCodeHash: hashTrackingCode(trackingCode) },
    );
    return { ticketNumber: ticket.number, trackingCode, unit, createdAt: ticket.createdAt };
  } catch (error) {
    if (error instanceof IdempotencyConflictError) {
      throw new ChallengeError("CHALLENGE_USED", "This challenge was already spent on a report; ask for a new one.");
    }
    throw error;
  }
}

export interface PublicReply {
  readonly id: string;
  readonly body: string;
  readonly at: Date;
}

export interface PublicOutcome {
  readonly kind: "RESOLVED" | "REJECTED";
  readonly at: Date;
  /** The resolution sent to the citizen, or the reason of the rejection. */
  readonly message: string | null;
}

export interface PublicTicketView {
  readonly number: string;
  readonly subject: string;
  readonly description: string;
  readonly kind: TicketKind;
  readonly status: TicketStatus;
  readonly createdAt: Date;
  readonly unit: Unit;
  readonly categoryCode: string | null;
  readonly nextDueAt: Date | null;
  readonly replies: readonly PublicReply[];
  readonly outcome: PublicOutcome | null;
}

interface TrackedRow {
  id: string;
  number: string;
  subject: string;
  description: string;
  kind: TicketKind;
  status: TicketStatus;
  unit_id: number;
  category_code: string | null;
  created_at: Date;
  next_due_at: Date | null;
  code_hash: string | null;
}

/** Compared against when no ticket has the number, so a wrong number costs what a wrong code does. */
const ABSENT_HASH = randomBytes(32).toString("hex");
const NOT_TRACKED = "No ticket with this number and tracking code.";
const MAX_NUMBER_INPUT = 32;

/**
 * What a citizen sees of their ticket with its number and tracking code: never staff names, internal notes,
 * or contact data. A wrong number and a wrong code take the same path (the limits, one look-up by number, a
 * constant-time comparison with the stored hash or a stand-in) and end in the same NOT_FOUND.
 */
export async function publicTicket(
  deps: PublicIntakeDeps,
  args: { number: string; trackingCode: string },
  address: string,
): Promise<PublicTicketView> {
  if (args.number.length > MAX_NUMBER_INPUT) {
    throw new ValidationError(`number: at most ${MAX_NUMBER_INPUT} characters`, "number");
  }
  if (args.trackingCode.length > MAX_CODE_INPUT) {
    throw new ValidationError(`trackingCode: at most ${MAX_CODE_INPUT} characters`, "trackingCode");
  }
  const number = args.number.trim().toUpperCase();
  await deps.limits.lookup(address, number);
  const [row] = await deps.db.sql.prepared<TrackedRow>(
    "public_ticket_lookup",
    `SELECT t.id, t.number, t.subject, t.description, t.kind::text AS kind, t.status::text AS status, t.unit_id,
       c.code AS category_code, t.created_at, t.next_due_at, tr.code_hash
     FROM ticket t
     LEFT JOIN ticket_tracking tr ON tr.ticket_id = t.id
     LEFT JOIN category c ON c.id = t.category_id
     WHERE t.number = $1`,
    [number],
  );
  const matches = sameHash(row?.code_hash ?? ABSENT_HASH, hashTrackingCode(args.trackingCode));
  if (!row || row.code_hash === null || !matches) throw new NotFoundError(NOT_TRACKED);
  const unit = deps.units().get(row.unit_id);
  if (!unit) throw new NotFoundError(NOT_TRACKED);

  const [replies, outcomes] = await Promise.all([
    deps.db.sql.prepared<{ id: string; body: string; created_at: Date }>(
      "public_ticket_replies",
      `SELECT id, body, created_at FROM message
       WHERE ticket_id = $1::uuid AND visibility = 'PUBLIC_REPLY' ORDER BY created_at, id`,
      [row.id],
    ),
    deps.db.sql.prepared<{ type: "RESOLVED" | "REJECTED"; at: Date; data: { messageId?: string; reason?: string } }>(
      "public_ticket_outcome",
      `SELECT type::text AS type, at, data FROM ticket_event
       WHERE ticket_id = $1::uuid AND type::text IN ('RESOLVED', 'REJECTED') ORDER BY sequence DESC LIMIT 1`,
      [row.id],
    ),
  ]);
  const publicReplies = replies.map((reply) => ({ id: reply.id, body: reply.body, at: reply.created_at }));
  return {
    number: row.number,
    subject: row.subject,
    description: row.description,
    kind: row.kind,
    status: row.status,
    createdAt: row.created_at,
    unit,
    categoryCode: row.category_code,
    nextDueAt: row.next_due_at,
    replies: publicReplies,
    outcome: outcomeOf(row.status, outcomes[0], publicReplies),
  };
}

/** The ticket's outcome once it has one: its last resolution or rejection, unless it was reopened since. */
export function outcomeOf(
  status: TicketStatus,
  last: { type: "RESOLVED" | "REJECTED"; at: Date; data: { messageId?: string; reason?: string } } | undefined,
  replies: readonly PublicReply[],
): PublicOutcome | null {
  if (!last) return null;
  if (last.type === "REJECTED" && status === "REJECTED") {
    return { kind: "REJECTED", at: last.at, message: last.data.reason ?? null };
  }
  if (last.type === "RESOLVED" && (status === "RESOLVED" || status === "CLOSED")) {
    const resolution = replies.find((reply) => reply.id === last.data.messageId);
    return { kind: "RESOLVED", at: last.at, message: resolution?.body ?? null };
  }
  return null;
}
