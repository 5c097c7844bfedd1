import { graphql } from "../../graphql/graphql.js";
import { TicketDetailFields } from "./ticket-fields.js";

/** What an action asks of the person taking it, besides pressing the button. */
export type ActionField =
  | "body"
  | "reason"
  | "optionalReason"
  | "resolution"
  | "assignee"
  | "unitCode"
  | "missing"
  | "answer"
  | "kind"
  | "category"
  | "priority";

const ResultFields = graphql(`
  fragment ActionError on Error { code message ... on ValidationError { field } }
`);

export const ACTION_MUTATIONS = {
  triage: graphql(
    `mutation Triage($input: TriageTicketInput!) {
      result: triageTicket(input: $input) {
        __typename ...ActionError
        ... on TriageTicketSuccess { ticket { ...TicketDetailFields } }
      }
    }`,
    [ResultFields, TicketDetailFields],
  ),
  assign: graphql(
    `mutation Assign($input: AssignTicketInput!) {
      result: assignTicket(input: $input) {
        __typename ...ActionError
        ... on AssignTicketSuccess { ticket { ...TicketDetailFields } }
      }
    }`,
    [ResultFields, TicketDetailFields],
  ),
  transfer: graphql(
    `mutation Transfer($input: TransferTicketInput!) {
      result: transferTicket(input: $input) {
        __typename ...ActionError
        ... on TransferTicketSuccess { ticket { id number status inScope unit { id code name } } }
      }
    }`,
    [ResultFields],
  ),
  reply: graphql(
    `mutation Reply($input: TicketMessageInput!) {
      result: replyToTicket(input: $input) {
        __typename ...ActionError
        ... on ReplyToTicketSuccess { ticket { ...TicketDetailFields } }
      }
    }`,
    [ResultFields, TicketDetailFields],
  ),
  note: graphql(
    `mutation Note($input: TicketMessageInput!) {
      result: addInternalNote(input: $input) {
        __typename ...ActionError
        ... on AddInternalNoteSuccess { ticket { ...TicketDetailFields } }
      }
    }`,
    [ResultFields, TicketDetailFields],
  ),
  waitOnCitizen: graphql(
    `mutation Wait($input: WaitOnCitizenInput!) {
      result: waitOnCitizen(input: $input) {
        __typename ...ActionError
        ... on WaitOnCitizenSuccess { ticket { ...TicketDetailFields } }
      }
    }`,
    [ResultFields, TicketDetailFields],
  ),
  resume: graphql(
    `mutation Resume($input: TicketIdInput!) {
      result: resumeTicket(input: $input) {
        __typename ...ActionError
        ... on ResumeTicketSuccess { ticket { ...TicketDetailFields } }
      }
    }`,
    [ResultFields, TicketDetailFields],
  ),
  resolve: graphql(
    `mutation Resolve($input: ResolveTicketInput!) {
      result: resolveTicket(input: $input) {
        __typename ...ActionError
        ... on ResolveTicketSuccess { ticket { ...TicketDetailFields } }
      }
    }`,
    [ResultFields, TicketDetailFields],
  ),
  close: graphql(
    `mutation Close($input: TicketIdInput!) {
      result: closeTicket(input: $input) {
        __typename ...ActionError
        ... on CloseTicketSuccess { ticket { ...TicketDetailFields } }
      }
    }`,
    [ResultFields, TicketDetailFields],
  ),
  reopen: graphql(
    `mutation Reopen($input: TicketReasonInput!) {
      result: reopenTicket(input: $input) {
        __typename ...ActionError
        ... on ReopenTicketSuccess { ticket { ...TicketDetailFields } }
      }
    }`,
    [ResultFields, TicketDetailFields],
  ),
  reject: graphql(
    `mutation Reject($input: TicketReasonInput!) {
      result: rejectTicket(input: $input) {
        __typename ...ActionError
        ... on RejectTicketSuccess { ticket { ...TicketDetailFields } }
      }
    }`,
    [ResultFields, TicketDetailFields],
  ),
  // Asks for the KIP extension; a supervisor decides (grantExtension, refuseExtension).
  extend: graphql(
    `mutation RequestExtension($input: RequestDeadlineExtensionInput!) {
      result: requestDeadlineExtension(input: $input) {
        __typename ...ActionError
        ... on RequestDeadlineExtensionSuccess { ticket { ...TicketDetailFields } }
      }
    }`,
    [ResultFields, TicketDetailFields],
  ),
  grantExtension: graphql(
    `mutation GrantExtension($input: DecideDeadlineExtensionInput!) {
      result: decideDeadlineExtension(input: $input) {
        __typename ...ActionError
        ... on DecideDeadlineExtensionSuccess { ticket { ...TicketDetailFields } }
      }
    }`,
    [ResultFields, TicketDetailFields],
  ),
  refuseExtension: graphql(
    `mutation RefuseExtension($input: DecideDeadlineExtensionInput!) {
      result: decideDeadlineExtension(input: $input) {
        __typename ...ActionError
        ... on DecideDeadlineExtensionSuccess { ticket { ...TicketDetailFields } }
      }
    }`,
    [ResultFields, TicketDetailFields],
  ),
  fileIncomplete: graphql(
    `mutation FileIncomplete($input: DeclareFileIncompleteInput!) {
      result: declareFileIncomplete(input: $input) {
        __typename ...ActionError
        ... on DeclareFileIncompleteSuccess { ticket { ...TicketDetailFields } }
      }
    }`,
    [ResultFields, TicketDetailFields],
  ),
  fileComplete: graphql(
    `mutation FileComplete($input: DeclareFileCompleteInput!) {
      result: declareFileComplete(input: $input) {
        __typename ...ActionError
        ... on DeclareFileCompleteSuccess { ticket { ...TicketDetailFields } }
      }
    }`,
    [ResultFields, TicketDetailFields],
  ),
} as const;

