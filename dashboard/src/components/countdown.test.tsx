import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../i18n/i18n.js";
import { Countdown } from "./countdown.js";
import { nextClock, readClock } from "./countdown-state.js";

const NOW = Date.parse("2026-11-23T03:00:00Z");

describe("readClock", () => {
  it.each([
    [{ state: "RUNNING", dueAt: "2026-11-23T04:00:00Z", remainingMinutes: 60 }, 3600, "ok", true],
    [
      { state: "RUNNING", dueAt: "2026-11-23T04:00:00Z", remainingMinutes: 60, atRiskAt: "2026-11-23T02:59:00Z" },
      3600,
      "warning",
      true,
    ],
    [{ state: "AT_RISK", dueAt: "2026-11-23T03:10:00Z", remainingMinutes: 10 }, 600, "warning", true],
    [{ state: "RUNNING", dueAt: "2026-11-23T02:59:00Z", remainingMinutes: 0 }, -60, "critical", true],
    [{ state: "BREACHED", dueAt: "2026-11-23T01:00:00Z", remainingMinutes: -120 }, -7200, "critical", true],
    [{ state: "PAUSED", dueAt: "2026-11-24T00:00:00Z", remainingMinutes: 90 }, 5400, "muted", false],
    [{ state: "MET", dueAt: "2026-11-24T00:00:00Z", remainingMinutes: 30 }, null, "done", false],
  ] as const)("%o", (clock, seconds, tone, ticking) => {
    expect(readClock(clock, NOW)).toEqual({ seconds, tone, ticking });
  });

  it("picks the open clock due soonest", () => {
    const clocks = [
      { state: "MET", dueAt: "2026-11-23T01:00:00Z" },
      { state: "RUNNING", dueAt: "2026-11-25T00:00:00Z" },
      { state: "AT_RISK", dueAt: "2026-11-24T00:00:00Z" },
    ] as const;
    expect(nextClock(clocks)).toBe(clocks[2]);
    expect(nextClock([clocks[0]])).toBeNull();
  });
});

describe("<Countdown>", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it("ticks every second and turns critical when overdue", () => {
    render(
      <I18nProvider>
        <Countdown clock={{ state: "RUNNING", dueAt: "2026-11-23T03:00:02Z", remainingMinutes: 0.03 }} />
      </I18nProvider>,
    );
    const display = () => screen.getByText(/dtk$/);
    const text = () => display().textContent?.replaceAll("\u00a0", " ");
    expect(text()).toBe("2 dtk");
    act(() => vi.advanceTimersByTime(1000));
    expect(text()).toBe("1 dtk");
    act(() => vi.advanceTimersByTime(3000));
    expect(text()).toBe("Terlambat 2 dtk");
    expect(display().dataset.tone).toBe("critical");
  });

  it("stands still while paused", () => {
    render(
      <I18nProvider>
        <Countdown clock={{ state: "PAUSED", dueAt: "2026-11-24T00:00:00Z", remainingMinutes: 2 }} />
      </I18nProvider>,
    );
    const before = screen.getByText(/Dijeda/).textContent;
    act(() => vi.advanceTimersByTime(5000));
    expect(screen.getByText(/Dijeda/).textContent).toBe(before);
    expect(before?.replaceAll("\u00a0", " ")).toBe("2 mnt (Dijeda)");
  });
});
