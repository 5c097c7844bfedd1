import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerSession } from "smtp-server";

/** One message the peer accepted, with its headers unfolded and keyed in lower case. */
export interface ReceivedMail {
  from: string;
  to: string[];
  headers: Map<string, string>;
  body: string;
}

/** What the peer answers to a recipient: null accepts, otherwise an SMTP reply code and text. */
export type RecipientRule = (address: string) => { code: number; message: string } | null;

export const SMTP_USER = "pantau";
export const SMTP_PASSWORD = "kata-sandi-smtp-uji";

/**
 * A real SMTP server (the `smtp-server` package) as the receiving side of outbound e-mail, on a spare
 * loopback port. It requires the credentials above, records every accepted message and every RCPT it
 * was offered, and can be stopped and started again on the same port.
 */
export class SmtpPeer {
  readonly received: ReceivedMail[] = [];
  /** Every recipient offered in RCPT TO, accepted or not: one entry per delivery attempt. */
  readonly offered: string[] = [];
  rule: RecipientRule = () => null;
  private server: SMTPServer | null = null;
  port = 0;

  async start(port = this.port): Promise<this> {
    const server = new SMTPServer({
      secure: false,
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      authMethods: ["PLAIN", "LOGIN"],
      logger: false,
      closeTimeout: 200,
      onAuth: (auth, _session, callback) => {
        if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: auth.username });
        else callback(Object.assign(new Error("Invalid credentials"), { responseCode: 535 }));
      },
      onRcptTo: (address, _session, callback) => {
        this.offered.push(address.address);
        const refusal = this.rule(address.address);
        if (refusal) callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
        else callback();
      },
      onData: (stream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          this.received.push(parseMail(Buffer.concat(chunks).toString("utf8"), session));
          callback();
        });
      },
    });
    server.on("error", () => {});
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((mail) => mail.to.includes(address));
  }
}

function parseMail(raw: string, session: SMTPServerSession): ReceivedMail {
  const split = raw.indexOf("\r\n\r\n");
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? "" : raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
  return { from, to: session.envelope.rcptTo.map((rcpt) => rcpt.address), headers, body };
}
