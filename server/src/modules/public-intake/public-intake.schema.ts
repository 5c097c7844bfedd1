import {
  ChallengeError,
  ConsentRequiredError,
  NotFoundError,
  PublicLimitError,
  SubmissionRefusedError,
  UnknownCategoryError,
  UnknownUnitError,
  ValidationError,
} from "../../errors.js";
import type { Unit } from "../../generated/prisma/client.js";
import { builder } from "../../graphql/builder.js";
import "../../graphql/errors.js";
import { TicketKindEnum, TicketStatusEnum } from "../tickets/ticket.schema.js";
import { UnitTypeEnum } from "../units/unit.schema.js";
import { localIso } from "./local-time.js";
import type { Challenge } from "./proof-of-work.js";
import {
  newChallenge,
  type PublicOutcome,
  type PublicReply,
  type PublicTicketView,
  publicTicket,
  publicUnits,
  type SubmittedReport,
  submitPublicReport,
} from "./public-intake-service.js";

// Every field here is an anonymous entry point. Each passes the scope check like every other field, with the
// `public` scope (granted to every caller, see builder.ts), so what is open is declared, never implied by a
// missing scope; docs/permissions.md lists them. No type here reaches staff names, notes or contact data.
const PUBLIC = { public: true } as const;

export const PublicUnitRef = builder.objectRef<Unit>("PublicUnit").implement({
  description: "A unit as the public directory shows it: where a citizen can address a report.",
  authScopes: PUBLIC,
  fields: (t) => ({
    code: t.exposeString("code", { description: "Stable short code, e.g. KANIM-MALANG." }),
    name: t.exposeString("name", { description: "Official name in Indonesian." }),
    type: t.expose("type", { type: UnitTypeEnum, description: "Level in the organisation." }),
    provinceCode: t.exposeString("provinceCode", { description: "ISO 3166-2:ID code of the province, e.g. ID-JI." }),
    provinceName: t.exposeString("provinceName", { description: "Province name in Indonesian." }),
    city: t.exposeString("city", { nullable: true, description: "Seat of the unit (city or regency)." }),
    timeZone: t.exposeString("timeZone", { description: "IANA time zone of the unit, e.g. Asia/Jakarta." }),
  }),
});

