-- The stages of a complaint under UU 25/2009, as clocks and events. The values are added in a migration of
-- their own: PostgreSQL does not let the transaction that adds an enum value use it.
ALTER TYPE "ClockKind" ADD VALUE 'FILE_ANSWER';
ALTER TYPE "ClockKind" ADD VALUE 'FILE_LAPSE';
ALTER TYPE "ClockKind" ADD VALUE 'EXAMINATION';
ALTER TYPE "TicketEventType" ADD VALUE 'FILE_INCOMPLETE';
ALTER TYPE "TicketEventType" ADD VALUE 'FILE_COMPLETE';
ALTER TYPE "TicketEventType" ADD VALUE 'COMPLAINT_LAPSED';
