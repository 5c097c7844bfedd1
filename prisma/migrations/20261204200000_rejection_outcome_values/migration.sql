-- A rejection (bukan wewenang) ends the resolution clock as an outcome of its own. The values are added
-- in a migration of their own: PostgreSQL does not let the transaction that adds an enum value use it.
ALTER TYPE "ClockState" ADD VALUE 'REJECTED';
ALTER TYPE "TicketEventType" ADD VALUE 'SLA_REJECTED';
