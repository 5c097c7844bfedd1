import type { IncomingMessage } from "node:http";

/**
 * The address of the client behind `proxyHops` trusted reverse proxies. Each proxy appends the address it
 * saw to X-Forwarded-For, so entries further left than that were written by the client and prove nothing.
 */
export function clientAddress(req: IncomingMessage | undefined, proxyHops: number): string {
  const socket = req?.socket.remoteAddress ?? "unknown";
  if (!req || proxyHops === 0) return socket;
  const header = req.headers["x-forwarded-for"];
  const chain = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return chain[chain.length - proxyHops] ?? chain[0] ?? socket;
}
