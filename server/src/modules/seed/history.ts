import type {
  Channel,
  MessageVisibility,
  Priority,
  TicketEventType,
  TicketKind,
  TicketStatus,
  UnitType,
} from "../../generated/prisma/enums.js";
import { dayNumber, dayNumberOf, localDate, localMidnight, offsetMinutes, weekdayOf } from "./clock.js";
import {
  type Desk,
  type PlannedTransfer,
  simulateLifecycle,
  TRANSFER_STAGES,
  type TransferStage,
} from "./lifecycle.js";
import { Random, WeightedTable } from "./random.js";
import {
  CATEGORY_WEIGHTS,
  COUNTRIES,
  DETENTION_CATEGORY_WEIGHTS,
  DISPOSITION_REASONS,
  DOMICILE_REASONS,
  ESCALATION_REASONS,
  FIRST_NAMES,
  LAST_NAMES,
  LOCATION_REASONS,
  OUT_OF_SCOPE,
  TEMPLATES,
  type TicketTemplate,
  WEEKDAYS,
} from "./templates.js";

export interface HistoryUnit {
  id: number;
  code: string;
  /** Shown in texts; the code is used when absent. */
  name?: string;
  type: UnitType;
  parentId: number | null;
  timeZone: string;
  weight: number;
  agentIds: readonly string[];
}

export interface HistoryOptions {
  seed: number;
  now: Date;
  days: number;
  ticketsPerDay: number;
  units: readonly HistoryUnit[];
  categories: readonly { id: number; code: string }[];
  /** Non-working dates (YYYY-MM-DD) besides weekends: national holidays and cuti bersama. */
  holidays?: readonly string[];
}

export interface TicketRow {
  id: string;
  number: string;
  subject: string;
  description: string;
  kind: TicketKind;
  channel: Channel;
  categoryId: number | null;
  priority: Priority;
  status: TicketStatus;
  unitId: number;
  assigneeId: string | null;
  reporterName: string | null;
  reporterEmail: string | null;
  reporterPhone: string | null;
  externalRef: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  reopenCount: number;
  transferCount: number;
  createdAt: Date;
  updatedAt: Date;
  triagedAt: Date | null;
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
}

export interface EventRow {
  ticketId: string;
  unitId: number;
  type: TicketEventType;
  actorId: string | null;
  actorLabel: string | null;
  at: Date;
  data: Readonly<Record<string, string>>;
}

export interface MessageRow {
  id: string;
  ticketId: string;
  authorId: string | null;
  visibility: MessageVisibility;
  body: string;
  createdAt: Date;
}

export interface History {
  tickets: TicketRow[];
  /** Sorted by `at`: insert in this order so that event sequence follows time. */
  events: EventRow[];
  messages: MessageRow[];
  /** The highest ticket number used, for the ticket number sequence. */
  lastNumber: number;
}

type ChannelGroup = "office" | "digital" | "social";

interface GroupProfile {
  share: number;
  channels: readonly (readonly [Channel, number])[];
  /** Relative volume per local hour, 0–23. */
  hours: readonly number[];
  /** Relative volume by local weekday (0 = Sunday); holidays count as Sunday. */
  weekdays: readonly number[];
}

