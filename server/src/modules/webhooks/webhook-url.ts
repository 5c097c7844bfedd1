import { isIP } from "node:net";

export const WEBHOOK_URL_MAX = 2000;

export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** Whether a host is this machine: `localhost`, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1" || host === "0:0:0:0:0:0:0:1";
}

/**
 * Address literals that name no host on the internet: private, link-local (the cloud metadata service),
 * carrier-grade NAT, unspecified, unique-local and IPv4-mapped forms of these. Names are not resolved
 * here: a public name that resolves to such an address is for the network's egress rules to stop.
 */
export function isNonPublicAddress(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (isIP(host) === 4) {
    const [a = 0, b = 0] = host.split(".").map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  if (isIP(host) === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    if (mapped?.[1]) return isNonPublicAddress(mapped[1]);
    if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(host)) return true;
    return host === "::" || host === "::1" || /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
  }
  return false;
}

/**
 * Where a third party may ask to be called: an https URL of a public host, without credentials or a
 * fragment. With `allowLoopbackHttp` (tests and local development only, PANTAU_WEBHOOKS_ALLOW_LOOPBACK)
 * a loopback host is accepted too, over http or https; private addresses never are.
 */
export function checkWebhookUrl(raw: string, options: { allowLoopbackHttp: boolean }): WebhookUrlCheck {
  const text = raw.trim();
  if (!text) return { ok: false, reason: "must not be blank" };
  if (text.length > WEBHOOK_URL_MAX) return { ok: false, reason: `at most ${WEBHOOK_URL_MAX} characters` };
  if (!URL.canParse(text)) return { ok: false, reason: "is not a URL" };
  const url = new URL(text);
  if (url.username || url.password) return { ok: false, reason: "must not carry a user name or password" };
  if (url.hash) return { ok: false, reason: "must not have a fragment" };
  const loopback = isLoopbackHost(url.hostname);
  if (loopback && options.allowLoopbackHttp && (url.protocol === "http:" || url.protocol === "https:")) {
    return { ok: true, url };
  }
  if (url.protocol !== "https:") return { ok: false, reason: "must be an https:// URL" };
  if (loopback || isNonPublicAddress(url.hostname)) {
    return { ok: false, reason: "must name a public host, not a loopback or private address" };
  }
  return { ok: true, url };
}
