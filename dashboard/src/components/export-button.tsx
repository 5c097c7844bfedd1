import { useState } from "react";
import { useAuth } from "../auth/auth.js";
import { useI18n } from "../i18n/i18n.js";

/**
 * Downloads one of the server's CSV exports. The export needs the session's Authorization header, which a
 * plain link cannot carry, so the file is fetched and then handed to the browser as a download.
 */
export function ExportButton({ path, params }: { path: string; params: Record<string, string> }) {
  const { t } = useI18n();
  const { session } = useAuth();
  const [failed, setFailed] = useState<string | null>(null);
  const download = async () => {
    setFailed(null);
    const response = await fetch(`${path}?${new URLSearchParams(params)}`, {
      headers: session ? { authorization: `Bearer ${session.token}` } : {},
    }).catch((error: Error) => error);
    if (response instanceof Error || !response.ok) {
      setFailed(response instanceof Error ? response.message : `HTTP ${response.status}`);
      return;
    }
    const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "pantau.csv";
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <>
      <button type="button" className="secondary" onClick={() => void download()}>
        {t("exportCsv")}
      </button>
      {failed ? (
        <span role="alert" className="tone-critical">
          {failed}
        </span>
      ) : null}
    </>
  );
}
