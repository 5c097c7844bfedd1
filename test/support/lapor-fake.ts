import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export const LAPOR_TOKEN = "token-lapor-uji";

/** One status call the fake took, as LAPOR! would have recorded it. */
export interface LaporStatusCall {
  trackingId: string;
  idempotencyKey: string;
  body: Record<string, any>;
  status: number;
}

/**
 * A local stand-in for SP4N-LAPOR!'s side of the status sync (LAPOR! is outside the system): it takes
 * `POST /reports/{trackingId}/status` with the bearer token, records every call, and answers as `rule`
 * says for the n-th call with one Idempotency-Key (1 for the first).
 */
export class LaporFake {
  readonly calls: LaporStatusCall[] = [];
  rule: (nth: number) => number = () => 200;
  private server: Server | null = null;
  url = "";

  /** The calls it took (2xx), in arrival order. */
  get taken(): LaporStatusCall[] {
    return this.calls.filter((call) => call.status >= 200 && call.status < 300);
  }

  async start(): Promise<this> {
    const seen = new Map<string, number>();
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const match = /^\/reports\/([^/]+)\/status$/.exec(req.url ?? "");
        if (req.method !== "POST" || !match?.[1]) {
          res.writeHead(404).end();
          return;
        }
        if (req.headers.authorization !== `Bearer ${LAPOR_TOKEN}`) {
          res.writeHead(401).end();
          return;
        }
        const idempotencyKey = String(req.headers["idempotency-key"] ?? "");
        const nth = (seen.get(idempotencyKey) ?? 0) + 1;
        seen.set(idempotencyKey, nth);
        const status = this.rule(nth);
        this.calls.push({
          trackingId: decodeURIComponent(match[1]),
          idempotencyKey,
          body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
          status,
        });
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ ok: status < 300 }));
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