// Phone and counter traffic follow office hours; chat and social media also run into the evening and
// over weekends. Weekday factors average to 1 over a week so `ticketsPerDay` stays the daily mean.
const GROUPS: Record<ChannelGroup, GroupProfile> = {
  office: {
    share: 0.25,
    channels: [
      ["PHONE", 18],
      ["WALK_IN", 6],
      ["LETTER", 0.7],
      ["PRESS", 0.3],
    ],
    hours: [0, 0, 0, 0, 0, 0, 0.1, 0.8, 5, 9, 10, 8, 3, 7, 8, 5, 1.5, 0.3, 0.1, 0, 0, 0, 0, 0],
    weekdays: [0.05, 1.36, 1.36, 1.36, 1.36, 1.36, 0.15],
  },
  digital: {
    share: 0.21,
    channels: [
      ["EMAIL", 12],
      ["WEB_FORM", 7],
      ["SP4N_LAPOR", 2],
    ],
    hours: [0.6, 0.3, 0.2, 0.2, 0.3, 0.8, 2, 4, 7, 8, 8, 7, 5, 7, 7, 6, 4, 3, 3, 3.5, 3.5, 3, 2, 1.2],
    weekdays: [0.45, 1.2, 1.2, 1.2, 1.2, 1.2, 0.55],
  },
  social: {
    share: 0.54,
    channels: [
      ["WHATSAPP", 27],
      ["INSTAGRAM", 14],
      ["LIVE_CHAT", 5],
      ["X", 3],
      ["FACEBOOK", 3],
      ["TIKTOK", 2],
    ],
    hours: [0.8, 0.4, 0.25, 0.2, 0.4, 1.2, 2.5, 4.5, 6.5, 8, 8, 7, 6, 7, 7, 6.5, 5.5, 5.5, 6.5, 7.5, 8, 6.5, 4, 2],
    weekdays: [0.75, 1.08, 1.08, 1.08, 1.08, 1.08, 0.85],
  },
};

const OUT_OF_SCOPE_SHARE = 0.03;
/** Ticket years and the demo's days follow Asia/Jakarta (UTC+7), the directorate's zone. */
const JAKARTA_OFFSET = 420;
const MINUTE = 60_000;
const DAY = 86_400_000;

interface Draft {
  createdMs: number;
  unit: HistoryUnit;
  channel: Channel;
}

/** A reproducible history of tickets, their event logs and messages, ending at `now`. */
export function generateHistory(options: HistoryOptions): History {
  const random = new Random(options.seed);
  const units = options.units.filter((unit) => unit.weight > 0);
  for (const unit of units) {
    if (unit.agentIds.length === 0) throw new Error(`Unit ${unit.code} has no agent to work its tickets`);
  }
  const drafts = draftTickets(options, units, random);
  const categoryIds = new Map(options.categories.map((category) => [category.code, category.id]));
  const usable = TEMPLATES.filter((template) => categoryIds.has(template.category));
  if (usable.length === 0) throw new Error("None of the given categories has ticket templates");
  const general = templateTable(usable, CATEGORY_WEIGHTS);
  const detention = templateTable(usable, DETENTION_CATEGORY_WEIGHTS, general);
  const holidays = new Set((options.holidays ?? []).map(dayNumberOf));
  const nowMs = options.now.getTime();
  const dispatch = new Dispatch(units, holidays);

  const history: History = { tickets: [], events: [], messages: [], lastNumber: 0 };
  // Events are collected ticket by ticket; `times` mirrors their instants for the final sort.
  const unsorted: EventRow[] = [];
  const times: number[] = [];
  let laporRef = 4_100_000 + random.int(0, 99_999);

  drafts.forEach((draft, index) => {
    const n = index + 1;
    const number = `IMI-${localDate(draft.createdMs, JAKARTA_OFFSET).slice(0, 4)}-${String(n).padStart(7, "0")}`;
    const outOfScope = random.chance(OUT_OF_SCOPE_SHARE) ? random.pick(OUT_OF_SCOPE) : undefined;
    const template = (draft.unit.code.startsWith("RUDENIM-") ? detention : general).draw(random);
    const kind = outOfScope ? "COMPLAINT" : template.kind;
    const fill = filler(random, draft.unit, number);
    const reporter = reporterFor(random, draft.channel, kind);
    const id = random.uuid();
    const transfers = outOfScope ? [] : dispatch.plan(random, draft.unit, kind, template.category);
    const result = simulateLifecycle({
      random,
      ticketId: id,
      nowMs,
      createdMs: draft.createdMs,
      channel: draft.channel,
      kind,
      categoryCode: template.category,
      desk: dispatch.desk(draft.unit),
      transfers,
      rejectReason: outOfScope?.reason,
      fill,
    });
    for (const event of result.events) {
      unsorted.push(event);
      times.push(event.at.getTime());
    }
    for (const message of result.messages) history.messages.push(message);
    history.tickets.push({
      id,
      number,
      subject: fill(outOfScope?.subject ?? template.subject),
      description: fill(outOfScope?.description ?? template.description),
      kind,
      channel: draft.channel,
      categoryId: result.triaged ? (categoryIds.get(template.category) ?? null) : null,
      priority: result.priority,
      status: result.status,
      unitId: result.unitId,
      assigneeId: result.assigneeId,
      ...reporter,
      externalRef: draft.channel === "SP4N_LAPOR" ? `LAPOR-${laporRef++}` : null,
      idempotencyKey: null,
      requestHash: null,
      reopenCount: result.reopenCount,
      transferCount: result.transferCount,
      createdAt: new Date(draft.createdMs),
      ...result.times,
    });
    history.lastNumber = n;
  });

  // Sorting positions rather than the rows keeps this cheap for a few hundred thousand events; ties
  // keep collection order, so one ticket's events stay in their causal order.
  const order = Array.from(unsorted, (_, index) => index);
  order.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
  history.events = order.map((index) => unsorted[index] as EventRow);
  return history;
}

