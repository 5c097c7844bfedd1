import { useLocation } from "react-router";
import { useI18n } from "../i18n/i18n.js";

/** What a page says about what just happened, handed to the page it moves to in the navigation's state. */
export type Flash = { kind: "created"; number: string } | { kind: "transferredAway"; number: string; unitName: string };

export function flashState(flash: Flash): { flash: Flash } {
  return { flash };
}

/** The message the previous page left, in the current language. */
export function FlashNotice() {
  const { tf } = useI18n();
  const flash = (useLocation().state as { flash?: Flash } | null)?.flash;
  if (!flash) return null;
  const text =
    flash.kind === "created"
      ? tf("flashCreated", { number: flash.number })
      : tf("flashTransferredAway", { number: flash.number, unit: flash.unitName });
  return (
    <div className="banner banner-ok" role="status" data-testid="flash" data-flash={flash.kind}>
      {text}
    </div>
  );
}
