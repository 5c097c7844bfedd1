/**
 * Solves the public form's proof-of-work (publicReportChallenge): a nonce such that SHA-256 of
 * "<token>:<nonce>" begins with `bits` zero bits. Uses the browser's Web Crypto, in batches so the page
 * stays responsive; about 2^bits hashes, well under a second at the default 16 bits.
 */
export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

const BATCH = 256;

export async function solveChallenge(
  token: string,
  bits: number,
  options: { signal?: AbortSignal; digest?: (data: Uint8Array<ArrayBuffer>) => Promise<ArrayBuffer> } = {},
): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  const digest = options.digest ?? (subtle ? (data: Uint8Array<ArrayBuffer>) => subtle.digest("SHA-256", data) : null);
  if (!digest) throw new Error("Web Crypto is not available (the page must be served over HTTPS).");
  const encoder = new TextEncoder();
  for (let start = 0; ; start += BATCH) {
    if (options.signal?.aborted) throw new DOMException("aborted", "AbortError");
    const nonces = Array.from({ length: BATCH }, (_, i) => (start + i).toString(36));
    const digests = await Promise.all(nonces.map((nonce) => digest(encoder.encode(`${token}:${nonce}`))));
    const found = digests.findIndex((d) => leadingZeroBits(new Uint8Array(d)) >= bits);
    if (found >= 0) return nonces[found] as string;
  }
}
