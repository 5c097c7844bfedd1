import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { browserUnavailableReason, launchChromium, screenshot, signIn, startCuttableProxy } from "./support/browser.js";
import { CREATE, newTicketInput } from "./support/documents.js";
import { DEMO_PASSWORD, startServer, type TestServer } from "./support/server.js";

const unavailable = browserUnavailableReason();
// The first paint of a view waits for its lazily loaded code and its queries; on a busy machine that is seconds.
const UI_WAIT = { timeout: 20_000 };
if (unavailable) {
  const banner = `\n${"!".repeat(78)}\n!! Dashboard browser tests SKIPPED: ${unavailable}.\n${"!".repeat(78)}\n`;
  process.stdout.write(banner);
  if (process.env.REQUIRE_BROWSER === "1") throw new Error(`REQUIRE_BROWSER=1 but ${unavailable}`);
}

describe.skipIf(unavailable !== null)("the dashboard in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // A month of tickets, so that every regional office has judged clocks and the map has no gaps.
    server = await startServer("pglite", { env: { PANTAU_SEED_DAYS: "30", PANTAU_SEED_TICKETS_PER_DAY: "160" } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  // Whatever the browser reports as an error (a script error, a blocked resource, a policy violation)
  // fails the test, unless the test expects it.
  let consoleErrors: string[] = [];
  let expectedErrors: RegExp | null = null;
  beforeEach(async () => {
    await page?.context().close();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: "id-ID" });
    page = await context.newPage();
    consoleErrors = [];
    expectedErrors = null;
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
  });
  afterEach(() => {
    expect(consoleErrors.filter((text) => !expectedErrors?.test(text))).toEqual([]);
  });

  it("takes the directorate from the national map down to Malang, where a new ticket appears live", async () => {
    await signIn(page, server.url, "direktorat@pantau.demo", DEMO_PASSWORD);
    await page.waitForURL(/\/national/);

    const provinces = page.locator("[data-province]");
    await expect.poll(() => provinces.count(), UI_WAIT).toBe(33);
    await expect.poll(() => page.locator('[data-province][data-no-data="true"]').count(), UI_WAIT).toBe(0);
    const fills = await provinces.evaluateAll((paths) => paths.map((path) => path.getAttribute("data-fill")));
    expect(fills.every((fill) => /^#[0-9a-f]{6}$/i.test(fill ?? ""))).toBe(true);
    await expect.poll(() => page.getByTestId("ranking").locator("tbody tr").count(), UI_WAIT).toBe(33);
    await page.getByTestId("live-status").filter({ hasText: "Langsung" }).waitFor();
    await screenshot(page, "national");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Unduh CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync(await download.path(), "utf8");
    expect(csv.trim().split("\n")).toHaveLength(34);

    // Keyboard, as a screen-reader or keyboard user drills down: Tab to the province, Enter.
    await page.locator('[data-province="ID-JI"]').focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/units\/KANWIL-JI/);
    await page.getByRole("heading", { level: 1, name: /Jawa Timur/ }).waitFor();
    await page.getByTestId("offices").waitFor();
    await screenshot(page, "region");

    await page.getByRole("link", { name: "Kantor Imigrasi Kelas I TPI Malang" }).click();
    await page.waitForURL(/\/units\/KANIM-MALANG/);
    const board = page.getByTestId("queue-board");
    await board.waitFor();
    // The work queue opens on the nearest deadlines; the newest first shows a new ticket at the top.
    await page.locator("select[data-filter=order]").selectOption("newest");
    await page.waitForURL(/sort=newest/);
    const openCount = async () =>
      Number(((await board.locator("[data-kpi='Terbuka'] .kpi-value").textContent()) ?? "").replace(/\D/g, ""));
    const before = await openCount();
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    const subject = `Paspor hilang di bandara ${Date.now()}`;
    const token = await server.login("kanim.malang@pantau.demo");
    const created = await server.gql(CREATE, { input: newTicketInput({ subject, priority: "URGENT" }) }, token);
    expect(created.data?.createTicket.__typename).toBe("CreateTicketSuccess");

    await page.getByTestId("tickets").getByText(subject).waitFor({ timeout: 15_000 });
    await expect.poll(openCount, { timeout: 15_000 }).toBe(before + 1);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await screenshot(page, "unit");

    await page.getByTestId("tickets").getByRole("row").filter({ hasText: subject }).getByRole("link").click();
    await page.getByTestId("ticket-facts").waitFor();
    const countdown = page.locator("[data-clock='FIRST_RESPONSE'] .countdown");
    await countdown.waitFor();
    const secondsLeft = async () => Number(await countdown.getAttribute("data-seconds"));
    const first = await secondsLeft();
    await expect.poll(secondsLeft, { timeout: 5_000 }).toBeLessThan(first);
    await screenshot(page, "ticket");
  });

  it("keeps a regional head inside their region", async () => {
    await signIn(page, server.url, "kanwil.jatim@pantau.demo", DEMO_PASSWORD);
    await page.waitForURL(/\/units\/KANWIL-JI/);
    await page.getByTestId("offices").waitFor();

    await page.goto(`${server.url}/national`);
    await page.waitForURL(/\/units\/KANWIL-JI/);

    await page.goto(`${server.url}/units/KANWIL-JB`);
    await page
      .getByRole("alert")
      .filter({ hasText: /di luar wewenang/ })
      .waitFor();
    expect(await page.getByTestId("offices").count()).toBe(0);
    expect(await page.getByTestId("queue-board").count()).toBe(0);

    await page.goto(`${server.url}/units/KANIM-BANDUNG`);
    await page
      .getByRole("alert")
      .filter({ hasText: /di luar wewenang/ })
      .waitFor();
    await screenshot(page, "regional-head-denied");
  });

  it("switches between Indonesian and English and remembers the choice", async () => {
    await signIn(page, server.url, "kanim.malang@pantau.demo", DEMO_PASSWORD);
    await page.waitForURL(/\/units\/KANIM-MALANG/);
    await page.getByRole("heading", { name: "Antrean langsung" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("id");

    await page.getByTestId("language-switch").click();
    await page.getByRole("heading", { name: "Live queue" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
    expect(await page.getByRole("heading", { name: "Antrean langsung" }).count()).toBe(0);

    await page.reload();
    await page.getByRole("heading", { name: "Live queue" }).waitFor();
    await screenshot(page, "unit-english");
  });

  it("shows that the live connection dropped, and after it returns shows what happened meanwhile", async () => {
    expectedErrors = /WebSocket|ERR_CONNECTION|ERR_EMPTY_RESPONSE|Failed to load resource/;
    const proxy = await startCuttableProxy(server.url);
    try {
      await signIn(page, proxy.url, "kanim.malang@pantau.demo", DEMO_PASSWORD);
      await page.waitForURL(/\/units\/KANIM-MALANG/);
      await page.goto(`${proxy.url}/units/KANIM-MALANG?sort=newest`);
      await page.getByTestId("tickets").waitFor();
      await page.getByTestId("live-status").filter({ hasText: "Langsung" }).waitFor();

      proxy.cut();
      await page.getByTestId("reconnecting").waitFor();
      await screenshot(page, "unit-reconnecting");

      // Created while the dashboard cannot hear anything: only a resumed stream brings it.
      const subject = `Visa kunjungan ditolak ${Date.now()}`;
      const token = await server.login("kanim.malang@pantau.demo");
      const created = await server.gql(CREATE, { input: newTicketInput({ subject }) }, token);
      expect(created.data?.createTicket.__typename).toBe("CreateTicketSuccess");

      proxy.restore();
      await page.getByTestId("live-status").filter({ hasText: "Langsung" }).waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("reconnecting").count()).toBe(0);
      await page.getByTestId("tickets").getByText(subject).waitFor({ timeout: 15_000 });
    } finally {
      await proxy.close();
    }
  });

  it("returns to the sign-in page when the server ends the session under a live view", async () => {
    await signIn(page, server.url, "kanim.malang@pantau.demo", DEMO_PASSWORD);
    await page.waitForURL(/\/units\/KANIM-MALANG/);
    await page.getByTestId("live-status").filter({ hasText: "Langsung" }).waitFor(UI_WAIT);
    // Signed out elsewhere (another tab, an administrator): the open streams end with UNAUTHENTICATED.
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem("pantau.session") ?? "{}").token);
    expect((await server.gql(`mutation { logout }`, {}, token)).data?.logout).toBe(true);
    expectedErrors = /401|Unauthorized|Failed to load resource/;
    // A stream learns of it with its next item; new tickets in the office bring one to every stream.
    const other = await server.login("kanim.malang@pantau.demo");
    const ended = page.getByText("Sesi Anda berakhir. Silakan masuk lagi.");
    for (let attempt = 0; attempt < 10 && !(await ended.isVisible()); attempt++) {
      await server.gql(CREATE, { input: newTicketInput({ subject: "Setelah sesi diakhiri" }) }, other);
      await ended.waitFor({ timeout: 2_000 }).catch(() => undefined);
    }
    await ended.waitFor(UI_WAIT);
    expect(new URL(page.url()).pathname).toBe("/login");
  });

  it("lets an agent ask for the KIP extension and the supervisor grant it, both shown in the timeline", async () => {
    const agent = await server.login("agen.malang@pantau.demo");
    const created = await server.gql(
      CREATE,
      { input: newTicketInput({ kind: "INFORMATION_REQUEST", channel: "LETTER" }) },
      agent,
    );
    const number = created.data?.createTicket.ticket.number as string;
    expect(number).toBeTruthy();
    const timeline = page.getByTestId("timeline");

    await signIn(page, server.url, "agen.malang@pantau.demo", DEMO_PASSWORD);
    await page.goto(`${server.url}/tickets/${number}`);
    await page.locator("[data-action='extend']").click(UI_WAIT);
    await page.getByLabel("Alasan").fill("Informasi yang diminta harus dihimpun dari Direktorat Jenderal.");
    await page.getByRole("button", { name: "Kirim" }).click();
    await timeline.locator("[data-event='EXTENSION_REQUESTED']").waitFor(UI_WAIT);
    // Asked once: no second request, and the agent cannot decide their own.
    await expect.poll(() => page.locator("[data-action='extend']").count()).toBe(0);
    expect(await page.locator("[data-action='grantExtension']").count()).toBe(0);

    // The supervisor, in a browser of their own.
    await page.context().close();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: "id-ID" })).newPage();
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    const supervisorTimeline = page.getByTestId("timeline");
    await signIn(page, server.url, "kanim.malang@pantau.demo", DEMO_PASSWORD);
    await page.goto(`${server.url}/tickets/${number}`);
    await page.locator("[data-action='grantExtension']").click(UI_WAIT);
    await page.getByRole("button", { name: "Kirim" }).click();
    await supervisorTimeline.locator("[data-event='SLA_EXTENDED']").waitFor(UI_WAIT);
    expect(await supervisorTimeline.locator("[data-event='SLA_EXTENDED']").textContent()).toContain(
      "Tenggat diperpanjang",
    );
    await expect.poll(() => page.locator("[data-action='grantExtension']").count()).toBe(0);
  });

  it("refuses a wrong password with a clear message", async () => {
    await page.goto(`${server.url}/login`);
    await page.getByLabel("Surel").fill("direktorat@pantau.demo");
    await page.getByLabel("Kata sandi").fill("bukan-sandinya");
    await page.getByRole("button", { name: "Masuk" }).click();
    await page.getByRole("alert").filter({ hasText: "Surel atau kata sandi salah." }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/login");
  });
});
