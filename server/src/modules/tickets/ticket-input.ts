import { z } from "zod";
import { ValidationError } from "../../errors.js";

// Limits are part of the API contract: a value over them is refused, never truncated.
export const LIMITS = {
  subject: 200,
  description: 10_000,
  reason: 2_000,
  message: 10_000,
  reporterName: 120,
  email: 254,
  phone: 32,
  externalRef: 64,
  idempotencyKey: 128,
  search: 100,
  paperFormReference: 64,
} as const;

const text = (max: number, min = 1) => z.string().trim().min(min).max(max);

export const createTicketInput = z.object({
  idempotencyKey: z
    .string()
    .min(8)
    .max(LIMITS.idempotencyKey)
    .regex(/^[A-Za-z0-9._:-]+$/, "may contain letters, digits and . _ : - only"),
  unitCode: text(64),
  kind: z.string(),
  channel: z.string(),
  subject: text(LIMITS.subject, 3),
  description: text(LIMITS.description),
  categoryCode: text(64).nullish(),
  priority: z.string().nullish(),
  externalRef: text(LIMITS.externalRef).nullish(),
  reporter: z
    .object({
      name: text(LIMITS.reporterName).nullish(),
      email: z.email().max(LIMITS.email).nullish(),
      phone: z
        .string()
        .trim()
        .max(LIMITS.phone)
        .regex(/^\+?[0-9 ()-]{6,}$/, "is not a phone number")
        .nullish(),
    })
    .nullish(),
});
export type CreateTicketInput = z.input<typeof createTicketInput>;

export const reasonInput = text(LIMITS.reason);
export const messageInput = text(LIMITS.message);
export const paperFormReferenceInput = text(LIMITS.paperFormReference);

/** Parses with a zod schema, turning the first problem into a typed ValidationError. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, fieldPrefix = ""): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [fieldPrefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join(".");
  throw new ValidationError(`${field || "input"}: ${issue?.message ?? "is invalid"}`, field || null);
}
