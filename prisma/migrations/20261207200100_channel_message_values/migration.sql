-- A citizen's own messages on a channel (WhatsApp), and the WhatsApp receipts of replies. The values are
-- added in a migration of their own: PostgreSQL does not let the transaction that adds an enum value use it.
ALTER TYPE "MessageVisibility" ADD VALUE 'CITIZEN';
ALTER TYPE "TicketEventType" ADD VALUE 'CITIZEN_MESSAGE';
ALTER TYPE "OutboundStatus" ADD VALUE 'SENT';
ALTER TYPE "OutboundStatus" ADD VALUE 'READ';