const PublicChallengeRef = builder.objectRef<Challenge>("PublicReportChallenge").implement({
  description:
    "A proof-of-work for one public report: find a nonce (1–32 of 0–9 A–Z a–z) such that SHA-256 of " +
    '"<token>:<nonce>" (UTF-8) begins with `bits` zero bits, then send both with the report.',
  authScopes: PUBLIC,
  fields: (t) => ({
    token: t.exposeString("token", { description: "The signed challenge, sent back unchanged." }),
    bits: t.exposeInt("bits", { description: "Leading zero bits the hash must have (about 2^bits attempts)." }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", description: "After this the challenge is refused." }),
  }),
});

const PublicReportRef = builder.objectRef<SubmittedReport>("PublicReport").implement({
  description: "A report that became a ticket.",
  authScopes: PUBLIC,
  fields: (t) => ({
    ticketNumber: t.exposeString("ticketNumber", { description: "The ticket's number, e.g. IMI-2026-0001234." }),
    trackingCode: t.exposeString("trackingCode", {
      description:
        "The private code that, with the number, opens the ticket in publicTicket. Shown only in this answer: " +
        "Pantau keeps only its hash and cannot show it again.",
    }),
    unit: t.field({ type: PublicUnitRef, description: "The unit the report was sent to.", resolve: (r) => r.unit }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When the ticket was opened." }),
  }),
});

const ContactInput = builder.inputType("PublicReportContactInput", {
  description: "How the unit can answer the citizen: an e-mail address or a phone number, or both.",
  fields: (t) => ({
    name: t.string({ description: "Name (max 120 characters); may be left out." }),
    email: t.string({ description: "E-mail address." }),
    phone: t.string({ description: "Phone or WhatsApp number, e.g. +62 812 3456 7890." }),
  }),
});

const SubmitPublicReportInput = builder.inputType("SubmitPublicReportInput", {
  description: "A citizen's report from the public web form.",
  fields: (t) => ({
    kind: t.field({ type: TicketKindEnum, required: true, description: "What the citizen asks for." }),
    categoryCode: t.string({ description: "Category code from publicCategories, if the citizen picked one." }),
    unitCode: t.string({ required: true, description: "The unit the report is for, from publicUnits." }),
    subject: t.string({ description: "Short summary (3–200 characters); the description's first line if left out." }),
    description: t.string({ required: true, description: "What happened or what is asked (10–10,000 characters)." }),
    contact: t.field({ type: ContactInput, required: true, description: "How to answer." }),
    consent: t.boolean({
      required: true,
      description:
        "The citizen consents to the processing of the personal data given for handling this report " +
        "(UU 27/2022 on personal data protection). Without it nothing is stored (CONSENT_REQUIRED).",
    }),
    website: t.string({
      description: "Leave empty. A field people never see; automated submissions fill it and are refused.",
    }),
    challenge: t.string({ required: true, description: "The token of a publicReportChallenge." }),
    nonce: t.string({ required: true, description: "The nonce that solves it." }),
  }),
});

const PublicReplyRef = builder.objectRef<PublicReply>("PublicTicketReply").implement({
  description: "A reply of the unit to the citizen, without the name of who wrote it.",
  authScopes: PUBLIC,
  fields: (t) => ({
    body: t.exposeString("body", { description: "The reply's text." }),
    at: t.expose("at", { type: "DateTime", description: "When it was sent." }),
  }),
});

const PublicOutcomeKind = builder.enumType("PublicOutcomeKind", {
  description: "How a ticket ended.",
  values: {
    RESOLVED: { description: "Answered or settled." },
    REJECTED: { description: "Not within immigration's authority (bukan wewenang)." },
  },
});

const PublicOutcomeRef = builder.objectRef<PublicOutcome>("PublicTicketOutcome").implement({
  description: "How the ticket ended, while it stays ended (a reopened ticket has none).",
  authScopes: PUBLIC,
  fields: (t) => ({
    kind: t.field({ type: PublicOutcomeKind, description: "Resolved or rejected.", resolve: (o) => o.kind }),
    at: t.expose("at", { type: "DateTime", description: "When." }),
    message: t.exposeString("message", {
      nullable: true,
      description: "The resolution sent to the citizen, or the reason of the rejection.",
    }),
  }),
});

const PublicDueRef = builder.objectRef<{ at: Date; timeZone: string }>("PublicTicketDue").implement({
  description: "The next deadline the unit works to, in the unit's own time zone.",
  authScopes: PUBLIC,
  fields: (t) => ({
    at: t.expose("at", { type: "DateTime", description: "The instant (UTC)." }),
    local: t.string({
      description: "The same instant as the unit's wall-clock time with its offset, e.g. 2026-12-10T16:00:00+07:00.",
      resolve: (due) => localIso(due.at, due.timeZone),
    }),
    timeZone: t.exposeString("timeZone", { description: "The unit's IANA time zone." }),
  }),
});

const PublicTicketRef = builder.objectRef<PublicTicketView>("PublicTicket").implement({
  description:
    "A ticket as its citizen sees it: no staff names, no internal notes, no contact data; only what the citizen " +
    "gave and what the unit sent them.",
  authScopes: PUBLIC,
  fields: (t) => ({
    number: t.exposeString("number", { description: "The ticket's number." }),
    subject: t.exposeString("subject", { description: "The report's summary." }),
    description: t.exposeString("description", { description: "The report as the citizen wrote it." }),
    kind: t.expose("kind", { type: TicketKindEnum, description: "What the citizen asked for." }),
    status: t.expose("status", { type: TicketStatusEnum, description: "Where the ticket stands." }),
    categoryCode: t.exposeString("categoryCode", { nullable: true, description: "Its category's code, if any." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was received." }),
    unit: t.field({ type: PublicUnitRef, description: "The unit handling it now.", resolve: (v) => v.unit }),
    nextDue: t.field({
      type: PublicDueRef,
      nullable: true,
      description: "The next deadline; null while it waits on the citizen and once it has ended.",
      resolve: (v) => (v.nextDueAt ? { at: v.nextDueAt, timeZone: v.unit.timeZone } : null),
    }),
    replies: t.field({
      type: [PublicReplyRef],
      description: "The unit's replies, oldest first.",
      resolve: (v) => [...v.replies],
    }),
    outcome: t.field({
      type: PublicOutcomeRef,
      nullable: true,
      description: "How it ended; null while it is open.",
      resolve: (v) => v.outcome,
    }),
  }),
});

builder.queryFields((t) => ({
  publicUnits: t.field({
    type: [PublicUnitRef],
    authScopes: PUBLIC,
    description: "The public unit directory, ordered by province, city and name: where reports can be sent. Anonymous.",
    resolve: (_root, _args, ctx) => publicUnits(ctx.units),
  }),
  publicCategories: t.prismaField({
    type: ["Category"],
    authScopes: PUBLIC,
    description: "The top-level categories for the public form; follow `children` for the tree. Anonymous.",
    resolve: (query, _root, _args, ctx) =>
      ctx.db.prisma.category.findMany({
        ...query,
        where: { parentId: null, retiredAt: null },
        orderBy: { position: "asc" },
      }),
  }),
  publicReportChallenge: t.field({
    type: PublicChallengeRef,
    authScopes: PUBLIC,
    description: "A fresh proof-of-work challenge for submitPublicReport. Anonymous; writes nothing.",
    resolve: (_root, _args, ctx) => newChallenge(ctx.publicIntake),
  }),
  publicTicket: t.field({
    type: PublicTicketRef,
    authScopes: PUBLIC,
    description:
      "A ticket reported through the public form, for its citizen: by its number and private tracking code. " +
      "A wrong number and a wrong code both answer NOT_FOUND; look-ups are limited per address and per number " +
      "(PUBLIC_LIMIT_REACHED). Anonymous.",
    errors: { types: [ValidationError, NotFoundError, PublicLimitError], dataField: { name: "ticket" } },
    args: {
      number: t.arg.string({ required: true, description: "The ticket number, e.g. IMI-2026-0001234." }),
      trackingCode: t.arg.string({
        required: true,
        description: "The tracking code given at submission; case, spaces and dashes do not matter.",
      }),
    },
    resolve: (_root, args, ctx) => publicTicket(ctx.publicIntake, args, ctx.clientAddress),
  }),
}));

builder.mutationField("submitPublicReport", (t) =>
  t.field({
    type: PublicReportRef,
    authScopes: PUBLIC,
    description:
      "Opens a ticket (channel WEB_FORM) from the public web form, without an account, and answers its number and " +
      "a private tracking code. Needs consent (UU 27/2022) and a solved publicReportChallenge, each spent once; " +
      "reports are limited per address. Nothing is stored when any check fails. Anonymous.",
    errors: {
      types: [
        ValidationError,
        ConsentRequiredError,
        SubmissionRefusedError,
        ChallengeError,
        UnknownUnitError,
        UnknownCategoryError,
        PublicLimitError,
      ],
      dataField: { name: "report" },
    },
    args: { input: t.arg({ type: SubmitPublicReportInput, required: true, description: "The report." }) },
    resolve: (_root, { input }, ctx) => submitPublicReport(ctx.publicIntake, input, ctx.clientAddress),
  }),
);
