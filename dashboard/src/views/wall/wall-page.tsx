import { type FormEvent, useState } from "react";
import { useAuth, useViewer } from "../../auth/auth.js";
import { usePageTitle } from "../../components/page-title.js";
import { Loading } from "../../components/ui.js";
import { useI18n } from "../../i18n/i18n.js";
import { WallView } from "./wall-view.js";

/**
 * `/wall`: the wall of an operations room. A signed-in person sees their own scope; a screen that nobody
 * signs in to every 12 hours opens with a read-only display key (metrics:read and tickets:read, created by
 * the directorate or a regional head with `createApiKey`, revoked with `revokeApiKey`).
 */
export function WallPage() {
  const { session } = useAuth();
  if (!session) return <DisplayKeyForm />;
  return <SignedInWall />;
}

function SignedInWall() {
  const { viewer, fetching } = useViewer();
  if (fetching || !viewer) return <Loading />;
  return <WallView viewer={viewer} />;
}

function DisplayKeyForm() {
  const { t } = useI18n();
  const { signInWithDisplayKey, endedReason } = useAuth();
  usePageTitle(t("wallTitle"));
  const [key, setKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailed(null);
    const outcome = await signInWithDisplayKey(key);
    setBusy(false);
    if (outcome === "invalid") setFailed(t("displayKeyInvalid"));
    else if (outcome === "not-read-only") setFailed(t("displayKeyNotReadOnly"));
  };
  return (
    <main className="sign-in" id="main">
      <form onSubmit={(event) => void submit(event)} className="sign-in-card" aria-labelledby="display-key-title">
        <h1 id="display-key-title">{t("wallTitle")}</h1>
        <p className="muted">{t("displayKeyHelp")}</p>
        {endedReason === "expired" ? (
          <p className="banner banner-warning" role="status">
            {t("displayKeyEnded")}
          </p>
        ) : null}
        <label>
          {t("displayKey")}
          <input
            type="password"
            name="display-key"
            autoComplete="off"
            required
            value={key}
            onChange={(event) => setKey(event.target.value)}
          />
        </label>
        {failed ? (
          <p className="tone-critical" role="alert">
            {failed}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {t("displayKeyOpen")}
        </button>
      </form>
    </main>
  );
}
