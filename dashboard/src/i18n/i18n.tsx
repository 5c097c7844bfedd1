import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { Language } from "./format.js";
import * as format from "./format.js";
import { ENUM_LABELS, MESSAGES, type MessageKey } from "./messages.js";

const STORAGE_KEY = "pantau.language";

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t(key: MessageKey): string;
  /** A message with its `{name}` placeholders filled in. */
  tf(key: MessageKey, values: Record<string, string | number>): string;
  /** The label of an API enum value, or the value itself when it has none. */
  label(value: string): string;
  number(value: number | null | undefined, fractionDigits?: number): string;
  percent(value: number | null | undefined): string;
  dateTime(iso: string, timeZone: string): string;
  date(iso: string, timeZone: string): string;
  minutes(value: number | null | undefined): string;
  seconds(value: number): string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLanguage(): Language {
  const stored = typeof localStorage === "undefined" ? null : localStorage.getItem(STORAGE_KEY);
  return stored === "en" ? "en" : "id";
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo<I18n>(() => {
    const labels: Record<string, string> = ENUM_LABELS[language];
    return {
      language,
      setLanguage,
      t: (key) => MESSAGES[language][key],
      tf: (key, values) => fillPlaceholders(MESSAGES[language][key], values),
      label: (value) => labels[value] ?? value,
      number: (value, digits) => format.formatNumber(value, language, digits),
      percent: (value) => format.formatPercent(value, language),
      dateTime: (iso, zone) => format.formatDateTime(iso, zone, language),
      date: (iso, zone) => format.formatDate(iso, zone, language),
      minutes: (value) => format.formatMinutes(value, language),
      seconds: (value) => format.formatSeconds(value, language),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}

export function fillPlaceholders(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
