import type { Transporter } from "nodemailer";
import type { Logger } from "../../logger.js";
import type { UnitTree } from "../units/unit-tree.js";
import type { ChannelDriver, OutboundItem } from "./driver.js";
import type { EmailPayload } from "./email-message.js";
import { describeSmtp, type SmtpAccount, type SmtpSettings, unitEnvSuffix } from "./smtp-config.js";

/**
 * Bounds on one SMTP conversation, well inside the worker's lease, so that a peer that accepts the
 * connection and then stalls costs one failed attempt, not a stuck row.
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * Replies by SMTP (nodemailer), one pooled transport per account. A unit sends through its own account,
 * else the nearest ancestor's (a regional office's covers its offices), else the global one.
 */
export class SmtpDriver implements ChannelDriver {
  readonly channel = "EMAIL" as const;
  private readonly transports = new Map<SmtpAccount, Transporter>();

  constructor(
    private readonly settings: SmtpSettings,
    private readonly units: () => UnitTree,
    private readonly logger: Logger,
  ) {}

  /** The account that sends for a unit, or null when none is configured. */
  accountFor(unitId: number): SmtpAccount | null {
    const path = this.units().ancestry(unitId);
    for (let i = path.length - 1; i >= 0; i--) {
      const unit = path[i];
      const own = unit && this.settings.units.get(unitEnvSuffix(unit.code));
      if (own) return own;
    }
    return this.settings.global;
  }

  configuredFor(unitId: number): boolean {
    return this.accountFor(unitId) !== null;
  }

  async deliver(item: OutboundItem): Promise<undefined> {
    const account = this.accountFor(item.unitId);
    if (!account) throw new Error("no SMTP account is configured for the ticket's unit any more");
    const payload = item.payload as EmailPayload;
    await (await this.transport(account)).sendMail({
      from: account.from,
      to: item.recipient,
      subject: payload.subject,
      text: payload.text,
      messageId: payload.messageId,
      ...(payload.inReplyTo ? { inReplyTo: payload.inReplyTo } : {}),
      ...(payload.references.length ? { references: payload.references } : {}),
      headers: { "X-Pantau-Ticket": payload.ticketNumber },
    });
    return undefined;
  }

  private async transport(account: SmtpAccount): Promise<Transporter> {
    let transport = this.transports.get(account);
    if (!transport) {
      // Loaded with the first e-mail sent: an installation that sends none never needs it.
      const { default: nodemailer } = await import("nodemailer");
      const opened = this.transports.get(account);
      if (opened) return opened;
      // maxRequeues 0: a message whose connection dropped fails its attempt, so every retry is the worker's,
      // counted, spaced by its back-off and visible in Message.delivery.
      transport = nodemailer.createTransport({
        url: account.url,
        pool: true,
        maxConnections: 5,
        maxRequeues: 0,
        ...TIMEOUTS,
      });
      transport.on("error", (error: unknown) =>
        this.logger.warn({ err: error, smtp: describeSmtp(account) }, "SMTP transport error"),
      );
      this.transports.set(account, transport);
    }
    return transport;
  }

  async close(): Promise<void> {
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
  }
}
