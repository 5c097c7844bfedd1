import { createHash, randomBytes } from "node:crypto";

/** Session tokens and API keys are random secrets; only their SHA-256 is stored. */
export const SESSION_TOKEN_PREFIX = "pts_";
export const API_KEY_PREFIX = "ptk_";

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function newSessionToken(): string {
  return SESSION_TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

/** An API key reads `ptk_<public id>_<secret>`; the public part identifies it in logs and listings. */
export function newApiKey(): { key: string; prefix: string; keyHash: string } {
  const prefix = API_KEY_PREFIX + randomBytes(6).toString("hex");
  const key = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return { key, prefix, keyHash: sha256Hex(key) };
}
