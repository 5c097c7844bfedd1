import type { TicketStatus } from "../../generated/prisma/enums.js";

/** What a person can do to a ticket. Replies and notes are actions too: they may move the status. */
export type TicketAction =
  | "triage"
  | "assign"
  | "transfer"
  | "reply"
  | "note"
  | "waitOnCitizen"
  | "resume"
  | "resolve"
  | "close"
  | "reopen"
  | "reject"
  | "extend"
  | "rate"
  | "citizenMessage"
  | "fileIncomplete"
  | "fileComplete";

/** Past participles for error messages: "cannot be resolved". */
export const ACTION_VERB: Record<TicketAction, string> = {
  triage: "triaged",
  assign: "assigned",
  transfer: "transferred",
  reply: "replied to",
  note: "annotated",
  waitOnCitizen: "put on hold for the citizen",
  resume: "resumed",
  resolve: "resolved",
  close: "closed",
  reopen: "reopened",
  reject: "rejected",
  extend: "given more time",
  rate: "rated",
  citizenMessage: "written to by the citizen",
  fileIncomplete: "answered that its file is incomplete",
  fileComplete: "declared to have a complete file",
};

const OPEN_WORKING: TicketStatus[] = ["ASSIGNED", "IN_PROGRESS", "WAITING_ON_CITIZEN"];

/**
 * The lifecycle. Each action lists the statuses it may start from and the status it leads to;
 * `"same"` keeps the status. Anything not listed is refused. A transfer sends the ticket back to the
 * receiving unit's triage, unless nobody had triaged it yet. A reopened ticket goes back to its
 * assignee, or to triage when it never had one.
 */
type Target = TicketStatus | "same" | "back-to-work";

const TRANSITIONS: Record<TicketAction, Partial<Record<TicketStatus, Target>>> = {
  triage: { NEW: "TRIAGED" },
  assign: { TRIAGED: "ASSIGNED", ASSIGNED: "same", IN_PROGRESS: "same", WAITING_ON_CITIZEN: "same" },
  transfer: {
    NEW: "same",
    TRIAGED: "same",
    ASSIGNED: "TRIAGED",
    IN_PROGRESS: "TRIAGED",
    WAITING_ON_CITIZEN: "TRIAGED",
  },
  reply: {
    NEW: "same",
    TRIAGED: "same",
    ASSIGNED: "IN_PROGRESS",
    IN_PROGRESS: "same",
    WAITING_ON_CITIZEN: "same",
    RESOLVED: "same",
  },
  note: {
    NEW: "same",
    TRIAGED: "same",
    ASSIGNED: "same",
    IN_PROGRESS: "same",
    WAITING_ON_CITIZEN: "same",
    RESOLVED: "same",
    CLOSED: "same",
    REJECTED: "same",
  },
  waitOnCitizen: { ASSIGNED: "WAITING_ON_CITIZEN", IN_PROGRESS: "WAITING_ON_CITIZEN" },
  resume: { WAITING_ON_CITIZEN: "IN_PROGRESS" },
  resolve: { TRIAGED: "RESOLVED", ...Object.fromEntries(OPEN_WORKING.map((s) => [s, "RESOLVED"])) },
  close: { RESOLVED: "CLOSED" },
  reopen: { RESOLVED: "back-to-work", CLOSED: "back-to-work" },
  reject: { NEW: "REJECTED", TRIAGED: "REJECTED" },
  extend: { NEW: "same", TRIAGED: "same", ASSIGNED: "same", IN_PROGRESS: "same", WAITING_ON_CITIZEN: "same" },
  // The citizen's satisfaction survey follows the resolution.
  rate: { RESOLVED: "same", CLOSED: "same" },
  // A complaint's answer on its file (UU 25/2009): incomplete, it waits on the citizen to complete it;
  // complete, the examination starts and a ticket that waited on the citizen goes back to work.
  fileIncomplete: {
    ASSIGNED: "WAITING_ON_CITIZEN",
    IN_PROGRESS: "WAITING_ON_CITIZEN",
    WAITING_ON_CITIZEN: "same",
  },
  fileComplete: { ASSIGNED: "IN_PROGRESS", IN_PROGRESS: "same", WAITING_ON_CITIZEN: "IN_PROGRESS" },
  // The citizen writing again on a channel: a ticket waiting on their answer goes back to work.
  citizenMessage: {
    NEW: "same",
    TRIAGED: "same",
    ASSIGNED: "same",
    IN_PROGRESS: "same",
    WAITING_ON_CITIZEN: "IN_PROGRESS",
  },
};

/** Actions only a channel's intake takes; they are not offered to staff. */
const INTAKE_ONLY: ReadonlySet<TicketAction> = new Set(["citizenMessage"]);

export type TransitionResult = { ok: true; to: TicketStatus } | { ok: false };

export function transition(from: TicketStatus, action: TicketAction, context = { assigned: true }): TransitionResult {
  const target = TRANSITIONS[action][from];
  if (target === undefined) return { ok: false };
  if (target === "same") return { ok: true, to: from };
  if (target === "back-to-work") return { ok: true, to: context.assigned ? "IN_PROGRESS" : "TRIAGED" };
  return { ok: true, to: target };
}

/** What staff can do to a ticket: every action but those only intake performs. */
export type StaffAction = Exclude<TicketAction, "citizenMessage">;

export function allowedActions(from: TicketStatus): StaffAction[] {
  return (Object.keys(TRANSITIONS) as TicketAction[]).filter(
    (action): action is StaffAction => !INTAKE_ONLY.has(action) && TRANSITIONS[action][from] !== undefined,
  );
}

export const OPEN_STATUSES: TicketStatus[] = ["NEW", "TRIAGED", "ASSIGNED", "IN_PROGRESS", "WAITING_ON_CITIZEN"];
