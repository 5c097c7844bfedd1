import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { browserUnavailableReason, launchChromium, screenshot, signIn } from "./support/browser.js";
import { targets } from "./support/databases.js";
import { DEMO_PASSWORD, startServer, type TestServer } from "./support/server.js";

const unavailable = browserUnavailableReason();
const UI_WAIT = { timeout: 20_000 };
if (unavailable) {
  const banner = `\n${"!".repeat(78)}\n!! Team page browser tests SKIPPED: ${unavailable}.\n${"!".repeat(78)}\n`;
  process.stdout.write(banner);
  if (process.env.REQUIRE_BROWSER === "1") throw new Error(`REQUIRE_BROWSER=1 but ${unavailable}`);
}

const OFFICE = "KANIM-MALANG";

const TEAM = `query($code: String!, $from: DateTime, $to: DateTime) {
  teamFigures(code: $code, from: $from, to: $to) {
    members { user { name } openAssigned figures { replies resolved } }
    totals { replies resolved }
  }
}`;

const targetList = unavailable ? [] : await targets();

describe.skipIf(unavailable !== null)("the team page in Chromium", () => {
  describe.each(targetList)("on %s", (target) => {
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    let consoleErrors: string[] = [];

    beforeAll(async () => {
      server = await startServer(target);
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });
    beforeEach(async () => {
      await page?.context().close();
      page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: "id-ID" })).newPage();
      consoleErrors = [];
      page.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(message.text());
      });
      page.on("pageerror", (error) => consoleErrors.push(error.message));
    });
    afterEach(() => {
      expect(consoleErrors).toEqual([]);
    });

    /** The period the page asked for, read back from the query it sent, and the API's answer for it. */
    const expectedTeam = async (token: string) => {
      const request = await page.waitForRequest(
        (r) => r.url().endsWith("/graphql") && (r.postData() ?? "").includes("TeamFigures"),
        UI_WAIT,
      );
      const { variables } = JSON.parse(request.postData() ?? "{}") as { variables: Record<string, string> };
      const response = await server.gql(TEAM, variables, token);
      expect(response.errors).toBeUndefined();
      return response.data?.teamFigures as {
        members: { user: { name: string }; openAssigned: number; figures: { replies: number; resolved: number } }[];
        totals: { replies: number; resolved: number };
      };
    };

    const cell = (name: string, column: number) =>
      page.locator(`[data-testid=team] tr[data-member="${name}"] td`).nth(column).textContent();

    it("shows a supervisor each agent's figures and the team's, in Indonesian and in English", async () => {
      await signIn(page, server.url, "kanim.malang@pantau.demo", DEMO_PASSWORD);
      const token = await page.evaluate(() => JSON.parse(localStorage.getItem("pantau.session") ?? "{}").token);
      await page.goto(`${server.url}/units/${OFFICE}`);
      const asked = expectedTeam(token);
      await page.getByRole("link", { name: "Kinerja petugas" }).click();
      const team = await asked;
      await page.getByTestId("team").waitFor(UI_WAIT);
      await expect.poll(() => page.locator("[data-testid=team] tbody tr").count(), UI_WAIT).toBe(team.members.length);
      expect(team.totals.resolved).toBeGreaterThan(0);
      // Columns: name, open now, replies, resolved, …
      for (const member of team.members) {
        expect(await cell(member.user.name, 0)).toBe(String(member.openAssigned));
        expect(await cell(member.user.name, 1)).toBe(String(member.figures.replies));
        expect(await cell(member.user.name, 2)).toBe(String(member.figures.resolved));
      }
      const total = page.locator("[data-testid=team] tfoot td");
      expect(await total.nth(2).textContent()).toBe(String(team.totals.resolved));
      expect(await page.getByRole("columnheader", { name: "Respons pertama", exact: true }).count()).toBe(1);
      if (target === "pglite") await screenshot(page, "unit-team");

      await page.getByTestId("language-switch").click();
      await page.getByRole("heading", { level: 1, name: /^Team performance/ }).waitFor(UI_WAIT);
      expect(await page.getByRole("columnheader", { name: "First response", exact: true }).count()).toBe(1);
      expect(await page.locator("[data-testid=team] tfoot th").textContent()).toBe("Whole team");
    });

    it("offers agents no team page, and answers one opened by its address as not theirs", async () => {
      await signIn(page, server.url, "agen.malang@pantau.demo", DEMO_PASSWORD);
      await page.goto(`${server.url}/units/${OFFICE}`);
      await page.getByTestId("workload").waitFor(UI_WAIT);
      expect(await page.getByRole("link", { name: "Kinerja petugas" }).count()).toBe(0);
      // The API refuses; the page says so instead of showing figures (the refusal is the expected error).
      page.removeAllListeners("console");
      await page.goto(`${server.url}/units/${OFFICE}/team`);
      await page.getByRole("alert").first().waitFor(UI_WAIT);
      expect(await page.getByTestId("team").count()).toBe(0);
    });
  });
});
