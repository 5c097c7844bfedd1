import { type FormEvent, useState } from "react";
import { Navigate } from "react-router";
import { usePageTitle } from "../components/page-title.js";
import { useI18n } from "../i18n/i18n.js";
import { useAuth } from "./auth.js";

export function SignInPage() {
  const { t, language, setLanguage } = useI18n();
  const { session, signIn, endedReason } = useAuth();
  usePageTitle(t("signIn"));
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  if (session) return <Navigate to="/" replace />;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailed(null);
    try {
      if ((await signIn(email, password)) === "invalid") setFailed(t("signInFailed"));
    } catch (error) {
      setFailed((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in" id="main">
      <form onSubmit={(event) => void submit(event)} className="sign-in-card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">
          <span className="brand-mark" aria-hidden="true">
            ◉
          </span>{" "}
          {t("appName")}
        </h1>
        <p className="muted">{t("appTagline")}</p>
        {endedReason === "expired" ? (
          <p className="banner banner-warning" role="status">
            {t("sessionExpired")}
          </p>
        ) : null}
        <label>
          {t("email")}
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label>
          {t("password")}
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {failed ? (
          <p className="tone-critical" role="alert">
            {failed}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? t("signingIn") : t("signIn")}
        </button>
        <button
          type="button"
          className="link"
          onClick={() => setLanguage(language === "id" ? "en" : "id")}
          lang={language === "id" ? "en" : "id"}
        >
          {t("switchLanguage")}
        </button>
      </form>
    </main>
  );
}
