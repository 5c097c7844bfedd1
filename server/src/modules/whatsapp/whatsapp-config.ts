/** The WhatsApp Business Cloud API channel, as configured from the environment. */
export interface WhatsAppSettings {
  /** Secret: signs Meta's webhook calls (X-Hub-Signature-256). Never logged, never stored. */
  readonly appSecret: string;
  /** Secret: what Meta echoes in the webhook verification handshake. */
  readonly verifyToken: string;
  /** Secret: the system user's token for the Graph API. */
  readonly accessToken: string;
  /** e.g. https://graph.facebook.com/v21.0, without a trailing slash. */
  readonly graphUrl: string;
  /** Business phone-number id → the code of the unit its messages open tickets in. */
  readonly phoneNumbers: ReadonlyMap<string, string>;
  /** The approved template sent outside the 24-hour window, or null: such replies then dead-letter. */
  readonly template: { name: string; language: string } | null;
  /** Webhook bodies over this are refused (413) before they are read whole. */
  readonly maxBodyBytes: number;
}

const DEFAULT_GRAPH_URL = "https://graph.facebook.com/v21.0";
const DEFAULT_MAX_BODY = 1024 * 1024;
const REQUIRED = [
  "PANTAU_WHATSAPP_APP_SECRET",
  "PANTAU_WHATSAPP_VERIFY_TOKEN",
  "PANTAU_WHATSAPP_ACCESS_TOKEN",
  "PANTAU_WHATSAPP_PHONE_NUMBERS",
] as const;

/**
 * Reads `PANTAU_WHATSAPP_*`. The channel is off (null, no issue) when none of the required variables is
 * set; setting some and not the others is an error, as is a malformed value. The phone-number map is
 * `<phone-number-id>=<unit code>` pairs separated by commas, e.g. `106540352242922=KANIM-MALANG`.
 */
export function parseWhatsAppSettings(env: Record<string, string | undefined>): {
  settings: WhatsAppSettings | null;
  issues: string[];
} {
  const issues: string[] = [];
  const set = REQUIRED.filter((name) => env[name]);
  if (set.length === 0) return { settings: null, issues };
  for (const name of REQUIRED) if (!env[name]) issues.push(`${name}: required when ${set.join(", ")} is set`);

  const phoneNumbers = new Map<string, string>();
  for (const pair of (env.PANTAU_WHATSAPP_PHONE_NUMBERS ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(\d{5,20})=([A-Za-z0-9_-]{1,64})$/.exec(pair);
    if (!match?.[1] || !match[2]) {
      issues.push(
        `PANTAU_WHATSAPP_PHONE_NUMBERS: "${pair.slice(0, 80)}" is not <phone-number-id>=<unit code>, e.g. 106540352242922=KANIM-MALANG`,
      );
      continue;
    }
    if (phoneNumbers.has(match[1])) issues.push(`PANTAU_WHATSAPP_PHONE_NUMBERS: ${match[1]} is listed twice`);
    phoneNumbers.set(match[1], match[2]);
  }

  const graphUrl = (env.PANTAU_WHATSAPP_GRAPH_URL ?? DEFAULT_GRAPH_URL).replace(/\/+$/, "");
  if (!URL.canParse(graphUrl) || !["http:", "https:"].includes(new URL(graphUrl).protocol)) {
    issues.push("PANTAU_WHATSAPP_GRAPH_URL: must be an http(s) URL, e.g. https://graph.facebook.com/v21.0");
  }
  const templateName = env.PANTAU_WHATSAPP_TEMPLATE;
  const language = env.PANTAU_WHATSAPP_TEMPLATE_LANGUAGE ?? "id";
  if (templateName && !/^[a-z0-9_]{1,512}$/.test(templateName)) {
    issues.push("PANTAU_WHATSAPP_TEMPLATE: a template name is lower-case letters, digits and _");
  }
  if (!/^[a-z]{2,3}(_[A-Z]{2})?$/.test(language)) {
    issues.push("PANTAU_WHATSAPP_TEMPLATE_LANGUAGE: a language code like id, en or en_US");
  }
  const maxBody = env.PANTAU_WHATSAPP_MAX_BODY_BYTES ? Number(env.PANTAU_WHATSAPP_MAX_BODY_BYTES) : DEFAULT_MAX_BODY;
  if (!Number.isInteger(maxBody) || maxBody < 1024 || maxBody > 64 * 1024 * 1024) {
    issues.push("PANTAU_WHATSAPP_MAX_BODY_BYTES: a whole number of bytes from 1024 to 67108864");
  }
  if (issues.length) return { settings: null, issues };
  return {
    settings: {
      appSecret: env.PANTAU_WHATSAPP_APP_SECRET as string,
      verifyToken: env.PANTAU_WHATSAPP_VERIFY_TOKEN as string,
      accessToken: env.PANTAU_WHATSAPP_ACCESS_TOKEN as string,
      graphUrl,
      phoneNumbers,
      template: templateName ? { name: templateName, language } : null,
      maxBodyBytes: maxBody,
    },
    issues,
  };
}
