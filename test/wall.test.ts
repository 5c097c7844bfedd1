import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserUnavailableReason, launchChromium, screenshot } from "./support/browser.js";
import { CREATE, newTicketInput } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

const unavailable = browserUnavailableReason();
const UI_WAIT = { timeout: 20_000 };
const JAKARTA_MS = 7 * 3_600_000;

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { __typename ... on CreateApiKeySuccess { key } ... on Error { code message } }
}`;

/** The instant Jakarta's current day began. */
function jakartaMidnight(now = Date.now()): number {
  return Math.floor((now + JAKARTA_MS) / 86_400_000) * 86_400_000 - JAKARTA_MS;
}

async function fitsOneScreen(page: Page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const inside = (selector: string) => {
      const box = document.querySelector(selector)?.getBoundingClientRect();
      return (
        !!box &&
        box.width > 0 &&
        box.top >= 0 &&
        box.left >= 0 &&
        box.bottom <= innerHeight + 1 &&
        box.right <= innerWidth + 1
      );
    };
    return {
      scrolls: root.scrollHeight > innerHeight + 1 || root.scrollWidth > innerWidth + 1,
      map: inside(".wall-map svg"),
      kpis: inside("[data-testid=wall-kpis]"),
      breaches: inside(".wall-breaches h2"),
      fontSize: Number.parseFloat(getComputedStyle(root).fontSize),
    };
  });
}

describe.skipIf(unavailable !== null)("the wall display in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let directorate: string;
  let displayKey: string;

  const createKey = async (scopes: string[]) => {
    const response = await server.gql(
      CREATE_KEY,
      {
        input: {
          name: `Layar ruang kendali ${scopes.join(" ")}`,
          unitCode: "IMI",
          scopes,
          rateTier: "INTERNAL",
          expiresAt: new Date(Date.now() + 300 * 86_400_000).toISOString(),
        },
      },
      directorate,
    );
    const payload = response.data?.createApiKey;
    expect(payload?.__typename).toBe("CreateApiKeySuccess");
    return payload.key as string;
  };

  beforeAll(async () => {
    server = await startServer("pglite", { env: { PANTAU_SEED_DAYS: "10", PANTAU_SEED_TICKETS_PER_DAY: "160" } });
    browser = await launchChromium();
    directorate = await server.login("direktorat@pantau.demo");
    displayKey = await createKey(["METRICS_READ", "TICKETS_READ"]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("refuses a key that could write, then opens with a read-only display key", async () => {
    const writer = await createKey(["METRICS_READ", "TICKETS_WRITE"]);
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: "id-ID" });
    const page = await context.newPage();
    await page.goto(`${server.url}/wall`);
    await expect.poll(() => page.title(), UI_WAIT).toBe("Layar pemantauan · Pantau");
    await page.getByLabel("Kunci tampilan").fill(writer);
    await page.getByRole("button", { name: "Buka layar" }).click();
    await page.getByRole("alert").filter({ hasText: "baca-saja" }).waitFor(UI_WAIT);
    await page.getByLabel("Kunci tampilan").fill("ptk_bukan_kunci_yang_benar");
    await page.getByRole("button", { name: "Buka layar" }).click();
    await page.getByRole("alert").filter({ hasText: "tidak dikenal" }).waitFor(UI_WAIT);
    await page.getByLabel("Kunci tampilan").fill(displayKey);
    await page.getByRole("button", { name: "Buka layar" }).click();
    await page.getByTestId("wall").waitFor(UI_WAIT);
    expect(await page.title()).toBe("Layar pemantauan: Gambaran nasional · Pantau");
    await expect.poll(() => page.locator(".wall-map [data-province]").count(), UI_WAIT).toBe(33);
    await page.getByTestId("live-status").filter({ hasText: "Langsung" }).waitFor(UI_WAIT);
    const fit = await fitsOneScreen(page);
    expect(fit).toMatchObject({ scrolls: false, map: true, kpis: true, breaches: true });
    await context.close();
  });

  it("fits 2560×1440 in larger type and keeps counting after local midnight", async () => {
    const context = await browser.newContext({ viewport: { width: 2560, height: 1440 }, locale: "id-ID" });
    const page = await context.newPage();
    // The screen's clock starts two minutes before the midnight that began today in Jakarta, so that once
    // it has passed midnight its "today" is the server's.
    const midnight = jakartaMidnight();
    await page.clock.install({ time: new Date(midnight - 2 * 60_000) });
    await page.goto(`${server.url}/wall`);
    await page.evaluate(
      (token) => localStorage.setItem("pantau.session", JSON.stringify({ token, expiresAt: "2099-01-01T00:00:00Z" })),
      displayKey,
    );
    await page.reload();
    const wall = page.getByTestId("wall");
    await wall.waitFor(UI_WAIT);
    expect(await wall.getAttribute("data-day-from")).toBe(new Date(midnight - 86_400_000).toISOString());
    await page.getByTestId("live-status").filter({ hasText: "Langsung" }).waitFor(UI_WAIT);
    await expect.poll(() => page.locator(".wall-map [data-province]").count(), UI_WAIT).toBe(33);
    const fit = await fitsOneScreen(page);
    expect(fit).toMatchObject({ scrolls: false, map: true, kpis: true, breaches: true });
    expect(fit.fontSize).toBeGreaterThan(20);

    await page.clock.fastForward("03:00");
    await expect.poll(() => wall.getAttribute("data-day-from"), UI_WAIT).toBe(new Date(midnight).toISOString());
    const created = page.locator('[data-testid=wall-kpis] [data-kpi="Tiket masuk"] .kpi-value');
    const count = async () => Number((await created.textContent())?.replace(/\D/g, "") || Number.NaN);
    // Once the new day's figures have arrived, the wall shows what the API says about today.
    const today = async () => {
      const response = await server.gql(
        `query($from: DateTime!, $to: DateTime!) { unitMetrics(code: "IMI", from: $from, to: $to, granularity: DAY) { totals { created } } }`,
        { from: new Date(midnight).toISOString(), to: new Date(midnight + 86_400_000).toISOString() },
        displayKey,
      );
      return response.data?.unitMetrics.totals.created as number;
    };
    const before = await today();
    await expect.poll(count, UI_WAIT).toBe(before);
    await screenshot(page, "wall");
    const response = await server.gql(CREATE, { input: newTicketInput({ unitCode: "KANIM-MALANG" }) }, directorate);
    expect(response.data?.createTicket.__typename).toBe("CreateTicketSuccess");
    // The figures follow the live stream, refreshed at most every 15 s.
    await expect.poll(count, { timeout: 40_000 }).toBe(before + 1);
    await context.close();
  });
});
