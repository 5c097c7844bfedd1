import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One call the receiver was sent, as it saw it. */
export interface ReceivedCall {
  path: string;
  deliveryId: string;
  attempt: number;
  body: string;
  /** What the receiver made of the Pantau-Signature header, as the README's example does. */
  signature: "valid" | "invalid" | "expired" | "unknown endpoint";
  /** What it answered. */
  status: number;
}

/** The README's verification: HMAC-SHA256 over "<t>.<raw body>", in constant time, at most 5 minutes old. */
export function verify(secret: string, rawBody: Buffer, header: string | undefined, toleranceSeconds = 300) {
  const parts = Object.fromEntries((header ?? "").split(",").map((part) => part.trim().split("=", 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || typeof parts.v1 !== "string") return "invalid" as const;
  const expected = createHmac("sha256", secret).update(`${t}.`).update(rawBody).digest();
  const given = Buffer.from(parts.v1, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "invalid" as const;
  return Math.abs(Date.now() / 1000 - t) > toleranceSeconds ? ("expired" as const) : ("valid" as const);
}

/**
 * A third party's HTTP endpoint on a spare loopback port. Each path is an endpoint with its own signing
 * secret and rule: the status it answers to the n-th call of a delivery (1 for the first). Calls whose
 * signature does not verify are answered 401, as a receiver should.
 */
export class WebhookReceiver {
  readonly calls: ReceivedCall[] = [];
  private readonly endpoints = new Map<string, { secret: string; answer: (attempt: number) => number }>();
  private server: Server | null = null;
  url = "";

  endpoint(path: string, secret: string, answer: (attempt: number) => number = () => 200) {
    this.endpoints.set(path, { secret, answer });
  }

  /** Calls the endpoint took (2xx), per delivery id. */
  accepted(path: string): ReceivedCall[] {
    return this.calls.filter((call) => call.path === path && call.status >= 200 && call.status < 300);
  }

  async start(): Promise<this> {
    const seen = new Map<string, number>();
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const raw = Buffer.concat(chunks);
        const path = (req.url ?? "/").split("?")[0] ?? "/";
        const endpoint = this.endpoints.get(path);
        const deliveryId = String(req.headers["pantau-delivery"] ?? "");
        const signature = endpoint
          ? verify(endpoint.secret, raw, req.headers["pantau-signature"]?.toString())
          : "unknown endpoint";
        const nth = (seen.get(deliveryId) ?? 0) + 1;
        seen.set(deliveryId, nth);
        const status = !endpoint ? 404 : signature !== "valid" ? 401 : endpoint.answer(nth);
        this.calls.push({
          path,
          deliveryId,
          attempt: Number(req.headers["pantau-attempt"]),
          body: raw.toString("utf8"),
          signature,
          status,
        });
        res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "no");
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
