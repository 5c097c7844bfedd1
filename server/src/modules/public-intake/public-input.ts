import { z } from "zod";
import { TicketKind } from "../../generated/prisma/enums.js";
import { LIMITS } from "../tickets/ticket-input.js";
import { MAX_NONCE_LENGTH } from "./proof-of-work.js";

/** The public form's fields; the limits are the ticket's own, so nothing is cut short on the way in. */
export const publicReportInput = z.object({
  kind: z.enum(Object.values(TicketKind) as [TicketKind, ...TicketKind[]]),
  categoryCode: z.string().trim().min(1).max(64).nullish(),
  unitCode: z.string().trim().min(1).max(64),
  subject: z.string().trim().min(3).max(LIMITS.subject).nullish(),
  description: z.string().trim().min(10).max(LIMITS.description),
  contact: z
    .object({
      name: z.string().trim().min(1).max(LIMITS.reporterName).nullish(),
      email: z.email().max(LIMITS.email).nullish(),
      phone: z
        .string()
        .trim()
        .max(LIMITS.phone)
        .regex(/^\+?[0-9 ()-]{6,}$/, "is not a phone number")
        .nullish(),
    })
    .refine((contact) => Boolean(contact.email || contact.phone), "give an e-mail address or a phone number"),
  consent: z.boolean(),
  website: z.string().max(1_000).nullish(),
  challenge: z.string().max(200),
  nonce: z.string().max(MAX_NONCE_LENGTH),
});
export type PublicReportInput = z.input<typeof publicReportInput>;

/** A subject from the description when the citizen gave none: its first line, cut at a word. */
export function subjectFrom(description: string): string {
  const line =
    description
      .split(/\r?\n/)
      .find((l) => l.trim())
      ?.trim() ?? description.trim();
  if (line.length <= 80) return line.length >= 3 ? line : `${line} …`;
  const cut = line.slice(0, 80);
  const space = cut.lastIndexOf(" ");
  return `${(space > 40 ? cut.slice(0, space) : cut).trimEnd()} …`;
}
