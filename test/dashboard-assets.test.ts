import { existsSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "./support/server.js";

// The dashboard as `pnpm build` leaves it, precompressed siblings included.
const DIST = fileURLToPath(new URL("../dashboard/dist", import.meta.url));

function get(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      const req = request(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      });
      req.on("error", reject);
      req.end();
    },
  );
}

describe.skipIf(!existsSync(join(DIST, "index.html")))("the built dashboard's assets", () => {
  let server: TestServer;
  let script: string;
  let raw: Buffer;

  beforeAll(async () => {
    server = await startServer("pglite", { env: { PANTAU_DASHBOARD_DIR: DIST } });
    const html = readFileSync(join(DIST, "index.html"), "utf8");
    script = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1] ?? "";
    expect(script).toMatch(/^\/assets\//);
    raw = readFileSync(join(DIST, script));
  });
  afterAll(() => server?.stop());

  it.each([
    { acceptEncoding: "gzip, deflate, br, zstd", encoding: "br" },
    { acceptEncoding: "br;q=0.5, gzip", encoding: "gzip" },
    { acceptEncoding: "gzip", encoding: "gzip" },
    { acceptEncoding: "br;q=0, gzip;q=0", encoding: undefined },
    { acceptEncoding: "identity", encoding: undefined },
    { acceptEncoding: "", encoding: undefined },
  ])("answers Accept-Encoding '$acceptEncoding' with $encoding", async ({ acceptEncoding, encoding }) => {
    const response = await get(`${server.url}${script}`, { "accept-encoding": acceptEncoding });
    expect(response.status).toBe(200);
    expect(response.headers["content-encoding"]).toBe(encoding);
    expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(response.headers["content-length"])).toBe(response.body.length);
    const decoded =
      encoding === "br"
        ? brotliDecompressSync(response.body)
        : encoding === "gzip"
          ? gunzipSync(response.body)
          : response.body;
    expect(decoded.equals(raw)).toBe(true);
    if (encoding) expect(response.body.length).toBeLessThan(raw.length / 2);
  });

  it("sends the entry script compressed to under a third of its size", async () => {
    const response = await get(`${server.url}${script}`, { "accept-encoding": "br" });
    expect(response.body.length).toBeLessThan(raw.length / 3);
  });

  it("answers HEAD with the compressed length and no body", async () => {
    const head = await new Promise<{ headers: Record<string, unknown>; length: number }>((resolve, reject) => {
      const req = request(
        `${server.url}${script}`,
        { method: "HEAD", headers: { "accept-encoding": "gzip" } },
        (res) => {
          let length = 0;
          res.on("data", (chunk: Buffer) => {
            length += chunk.length;
          });
          res.on("end", () => resolve({ headers: res.headers, length }));
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(head.headers["content-encoding"]).toBe("gzip");
    expect(Number(head.headers["content-length"])).toBe(readFileSync(join(DIST, `${script}.gz`)).length);
    expect(head.length).toBe(0);
  });

  it("keeps the chart library out of a ticket page's and the entry's imports", () => {
    const entry = raw.toString("utf8");
    const ticketChunk = /assets\/(ticket-page-[\w-]+\.js)/.exec(entry)?.[1];
    expect(ticketChunk).toBeDefined();
    const ticket = readFileSync(join(DIST, "assets", ticketChunk ?? ""), "utf8");
    // Static imports only: the charts chunk may be named in a dynamic import() but must not load with the page.
    const staticImports = (source: string) =>
      [...source.matchAll(/\bimport\s*[^("']*?from\s*["']([^"']+)["']/g)].map((m) => m[1]);
    for (const imported of [...staticImports(entry), ...staticImports(ticket)]) {
      expect(imported).not.toMatch(/charts-|region-map-/);
    }
    expect(entry).not.toMatch(/"description":/);
  });
});
