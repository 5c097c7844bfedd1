import type { MessageKey } from "../../i18n/messages.js";

type Words = {
  t(key: MessageKey): string;
  tf(key: MessageKey, values: Record<string, string | number>): string;
  label(value: string): string;
};

/** Who acted, when it was not a person, in the reader's language: the server records these as plain labels. */
export function actorWords(actorLabel: string | null | undefined, words: Words): string {
  if (!actorLabel || actorLabel === "system") return words.t("system");
  if (actorLabel === "simulator") return words.t("actorSimulator");
  if (actorLabel === "survey") return words.t("actorSurvey");
  if (actorLabel.startsWith("channel:")) {
    return words.tf("actorChannel", { channel: words.label(actorLabel.slice("channel:".length)) });
  }
  if (actorLabel.startsWith("api-key:")) return words.tf("actorApiKey", { name: actorLabel.slice("api-key:".length) });
  return actorLabel;
}

export interface TimelineEvent {
  type: string;
  data: Record<string, unknown>;
  unit: { name: string };
  assignee?: { name: string } | null;
}

/**
 * What an event did beyond its type: to whom a ticket was given, where it went, what triage set, and the
 * reason or note given, as the timeline shows it under the event.
 */
export function eventDetails(event: TimelineEvent, words: Words, categoryName: (code: string) => string): string[] {
  const details: string[] = [];
  const data = event.data ?? {};
  if (event.type === "ASSIGNED") details.push(words.tf("assignedToName", { name: event.assignee?.name ?? "–" }));
  if (event.type === "TRANSFERRED") details.push(words.tf("transferredTo", { unit: event.unit.name }));
  if (event.type === "TRIAGED") {
    const set: string[] = [];
    if (typeof data.categoryCode === "string") set.push(`${words.t("category")}: ${categoryName(data.categoryCode)}`);
    if (typeof data.priority === "string") set.push(`${words.t("priority")}: ${words.label(data.priority)}`);
    if (set.length) details.push(set.join(" · "));
  }
  for (const key of ["reason", "note"] as const) {
    const text = data[key];
    if (typeof text === "string" && text.trim()) details.push(`${words.t("reason")}: ${text.trim()}`);
  }
  return details;
}

export interface DirectoryUnit {
  code: string;
  name: string;
  type: string;
  provinceName: string;
}

export interface TargetRegion<U extends DirectoryUnit = DirectoryUnit> {
  province: string;
  units: U[];
}

/**
 * Where a ticket can be transferred, as the unit tree reads by province: the directorate's province first,
 * and within each the directorate, then the regional office, then its offices by name. The unit that holds
 * the ticket is left out (a transfer to itself is refused).
 */
export function transferRegions<U extends DirectoryUnit>(units: readonly U[], currentCode: string): TargetRegion<U>[] {
  const rank = (unit: U) => (unit.type === "DIRECTORATE" ? 0 : unit.type === "REGIONAL_OFFICE" ? 1 : 2);
  const byProvince = new Map<string, U[]>();
  for (const unit of units) {
    if (unit.code === currentCode) continue;
    byProvince.set(unit.provinceName, [...(byProvince.get(unit.provinceName) ?? []), unit]);
  }
  const regions = [...byProvince.entries()].map(([province, list]) => ({
    province,
    units: list.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, "id")),
  }));
  const top = (region: TargetRegion<U>) => (region.units.some((unit) => unit.type === "DIRECTORATE") ? 0 : 1);
  return regions.sort((a, b) => top(a) - top(b) || a.province.localeCompare(b.province, "id"));
}