/** Creation instants for every day in the window, in creation order. */
function draftTickets(options: HistoryOptions, units: readonly HistoryUnit[], random: Random): Draft[] {
  const unitTable = new WeightedTable(units.map((unit) => [unit, unit.weight] as const));
  const holidays = new Set((options.holidays ?? []).map(dayNumberOf));
  const nowMs = options.now.getTime();
  const drafts: Draft[] = [];
  for (const profile of Object.values(GROUPS)) {
    const channels = new WeightedTable(profile.channels);
    const hours = new WeightedTable(profile.hours.map((weight, hour) => [hour, weight] as const));
    for (let back = options.days; back >= 0; back--) {
      // Days are counted in Jakarta time; each unit's tickets then fall on that date in its own zone.
      const day = dayNumber(nowMs - back * DAY, JAKARTA_OFFSET);
      const weekday = holidays.has(day) ? 0 : weekdayOf(day);
      const expected = options.ticketsPerDay * profile.share * (profile.weekdays[weekday] ?? 1);
      const count = Math.round(expected * (0.85 + 0.3 * random.next()));
      for (let i = 0; i < count; i++) {
        const unit = unitTable.draw(random);
        const minuteOfDay = hours.draw(random) * 60 + random.next() * 60;
        const createdMs =
          localMidnight(day, offsetMinutes(unit.timeZone)) + Math.floor(minuteOfDay * MINUTE) + random.int(0, 999);
        if (createdMs <= nowMs) drafts.push({ createdMs, unit, channel: channels.draw(random) });
      }
    }
  }
  // A stable sort keeps generation order for equal instants, so numbering is reproducible.
  return drafts.sort((a, b) => a.createdMs - b.createdMs);
}

/** Officer conduct and brokers: the categories that have an escalation reason. */
const INTEGRITY_CATEGORIES: ReadonlySet<string> = new Set(Object.keys(ESCALATION_REASONS));
const INTEGRITY_KINDS: ReadonlySet<TicketKind> = new Set(["COMPLAINT", "WHISTLEBLOWING", "VIOLATION_REPORT"]);
/** Reports about foreigners are passed on for where the foreigner is, not where the reporter lives. */
const LOCATION_CATEGORIES: ReadonlySet<string> = new Set(["FOREIGNER_REPORT", "FOREIGN_WORKERS"]);

// No published figure exists; these are chosen so that about 3–4% of all tickets move and about
// 0.5% move twice, enough for transfer metrics to show in every region.
/** Integrity complaints at a UPT that its Kantor Wilayah takes over, so the office is not its own judge. */
const ESCALATION_SHARE = 0.2;
/** Other tickets at a Kantor Imigrasi that belong to a sibling office: the citizen lives elsewhere. */
const MISDIRECTED_SHARE = 0.022;
/** Tickets at the directorate or a Kantor Wilayah that an office must handle. */
const DELEGATION_SHARE = 0.15;
/** Transferred tickets that the receiving office finds are not its own either. */
const ONWARD_SHARE = 0.2;

const stageTable = (...weights: number[]) =>
  new WeightedTable(TRANSFER_STAGES.map((stage, index) => [stage, weights[index] ?? 0] as const));
