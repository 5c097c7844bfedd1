import { Worker } from "node:worker_threads";
import { UnusableInboundError } from "../inbound/processor.js";

/** What the intake reads of a message, as the parse worker returns it. */
export interface ParsedEmail {
  headerLines: { key: string; line: string }[];
  from: { address: string | null; name: string | null } | null;
  subject: string | null;
  text: string | null;
  /** Set for a message over the size limit, stored with its headers only. */
  oversize: { size: number; limit: number } | null;
  messageId: string | null;
  inReplyTo: string | null;
  references: string | string[] | null;
  attachments: {
    filename: string | null;
    contentType: string | null;
    size: number;
    /** SHA-256, hexadecimal. */
    checksum: string;
    content: Uint8Array<ArrayBuffer>;
  }[];
}

type Reply = { id: number; ok: true; mail: ParsedEmail } | { id: number; ok: false; unusable: boolean; error: string };

/** The heap one parse worker may use; a message needing more ends the worker, and its attempt fails. */
const WORKER_HEAP_MB = 768;

/**
 * Parses stored e-mails (see imap-poller's StoredEmail) on a worker thread (mail-parse-worker.mjs), one
 * message after another, so large messages cost the request path nothing. A malformed message is an
 * UnusableInboundError; a worker that dies (out of memory) fails the attempts under way with an ordinary
 * error, to be retried by the processor, and the next parse starts a new worker.
 */
export class MailParser {
  private worker: Worker | null = null;
  private next = 1;
  private readonly pending = new Map<
    number,
    { resolve: (mail: ParsedEmail) => void; reject: (error: Error) => void }
  >();

  parse(payload: string): Promise<ParsedEmail> {
    const worker = this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, payload });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL("./mail-parse-worker.mjs", import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    worker.unref();
    worker.on("message", (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.mail);
      else waiting.reject(reply.unusable ? new UnusableInboundError(reply.error) : new Error(reply.error));
    });
    const ended = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const waiting of this.pending.values()) waiting.reject(new Error(`the e-mail parser stopped: ${reason}`));
      this.pending.clear();
    };
    worker.on("error", (error) => ended(error.message));
    worker.on("exit", (code) => ended(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  /** Ends the worker; parses under way fail (ordinary errors: their items are tried again later). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    for (const waiting of this.pending.values()) waiting.reject(new Error("the e-mail parser was closed"));
    this.pending.clear();
    await worker?.terminate();
  }
}
