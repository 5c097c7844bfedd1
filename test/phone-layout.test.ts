import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { browserUnavailableReason, launchChromium, screenshot, signIn } from "./support/browser.js";
import { targets } from "./support/databases.js";
import { CREATE, newTicketInput } from "./support/documents.js";
import { DEMO_PASSWORD, startServer, type TestServer } from "./support/server.js";

const unavailable = browserUnavailableReason();
const UI_WAIT = { timeout: 20_000 };
if (unavailable) {
  const banner = `\n${"!".repeat(78)}\n!! Phone layout browser tests SKIPPED: ${unavailable}.\n${"!".repeat(78)}\n`;
  process.stdout.write(banner);
  if (process.env.REQUIRE_BROWSER === "1") throw new Error(`REQUIRE_BROWSER=1 but ${unavailable}`);
}

const PHONE = { width: 390, height: 844 };
const targetList = unavailable ? [] : await targets();

/**
 * Every element that reaches past the right edge of the viewport (or is wider than it), as tag, classes and
 * width, so a failure says what to fix. Elements moved off screen on purpose (the skip link) end left of 0;
 * shapes inside an SVG are clipped to its box, which is checked itself (the region map draws whole neighbours).
 */
function overflowing(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    for (const element of document.body.querySelectorAll("*")) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.right <= 0 || element.parentElement?.closest("svg")) continue;
      if (box.right > width + 0.5 || box.width > width + 0.5) {
        const name = `${element.tagName.toLowerCase()}${element.className && typeof element.className === "string" ? `.${element.className.trim().split(/\s+/).join(".")}` : ""}`;
        found.push(`${name} right=${Math.round(box.right)} width=${Math.round(box.width)}`);
      }
    }
    const page = document.documentElement.scrollWidth;
    if (page > width) found.unshift(`document scrollWidth=${page} > ${width}`);
    return found;
  });
}

/** Text inputs, selects and text areas whose font is under 16 px (the phone zooms into those). */
function smallInputs(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea")]
      .filter((element) => {
        const input = element as HTMLInputElement;
        if (["checkbox", "radio", "hidden"].includes(input.type)) return false;
        const box = element.getBoundingClientRect();
        return box.width > 0 && Number.parseFloat(getComputedStyle(element).fontSize) < 16;
      })
      .map((element) => `${element.tagName.toLowerCase()}[name=${element.getAttribute("name") ?? ""}]`),
  );
}

describe.skipIf(unavailable !== null)("the dashboard on a 390-px phone", () => {
  describe.each(targetList)("on %s", (target) => {
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    let number: string;

    beforeAll(async () => {
      server = await startServer(target);
      browser = await launchChromium();
      const supervisor = await server.login("kanim.malang@pantau.demo");
      const created = await server.gql(
        CREATE,
        {
          input: newTicketInput({
            subject: "Permohonan paspor elektronik untuk anak di bawah umur yang tinggal di luar kota",
            reporter: { name: "Anak Agung Gede Ngurah Wirawan Putra", email: "anak.agung.gede.ngurah@example.id" },
          }),
        },
        supervisor,
      );
      number = created.data?.createTicket.ticket.number;
      expect(number).toBeTruthy();
    });
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    let consoleErrors: string[] = [];
    beforeEach(async () => {
      await page?.context().close();
      page = await (
        await browser.newContext({ viewport: PHONE, locale: "id-ID", isMobile: true, hasTouch: true })
      ).newPage();
      consoleErrors = [];
      page.on("pageerror", (error) => consoleErrors.push(error.message));
    });
    afterEach(() => {
      expect(consoleErrors).toEqual([]);
    });

    it("shows the office's queue as cards, nothing wider than the screen", async () => {
      await signIn(page, server.url, "agen.malang@pantau.demo", DEMO_PASSWORD);
      await page.goto(`${server.url}/units/KANIM-MALANG`);
      await page.locator("[data-testid=tickets] tr[data-ticket]").first().waitFor(UI_WAIT);
      await page.getByTestId("queue-board").waitFor(UI_WAIT);
      expect(await overflowing(page)).toEqual([]);
      expect(await smallInputs(page)).toEqual([]);
      if (target === "pglite") await screenshot(page, "phone-unit");
    });

    it("puts a ticket's clocks and actions before its timeline, nothing wider than the screen", async () => {
      await signIn(page, server.url, "agen.malang@pantau.demo", DEMO_PASSWORD);
      await page.goto(`${server.url}/tickets/${number}`);
      await page.getByTestId("timeline").waitFor(UI_WAIT);
      await page.locator("[data-action='transfer']").click(UI_WAIT);
      await page.getByRole("form", { name: "Alihkan" }).waitFor();
      const top = (selector: string) =>
        page
          .locator(selector)
          .first()
          .evaluate((element) => element.getBoundingClientRect().top);
      const timeline = await top("[data-testid=timeline]");
      expect(await top("[data-clock]")).toBeLessThan(timeline);
      expect(await top("[data-action]")).toBeLessThan(timeline);
      expect(await top("[data-testid=ticket-facts]")).toBeLessThan(await top("[data-clock]"));
      expect(await overflowing(page)).toEqual([]);
      expect(await smallInputs(page)).toEqual([]);
      if (target === "pglite") await screenshot(page, "phone-ticket");
    });

    it("fits the new-ticket form to the screen with 16-px inputs", async () => {
      await signIn(page, server.url, "agen.malang@pantau.demo", DEMO_PASSWORD);
      await page.goto(`${server.url}/tickets/new`);
      await page.getByTestId("intake-form").waitFor(UI_WAIT);
      expect(await overflowing(page)).toEqual([]);
      expect(await smallInputs(page)).toEqual([]);
    });

    it("shows a region's offices as cards, nothing wider than the screen", async () => {
      await signIn(page, server.url, "kanwil.jatim@pantau.demo", DEMO_PASSWORD);
      await page.waitForURL(/\/units\/KANWIL-JI/);
      await page.getByTestId("offices").locator("tbody tr").first().waitFor(UI_WAIT);
      expect(await overflowing(page)).toEqual([]);
      expect(await smallInputs(page)).toEqual([]);
      if (target === "pglite") await screenshot(page, "phone-region");
    });
  });
});
