import type { ApiKeyViewer } from "../auth/viewer.js";
import { type InboundItem, markProcessed } from "../inbound/inbound-store.js";
import { intakeViewer } from "../inbound/intake-viewer.js";
import { type InboundHandler, type InboundOutcome, UnusableInboundError } from "../inbound/processor.js";
import { createTicket, type TicketDeps } from "../tickets/ticket-service.js";
import type { LaporSettings } from "./lapor-config.js";
import { ticketKindOf } from "./lapor-mapping.js";
import { parseReport } from "./lapor-report.js";

const PHONE = /^\+?[0-9 ()-]{6,32}$/;

/**
 * Opens a ticket (channel SP4N_LAPOR, LAPOR!'s tracking id as externalRef) for each stored report,
 * through the ticket services like any API call, in the report's unit or the configured one. A tracking
 * id is a ticket once: the inbound store keeps one item per id, and a ticket already recorded for it
 * (e.g. typed in by staff through createTicket with the same externalRef) makes the report IGNORED. An
 * anonymous report keeps no reporter.
 */
export function laporIntake(settings: LaporSettings, deps: TicketDeps): InboundHandler {
  let viewer: ApiKeyViewer | null = null;
  const principal = () => {
    viewer ??= intakeViewer(deps, "lapor", "SP4N-LAPOR!");
    return viewer;
  };
  const now = () => deps.now?.() ?? new Date();

  return {
    channel: "SP4N_LAPOR",
    async handle(item: InboundItem, owner: string): Promise<InboundOutcome> {
      let value: unknown;
      try {
        value = JSON.parse(item.payload);
      } catch {
        throw new UnusableInboundError("the stored report is not JSON");
      }
      const parsed = parseReport(value);
      if (!parsed.ok) throw new UnusableInboundError(parsed.reason);
      const { report } = parsed;
      const [existing] = await deps.db.sql.query<{ number: string }>(
        "SELECT number FROM ticket WHERE channel = 'SP4N_LAPOR' AND external_ref = $1 LIMIT 1",
        [report.trackingId],
      );
      if (existing) return { status: "IGNORED", reason: `already ticket ${existing.number}` };
      const reporter =
        report.anonymous || !report.reporter
          ? null
          : {
              name: report.reporter.name ?? null,
              email: report.reporter.email ?? null,
              phone: report.reporter.phone && PHONE.test(report.reporter.phone) ? report.reporter.phone : null,
            };
      const ticket = await createTicket(deps, principal(), {
        // Per item, so a repeated attempt (a crash after the commit) finds the ticket it made.
        idempotencyKey: `inbound:${item.id}`,
        unitCode: report.unitCode ?? settings.unitCode,
        kind: ticketKindOf(report.classification),
        channel: "SP4N_LAPOR",
        subject: report.title,
        description: report.content,
        categoryCode: report.categoryCode ?? null,
        externalRef: report.trackingId,
        reporter,
      });
      const mark = markProcessed(item, owner, { ticketId: ticket.id, messageId: null }, now());
      await deps.db.sql.query(mark.text, mark.params);
      return { status: "PROCESSED" };
    },
  };
}
