import { z } from "zod";
import { LIMITS } from "../tickets/ticket-input.js";

/**
 * A report as SP4N-LAPOR! forwards it to Pantau: the boundary's own JSON, since LAPOR!'s integration
 * interface is not public (README, "SP4N-LAPOR!"). Only what a ticket needs; anything else is ignored.
 * A tracking id is LAPOR!'s and identifies the report for good: it becomes the ticket's externalRef.
 */
const reportSchema = z.object({
  trackingId: z
    .string()
    .trim()
    .min(1)
    .max(LIMITS.externalRef)
    .regex(/^[A-Za-z0-9._/-]+$/, "may contain letters, digits and . _ / - only"),
  title: z.string().trim().min(3).max(LIMITS.subject),
  content: z.string().trim().min(1).max(LIMITS.description),
  classification: z.string().trim().max(40).nullish(),
  unitCode: z.string().trim().min(1).max(64).nullish(),
  categoryCode: z.string().trim().min(1).max(64).nullish(),
  submittedAt: z.iso.datetime({ offset: true }).nullish(),
  anonymous: z.boolean().nullish(),
  reporter: z
    .object({
      name: z.string().trim().min(1).max(LIMITS.reporterName).nullish(),
      email: z.email().max(LIMITS.email).nullish(),
      phone: z.string().trim().max(LIMITS.phone).nullish(),
    })
    .nullish(),
});
export type LaporReport = z.output<typeof reportSchema>;

export type ParsedReport = { ok: true; report: LaporReport } | { ok: false; trackingId: string | null; reason: string };

/** One report of a body: valid, or why not (with its tracking id when it has a usable one). */
export function parseReport(value: unknown): ParsedReport {
  const parsed = reportSchema.safeParse(value);
  if (parsed.success) return { ok: true, report: parsed.data };
  const issue = parsed.error.issues[0];
  const id = (value as { trackingId?: unknown } | null)?.trackingId;
  return {
    ok: false,
    trackingId: typeof id === "string" && id.length <= LIMITS.externalRef ? id : null,
    reason: `${issue?.path.join(".") || "report"}: ${issue?.message ?? "is invalid"}`,
  };
}

/** The reports of a body: `{ "reports": [...] }` for an import, or one report object. */
export function reportsOf(body: unknown): unknown[] | null {
  if (Array.isArray((body as { reports?: unknown } | null)?.reports)) return (body as { reports: unknown[] }).reports;
  return body && typeof body === "object" && !Array.isArray(body) ? [body] : null;
}