// Misdirection shows at first reading; integrity cases often only once the agent has looked closer.
const MISDIRECTED_STAGES = stageTable(20, 45, 30, 5);
const ESCALATION_STAGES = stageTable(0, 45, 35, 20);

interface Move {
  to: HistoryUnit;
  reasons: readonly string[];
  stages: WeightedTable<TransferStage>;
}

/** The unit tree as far as transfers need it, and each unit's desk. Only staffed units are known. */
class Dispatch {
  private readonly desks = new Map<number, Desk>();
  private readonly byId = new Map<number, HistoryUnit>();
  /** Kantor Imigrasi by their Kantor Wilayah. */
  private readonly officesByParent = new Map<number, HistoryUnit[]>();
  private readonly offices: HistoryUnit[] = [];

  constructor(
    units: readonly HistoryUnit[],
    private readonly holidays: ReadonlySet<number>,
  ) {
    for (const unit of units) {
      this.byId.set(unit.id, unit);
      if (unit.type !== "IMMIGRATION_OFFICE") continue;
      this.offices.push(unit);
      if (unit.parentId === null) continue;
      const siblings = this.officesByParent.get(unit.parentId) ?? [];
      siblings.push(unit);
      this.officesByParent.set(unit.parentId, siblings);
    }
  }

  desk(unit: HistoryUnit): Desk {
    let desk = this.desks.get(unit.id);
    if (!desk) {
      const calendar = { offset: offsetMinutes(unit.timeZone), holidays: this.holidays };
      desk = { id: unit.id, code: unit.code, name: unit.name ?? unit.code, agentIds: unit.agentIds, calendar };
      this.desks.set(unit.id, desk);
    }
    return desk;
  }

  /** Zero, one or (rarely) two transfers for a ticket that first reaches `unit`. */
  plan(random: Random, unit: HistoryUnit, kind: TicketKind, category: string): PlannedTransfer[] {
    const integrity = INTEGRITY_CATEGORIES.has(category) && INTEGRITY_KINDS.has(kind);
    const first = this.firstMove(random, unit, integrity, category);
    if (!first) return [];
    const stage = first.stages.draw(random);
    const plans = [this.planned(random, first.to, first.reasons, stage)];
    if (!random.chance(ONWARD_SHARE)) return plans;
    // Only an office that received a misdirected ticket passes it on again; escalations stay put.
    if (integrity || first.to.type !== "IMMIGRATION_OFFICE") return plans;
    const to = this.sibling(random, first.to, new Set([unit.id, first.to.id]));
    if (!to) return plans;
    // The second transfer comes no earlier in the lifecycle than the first, and mostly early.
    const from = TRANSFER_STAGES.indexOf(stage);
    const later = TRANSFER_STAGES[random.int(from, Math.max(from, 2))] as TransferStage;
    const reasons = LOCATION_CATEGORIES.has(category) ? LOCATION_REASONS : DOMICILE_REASONS;
    plans.push(this.planned(random, to, reasons, later));
    return plans;
  }

  private firstMove(random: Random, unit: HistoryUnit, integrity: boolean, category: string): Move | undefined {
    if (integrity) {
      const parent = unit.parentId === null ? undefined : this.byId.get(unit.parentId);
      const upt = unit.type === "IMMIGRATION_OFFICE" || unit.type === "DETENTION_CENTER";
      if (!upt || parent?.type !== "REGIONAL_OFFICE" || !random.chance(ESCALATION_SHARE)) return undefined;
      return { to: parent, reasons: ESCALATION_REASONS[category] ?? [], stages: ESCALATION_STAGES };
    }
    const reasons = LOCATION_CATEGORIES.has(category) ? LOCATION_REASONS : DOMICILE_REASONS;
    switch (unit.type) {
      case "IMMIGRATION_OFFICE": {
        if (!random.chance(MISDIRECTED_SHARE)) return undefined;
        const to = this.sibling(random, unit, new Set([unit.id]));
        return to && { to, reasons, stages: MISDIRECTED_STAGES };
      }
      case "REGIONAL_OFFICE": {
        if (!random.chance(DELEGATION_SHARE)) return undefined;
        const to = drawUnit(random, this.officesByParent.get(unit.id) ?? []);
        return to && { to, reasons: DISPOSITION_REASONS, stages: MISDIRECTED_STAGES };
      }
      case "DIRECTORATE": {
        if (!random.chance(DELEGATION_SHARE)) return undefined;
        const to = drawUnit(random, this.offices);
        return to && { to, reasons: DISPOSITION_REASONS, stages: MISDIRECTED_STAGES };
      }
      default:
        return undefined;
    }
  }

