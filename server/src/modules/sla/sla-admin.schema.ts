import {
  ExtensionPendingError,
  ForbiddenError,
  NoExtensionRequestError,
  NotFoundError,
  UnknownUnitError,
  ValidationError,
} from "../../errors.js";
import { Counting, HolidayKind, TargetUnit } from "../../generated/prisma/enums.js";
import { builder } from "../../graphql/builder.js";
import type { Context } from "../../graphql/context.js";
import { TICKET_ACTION_ERRORS } from "../../graphql/errors.js";
import { auditActorOf } from "../audit/audit-log.js";
import type { AuthenticatedViewer } from "../auth/viewer.js";
import { ChannelEnum, PriorityEnum, TicketKindEnum, TicketRef, TicketStatusEnum } from "../tickets/ticket.schema.js";
import { localId } from "../tickets/ticket-mutations.schema.js";
import { decideDeadlineExtension, extendTicketDeadline, requestDeadlineExtension } from "../tickets/ticket-service.js";
import type { WeekInput } from "./clock/calendar.js";
import { type HolidayCoverage, holidayCoverage } from "./holiday-coverage.js";
import { type HolidayImportResult, importHolidays } from "./holiday-import.js";
import { HolidayRef } from "./sla.schema.js";
import { addHoliday, removeHoliday, saveSlaPolicy, setBusinessHours } from "./sla-admin-service.js";
import { ClockKindEnum, TargetBasisEnum } from "./sla-enums.schema.js";

const viewerOf = (ctx: Context) => ctx.viewer as AuthenticatedViewer;

const TargetInput = builder.inputType("SlaTargetInput", {
  description: "How long a clock may run.",
  fields: (t) => ({
    amount: t.float({ required: true, description: "Greater than zero; whole for days." }),
    unit: t.field({
      type: builder.enumType(TargetUnit, { name: "TargetUnitInput" }),
      required: true,
      description: "Unit.",
    }),
    counting: t.field({
      type: builder.enumType(Counting, { name: "CountingInput" }),
      required: true,
      description: "WORKING_DAYS count business hours; DAYS count all hours.",
    }),
    basis: t.field({
      type: TargetBasisEnum,
      defaultValue: "INTERNAL",
      description:
        "LEGAL when a statute or regulation sets the target (name it and its article in source); INTERNAL when it is Pantau's own.",
    }),
    source: t.string({
      description:
        "Where the target comes from: for LEGAL the rule and article (required), for INTERNAL the reason (at most 1,000 characters).",
    }),
  }),
});

const SlaStageInput = builder.inputType("SlaStageInput", {
  description: "One stage clock of a policy.",
  fields: (t) => ({
    kind: t.field({
      type: ClockKindEnum,
      required: true,
      description: "FILE_ANSWER, FILE_LAPSE or EXAMINATION (first response and resolution are not stages).",
    }),
    target: t.field({ type: TargetInput, required: true, description: "How long the stage may run." }),
  }),
});

const SlaPolicyInput = builder.inputType("SlaPolicyInput", {
  description: "A policy's content. Saving an existing code adds a version; tickets keep the version they matched.",
  fields: (t) => ({
    code: t.string({ required: true, description: "Stable identifier (A–Z, 0–9, _)." }),
    name: t.string({ required: true, description: "Name in Indonesian." }),
    position: t.int({ required: true, description: "Matching order; lower is tried first." }),
    matchKinds: t.field({ type: [TicketKindEnum], defaultValue: [], description: "Kinds; empty = any." }),
    matchChannels: t.field({ type: [ChannelEnum], defaultValue: [], description: "Channels; empty = any." }),
    matchCategories: t.stringList({ defaultValue: [], description: "Category codes; empty = any." }),
    matchPriorities: t.field({ type: [PriorityEnum], defaultValue: [], description: "Priorities; empty = any." }),
    firstResponse: t.field({ type: TargetInput, required: true, description: "Target of the first response." }),
    resolution: t.field({ type: TargetInput, required: true, description: "Target of the resolution." }),
    extensionAmount: t.float({ description: "One-time extension of the resolution target, in its unit." }),
    pauseStatuses: t.field({
      type: [TicketStatusEnum],
      defaultValue: ["WAITING_ON_CITIZEN"],
      description: "Statuses that pause both clocks.",
    }),
    atRiskRatio: t.float({ defaultValue: 0.75, description: "Share of the target after which a clock is at risk." }),
    legalSource: t.string({ required: true, description: "The rule the targets come from." }),
    stages: t.field({
      type: [SlaStageInput],
      defaultValue: [],
      description:
        "Stage clocks beyond first response and resolution: FILE_ANSWER (from receipt to the answer on the file), " +
        "FILE_LAPSE (the citizen's time to complete it; when it runs out the complaint lapses) and EXAMINATION " +
        "(from the file declared complete). Each at most once; any stage needs FILE_ANSWER. Empty: none.",
    }),
  }),
});

