import { createReadStream, existsSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import Negotiator from "negotiator";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * The dashboard loads only its own scripts, styles and fonts and talks only to its own origin (HTTP, SSE and
 * WebSocket: CSP 3 lets 'self' match ws:/wss: of the page's own host); it is never framed, and inline styles
 * are allowed because the chart library sets them.
 */
export const DASHBOARD_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; "),
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

/**
 * Only a browser navigating to a deep link of the dashboard gets index.html: it asks for HTML and the path
 * names no file. Anything else that matches no file (a script, a probe for /metrics or /webhooks) is not
 * found, so it can tell a missing resource from a page.
 */
export function wantsAppShell(path: string, accept: string | undefined): boolean {
  return extname(path) === "" && (accept ?? "").includes("text/html");
}

/** Precompressed siblings the build writes (`app.js.br`, `app.js.gz`), in the order they are preferred. */
const ENCODINGS = [
  { name: "br", suffix: ".br" },
  { name: "gzip", suffix: ".gz" },
] as const;

/**
 * The best precompressed sibling of `file` that the client accepts, or none. The build writes them only
 * where compressing saves something, so each file is looked up.
 */
export function precompressedFor(
  file: string,
  acceptEncoding: string | undefined,
): { path: string; encoding: string } | undefined {
  const names = ENCODINGS.map((encoding) => encoding.name);
  // Where the client likes both equally (browsers send "gzip, deflate, br"), the smaller one wins.
  const negotiator = new Negotiator({ headers: { "accept-encoding": acceptEncoding } });
  // negotiator 1.x takes the preference; its published types still describe 0.6.
  const encodings = negotiator.encodings.bind(negotiator) as (
    available: string[],
    options: { preferred: string[] },
  ) => string[];
  const accepted = encodings(names, { preferred: names });
  for (const name of accepted) {
    const encoding = ENCODINGS.find((candidate) => candidate.name === name);
    if (!encoding) continue;
    const path = file + encoding.suffix;
    if (existsSync(path)) return { path, encoding: encoding.name };
  }
  return undefined;
}

/**
 * Serves the built dashboard; navigations to unknown paths get index.html so deep links work. Source maps
 * are built but, in production, not served: they would hand out the dashboard's source.
 */
export function staticFiles(rootDir: string, options: { serveSourceMaps: boolean }) {
  const root = resolve(rootDir);
  const index = join(root, "index.html");
  return function serve(req: IncomingMessage, res: ServerResponse): boolean {
    if (!existsSync(index) || (req.method !== "GET" && req.method !== "HEAD")) return false;
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      return false;
    }
    if (!options.serveSourceMaps && extname(path) === ".map") return false;
    const candidate = normalize(join(root, path));
    if (!candidate.startsWith(root + sep) && candidate !== root) return false;
    const exists = existsSync(candidate) && statSync(candidate).isFile();
    if (!exists && !wantsAppShell(path, req.headers.accept)) return false;
    const file = exists ? candidate : index;
    const immutable = file.includes(`${sep}assets${sep}`);
    const compressed = precompressedFor(file, req.headers["accept-encoding"]);
    const body = compressed?.path ?? file;
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": statSync(body).size,
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      vary: "accept-encoding",
      ...(compressed ? { "content-encoding": compressed.encoding } : {}),
      ...DASHBOARD_SECURITY_HEADERS,
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(body).pipe(res);
    return true;
  };
}
