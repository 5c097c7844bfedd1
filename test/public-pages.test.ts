import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { browserUnavailableReason, launchChromium, screenshot } from "./support/browser.js";
import { targets } from "./support/databases.js";
import { NOTE, REPLY } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

const unavailable = browserUnavailableReason();
const UI_WAIT = { timeout: 20_000 };
if (unavailable) {
  const banner = `\n${"!".repeat(78)}\n!! Public pages browser tests SKIPPED: ${unavailable}.\n${"!".repeat(78)}\n`;
  process.stdout.write(banner);
  if (process.env.REQUIRE_BROWSER === "1") throw new Error(`REQUIRE_BROWSER=1 but ${unavailable}`);
}

describe.skipIf(unavailable !== null).each(await targets())("the citizens' pages in Chromium on %s", (target) => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[] = [];

  beforeAll(async () => {
    // The default difficulty, as a citizen's browser meets it.
    server = await startServer(target, { env: { PANTAU_PUBLIC_POW_BITS: "16" } });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  beforeEach(async () => {
    await page?.context().close();
    const context = await browser.newContext({ viewport: { width: 1100, height: 1000 }, locale: "id-ID" });
    page = await context.newPage();
    consoleErrors = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
  });
  afterEach(() => {
    expect(consoleErrors).toEqual([]);
  });

  it("files a complaint without an account, then tracks it and sees the office's reply but not its note", async () => {
    await page.goto(`${server.url}/lapor`);
    await page.getByRole("heading", { name: "Sampaikan laporan" }).waitFor(UI_WAIT);
    await page.getByLabel("Jenis laporan").selectOption("COMPLAINT");
    await page.getByLabel("Provinsi").selectOption({ label: "Jawa Timur" });
    await page.getByLabel("Kantor yang dituju").selectOption("KANIM-MALANG");
    await page.getByLabel("Judul singkat").fill("Calo di depan kantor imigrasi");
    await page
      .getByLabel("Uraian", { exact: true })
      .fill("Ada orang yang menawarkan jasa percepatan paspor dengan bayaran di depan kantor.");
    await page.getByLabel("Surel").fill("warga.peramban@contoh.id");
    await page.getByLabel("Telepon / WhatsApp").fill("+62 812 3456 7890");
    // Sending without consent is stopped before anything leaves the page.
    await page.getByRole("button", { name: "Kirim laporan" }).click();
    await page.getByRole("alert").filter({ hasText: "Persetujuan pemrosesan data pribadi diperlukan" }).waitFor();
    await page.getByRole("checkbox").check();
    await screenshot(page, "public-report");
    const started = Date.now();
    await page.getByRole("button", { name: "Kirim laporan" }).click();
    const receipt = page.getByTestId("public-receipt");
    await receipt.waitFor(UI_WAIT);
    const solvedInMs = Date.now() - started;
    const number = (await page.getByTestId("ticket-number").textContent())?.trim() ?? "";
    const code = (await page.getByTestId("tracking-code").textContent())?.trim() ?? "";
    expect(number).toMatch(/^IMI-\d{4}-\d{7,}$/);
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    // 2^16 hashes in the browser, plus two requests: a citizen waits about a second, not ten.
    expect(solvedInMs).toBeLessThan(15_000);
    await screenshot(page, "public-receipt");

    const agent = await server.login("agen.malang@pantau.demo");
    const staff = await server.gql(`query($n: String!) { ticket(number: $n) { id channel } }`, { n: number }, agent);
    expect(staff.data?.ticket.channel).toBe("WEB_FORM");
    const ticketId = staff.data?.ticket.id as string;
    await server.gql(
      REPLY,
      { input: { ticketId, body: "Terima kasih, laporan Anda kami teruskan ke bidang intelijen." } },
      agent,
    );
    await server.gql(NOTE, { input: { ticketId, body: "CATATAN-INTERNAL lokasi sudah dikenal." } }, agent);

    await page.getByRole("link", { name: "Lacak laporan ini" }).click();
    await page.getByRole("heading", { name: "Lacak laporan", exact: true }).waitFor(UI_WAIT);
    expect(await page.getByLabel("Nomor tiket").inputValue()).toBe(number);
    await page.getByLabel("Kode pelacakan").fill("0000-0000-0000-0000-0000");
    await page.getByRole("button", { name: "Lacak", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "tidak cocok" }).waitFor(UI_WAIT);

    await page.getByLabel("Kode pelacakan").fill(code.toLowerCase());
    await page.getByRole("button", { name: "Lacak", exact: true }).click();
    const tracked = page.getByTestId("public-ticket");
    await tracked.waitFor(UI_WAIT);
    await expect.poll(() => page.getByTestId("public-replies").textContent()).toContain("bidang intelijen");
    expect(await tracked.textContent()).not.toContain("CATATAN-INTERNAL");
    expect(await page.getByTestId("public-next-due").textContent()).toMatch(/WIB/);
    await screenshot(page, "public-tracking");

    await page.getByTestId("language-switch").click();
    await page.getByRole("heading", { name: "Track a report" }).waitFor(UI_WAIT);
    await page.getByRole("link", { name: "Submit a report" }).waitFor();
  });

  it("shows anyone the month's figures, drills from the regions to a region's offices, and fits a phone", async () => {
    const month = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);
    const api = await server.gql(
      `query($month: String!) { publicStatistics(month: $month) {
        ... on PublicStatisticsSuccess { statistics { figures { received } subunits { unit { code } } } } } }`,
      { month },
    );
    const national = api.data?.publicStatistics.statistics;
    await page.goto(`${server.url}/statistik`);
    await page.getByRole("heading", { name: "Statistik layanan" }).waitFor(UI_WAIT);
    await page.getByTestId("public-statistics").waitFor(UI_WAIT);
    const received = national.figures.received as number;
    expect(await page.getByTestId("stats-received").locator("dd").textContent()).toBe(
      new Intl.NumberFormat("id-ID").format(received),
    );
    const regions = page.getByTestId("stats-subunits").locator("tbody tr");
    expect(await regions.count()).toBe(national.subunits.length);
    await page.getByTestId("stats-suppression").waitFor();
    await screenshot(page, "public-statistics");

    await page.getByRole("button", { name: "Kanwil Jawa Timur" }).click();
    await page.getByRole("heading", { name: /Jawa Timur/ }).waitFor(UI_WAIT);
    expect(page.url()).toContain("unit=KANWIL-JI");
    await page.getByTestId("stats-subunits").getByText("Kantor Imigrasi Kelas I TPI Malang").waitFor(UI_WAIT);
    const csvHref = await page.getByRole("link", { name: "CSV" }).getAttribute("href");
    const csv = await fetch(`${server.url}${csvHref}`);
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain("KANIM-MALANG");

    await page.getByTestId("language-switch").click();
    await page.getByRole("heading", { name: "Service statistics" }).waitFor(UI_WAIT);
    await page.getByRole("button", { name: "Back to national" }).click();
    await page.getByRole("heading", { name: /Direktorat Jenderal Imigrasi/ }).waitFor(UI_WAIT);

    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(390);
  });
});