export type StaffAction = keyof typeof ACTION_MUTATIONS;

/** Fields a form may leave empty: the action keeps what the ticket has. */
const OPTIONAL: ReadonlySet<ActionField> = new Set(["optionalReason", "kind", "category", "priority"]);

/** The inputs each action's form shows; the order is the order of the fields on screen. */
export const ACTION_FIELDS: Record<StaffAction, readonly ActionField[]> = {
  triage: ["kind", "category", "priority"],
  assign: ["assignee"],
  transfer: ["unitCode", "reason"],
  reply: ["body"],
  note: ["body"],
  waitOnCitizen: ["optionalReason"],
  resume: [],
  resolve: ["resolution"],
  close: [],
  reopen: ["reason"],
  reject: ["reason"],
  extend: ["reason"],
  grantExtension: ["optionalReason"],
  refuseExtension: ["reason"],
  fileIncomplete: ["missing"],
  fileComplete: ["answer"],
};

const FILE_ACTIONS: ReadonlySet<string> = new Set(["fileIncomplete", "fileComplete"]);

/** Decisions on a request for the deadline extension: the reason typed in the form is the decision's note. */
const DECISIONS: Partial<Record<StaffAction, boolean>> = { grantExtension: true, refuseExtension: false };

/** Where a ticket's extension stands, from its history (newest last). */
export function extensionState(eventTypes: readonly string[]): "NONE" | "PENDING" | "GRANTED" | "REFUSED" {
  for (let i = eventTypes.length - 1; i >= 0; i--) {
    const type = eventTypes[i];
    if (type === "EXTENSION_REQUESTED") return "PENDING";
    if (type === "SLA_EXTENDED") return "GRANTED";
    if (type === "EXTENSION_REFUSED") return "REFUSED";
  }
  return "NONE";
}

/**
 * The actions a ticket's page offers: the server's allowed lifecycle actions, where `extend` becomes a
 * request for the extension while none is pending, and a supervisor's decision on one that is. The answers
 * on a complaint's file are offered while it has the answer-on-file clock and its file is not yet complete.
 */
export function offeredActions(
  allowed: readonly string[],
  eventTypes: readonly string[],
  role: string | null,
  clockKinds: readonly string[] = [],
): StaffAction[] {
  const state = extensionState(eventTypes);
  const fileOpen = clockKinds.includes("FILE_ANSWER") && !eventTypes.includes("FILE_COMPLETE");
  const offered: StaffAction[] = [];
  for (const action of allowed) {
    if (!isStaffAction(action)) continue;
    if (FILE_ACTIONS.has(action) && !fileOpen) continue;
    if (action !== "extend") offered.push(action);
    else if (state === "PENDING") {
      if (role && role !== "AGENT") offered.push("grantExtension", "refuseExtension");
    } else if (state === "NONE" || state === "REFUSED") offered.push("extend");
  }
  return offered;
}

export function isStaffAction(action: string): action is StaffAction {
  return action in ACTION_MUTATIONS;
}

/** The mutation's input from the form's values. */
export function actionInput(
  action: StaffAction,
  ticketId: string,
  values: Partial<Record<ActionField, string>>,
): Record<string, string | boolean> {
  const input: Record<string, string | boolean> = { ticketId };
  const decision = DECISIONS[action];
  if (decision !== undefined) input.grant = decision;
  for (const field of ACTION_FIELDS[action]) {
    const value = values[field]?.trim() ?? "";
    if (decision !== undefined) {
      if (value) input.note = value;
    } else if (field === "assignee") input.assigneeId = value;
    else if (field === "optionalReason") {
      if (value) input.reason = value;
    } else if (OPTIONAL.has(field)) {
      if (value) input[field] = value;
    } else input[field] = value;
  }
  return input;
}

/** A form can be sent when every required field has something in it. */
export function isComplete(action: StaffAction, values: Partial<Record<ActionField, string>>): boolean {
  return ACTION_FIELDS[action].every((field) => OPTIONAL.has(field) || Boolean(values[field]?.trim()));
}