  /** Another Kantor Imigrasi under the same Kantor Wilayah, busy ones more likely. */
  private sibling(random: Random, unit: HistoryUnit, visited: ReadonlySet<number>): HistoryUnit | undefined {
    const siblings = unit.parentId === null ? [] : (this.officesByParent.get(unit.parentId) ?? []);
    return drawUnit(
      random,
      siblings.filter((sibling) => !visited.has(sibling.id)),
    );
  }

  private planned(random: Random, to: HistoryUnit, reasons: readonly string[], stage: TransferStage): PlannedTransfer {
    const reason = random.pick(reasons).replace("{tujuan}", to.name ?? to.code);
    return { stage, to: this.desk(to), reason };
  }
}

/** A unit drawn in proportion to its weight; a linear scan is enough for the few tickets that move. */
function drawUnit(random: Random, units: readonly HistoryUnit[]): HistoryUnit | undefined {
  let total = 0;
  for (const unit of units) total += unit.weight;
  let target = random.next() * total;
  for (const unit of units) {
    target -= unit.weight;
    if (target < 0) return unit;
  }
  return units.at(-1);
}

function templateTable(
  templates: readonly TicketTemplate[],
  weights: Record<string, number>,
  fallback?: WeightedTable<TicketTemplate>,
): WeightedTable<TicketTemplate> {
  const perCategory = new Map<string, number>();
  for (const template of templates) perCategory.set(template.category, (perCategory.get(template.category) ?? 0) + 1);
  const entries = templates
    .map(
      (template) => [template, (weights[template.category] ?? 0) / (perCategory.get(template.category) ?? 1)] as const,
    )
    .filter(([, weight]) => weight > 0);
  if (entries.length === 0 && fallback) return fallback;
  return new WeightedTable(entries.length > 0 ? entries : templates.map((template) => [template, 1] as const));
}

/**
 * Fills the placeholders of a template; one filler per ticket keeps subject and body consistent.
 * `office` names the unit that writes a reply, which differs from the first one after a transfer.
 */
function filler(random: Random, unit: HistoryUnit, number: string): (text: string, office?: string) => string {
  const values: Record<string, string> = {
    kantor: unit.name ?? unit.code,
    n: String(random.int(2, 14)),
    hari: random.pick(WEEKDAYS),
    negara: random.pick(COUNTRIES),
    nomor: number,
  };
  return (text, office) =>
    text.replace(/\{(\w+)\}/g, (match, key: string) => (key === "kantor" && office) || values[key] || match);
}

const PHONE_PREFIXES = ["0811", "0812", "0813", "0821", "0822", "0852", "0853", "0857", "0858", "0877", "0878", "0896"];

function reporterFor(
  random: Random,
  channel: Channel,
  kind: TicketKind,
): Pick<TicketRow, "reporterName" | "reporterEmail" | "reporterPhone"> {
  if (kind === "WHISTLEBLOWING" && random.chance(0.7))
    return { reporterName: null, reporterEmail: null, reporterPhone: null };
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const byPhone = channel === "WHATSAPP" || channel === "PHONE";
  const byMail = channel === "EMAIL" || channel === "WEB_FORM" || channel === "SP4N_LAPOR";
  const phone = `${random.pick(PHONE_PREFIXES)}${String(random.int(0, 99_999_999)).padStart(8, "0")}`;
  // The reserved .example domain keeps generated addresses from ever reaching a real mailbox.
  const email = `${first}.${last}${random.int(1, 999)}@surel.example`.toLowerCase();
  return {
    reporterName: `${first} ${last}`,
    reporterPhone: byPhone || random.chance(0.4) ? phone : null,
    reporterEmail: byMail || random.chance(0.25) ? email : null,
  };
}
