import { useI18n } from "../../i18n/i18n.js";

export interface Delivery {
  status: "PENDING" | "SENDING" | "SENT" | "DELIVERED" | "READ" | "FAILED" | "DEAD";
  attempts: number;
  lastError: string | null;
  deliveredAt: string | null;
}

const TONE: Record<Delivery["status"], string> = {
  PENDING: "muted",
  SENDING: "muted",
  SENT: "muted",
  DELIVERED: "ok",
  READ: "ok",
  FAILED: "warning",
  DEAD: "critical",
};

/** Where a public reply is on its way to the citizen; the receiving side's last answer on hover. */
export function DeliveryBadge({ delivery, timeZone }: { delivery: Delivery; timeZone: string }) {
  const { t, label, dateTime } = useI18n();
  const details = [
    `${delivery.attempts} ${t("deliveryAttempts")}`,
    delivery.deliveredAt ? `${t("deliveredAt")} ${dateTime(delivery.deliveredAt, timeZone)}` : null,
    delivery.lastError,
  ].filter(Boolean);
  return (
    <span
      className={`badge delivery delivery-${TONE[delivery.status]}`}
      title={details.join(" · ")}
      data-testid="delivery"
    >
      {label(delivery.status)}
      {delivery.status !== "DELIVERED" && delivery.status !== "READ" && delivery.attempts > 1
        ? ` (${delivery.attempts}×)`
        : ""}
    </span>
  );
}
