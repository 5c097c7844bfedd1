import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export const GRAPH_TOKEN = "token-graph-uji";

/** One send request the fake received, as Meta's Cloud API would read it. */
export interface GraphSend {
  phoneNumberId: string;
  authorization: string | undefined;
  body: {
    messaging_product: string;
    to: string;
    type: "text" | "template";
    text?: { body: string };
    template?: { name: string; language: { code: string }; components: unknown[] };
    biz_opaque_callback_data?: string;
  };
  /** The wamid answered, when the send was accepted. */
  wamid: string | null;
}

/** How the fake answers a send: null accepts it, otherwise an HTTP status, Graph's error body and headers. */
export type GraphRule = (send: GraphSend) => { status: number; body: unknown; headers?: Record<string, string> } | null;

/**
 * A local stand-in for Meta's Graph API, speaking its documented JSON: `POST /{phone-number-id}/messages`
 * with a Bearer token answers `{ messaging_product, contacts: [{ input, wa_id }], messages: [{ id }] }`, or
 * a Graph error object (`{ error: { message, type, code, error_data, fbtrace_id } }`) as `rule` decides.
 * Every request is recorded, accepted or not.
 */
export class GraphFake {
  readonly sends: GraphSend[] = [];
  rule: GraphRule = () => null;
  private server: Server | null = null;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/v21.0`;
  }

  accepted(to?: string): GraphSend[] {
    return this.sends.filter((send) => send.wamid && (!to || send.body.to === to));
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const match = /^\/v21\.0\/(\d+)\/messages$/.exec(req.url ?? "");
        const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
          res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
        if (req.method !== "POST" || !match?.[1]) {
          reply(400, { error: { message: "Unsupported request", type: "GraphMethodException", code: 100 } });
          return;
        }
        const send: GraphSend = {
          phoneNumberId: match[1],
          authorization: req.headers.authorization,
          body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
          wamid: null,
        };
        this.sends.push(send);
        if (send.authorization !== `Bearer ${GRAPH_TOKEN}`) {
          reply(401, { error: { message: "Invalid OAuth access token.", type: "OAuthException", code: 190 } });
          return;
        }
        const ruled = this.rule(send);
        if (ruled) {
          reply(ruled.status, ruled.body, ruled.headers);
          return;
        }
        send.wamid = `wamid.${randomBytes(12).toString("base64url")}`;
        reply(200, {
          messaging_product: "whatsapp",
          contacts: [{ input: send.body.to, wa_id: send.body.to }],
          messages: [{ id: send.wamid }],
        });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Meta's webhook body for citizen messages to a business number. */
export function messagesWebhook(
  phoneNumberId: string,
  contact: { waId: string; name: string },
  messages: Record<string, unknown>[],
) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "6281100000000", phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: contact.name }, wa_id: contact.waId }],
              messages: messages.map((message) => ({
                from: contact.waId,
                timestamp: String(Math.floor(Date.now() / 1000)),
                ...message,
              })),
            },
          },
        ],
      },
    ],
  };
}

/** Meta's webhook body for a delivery receipt of a message the business sent. */
export function statusWebhook(
  phoneNumberId: string,
  receipt: { wamid: string; status: string; to: string; callback?: string; errors?: unknown[] },
) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "6281100000000", phone_number_id: phoneNumberId },
              statuses: [
                {
                  id: receipt.wamid,
                  status: receipt.status,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  recipient_id: receipt.to,
                  ...(receipt.callback ? { biz_opaque_callback_data: receipt.callback } : {}),
                  ...(receipt.errors ? { errors: receipt.errors } : {}),
                },
              ],
            },
          },
        ],
      },
    ],
  };
}
