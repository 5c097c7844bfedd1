import { InvalidTransitionError } from "../../errors.js";
import type { Prisma } from "../../generated/prisma/client.js";
import type { ApiKeyViewer } from "../auth/viewer.js";
import { type InboundItem, markProcessed } from "../inbound/inbound-store.js";
import { intakeViewer } from "../inbound/intake-viewer.js";
import { type InboundHandler, type InboundOutcome, UnusableInboundError } from "../inbound/processor.js";
import { LIMITS } from "../tickets/ticket-input.js";
import { createTicket, receiveCitizenMessage, type TicketDeps } from "../tickets/ticket-service.js";
import {
  attachmentDecision,
  automatedReason,
  headerMap,
  messageText,
  normalMessageId,
  oversizeText,
  threadIds,
  ticketNumberIn,
  ticketSubject,
} from "./email-rules.js";
import { MailParser, type ParsedEmail } from "./mail-parser.js";

type Tx = Prisma.TransactionClient;

export interface EmailIntakeOptions {
  /** Each attachment over this is recorded without its content. */
  maxAttachmentBytes: number;
  /** Pantau's own sender addresses (lower case): mail from them is a loop. */
  ownAddresses: ReadonlySet<string>;
}

/** A plain address a reply can go to (as routing.ts accepts), lower case, or null. */
function replyableAddress(address: string | undefined): string | null {
  const trimmed = address?.trim().toLowerCase();
  if (!trimmed || trimmed.length > LIMITS.email) return null;
  return /^[^\s@<>,;"()[\]\\]+@[^\s@<>,;"()[\]\\]+\.[^\s@<>,;"()[\]\\]+$/.test(trimmed) ? trimmed : null;
}

/**
 * Turns a stored e-mail into a ticket (channel EMAIL, in the unit of the mailbox it came to, reported by
 * its From) or, when it answers a ticket's thread (In-Reply-To or References name one of the thread's
 * Message-IDs, or the subject names the ticket's number and it comes from the ticket's reporter), into the
 * citizen's message on that ticket. Its Message-ID joins the thread, so replies from the dashboard answer
 * it. Attachments are kept within the limits (email-rules). Auto-replies, bounces, lists and Pantau's own
 * mail are recorded as ignored and never answered. Everything goes through the ticket services as an API
 * call would, as the principal `channel:email`.
 */
export function emailIntake(
  options: EmailIntakeOptions,
  deps: TicketDeps,
): InboundHandler & { close(): Promise<void> } {
  const parser = new MailParser();
  let viewer: ApiKeyViewer | null = null;
  const principal = () => {
    viewer ??= intakeViewer(deps, "email", "E-mail");
    return viewer;
  };
  const now = () => deps.now?.() ?? new Date();

  async function sentByUs(messageId: string | null): Promise<boolean> {
    if (!messageId) return false;
    const rows = await deps.db.sql.prepared<{ one: number }>(
      "email_sent_by_us",
      "SELECT 1 AS one FROM email_thread_message WHERE message_id = $1 AND direction = 'OUTBOUND'",
      [messageId],
    );
    return rows.length > 0;
  }

  /** The ticket a message answers: by its thread headers, else by the number in its subject and its sender. */
  async function threadedTicket(mail: ParsedEmail, from: string): Promise<string | null> {
    const ids = threadIds(mail.inReplyTo, mail.references);
    if (ids.length) {
      const [row] = await deps.db.sql.prepared<{ ticket_id: string }>(
        "email_thread_ticket",
        `SELECT ticket_id FROM email_thread_message WHERE message_id = ANY($1::text[]) ORDER BY at DESC LIMIT 1`,
        [ids],
      );
      if (row) return row.ticket_id;
    }
    const number = ticketNumberIn(mail.subject);
    if (!number) return null;
    // Only the reporter's own address may join a ticket by its number: numbers are easy to guess.
    const [row] = await deps.db.sql.prepared<{ id: string }>(
      "email_ticket_by_number",
      "SELECT id FROM ticket WHERE number = $1 AND lower(reporter_email) = $2",
      [number, from],
    );
    return row?.id ?? null;
  }

  /** The thread entry, the attachments and the item's mark, in the transaction given. */
  async function record(
    tx: Tx,
    item: InboundItem,
    owner: string,
    mail: ParsedEmail,
    produced: { ticketId: string; messageId: string | null },
  ) {
    const at = now();
    const messageId = normalMessageId(mail.messageId);
    if (messageId) {
      await tx.$executeRawUnsafe(
        `INSERT INTO email_thread_message (message_id, ticket_id, direction, at) VALUES ($1, $2::uuid, 'INBOUND', $3)
         ON CONFLICT (message_id) DO NOTHING`,
        messageId,
        produced.ticketId,
        at,
      );
    }
    const files = mail.attachments.map((attachment, position) => {
      const decision = attachmentDecision(
        { filename: attachment.filename, contentType: attachment.contentType, size: attachment.size, position },
        options.maxAttachmentBytes,
      );
      return {
        ticketId: produced.ticketId,
        messageId: produced.messageId,
        inboundId: item.id,
        position,
        filename: decision.filename,
        contentType: decision.contentType,
        sizeBytes: attachment.size,
        sha256: decision.keep ? attachment.checksum : null,
        content: decision.keep ? attachment.content : null,
        refusedReason: decision.keep ? null : decision.reason.slice(0, 200),
        createdAt: at,
      };
    });
    if (files.length) await tx.attachment.createMany({ data: files, skipDuplicates: true });
    const mark = markProcessed(item, owner, produced, at);
    const changed = await tx.$executeRawUnsafe(mark.text, ...mark.params);
    if (changed !== 1) throw new Error("the inbound item was taken over by another processor");
  }

  return {
    channel: "EMAIL",
    close: () => parser.close(),
    async handle(item: InboundItem, owner: string): Promise<InboundOutcome> {
      const mail = await parser.parse(item.payload);
      const headers = headerMap(mail.headerLines);
      const sender = mail.from;
      const from = replyableAddress(sender?.address ?? undefined);
      const messageId = normalMessageId(mail.messageId);
      const automated = automatedReason({
        headers,
        from,
        messageId,
        sentByUs: await sentByUs(messageId),
        ownAddresses: options.ownAddresses,
      });
      if (automated) return { status: "IGNORED", reason: `automatic message, not answered: ${automated}` };
      if (!from) throw new UnusableInboundError("the message has no From address a reply could go to");
      const unit = item.unitId === null ? null : deps.units().get(item.unitId);
      if (!unit) return { status: "IGNORED", reason: "the mailbox's unit is not known" };
      const text = mail.oversize
        ? oversizeText(mail.oversize.size, mail.oversize.limit)
        : messageText(mail.text, LIMITS.message);

      const open = await threadedTicket(mail, from);
      if (open) {
        try {
          await receiveCitizenMessage(deps, principal(), {
            ticketId: open,
            body: text,
            recorded: (tx, messageId) => record(tx, item, owner, mail, { ticketId: open, messageId }),
          });
          return { status: "PROCESSED" };
        } catch (error) {
          // Closed or rejected since: the citizen's message opens a new ticket.
          if (!(error instanceof InvalidTransitionError)) throw error;
        }
      }
      const name = sender?.name?.replace(/\s+/g, " ").trim().slice(0, LIMITS.reporterName) || null;
      const ticket = await createTicket(deps, principal(), {
        // Per item, so a repeated attempt (a crash after the commit) finds the ticket it made.
        idempotencyKey: `inbound:${item.id}`,
        unitCode: unit.code,
        kind: "INFORMATION_REQUEST",
        channel: "EMAIL",
        subject: ticketSubject(mail.subject, LIMITS.subject),
        description: mail.oversize ? text : messageText(mail.text, LIMITS.description),
        reporter: { name, email: from },
      });
      await deps.db.prisma.$transaction((tx) =>
        record(tx, item, owner, mail, { ticketId: ticket.id, messageId: null }),
      );
      return { status: "PROCESSED" };
    },
  };
}
