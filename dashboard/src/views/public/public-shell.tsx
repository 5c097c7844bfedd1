import type { ReactNode } from "react";
import { NavLink } from "react-router";
import { usePageTitle } from "../../components/page-title.js";
import { usePublicText } from "./public-messages.js";
import "./public.css";

/** The frame of the citizens' pages: no sign-in, a language switch, and what a citizen does and the public figures. */
export function PublicShell({ title, children }: { title: string; children: ReactNode }) {
  const { t, text, language, setLanguage } = usePublicText();
  usePageTitle(title);
  return (
    <div className="public">
      <header className="public-header">
        <div className="public-brand">
          <span className="brand-mark" aria-hidden="true">
            ◉
          </span>{" "}
          <strong>{t("appName")}</strong>
          <span className="muted"> · {text("portalName")}</span>
        </div>
        <nav className="public-nav" aria-label={text("portalName")}>
          <NavLink to="/lapor">{text("navReport")}</NavLink>
          <NavLink to="/lacak">{text("navTrack")}</NavLink>
          <NavLink to="/statistik">{text("navStatistics")}</NavLink>
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
        </nav>
      </header>
      <main className="public-main" id="main">
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
