import { graphql } from "../../graphql/graphql.js";

/** Everything the detail page shows; the live `ticket` subscription sends the same fields. */
export const TicketDetailFields = graphql(`
  fragment TicketDetailFields on Ticket {
    id
    number
    subject
    description
    kind
    channel
    priority
    status
    createdAt
    triagedAt
    firstRespondedAt
    resolvedAt
    closedAt
    reopenCount
    transferCount
    externalRef
    allowedActions
    category { code name nameEn }
    unit { id code name timeZone type }
    assignee { id name }
    reporter { masked name email phone }
    sla {
      kind
      state
      startedAt
      dueAt
      atRiskAt
      metAt
      breachedAt
      remainingMinutes
      elapsedMinutes
      pausedMinutes
      target { amount unit counting }
    }
    messages { id body visibility createdAt author { id name } delivery { status attempts lastError deliveredAt } }
    events(last: 100) {
      edges {
        node { id sequence type at data actorLabel actor { id name } assignee { id name } unit { id code name } }
      }
    }
  }
`);
