/** Locale-aware formatting, pure so it can be tested without a browser. */

export type Language = "id" | "en";

const LOCALE: Record<Language, string> = { id: "id-ID", en: "en-GB" };

export function localeOf(language: Language): string {
  return LOCALE[language];
}

/** Indonesia's three civil time zones, as people name them. */
export function zoneAbbreviation(timeZone: string): string {
  switch (timeZone) {
    case "Asia/Jakarta":
    case "Asia/Pontianak":
      return "WIB";
    case "Asia/Makassar":
      return "WITA";
    case "Asia/Jayapura":
      return "WIT";
    default:
      return timeZone;
  }
}

export function formatNumber(value: number | null | undefined, language: Language, fractionDigits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return new Intl.NumberFormat(localeOf(language), {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(value);
}

export function formatPercent(value: number | null | undefined, language: Language): string {
  if (value === null || value === undefined) return "–";
  return `${formatNumber(value, language, 1)}%`;
}

/** A date and time in the unit's zone, with the zone as Indonesians write it: "23 Nov 2026 14.05 WIB". */
export function formatDateTime(iso: string | Date, timeZone: string, language: Language): string {
  const date = typeof iso === "string" ? new Date(iso) : iso;
  const locale = localeOf(language);
  const day = new Intl.DateTimeFormat(locale, { timeZone, day: "numeric", month: "short", year: "numeric" });
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return `${day.format(date)} ${time.format(date)} ${zoneAbbreviation(timeZone)}`;
}

export function formatDate(iso: string | Date, timeZone: string, language: Language): string {
  const date = typeof iso === "string" ? new Date(iso) : iso;
  return new Intl.DateTimeFormat(localeOf(language), { timeZone, day: "numeric", month: "short" }).format(date);
}

// Words, not letters: Indonesian readers take "h", "j", "m" and "d" for hours, hours, minutes and days
// whatever the legend says ("83h 14j" read as 83 hours, "Terlambat 6d" as 6 days), so Indonesian spells
// the units (hari, jam, mnt, dtk). English keeps its usual d, h, min and s, with "min" so that a minute is
// never taken for a month.
const UNITS: Record<Language, { d: string; h: string; m: string; s: string }> = {
  id: { d: "hari", h: "jam", m: "mnt", s: "dtk" },
  en: { d: "d", h: "h", m: "min", s: "s" },
};

/**
 * A duration in minutes as the two largest parts ("2 hari 5 jam", "2 d 5 h"), which is what a
 * supervisor reads at a glance.
 */
export function formatMinutes(minutes: number | null | undefined, language: Language): string {
  if (minutes === null || minutes === undefined || Number.isNaN(minutes)) return "–";
  return formatSeconds(Math.round(minutes * 60), language);
}

export function formatSeconds(totalSeconds: number, language: Language): string {
  const u = UNITS[language];
  const sign = totalSeconds < 0 ? "−" : "";
  let rest = Math.abs(Math.round(totalSeconds));
  const days = Math.floor(rest / 86_400);
  rest -= days * 86_400;
  const hours = Math.floor(rest / 3_600);
  rest -= hours * 3_600;
  const minutes = Math.floor(rest / 60);
  const seconds = rest - minutes * 60;
  const parts: [number, string][] = [
    [days, u.d],
    [hours, u.h],
    [minutes, u.m],
    [seconds, u.s],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  if (first === -1) return `0 ${u.s}`;
  const shown = parts.slice(first, first + 2).filter(([value], i) => i === 0 || value > 0);
  // A non-breaking space keeps each number with its unit when a cell wraps.
  return sign + shown.map(([value, unit]) => `${value}\u00a0${unit}`).join(" ");
}

/** Time left on a clock at `now`, as the countdown shows it; negative once overdue. */
export function secondsUntil(dueIso: string, now: number): number {
  return Math.floor((new Date(dueIso).getTime() - now) / 1000);
}
