/** The SP4N-LAPOR! boundary, as configured from the environment. */
export interface LaporSettings {
  /** Secret: signs LAPOR!'s calls to /webhooks/lapor (X-Lapor-Signature). Never logged, never stored. */
  readonly inboundSecret: string;
  /** The unit a report opens its ticket in when it names none (the directorate triages and transfers). */
  readonly unitCode: string;
  /** Where Pantau's status changes go (POST {url}/reports/{trackingId}/status); null: not sent. */
  readonly apiUrl: string | null;
  /** Secret: the bearer token of those calls. */
  readonly apiToken: string | null;
  readonly maxBodyBytes: number;
}

const MAX_BODY = 1024 * 1024;

/**
 * Reads `PANTAU_LAPOR_*`. Intake is on with `PANTAU_LAPOR_SECRET`; the status sync also needs
 * `PANTAU_LAPOR_API_URL` and `PANTAU_LAPOR_API_TOKEN` (both or neither). Off (null, no issue) when none is
 * set.
 */
export function parseLaporSettings(env: Record<string, string | undefined>): {
  settings: LaporSettings | null;
  issues: string[];
} {
  const issues: string[] = [];
  const names = ["PANTAU_LAPOR_SECRET", "PANTAU_LAPOR_API_URL", "PANTAU_LAPOR_API_TOKEN", "PANTAU_LAPOR_UNIT"];
  const set = names.filter((name) => env[name]);
  if (!set.length) return { settings: null, issues };
  const secret = env.PANTAU_LAPOR_SECRET ?? "";
  if (secret.length < 16)
    issues.push("PANTAU_LAPOR_SECRET: required (at least 16 characters) when PANTAU_LAPOR_* is set");
  const apiUrl = env.PANTAU_LAPOR_API_URL?.replace(/\/+$/, "") ?? null;
  const apiToken = env.PANTAU_LAPOR_API_TOKEN ?? null;
  if (Boolean(apiUrl) !== Boolean(apiToken)) {
    issues.push("PANTAU_LAPOR_API_URL and PANTAU_LAPOR_API_TOKEN: set both for the status sync, or neither");
  }
  if (apiUrl && (!URL.canParse(apiUrl) || !["http:", "https:"].includes(new URL(apiUrl).protocol))) {
    issues.push("PANTAU_LAPOR_API_URL: must be an http(s) URL");
  }
  const unitCode = env.PANTAU_LAPOR_UNIT ?? "IMI";
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(unitCode)) issues.push("PANTAU_LAPOR_UNIT: a unit code, e.g. IMI");
  if (issues.length) return { settings: null, issues };
  return {
    settings: { inboundSecret: secret, unitCode, apiUrl, apiToken, maxBodyBytes: MAX_BODY },
    issues,
  };
}
