import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { I18nProvider } from "../../i18n/i18n.js";
import { type Delivery, DeliveryBadge } from "./delivery-badge.js";

const show = (delivery: Delivery) =>
  render(
    <I18nProvider>
      <DeliveryBadge delivery={delivery} timeZone="Asia/Jakarta" />
    </I18nProvider>,
  );

afterEach(cleanup);

describe("<DeliveryBadge>", () => {
  it.each([
    [{ status: "PENDING", attempts: 0, lastError: null, deliveredAt: null }, "Menunggu dikirim", "delivery-muted"],
    [
      { status: "DELIVERED", attempts: 2, lastError: null, deliveredAt: "2026-12-05T01:00:00Z" },
      "Terkirim",
      "delivery-ok",
    ],
    [
      { status: "FAILED", attempts: 3, lastError: "451 4.3.0 try again", deliveredAt: null },
      "Gagal, dicoba lagi (3×)",
      "delivery-warning",
    ],
    [
      { status: "DEAD", attempts: 10, lastError: "550 5.1.1 mailbox unavailable", deliveredAt: null },
      "Tidak terkirim (10×)",
      "delivery-critical",
    ],
  ] as const)("%o", (delivery, text, tone) => {
    show(delivery);
    const badge = screen.getByTestId("delivery");
    expect(badge.textContent).toBe(text);
    expect(badge.className).toContain(tone);
    if (delivery.lastError) expect(badge.getAttribute("title")).toContain(delivery.lastError);
  });
});
