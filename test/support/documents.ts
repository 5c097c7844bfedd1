/** GraphQL documents shared by the black-box tests, written as a client would. */

export const TICKET_FIELDS = `
  id number subject status kind channel priority createdAt firstRespondedAt resolvedAt closedAt
  unit { code } assignee { id name } reporter { name email phone masked }
`;

const result = (field: string) => `
  ${field}(input: $input) {
    __typename
    ... on ${field[0]?.toUpperCase()}${field.slice(1)}Success { ticket { ${TICKET_FIELDS} } }
    ... on Error { code message }
    ... on ValidationError { field }
    ... on InvalidTransitionError { from }
  }
`;

export const mutation = (field: string, inputType: string) => `mutation($input: ${inputType}!) { ${result(field)} }`;

export const CREATE = mutation("createTicket", "CreateTicketInput");
export const TRIAGE = mutation("triageTicket", "TriageTicketInput");
export const ASSIGN = mutation("assignTicket", "AssignTicketInput");
export const TRANSFER = mutation("transferTicket", "TransferTicketInput");
export const REPLY = mutation("replyToTicket", "TicketMessageInput");
export const NOTE = mutation("addInternalNote", "TicketMessageInput");
export const WAIT = mutation("waitOnCitizen", "WaitOnCitizenInput");
export const RESUME = mutation("resumeTicket", "TicketIdInput");
export const RESOLVE = mutation("resolveTicket", "ResolveTicketInput");
export const CLOSE = mutation("closeTicket", "TicketIdInput");
export const REOPEN = mutation("reopenTicket", "TicketReasonInput");
export const REJECT = mutation("rejectTicket", "TicketReasonInput");

export const TICKETS = `
  query($first: Int, $after: String, $last: Int, $before: String, $filter: TicketFilter, $orderBy: TicketOrder) {
    tickets(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id number createdAt status unit { code } } }
    }
  }
`;

export const EVENTS = `
  query($id: ID!) {
    node(id: $id) {
      ... on Ticket {
        status
        events(first: 100) { edges { node { sequence type at data actor { name } actorLabel } } }
        messages { visibility body }
      }
    }
  }
`;

let counter = 0;
export function newTicketInput(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    idempotencyKey: `test-${Date.now()}-${process.pid}-${counter}`,
    unitCode: "KANIM-MALANG",
    kind: "COMPLAINT",
    channel: "WHATSAPP",
    subject: "Antrean paspor terlalu lama",
    description: "Saya menunggu lebih dari tiga jam di kantor imigrasi untuk foto paspor.",
    reporter: { name: "Budi Santoso", email: "budi.santoso@example.id", phone: "+62 812 3456 7890" },
    ...overrides,
  };
}