const OfficeHoursInput = builder.inputType("OfficeHoursInput", {
  description: "An interval of office hours in the unit's local time.",
  fields: (t) => ({
    start: t.string({ required: true, description: "HH:MM." }),
    end: t.string({ required: true, description: "HH:MM, after start." }),
  }),
});
const WeekInputType = builder.inputType("OfficeWeekInput", {
  description: "Office hours per weekday; a day left empty is closed.",
  fields: (t) =>
    Object.fromEntries(
      (["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"] as const).map((day) => [
        day,
        t.field({ type: [OfficeHoursInput], defaultValue: [], description: `Hours on ${day}.` }),
      ]),
    ) as Record<"MON" | "TUE" | "WED" | "THU" | "FRI" | "SAT" | "SUN", ReturnType<typeof t.field>>,
});

const HolidayKindInput = builder.enumType(HolidayKind, { name: "HolidayKindInput" });

const HolidayListFormatEnum = builder.enumType("HolidayListFormat", {
  description: "How a holiday list is written.",
  values: {
    JSON: {
      description:
        "A JSON array of { date, name, kind }, or an object with such a holidays array (the shape of the shipped holidays.json).",
    },
    CSV: { description: "CSV with a header row naming the columns date, name and kind (RFC 4180 quoting)." },
  } as const,
});

const HolidayImportRef = builder.objectRef<HolidayImportResult>("HolidayImport").implement({
  description: "A year's national holidays and cuti bersama as they stand after an import of its SKB.",
  fields: (t) => ({
    year: t.exposeInt("year", { description: "The decree's year." }),
    decree: t.exposeString("decree", { description: "The SKB's number and title, as given." }),
    source: t.exposeString("source", { nullable: true, description: "Where the list was taken from." }),
    added: t.exposeInt("added", { description: "Days the list added." }),
    updated: t.exposeInt("updated", { description: "Days already listed whose name, kind or decree changed." }),
    removed: t.exposeInt("removed", { description: "National days of the year the list no longer holds." }),
    holidays: t.field({
      type: [HolidayRef],
      description: "The year's national holidays and cuti bersama now, by date.",
      resolve: (result) => result.holidays,
    }),
  }),
});

const HolidayCoverageRef = builder.objectRef<HolidayCoverage>("HolidayCoverage").implement({
  description:
    "Whether next year's national holidays are known. Until they are, a deadline that crosses 1 January counts New " +
    "Year's Day and every later holiday of that year as a working day.",
  fields: (t) => ({
    year: t.exposeInt("year", { description: "The year checked: next year, in WIB." }),
    nationalHolidays: t.exposeInt("nationalHolidays", { description: "National holidays listed for that year." }),
    cutiBersama: t.exposeInt("cutiBersama", { description: "Cuti bersama days listed for that year." }),
    decree: t.exposeString("decree", {
      nullable: true,
      description: "The SKB the year was imported from; null for days from the shipped directory, or none.",
    }),
    noticeFrom: t.expose("noticeFrom", {
      type: "DateTime",
      description: "1 October of this year, 00:00 WIB: from then on a missing list is reported.",
    }),
    missing: t.exposeBoolean("missing", {
      description:
        "True from noticeFrom while the year has no national holiday: import its SKB (importHolidays, or " +
        "`pnpm admin import-holidays`). The server's start-up log says the same.",
    }),
  }),
});

builder.queryFields((t) => ({
  holidayCoverage: t.field({
    type: HolidayCoverageRef,
    description:
      "Whether next year's national holidays are loaded (directorate only): from 1 October on, `missing` says when " +
      "they are not, and the directorate's dashboard shows a notice.",
    authScopes: { directorate: true },
    resolve: (_root, _args, ctx) => holidayCoverage(ctx.db, ctx.now()),
  }),
}));

