import type { Browser, Page, Request } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { browserUnavailableReason, launchChromium, screenshot, signIn } from "./support/browser.js";
import { targets } from "./support/databases.js";
import { DEMO_PASSWORD, startServer, type TestServer } from "./support/server.js";

const unavailable = browserUnavailableReason();
const UI_WAIT = { timeout: 20_000 };
if (unavailable) {
  const banner = `\n${"!".repeat(78)}\n!! Staff intake browser tests SKIPPED: ${unavailable}.\n${"!".repeat(78)}\n`;
  process.stdout.write(banner);
  if (process.env.REQUIRE_BROWSER === "1") throw new Error(`REQUIRE_BROWSER=1 but ${unavailable}`);
}

const OFFICE = "KANIM-MALANG";
const OUTSIDE = "KANIM-DENPASAR";

const FOUND = `
  query($search: String!) {
    tickets(filter: { search: $search }, first: 10) {
      totalCount
      edges { node { number subject channel kind priority unit { code } category { code } } }
    }
  }
`;

const targetList = unavailable ? [] : await targets();

describe.skipIf(unavailable !== null)("the staff intake form (Tiket baru) in Chromium", () => {
  describe.each(targetList)("on %s", (target) => {
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    let directorate: string;
    let category: { code: string; name: string };

    beforeAll(async () => {
      server = await startServer(target);
      browser = await launchChromium();
      directorate = await server.login("direktorat@pantau.demo");
      const tree = await server.gql(`{ categories { code name children { code name } } }`, {}, directorate);
      const parent = tree.data?.categories.find((c: { children: unknown[] }) => c.children.length > 0);
      category = parent.children[0];
    });
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    let consoleErrors: string[] = [];
    let expectedErrors: RegExp | null = null;
    let creates: Request[] = [];
    beforeEach(async () => {
      await page?.context().close();
      page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: "id-ID" })).newPage();
      consoleErrors = [];
      expectedErrors = null;
      creates = [];
      page.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(message.text());
      });
      page.on("pageerror", (error) => consoleErrors.push(error.message));
      page.on("request", (request) => {
        if (request.url().endsWith("/graphql") && request.postData()?.includes("IntakeCreateTicket")) {
          creates.push(request);
        }
      });
    });
    afterEach(() => {
      expect(consoleErrors.filter((text) => !expectedErrors?.test(text))).toEqual([]);
    });

    /** Tickets whose subject or description holds the text, as the directorate sees them. */
    const found = async (text: string) => {
      const answer = await server.gql(FOUND, { search: text }, directorate);
      expect(answer.errors).toBeUndefined();
      return answer.data?.tickets as { totalCount: number; edges: { node: Record<string, any> }[] };
    };
    const form = () => page.getByTestId("intake-form");
    const openForm = async (email: string, search = "") => {
      await signIn(page, server.url, email, DEMO_PASSWORD);
      await page.goto(`${server.url}/tickets/new${search}`);
      await form().waitFor(UI_WAIT);
    };
    const fill = async (subject: string, description = "Warga menelepon tentang paspor yang hilang di bandara.") => {
      await form().getByLabel("Perihal", { exact: true }).fill(subject);
      await form().getByLabel("Uraian", { exact: true }).fill(description);
    };
    const submit = () => form().getByRole("button", { name: "Catat tiket" }).click();
    const failure = () => page.getByTestId("intake-failure");

    it("records a walk-in with category, unit and reporter from the office's link, says so and opens the ticket", async () => {
      await signIn(page, server.url, "agen.malang@pantau.demo", DEMO_PASSWORD);
      await page.goto(`${server.url}/units/${OFFICE}`);
      await page.getByTestId("office-new-ticket").click(UI_WAIT);
      await form().waitFor(UI_WAIT);
      expect(new URL(page.url()).searchParams.get("unit")).toBe(OFFICE);
      expect(await form().getByLabel("Unit penerima").inputValue()).toBe(OFFICE);
      // Only the units the agent acts for, picked from a list rather than typed.
      const offered = await form()
        .getByLabel("Unit penerima")
        .locator("option")
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
      expect(offered).toEqual([OFFICE]);

      const subject = `Paspor hilang di loket ${target} ${Date.now()}`;
      await form().getByText("Datang langsung").click();
      await form().getByLabel("Jenis").selectOption({ label: "Permintaan informasi" });
      await form().getByLabel("Kategori").selectOption({ label: category.name });
      await form().getByLabel("Prioritas").selectOption({ label: "Tinggi" });
      await fill(subject);
      await form().getByLabel("Nama pelapor").fill("Siti Rahmawati");
      await form().getByLabel("Telepon pelapor").fill("+62 812 1111 2222");
      await form().getByLabel("Surel pelapor").fill("siti.r@example.id");
      if (target === "pglite") await screenshot(page, "ticket-new");
      await submit();

      await page.waitForURL(/\/tickets\/IMI-/, UI_WAIT);
      const number = new URL(page.url()).pathname.split("/").pop() as string;
      const flash = page.getByTestId("flash");
      await flash.waitFor(UI_WAIT);
      expect(await flash.textContent()).toBe(`Tiket ${number} tercatat dan masuk antrean.`);
      const facts = page.getByTestId("ticket-facts");
      await facts.waitFor(UI_WAIT);
      expect(await facts.textContent()).toContain("Datang langsung");
      expect(await facts.textContent()).toContain(category.name);

      const { totalCount, edges } = await found(subject);
      expect(totalCount).toBe(1);
      expect(edges[0]?.node).toMatchObject({
        number,
        subject,
        channel: "WALK_IN",
        kind: "INFORMATION_REQUEST",
        priority: "HIGH",
        unit: { code: OFFICE },
        category: { code: category.code },
      });
      // Personal data is masked in lists; the row holds what was typed.
      const [row] = await server.app.db.sql.query<Record<string, string>>(
        "SELECT reporter_name, reporter_phone, reporter_email FROM ticket WHERE number = $1",
        [number],
      );
      expect(row).toEqual({
        reporter_name: "Siti Rahmawati",
        reporter_phone: "+62 812 1111 2222",
        reporter_email: "siti.r@example.id",
      });
      expect(creates).toHaveLength(1);
    });

    it("says a missing subject in its own words without asking the server, and the server's refusal too", async () => {
      await openForm("agen.malang@pantau.demo");
      await form().getByLabel("Uraian", { exact: true }).fill("Ada yang menelepon tetapi tidak menyebut perihalnya.");
      await submit();
      await failure().waitFor(UI_WAIT);
      expect(await failure().textContent()).toBe("Periksa isian yang ditandai.");
      expect(await form().getByText("Perihal wajib diisi.").count()).toBe(1);
      expect(await form().getByLabel("Perihal", { exact: true }).getAttribute("aria-invalid")).toBe("true");
      expect(creates).toHaveLength(0);

      // Two letters pass the form but not the server (3–200): its VALIDATION_FAILED in the form's words.
      await form().getByLabel("Perihal", { exact: true }).fill("ab");
      expect(await form().getByText("Perihal wajib diisi.").count()).toBe(0);
      await submit();
      await failure().filter({ hasText: "Periksa isian: Perihal." }).waitFor(UI_WAIT);
      expect(await failure().getAttribute("data-code")).toBe("VALIDATION_FAILED");
      expect(creates).toHaveLength(1);

      await page.getByTestId("language-switch").click();
      await form().getByRole("button", { name: "Record ticket" }).click();
      await failure().filter({ hasText: "Please check: Subject." }).waitFor(UI_WAIT);
      expect(await failure().textContent()).not.toMatch(/characters|subject:/);
    });

    it("keeps to the units the caller acts for: an outside unit asked for is refused, in the form and by the server", async () => {
      await openForm("agen.malang@pantau.demo", `?unit=${OUTSIDE}`);
      const refused = page.getByTestId("unit-refused");
      await refused.waitFor(UI_WAIT);
      expect(await refused.textContent()).toBe(`Unit ${OUTSIDE} di luar wewenang Anda; pilih salah satu unit Anda.`);
      expect(await form().getByLabel("Unit penerima").inputValue()).toBe(OFFICE);
      expect(await form().locator(`option[value='${OUTSIDE}']`).count()).toBe(0);

      // A request for the outside unit all the same (an old tab, a crafted call): the server refuses it.
      await page.route("**/graphql", async (route) => {
        const body = route.request().postDataJSON();
        if (body?.operationName !== "IntakeCreateTicket") return route.continue();
        body.variables.input.unitCode = OUTSIDE;
        return route.continue({ postData: JSON.stringify(body) });
      });
      const subject = `Di luar wewenang ${target} ${Date.now()}`;
      await fill(subject);
      await submit();
      await failure().filter({ hasText: "Unit tidak dikenal atau di luar wewenang Anda." }).waitFor(UI_WAIT);
      expect(await failure().getAttribute("data-code")).toBe("UNKNOWN_UNIT");
      expect((await found(subject)).totalCount).toBe(0);
      expect(new URL(page.url()).pathname).toBe("/tickets/new");
    });

    it("offers a regional head the region's offices under their regional office", async () => {
      await openForm("kanwil.jatim@pantau.demo");
      const groups = await form()
        .getByLabel("Unit penerima")
        .locator("optgroup")
        .evaluateAll((list) => list.map((group) => (group as HTMLOptGroupElement).label));
      expect(groups).toHaveLength(1);
      const codes = await form()
        .getByLabel("Unit penerima")
        .locator("optgroup option")
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
      expect(codes[0]).toBe("KANWIL-JI");
      expect(codes).toContain(OFFICE);
      expect(codes).not.toContain(OUTSIDE);
      // Their own unit to start with, the office chosen from the same list.
      expect(await form().getByLabel("Unit penerima").inputValue()).toBe("KANWIL-JI");
      await form().getByLabel("Unit penerima").selectOption(OFFICE);
      const subject = `Dari kanwil ${target} ${Date.now()}`;
      await fill(subject);
      await submit();
      await page.waitForURL(/\/tickets\/IMI-/, UI_WAIT);
      expect((await found(subject)).edges[0]?.node.unit.code).toBe(OFFICE);
    });

    it("creates one ticket from a double submit", async () => {
      await openForm("kanim.malang@pantau.demo");
      const subject = `Klik dua kali ${target} ${Date.now()}`;
      await fill(subject);
      // Two submits before the page renders again: the form sends once.
      await form().evaluate((element) => {
        const formElement = element as HTMLFormElement;
        formElement.requestSubmit();
        formElement.requestSubmit();
      });
      await page.waitForURL(/\/tickets\/IMI-/, UI_WAIT);
      expect((await found(subject)).totalCount).toBe(1);
      expect(creates).toHaveLength(1);
    });

    it("creates one ticket when the answer is lost and the form is sent again", async () => {
      expectedErrors = /Failed to load resource|ERR_FAILED/;
      await openForm("kanim.malang@pantau.demo");
      let lost = 0;
      await page.route("**/graphql", async (route) => {
        if (route.request().postDataJSON()?.operationName !== "IntakeCreateTicket" || lost > 0) {
          return route.continue();
        }
        lost += 1;
        // The server receives and commits it; the answer never reaches the browser.
        await route.fetch();
        return route.abort("connectionreset");
      });
      const subject = `Jawaban hilang ${target} ${Date.now()}`;
      await fill(subject);
      await submit();
      await failure().waitFor(UI_WAIT);
      expect(await failure().textContent()).toBe(
        "Tidak tersambung ke server. Periksa koneksi, lalu coba lagi. Mengirim lagi formulir ini tidak mencatat tiket dua kali.",
      );
      expect((await found(subject)).totalCount).toBe(1);

      await submit();
      await page.waitForURL(/\/tickets\/IMI-/, UI_WAIT);
      const number = new URL(page.url()).pathname.split("/").pop();
      const { totalCount, edges } = await found(subject);
      expect(totalCount).toBe(1);
      expect(edges[0]?.node.number).toBe(number);
      const sentKeys = creates.map((request) => request.postDataJSON().variables.input.idempotencyKey);
      expect(sentKeys).toHaveLength(2);
      expect(new Set(sentKeys).size).toBe(1);
    });
  });
});
