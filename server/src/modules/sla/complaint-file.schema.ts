import { FileAlreadyCompleteError, NoComplaintFileError } from "../../errors.js";
import { builder } from "../../graphql/builder.js";
import type { Context } from "../../graphql/context.js";
import { TICKET_ACTION_ERRORS } from "../../graphql/errors.js";
import type { AuthenticatedViewer } from "../auth/viewer.js";
import { TicketRef } from "../tickets/ticket.schema.js";
import { localId } from "../tickets/ticket-mutations.schema.js";
import { declareFileComplete, declareFileIncomplete } from "../tickets/ticket-service.js";

const viewerOf = (ctx: Context) => ctx.viewer as AuthenticatedViewer;
const FILE_ERRORS = [...TICKET_ACTION_ERRORS, NoComplaintFileError, FileAlreadyCompleteError];

builder.mutationFields((t) => ({
  declareFileIncomplete: t.field({
    type: TicketRef,
    description:
      "A complaint's written answer that its file is incomplete (UU 25/2009), saying what is missing; sent to the " +
      "citizen as a public reply. It meets the FILE_ANSWER clock and, the first time, starts FILE_LAPSE: the " +
      "citizen's time to complete the file, after which the complaint lapses and the ticket closes " +
      "(COMPLAINT_LAPSED). The ticket waits on the citizen. Only for complaints whose policy has the file stages " +
      "(NoComplaintFileError) and whose file is not yet complete (FileAlreadyCompleteError).",
    authScopes: { staff: true },
    errors: { types: FILE_ERRORS, dataField: { name: "ticket", description: "The ticket after the answer." } },
    args: {
      input: t.arg({
        type: builder.inputType("DeclareFileIncompleteInput", {
          description: "The complaint and what its file lacks.",
          fields: (f) => ({
            ticketId: f.id({ required: true, description: "Global id of the ticket." }),
            missing: f.string({
              required: true,
              description: "What the citizen must still send, as written to them (max 10,000 characters).",
            }),
          }),
        }),
        required: true,
        description: "The answer.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      declareFileIncomplete(ctx.tickets, viewerOf(ctx), {
        ticketId: localId(String(input.ticketId), "Ticket", "ticketId"),
        missing: input.missing,
      }),
  }),
  declareFileComplete: t.field({
    type: TicketRef,
    description:
      "Declares a complaint's file complete, with the written answer to the citizen (UU 25/2009): meets the " +
      "FILE_ANSWER clock (and FILE_LAPSE, if the citizen was completing the file) and starts EXAMINATION, the " +
      "examination result's clock from the complete file. A ticket waiting on the citizen goes back to work. " +
      "Once per complaint (FileAlreadyCompleteError); only for complaints whose policy has the file stages " +
      "(NoComplaintFileError).",
    authScopes: { staff: true },
    errors: { types: FILE_ERRORS, dataField: { name: "ticket", description: "The ticket after the declaration." } },
    args: {
      input: t.arg({
        type: builder.inputType("DeclareFileCompleteInput", {
          description: "The complaint and the answer to its complainant.",
          fields: (f) => ({
            ticketId: f.id({ required: true, description: "Global id of the ticket." }),
            answer: f.string({
              required: true,
              description: "The written answer that the file is complete, sent to the citizen (max 10,000 characters).",
            }),
          }),
        }),
        required: true,
        description: "The declaration.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      declareFileComplete(ctx.tickets, viewerOf(ctx), {
        ticketId: localId(String(input.ticketId), "Ticket", "ticketId"),
        answer: input.answer,
      }),
  }),
}));
