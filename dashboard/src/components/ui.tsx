import type { CombinedError } from "@urql/core";
import type { ReactNode } from "react";
import { useI18n } from "../i18n/i18n.js";

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {t("loading")}
    </div>
  );
}

export function EmptyState({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return <div className="state state-empty">{children ?? t("empty")}</div>;
}

/** A failed request in words a supervisor understands, with the server's message for support. */
export function ErrorMessage({ error, onRetry }: { error: CombinedError | Error | string; onRetry?: () => void }) {
  const { t } = useI18n();
  const detail =
    typeof error === "string"
      ? error
      : "graphQLErrors" in error && error.graphQLErrors.length
        ? error.graphQLErrors.map((e) => e.message).join(" ")
        : "networkError" in error && error.networkError
          ? error.networkError.message
          : error.message;
  return (
    <div className="state state-error" role="alert">
      <strong>{t("errorTitle")}</strong>
      <span>{detail}</span>
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          {t("retry")}
        </button>
      ) : null}
    </div>
  );
}

export function Panel({
  title,
  actions,
  children,
  className,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`panel ${className ?? ""}`} aria-label={title}>
      <header className="panel-header">
        <h2>{title}</h2>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export function KpiTile({
  label,
  value,
  hint,
  tone,
}: {
  label: string;
  value: string;
  hint?: string;
  tone?: "ok" | "warning" | "critical";
}) {
  return (
    <div className={`kpi ${tone ? `tone-${tone}` : ""}`} data-kpi={label}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {hint ? <div className="kpi-hint">{hint}</div> : null}
    </div>
  );
}
