/**
 * The address a request came from. Behind `trustedProxies` reverse proxies, each appends the address it
 * received from to X-Forwarded-For, so the client is that many entries from the right; anything further left
 * was written by the client and is not believed.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | null | undefined,
  trustedProxies: number,
): string {
  const direct = socketAddress ?? "unknown";
  if (trustedProxies === 0 || !forwardedFor) return direct;
  const chain = [
    ...forwardedFor
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
    direct,
  ];
  return chain[Math.max(0, chain.length - 1 - trustedProxies)] ?? direct;
}
