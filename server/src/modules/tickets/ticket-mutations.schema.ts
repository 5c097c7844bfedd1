import { decodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../graphql/builder.js";
import { IdempotencyConflictError, ValidationError } from "../../errors.js";
import { TICKET_ACTION_ERRORS } from "../../graphql/errors.js";
import type { Context } from "../../graphql/context.js";
import type { AuthenticatedViewer } from "../auth/viewer.js";
import { ChannelEnum, PriorityEnum, TicketKindEnum, TicketRef } from "./ticket.schema.js";
import * as tickets from "./ticket-service.js";

/** Turns a global id into the row id, refusing ids of other types. */
function localId(globalId: string, typename: "Ticket" | "User", field: string): string {
  try {
    const decoded = decodeGlobalID(globalId);
    if (decoded.typename === typename && decoded.id) return decoded.id;
  } catch {
    // falls through to the typed error
  }
  throw new ValidationError(`${field}: not the global id of a ${typename}`, field);
}

const viewerOf = (ctx: Context) => ctx.viewer as AuthenticatedViewer;

const ReporterInput = builder.inputType("ReporterInput", {
  description: "Who submitted the ticket. Personal data: stored confidentially.",
  fields: (t) => ({
    name: t.string({ description: "Name (max 120)." }),
    email: t.string({ description: "E-mail address." }),
    phone: t.string({ description: "Phone number, e.g. +62 812 3456 7890." }),
  }),
});

const CreateTicketInput = builder.inputType("CreateTicketInput", {
  description: "A new ticket from any channel.",
  fields: (t) => ({
    idempotencyKey: t.string({
      required: true,
      description:
        "Chosen by the client, unique per ticket (8–128 of A–Z a–z 0–9 . _ : -). Retrying with the same key returns the original ticket; reusing it for a different ticket is an error.",
    }),
    unitCode: t.string({ required: true, description: "The unit that receives the ticket." }),
    kind: t.field({ type: TicketKindEnum, required: true, description: "What the citizen asks for." }),
    channel: t.field({ type: ChannelEnum, required: true, description: "How it arrived." }),
    subject: t.string({ required: true, description: "Short summary (3–200 characters)." }),
    description: t.string({ required: true, description: "Full text (max 10,000 characters)." }),
    category: t.string({ description: "Category code, if already known." }),
    priority: t.field({ type: PriorityEnum, description: "Urgency; NORMAL when omitted." }),
    externalRef: t.string({ description: "Tracking number in the originating system (e.g. SP4N-LAPOR!)." }),
    reporter: t.field({ type: ReporterInput, description: "Who submitted it." }),
  }),
});


function actionInput<Fields extends Record<string, { kind: "string" | "optionalString"; description: string }>>(
  name: string,
  description: string,
  extra: Fields,
) {
  return builder.inputType(name, {
    description,
    fields: (t) => ({
      ticketId: t.id({ required: true, description: "Global id of the ticket." }),
      ...Object.fromEntries(
        Object.entries(extra).map(([key, spec]) => [
          key,
          t.string({ required: spec.kind === "string", description: spec.description }),
        ]),
      ),
    }),
  });
}

const reason = { kind: "string", description: "Why (max 2,000 characters); recorded in the ticket's history." } as const;

const TriageTicketInput = builder.inputType("TriageTicketInput", {
  description: "Verifies a new ticket: sets its category, priority and kind.",
  fields: (t) => ({
    ticketId: t.id({ required: true, description: "Global id of the ticket." }),
    category: t.string({ description: "Category code." }),
    priority: t.field({ type: PriorityEnum, description: "Urgency." }),
    kind: t.field({ type: TicketKindEnum, description: "Corrected kind." }),
  }),
});
const AssignTicketInput = builder.inputType("AssignTicketInput", {
  description: "Gives the ticket to an agent of its unit.",
  fields: (t) => ({
    ticketId: t.id({ required: true, description: "Global id of the ticket." }),
    assigneeId: t.id({ required: true, description: "Global id of the user (an active member of the ticket's unit)." }),
  }),
});
const TransferTicketInput = builder.inputType("TransferTicketInput", {
  description: "Moves the ticket to another unit (disposition or escalation). The citizen's clock keeps running.",
  fields: (t) => ({
    ticketId: t.id({ required: true, description: "Global id of the ticket." }),
    unitCode: t.string({ required: true, description: "The receiving unit." }),
    reason: t.string({ required: true, description: reason.description }),
  }),
});
const MessageInput = actionInput("TicketMessageInput", "A reply or a note on a ticket.", {
  body: { kind: "string", description: "The text (max 10,000 characters)." },
});
const TicketIdInput = actionInput("TicketIdInput", "Names a ticket.", {});
const WaitInput = actionInput("WaitOnCitizenInput", "Pauses the ticket until the citizen answers.", {
  reason: { kind: "optionalString", description: "What the citizen must provide." },
});
const ResolveInput = actionInput("ResolveTicketInput", "Resolves the ticket with an answer to the citizen.", {
  resolution: { kind: "string", description: "The answer sent to the citizen (max 10,000 characters)." },
});
const ReasonInput = actionInput("TicketReasonInput", "An action that needs a reason.", { reason });

type Resolver = (ctx: Context, input: Record<string, unknown>) => Promise<unknown>;

function ticketMutation(name: string, description: string, input: ReturnType<typeof actionInput> | typeof TriageTicketInput, run: Resolver) {
  builder.mutationField(name, (t) =>
    t.field({
      type: TicketRef,
      description,
      authScopes: { writeTickets: true },
      errors: { types: TICKET_ACTION_ERRORS, dataField: { name: "ticket", description: "The ticket after the change." } },
      args: { input: t.arg({ type: input as typeof TicketIdInput, required: true, description: "What to do." }) },
      resolve: (_root, args, ctx) => run(ctx, args.input as Record<string, unknown>) as never,
    }),
  );
}

builder.mutationField("createTicket", (t) =>
  t.field({
    type: TicketRef,
    description: "Records a new ticket. Idempotent: a retry with the same idempotencyKey returns the original.",
    authScopes: { writeTickets: true },
    errors: {
      types: [...TICKET_ACTION_ERRORS, IdempotencyConflictError],
      dataField: { name: "ticket", description: "The new (or original) ticket." },
    },
    args: { input: t.arg({ type: CreateTicketInput, required: true, description: "The ticket." }) },
    resolve: (_root, { input }, ctx) =>
      tickets.createTicket(ctx.tickets, viewerOf(ctx), { ...input, categoryCode: input.category }),
  }),
);

const id = (input: Record<string, unknown>) => localId(String(input.ticketId), "Ticket", "ticketId");
const str = (input: Record<string, unknown>, key: string) => (input[key] == null ? null : String(input[key]));

ticketMutation("triageTicket", "Verifies a new ticket: category, priority, kind.", TriageTicketInput, (ctx, input) =>
  tickets.triageTicket(ctx.tickets, viewerOf(ctx), {
    ticketId: id(input),
    categoryCode: str(input, "category"),
    priority: str(input, "priority"),
    kind: str(input, "kind"),
  }),
);
ticketMutation("assignTicket", "Gives the ticket to an agent of its unit (agents may take it themselves).", AssignTicketInput as never, (ctx, input) =>
  tickets.assignTicket(ctx.tickets, viewerOf(ctx), {
    ticketId: id(input),
    assigneeId: localId(String(input.assigneeId), "User", "assigneeId"),
  }),
);
ticketMutation("transferTicket", "Moves the ticket to another unit, with a reason.", TransferTicketInput as never, (ctx, input) =>
  tickets.transferTicket(ctx.tickets, viewerOf(ctx), {
    ticketId: id(input),
    unitCode: String(input.unitCode),
    reason: String(input.reason),
  }),
);
ticketMutation("replyToTicket", "Sends a public reply to the citizen.", MessageInput, (ctx, input) =>
  tickets.replyToTicket(ctx.tickets, viewerOf(ctx), { ticketId: id(input), body: String(input.body) }),
);
ticketMutation("addInternalNote", "Adds a note only staff can read.", MessageInput, (ctx, input) =>
  tickets.addInternalNote(ctx.tickets, viewerOf(ctx), { ticketId: id(input), body: String(input.body) }),
);
ticketMutation("waitOnCitizen", "Pauses the ticket until the citizen answers.", WaitInput, (ctx, input) =>
  tickets.waitOnCitizen(ctx.tickets, viewerOf(ctx), { ticketId: id(input), reason: str(input, "reason") }),
);
ticketMutation("resumeTicket", "Continues a ticket that was waiting on the citizen.", TicketIdInput, (ctx, input) =>
  tickets.resumeTicket(ctx.tickets, viewerOf(ctx), { ticketId: id(input) }),
);
ticketMutation("resolveTicket", "Resolves the ticket with an answer to the citizen.", ResolveInput, (ctx, input) =>
  tickets.resolveTicket(ctx.tickets, viewerOf(ctx), { ticketId: id(input), resolution: String(input.resolution) }),
);
ticketMutation("closeTicket", "Closes a resolved ticket (citizen confirmed or did not object).", TicketIdInput, (ctx, input) =>
  tickets.closeTicket(ctx.tickets, viewerOf(ctx), { ticketId: id(input) }),
);
ticketMutation("reopenTicket", "Reopens a resolved or closed ticket, with a reason.", ReasonInput, (ctx, input) =>
  tickets.reopenTicket(ctx.tickets, viewerOf(ctx), { ticketId: id(input), reason: String(input.reason) }),
);
ticketMutation("rejectTicket", "Rejects the ticket as not immigration's authority (bukan wewenang), with a reason.", ReasonInput, (ctx, input) =>
  tickets.rejectTicket(ctx.tickets, viewerOf(ctx), { ticketId: id(input), reason: String(input.reason) }),
);