builder.mutationFields((t) => ({
  importHolidays: t.field({
    type: HolidayImportRef,
    description:
      "Makes a year's national holidays and cuti bersama those of its SKB (directorate only), in one transaction: " +
      "new days are added, renamed days renamed, days the list no longer holds (a revision dropped them) removed; " +
      "regional days stay. A bad date, a day listed twice or a day of another year refuses the whole list. Open " +
      "clocks are recomputed in the background. Recorded in the audit log.",
    authScopes: { directorate: true },
    errors: { types: [ValidationError], dataField: { name: "import" } },
    args: {
      input: t.arg({
        type: builder.inputType("ImportHolidaysInput", {
          description: "A year's list from its decree.",
          fields: (f) => ({
            year: f.int({ required: true, description: "The decree's year; every day must fall in it." }),
            decree: f.string({
              required: true,
              description: 'The SKB\'s number and title, e.g. "SKB 3 Menteri Nomor 1497/2/5 Tahun 2025".',
            }),
            source: f.string({ description: "Where the list was taken from (URLs of the decree or its publication)." }),
            format: f.field({ type: HolidayListFormatEnum, required: true, description: "JSON or CSV." }),
            content: f.string({
              required: true,
              description: "The list (at most 200,000 characters, 100 days); kind is NATIONAL or CUTI_BERSAMA.",
            }),
          }),
        }),
        required: true,
        description: "The list.",
      }),
    },
    resolve: async (_root, { input }, ctx) => {
      const result = await importHolidays(ctx.db, auditActorOf(viewerOf(ctx)), input);
      await ctx.calendarsChanged();
      return result;
    },
  }),
  saveSlaPolicy: t.prismaField({
    type: "SlaPolicy",
    description: "Adds a policy or a new version of one (directorate only). Never retroactive.",
    authScopes: { directorate: true },
    errors: { types: [ValidationError], dataField: { name: "policy" } },
    args: { input: t.arg({ type: SlaPolicyInput, required: true, description: "The policy." }) },
    resolve: async (_query, _root, { input }, ctx) => {
      const policy = await saveSlaPolicy(ctx.db, viewerOf(ctx), {
        ...input,
        matchKinds: input.matchKinds ?? [],
        matchChannels: input.matchChannels ?? [],
        matchCategories: input.matchCategories ?? [],
        matchPriorities: input.matchPriorities ?? [],
        extensionAmount: input.extensionAmount ?? null,
        pauseStatuses: input.pauseStatuses ?? ["WAITING_ON_CITIZEN"],
        atRiskRatio: input.atRiskRatio ?? 0.75,
        stages: input.stages ?? [],
      });
      ctx.policiesChanged();
      return policy;
    },
  }),
  addHoliday: t.prismaField({
    type: "Holiday",
    description:
      "Adds a day off: national (directorate only) or regional for a unit in your scope (directorate or regional " +
      "office, with a reason). Open clocks are recomputed in the background. Recorded in the audit log.",
    authScopes: { regional: true },
    errors: { types: [ValidationError, UnknownUnitError, ForbiddenError], dataField: { name: "holiday" } },
    args: {
      input: t.arg({
        type: builder.inputType("AddHolidayInput", {
          description: "A day off.",
          fields: (f) => ({
            date: f.string({ required: true, description: "Local date, YYYY-MM-DD." }),
            name: f.string({ required: true, description: "Name in Indonesian." }),
            kind: f.field({
              type: HolidayKindInput,
              required: true,
              description: "National, cuti bersama or regional.",
            }),
            unitCode: f.string({ description: "For a regional day: the unit (and its subtree)." }),
            source: f.string({ description: "The decree it comes from." }),
            reason: f.string({
              description: "Why the region has the day off (required for a regional day; at most 500 characters).",
            }),
          }),
        }),
        required: true,
        description: "The day.",
      }),
    },
    resolve: async (_query, _root, { input }, ctx) => {
      const viewer = viewerOf(ctx);
      if (input.kind !== "REGIONAL" && !(viewer.kind === "user" && viewer.role === "DIRECTORATE")) {
        throw new ForbiddenError("Only the directorate sets national days off.");
      }
      const holiday = await addHoliday(ctx.db, ctx.units, viewer, input);
      await ctx.calendarsChanged(holiday.unitId === null ? undefined : [...ctx.units.subtree(holiday.unitId)]);
      return holiday;
    },
  }),
  removeHoliday: t.prismaField({
    type: "Holiday",
    description:
      "Removes a day off in your scope (regional: directorate or regional office; national: directorate). Past " +
      "breaches stay as they were. Recorded in the audit log.",
    authScopes: { regional: true },
    errors: { types: [NotFoundError, ForbiddenError], dataField: { name: "holiday" } },
    args: { id: t.arg.int({ required: true, description: "The holiday's id." }) },
    resolve: async (_query, _root, { id }, ctx) => {
      const viewer = viewerOf(ctx);
      const existing = await ctx.db.prisma.holiday.findUnique({ where: { id } });
      if (existing?.unitId === null && !(viewer.kind === "user" && viewer.role === "DIRECTORATE")) {
        throw new ForbiddenError("Only the directorate removes national days off.");
      }
      const holiday = await removeHoliday(ctx.db, ctx.units, viewer, id);
      await ctx.calendarsChanged(holiday.unitId === null ? undefined : [...ctx.units.subtree(holiday.unitId)]);
      return holiday;
    },
  }),
  setBusinessHours: t.prismaField({
    type: "Unit",
    description:
      "Sets a unit's office week (inherited by units below without their own): directorate or regional office, for a " +
      "unit in scope. Open clocks are recomputed. Recorded in the audit log.",
    authScopes: { regional: true },
    errors: { types: [ValidationError, UnknownUnitError], dataField: { name: "unit" } },
    args: {
      unitCode: t.arg.string({ required: true, description: "The unit." }),
      week: t.arg({ type: WeekInputType, required: true, description: "Office hours per weekday." }),
    },
    // The selection is not spread into the query: a client selecting only `__typename` of the result
    // would leave Prisma an empty select.
    resolve: async (_query, _root, { unitCode, week }, ctx) => {
      await setBusinessHours(ctx.db, ctx.units, viewerOf(ctx), { unitCode, week: week as unknown as WeekInput });
      const unit = ctx.units.byCode(unitCode);
      await ctx.calendarsChanged(unit ? [...ctx.units.subtree(unit.id)] : undefined);
      return ctx.db.prisma.unit.findUniqueOrThrow({ where: { code: unitCode } });
    },
  }),
  requestDeadlineExtension: t.field({
    type: TicketRef,
    description:
      "Asks for the policy's one-time extension of the resolution deadline (KIP: 7 working days) with the written " +
      "reason the law requires. The deadline moves only when a supervisor grants it (decideDeadlineExtension); " +
      "recorded as an EXTENSION_REQUESTED event.",
    authScopes: { staff: true },
    errors: {
      types: [...TICKET_ACTION_ERRORS, ExtensionPendingError],
      dataField: { name: "ticket", description: "The ticket after the request." },
    },
    args: {
      input: t.arg({
        type: builder.inputType("RequestDeadlineExtensionInput", {
          description: "The ticket and the reason.",
          fields: (f) => ({
            ticketId: f.id({ required: true, description: "Global id of the ticket." }),
            reason: f.string({ required: true, description: "The written reason, sent to the citizen if granted." }),
          }),
        }),
        required: true,
        description: "What to ask for.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      requestDeadlineExtension(ctx.tickets, viewerOf(ctx), {
        ticketId: localId(String(input.ticketId), "Ticket", "ticketId"),
        reason: input.reason,
      }),
  }),
  decideDeadlineExtension: t.field({
    type: TicketRef,
    description:
      "Grants or refuses the pending request to extend a ticket's deadline: a supervisor of the ticket's unit or " +
      "above, who neither asked for it nor holds the ticket. A grant is recorded as SLA_EXTENDED and moves the " +
      "deadline; a refusal as EXTENSION_REFUSED, with its note.",
    authScopes: { staff: true },
    errors: {
      types: [...TICKET_ACTION_ERRORS, NoExtensionRequestError],
      dataField: { name: "ticket", description: "The ticket after the decision." },
    },
    args: {
      input: t.arg({
        type: builder.inputType("DecideDeadlineExtensionInput", {
          description: "The ticket and the decision.",
          fields: (f) => ({
            ticketId: f.id({ required: true, description: "Global id of the ticket." }),
            grant: f.boolean({ required: true, description: "True grants the extension, false refuses it." }),
            note: f.string({ description: "Why (max 2,000 characters); required to refuse." }),
          }),
        }),
        required: true,
        description: "The decision.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      decideDeadlineExtension(ctx.tickets, viewerOf(ctx), {
        ticketId: localId(String(input.ticketId), "Ticket", "ticketId"),
        grant: input.grant,
        note: input.note ?? null,
      }),
  }),
  extendTicketDeadline: t.field({
    type: TicketRef,
    deprecationReason:
      "Use requestDeadlineExtension and decideDeadlineExtension; since 2026-12-04, removal not before 2027-03-04.",
    description:
      "Grants the policy's one-time extension of the resolution deadline (KIP: 7 working days) with the written " +
      "reason the law requires, without a prior request: supervisors only, never on a ticket they hold.",
    authScopes: { staff: true },
    errors: { types: TICKET_ACTION_ERRORS, dataField: { name: "ticket", description: "The ticket after the change." } },
    args: {
      input: t.arg({
        type: builder.inputType("ExtendTicketDeadlineInput", {
          description: "The ticket and the reason.",
          fields: (f) => ({
            ticketId: f.id({ required: true, description: "Global id of the ticket." }),
            reason: f.string({ required: true, description: "The written reason, sent to the citizen." }),
          }),
        }),
        required: true,
        description: "What to do.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      extendTicketDeadline(ctx.tickets, viewerOf(ctx), {
        ticketId: localId(String(input.ticketId), "Ticket", "ticketId"),
        reason: input.reason,
      }),
  }),
}));
