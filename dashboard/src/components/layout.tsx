import type { ReactNode } from "react";
import { Link, Outlet } from "react-router";
import { useAuth, useViewer } from "../auth/auth.js";
import { useI18n } from "../i18n/i18n.js";
import { FlashNotice } from "./flash.js";
import { usePageTitle } from "./page-title.js";

export function Layout() {
  const { t, label, language, setLanguage } = useI18n();
  const { signOut, liveStatus } = useAuth();
  const { viewer } = useViewer();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◉
          </span>
          {t("appName")}
          <span className="brand-tagline">{t("appTagline")}</span>
        </Link>
        <div className="topbar-tools">
          <span className={`live live-${liveStatus}`} data-live={liveStatus} data-testid="live-status" role="status">
            <span className="live-dot" aria-hidden="true" />
            {liveStatus === "connected" ? t("live") : liveStatus === "reconnecting" ? t("offline") : t("loading")}
          </span>
          {viewer?.kind === "USER" ? (
            <Link to="/tickets/new" className="button-link" data-testid="new-ticket-link">
              {t("newTicket")}
            </Link>
          ) : null}
          {viewer ? (
            <span className="viewer" title={`${t("signedInAs")} ${viewer.name}`}>
              {viewer.name}
              {viewer.role ? <small> · {label(viewer.role)}</small> : null}
            </span>
          ) : null}
          <button
            type="button"
            className="secondary"
            onClick={() => setLanguage(language === "id" ? "en" : "id")}
            aria-label={t("switchLanguageLabel")}
            lang={language === "id" ? "en" : "id"}
            data-testid="language-switch"
          >
            {t("switchLanguage")}
          </button>
          <button type="button" className="secondary" onClick={() => void signOut()}>
            {t("signOut")}
          </button>
        </div>
      </header>
      {liveStatus === "reconnecting" ? (
        <div className="banner banner-warning" role="alert" data-testid="reconnecting">
          {t("reconnecting")}
        </div>
      ) : null}
      <FlashNotice />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

export interface Crumb {
  to: string;
  label: string;
}

/** Where the page sits in the unit tree, then its title. */
export function PageHeader({ crumbs, title, actions }: { crumbs: Crumb[]; title: string; actions?: ReactNode }) {
  const { t } = useI18n();
  usePageTitle(title);
  return (
    <div className="page-header">
      <div>
        {crumbs.length ? (
          <nav aria-label={t("breadcrumbs")} className="breadcrumbs">
            <ol>
              {crumbs.map((crumb) => (
                <li key={crumb.to}>
                  <Link to={crumb.to}>{crumb.label}</Link>
                </li>
              ))}
            </ol>
          </nav>
        ) : null}
        <h1>{title}</h1>
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </div>
  );
}
