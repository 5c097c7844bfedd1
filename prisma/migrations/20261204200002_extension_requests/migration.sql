-- A deadline extension is asked for by an agent and decided by a supervisor: the request and a refusal
-- are events of the ticket's log (a grant stays SLA_EXTENDED, which the clock engine reads).
ALTER TYPE "TicketEventType" ADD VALUE 'EXTENSION_REQUESTED';
ALTER TYPE "TicketEventType" ADD VALUE 'EXTENSION_REFUSED';
