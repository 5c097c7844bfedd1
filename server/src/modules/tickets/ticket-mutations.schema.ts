import type { InputObjectRef } from "@pothos/core";
import { decodeGlobalID } from "@pothos/plugin-relay";
import { AlreadyRatedError, IdempotencyConflictError, ValidationError } from "../../errors.js";
import type { Ticket } from "../../generated/prisma/client.js";
import { builder, type Types } from "../../graphql/builder.js";
import type { Context } from "../../graphql/context.js";
import { TICKET_ACTION_ERRORS } from "../../graphql/errors.js";
import type { AuthenticatedViewer } from "../auth/viewer.js";
import { ChannelEnum, PriorityEnum, TicketKindEnum, TicketRef } from "./ticket.schema.js";
import * as tickets from "./ticket-service.js";

/** Turns a global id into the row id, refusing ids of other types. */
export function localId(globalId: string, typename: "Ticket" | "User", field: string): string {
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

const TICKET_ID = { required: true, description: "Global id of the ticket." } as const;
const REASON = "Why (max 2,000 characters); recorded in the ticket's history.";

const TriageTicketInput = builder.inputType("TriageTicketInput", {
  description: "Verifies a new ticket: sets its category, priority and kind.",
  fields: (t) => ({
    ticketId: t.id(TICKET_ID),
    category: t.string({ description: "Category code." }),
    priority: t.field({ type: PriorityEnum, description: "Urgency." }),
    kind: t.field({ type: TicketKindEnum, description: "Corrected kind." }),
  }),
});
const AssignTicketInput = builder.inputType("AssignTicketInput", {
  description: "Gives the ticket to an agent of its unit.",
  fields: (t) => ({
    ticketId: t.id(TICKET_ID),
    assigneeId: t.id({ required: true, description: "Global id of the user (an active member of the ticket's unit)." }),
  }),
});
const TransferTicketInput = builder.inputType("TransferTicketInput", {
  description: "Moves the ticket to another unit (disposition or escalation). The citizen's clock keeps running.",
  fields: (t) => ({
    ticketId: t.id(TICKET_ID),
    unitCode: t.string({ required: true, description: "The receiving unit." }),
    reason: t.string({ required: true, description: REASON }),
  }),
});
const TicketMessageInput = builder.inputType("TicketMessageInput", {
  description: "A reply or a note on a ticket.",
  fields: (t) => ({
    ticketId: t.id(TICKET_ID),
    body: t.string({ required: true, description: "The text (max 10,000 characters)." }),
  }),
});
const TicketIdInput = builder.inputType("TicketIdInput", {
  description: "Names a ticket.",
  fields: (t) => ({ ticketId: t.id(TICKET_ID) }),
});
const WaitOnCitizenInput = builder.inputType("WaitOnCitizenInput", {
  description: "Pauses the ticket until the citizen answers.",
  fields: (t) => ({
    ticketId: t.id(TICKET_ID),
    reason: t.string({ description: "What the citizen must provide." }),
  }),
});
const ResolveTicketInput = builder.inputType("ResolveTicketInput", {
  description: "Resolves the ticket with an answer to the citizen.",
  fields: (t) => ({
    ticketId: t.id(TICKET_ID),
    resolution: t.string({ required: true, description: "The answer sent to the citizen (max 10,000 characters)." }),
  }),
});
const TicketReasonInput = builder.inputType("TicketReasonInput", {
  description: "An action that needs a reason.",
  fields: (t) => ({
    ticketId: t.id(TICKET_ID),
    reason: t.string({ required: true, description: REASON }),
  }),
});

/** Every lifecycle mutation has the same shape: an input naming a ticket, a ticket or a typed error back. */
function lifecycleMutation<Shape extends { ticketId: string | number }>(
  name: string,
  description: string,
  input: InputObjectRef<PothosSchemaTypes.ExtendDefaultTypes<Types>, Shape>,
  run: (deps: tickets.TicketDeps, viewer: AuthenticatedViewer, ticketId: string, input: Shape) => Promise<Ticket>,
  options: { rating?: boolean } = {},
) {
  builder.mutationField(name, (t) =>
    t.field({
      type: TicketRef,
      description,
      authScopes: options.rating ? { rateTickets: true } : { writeTickets: true },
      errors: {
        types: options.rating ? [...TICKET_ACTION_ERRORS, AlreadyRatedError] : TICKET_ACTION_ERRORS,
        dataField: { name: "ticket", description: "The ticket after the change." },
      },
      args: { input: t.arg({ type: input, required: true, description: "What to do." }) },
      resolve: (_root, args, ctx) => {
        // Pothos cannot narrow argument types through this generic; the ref above fixes the shape.
        const value = (args as unknown as { input: Shape }).input;
        return run(ctx.tickets, viewerOf(ctx), localId(String(value.ticketId), "Ticket", "ticketId"), value);
      },
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

lifecycleMutation(
  "triageTicket",
  "Verifies a new ticket: category, priority, kind.",
  TriageTicketInput,
  (deps, viewer, ticketId, input) =>
    tickets.triageTicket(deps, viewer, {
      ticketId,
      categoryCode: input.category,
      priority: input.priority,
      kind: input.kind,
    }),
);
lifecycleMutation(
  "assignTicket",
  "Gives the ticket to an agent of its unit (agents may take it themselves).",
  AssignTicketInput,
  (deps, viewer, ticketId, input) =>
    tickets.assignTicket(deps, viewer, {
      ticketId,
      assigneeId: localId(String(input.assigneeId), "User", "assigneeId"),
    }),
);
lifecycleMutation(
  "transferTicket",
  "Moves the ticket to another unit, with a reason.",
  TransferTicketInput,
  (deps, viewer, ticketId, input) =>
    tickets.transferTicket(deps, viewer, { ticketId, unitCode: input.unitCode, reason: input.reason }),
);
lifecycleMutation(
  "replyToTicket",
  "Sends a public reply to the citizen.",
  TicketMessageInput,
  (deps, viewer, ticketId, input) => tickets.replyToTicket(deps, viewer, { ticketId, body: input.body }),
);
lifecycleMutation(
  "addInternalNote",
  "Adds a note only staff can read.",
  TicketMessageInput,
  (deps, viewer, ticketId, input) => tickets.addInternalNote(deps, viewer, { ticketId, body: input.body }),
);
lifecycleMutation(
  "waitOnCitizen",
  "Pauses the ticket until the citizen answers.",
  WaitOnCitizenInput,
  (deps, viewer, ticketId, input) => tickets.waitOnCitizen(deps, viewer, { ticketId, reason: input.reason }),
);
lifecycleMutation(
  "resumeTicket",
  "Continues a ticket that was waiting on the citizen.",
  TicketIdInput,
  (deps, viewer, ticketId) => tickets.resumeTicket(deps, viewer, { ticketId }),
);
lifecycleMutation(
  "resolveTicket",
  "Resolves the ticket with an answer to the citizen.",
  ResolveTicketInput,
  (deps, viewer, ticketId, input) => tickets.resolveTicket(deps, viewer, { ticketId, resolution: input.resolution }),
);
lifecycleMutation(
  "closeTicket",
  "Closes a resolved ticket (citizen confirmed or did not object).",
  TicketIdInput,
  (deps, viewer, ticketId) => tickets.closeTicket(deps, viewer, { ticketId }),
);
lifecycleMutation(
  "reopenTicket",
  "Reopens a resolved or closed ticket, with a reason.",
  TicketReasonInput,
  (deps, viewer, ticketId, input) => tickets.reopenTicket(deps, viewer, { ticketId, reason: input.reason }),
);
const RateTicketInput = builder.inputType("RateTicketInput", {
  description: "The citizen's answer to the satisfaction survey sent at resolution.",
  fields: (t) => ({
    ticketId: t.id(TICKET_ID),
    rating: t.int({ required: true, description: "1 (very dissatisfied) to 5 (very satisfied)." }),
    comment: t.string({ description: "What the citizen wrote, if anything (max 10,000 characters)." }),
    paperFormReference: t.string({
      description:
        "Staff only, and required of them: the number of the citizen's paper survey form being transcribed " +
        "(max 64 characters). A survey channel's key leaves it out.",
    }),
  }),
});

lifecycleMutation(
  "rateTicket",
  "Records the citizen's satisfaction rating of a resolved or closed ticket, once per ticket: from an " +
    "integrated survey channel (an API key with RATINGS_WRITE), or transcribed from a paper form by staff " +
    "who did not handle the ticket. The RATED event records the source and who recorded it.",
  RateTicketInput,
  (deps, viewer, ticketId, input) =>
    tickets.rateTicket(deps, viewer, {
      ticketId,
      rating: input.rating,
      comment: input.comment ?? null,
      paperFormReference: input.paperFormReference ?? null,
    }),
  { rating: true },
);

lifecycleMutation(
  "rejectTicket",
  "Rejects the ticket as not immigration's authority (bukan wewenang), with a reason.",
  TicketReasonInput,
  (deps, viewer, ticketId, input) => tickets.rejectTicket(deps, viewer, { ticketId, reason: input.reason }),
);
