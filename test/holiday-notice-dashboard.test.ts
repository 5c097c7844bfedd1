import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserUnavailableReason, launchChromium, signIn } from "./support/browser.js";
import { targets } from "./support/databases.js";
import { DEMO_PASSWORD, startServer, type TestServer } from "./support/server.js";

const unavailable = browserUnavailableReason();
const UI_WAIT = { timeout: 20_000 };
if (unavailable) {
  process.stdout.write(`\n!! Holiday notice browser test SKIPPED: ${unavailable}.\n`);
  if (process.env.REQUIRE_BROWSER === "1") throw new Error(`REQUIRE_BROWSER=1 but ${unavailable}`);
}

describe.skipIf(unavailable !== null).each(await targets())("the holiday notice in Chromium on %s", (target) => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer(target, { now: () => new Date("2026-10-01T08:00:00+07:00") });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows the directorate from 1 October that next year's holidays are missing, until its SKB is imported", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: "id-ID" });
    const page = await context.newPage();
    await signIn(page, server.url, "direktorat@pantau.demo", DEMO_PASSWORD);
    await page.waitForURL(/\/national/);
    const notice = page.getByTestId("holiday-notice");
    await notice.waitFor(UI_WAIT);
    expect(await notice.textContent()).toMatch(/Hari libur nasional 2027 belum dimuat.*Impor SKB 2027/);

    const directorate = await server.login("direktorat@pantau.demo");
    const imported = await server.gql(
      `mutation($input: ImportHolidaysInput!) { importHolidays(input: $input) { __typename } }`,
      {
        input: {
          year: 2027,
          decree: "SKB uji 2027",
          format: "CSV",
          content: "date,name,kind\n2027-01-01,Tahun Baru 2027 Masehi,NATIONAL\n",
        },
      },
      directorate,
    );
    expect(imported.data?.importHolidays.__typename).toBe("ImportHolidaysSuccess");
    await page.reload();
    await page.getByTestId("ranking").waitFor(UI_WAIT);
    expect(await page.getByTestId("holiday-notice").count()).toBe(0);
    await context.close();
  });
});
