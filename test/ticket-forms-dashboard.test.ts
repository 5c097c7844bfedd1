import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { browserUnavailableReason, launchChromium, screenshot, signIn } from "./support/browser.js";
import { targets } from "./support/databases.js";
import { CREATE, newTicketInput, TRIAGE } from "./support/documents.js";
import { DEMO_PASSWORD, startServer, type TestServer } from "./support/server.js";

const unavailable = browserUnavailableReason();
const UI_WAIT = { timeout: 20_000 };
if (unavailable) {
  const banner = `\n${"!".repeat(78)}\n!! Ticket form browser tests SKIPPED: ${unavailable}.\n${"!".repeat(78)}\n`;
  process.stdout.write(banner);
  if (process.env.REQUIRE_BROWSER === "1") throw new Error(`REQUIRE_BROWSER=1 but ${unavailable}`);
}

const OFFICE = "KANIM-MALANG";

const STATE = `
  query($number: String!) {
    ticket(number: $number) {
      id status kind priority category { code } unit { code } assignee { id name }
      events(last: 20) { edges { node { type data actorLabel assignee { id name } unit { code name } } } }
    }
  }
`;

const targetList = unavailable ? [] : await targets();

describe.skipIf(unavailable !== null)("the ticket page's forms in Chromium", () => {
  describe.each(targetList)("on %s", (target) => {
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    let directorate: string;
    let supervisor: string;
    let category: { code: string; name: string };
    let agent: { id: string; name: string };
    let neighbour: { code: string; name: string };
    let outside: { code: string; name: string };

    beforeAll(async () => {
      server = await startServer(target);
      browser = await launchChromium();
      [directorate, supervisor] = await Promise.all([
        server.login("direktorat@pantau.demo"),
        server.login("kanim.malang@pantau.demo"),
      ]);
      const tree = await server.gql(`{ categories { code name children { code name } } }`, {}, directorate);
      category = tree.data?.categories.find((c: { children: unknown[] }) => c.children.length > 0).children[0];
      const me = await server.gql(`{ viewer { user { id name } } }`, {}, await server.login("agen.malang@pantau.demo"));
      agent = me.data?.viewer.user;
      const region = await server.gql(`{ units(parentCode: "KANWIL-JI") { code name active } }`, {}, directorate);
      neighbour = region.data?.units.find((u: { code: string; active: boolean }) => u.active && u.code !== OFFICE);
      outside = (await server.gql(`{ unit(code: "KANIM-DENPASAR") { code name } }`, {}, directorate)).data?.unit;
    });
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    let consoleErrors: string[] = [];
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

    const newTicket = async (overrides: Record<string, unknown> = {}) => {
      const created = await server.gql(
        CREATE,
        { input: newTicketInput({ channel: "PHONE", ...overrides }) },
        supervisor,
      );
      return created.data?.createTicket.ticket as { id: string; number: string };
    };
    const state = async (number: string, token = directorate) =>
      (await server.gql(STATE, { number }, token)).data?.ticket;
    const openTicket = async (email: string, number: string) => {
      await signIn(page, server.url, email, DEMO_PASSWORD);
      await page.goto(`${server.url}/tickets/${number}`);
      await page.getByTestId("ticket-facts").waitFor(UI_WAIT);
    };
    const action = (name: string) => page.locator(`[data-action='${name}']`);
    const form = (name: string) => page.getByRole("form", { name });
    const notice = () => page.getByTestId("action-notice");
    const timelineEntry = (type: string) => page.getByTestId("timeline").locator(`[data-event='${type}']`).first();

    it("triages with category, kind and priority, confirms it, and shows what was set in the timeline", async () => {
      const ticket = await newTicket({ kind: "INFORMATION_REQUEST" });
      await openTicket("agen.malang@pantau.demo", ticket.number);
      await action("triage").click(UI_WAIT);
      const triage = form("Pilah");
      expect(await triage.getByLabel("Jenis").inputValue()).toBe("INFORMATION_REQUEST");
      expect(await triage.getByLabel("Prioritas").inputValue()).toBe("NORMAL");
      await triage.getByLabel("Jenis").selectOption({ label: "Pengaduan" });
      await triage.getByLabel("Kategori").selectOption({ label: category.name });
      await triage.getByLabel("Prioritas").selectOption({ label: "Mendesak" });
      if (target === "pglite") await screenshot(page, "ticket-triage");
      await triage.getByRole("button", { name: "Kirim" }).click();

      await notice().filter({ hasText: "Pilah: berhasil." }).waitFor(UI_WAIT);
      const facts = page.getByTestId("ticket-facts");
      await expect.poll(() => facts.getAttribute("data-status"), UI_WAIT).toBe("TRIAGED");
      expect(await facts.textContent()).toContain(category.name);
      expect(await facts.textContent()).toContain("Mendesak");
      await timelineEntry("TRIAGED").waitFor(UI_WAIT);
      expect(await timelineEntry("TRIAGED").textContent()).toContain(
        `Kategori: ${category.name} · Prioritas: Mendesak`,
      );
      expect(await state(ticket.number)).toMatchObject({
        status: "TRIAGED",
        kind: "COMPLAINT",
        priority: "URGENT",
        category: { code: category.code },
      });
    });

    it("assigns and says to whom, in the notice and in the timeline", async () => {
      const ticket = await newTicket();
      await server.gql(TRIAGE, { input: { ticketId: ticket.id } }, supervisor);
      await openTicket("kanim.malang@pantau.demo", ticket.number);
      await action("assign").click(UI_WAIT);
      const assign = form("Tugaskan");
      await expect.poll(() => assign.locator("option").count(), UI_WAIT).toBeGreaterThan(1);
      await assign.getByLabel("Petugas").selectOption({ value: agent.id });
      await assign.getByRole("button", { name: "Kirim" }).click();
      await notice()
        .filter({ hasText: `Ditugaskan ke ${agent.name}.` })
        .waitFor(UI_WAIT);
      await timelineEntry("ASSIGNED").waitFor(UI_WAIT);
      expect(await timelineEntry("ASSIGNED").textContent()).toContain(`Ditugaskan ke ${agent.name}`);
      const after = await state(ticket.number);
      expect(after.assignee.id).toBe(agent.id);
      const assigned = after.events.edges.find((e: { node: { type: string } }) => e.node.type === "ASSIGNED");
      expect(assigned.node.assignee).toEqual({ id: agent.id, name: agent.name });
    });

    it("transfers within the caller's scope to a unit picked from the tree, with its reason in the timeline", async () => {
      const ticket = await newTicket();
      await openTicket("kanwil.jatim@pantau.demo", ticket.number);
      await action("transfer").click(UI_WAIT);
      const transfer = form("Alihkan");
      // The unit is chosen, never typed: no text box for it.
      expect(await transfer.locator("input").count()).toBe(0);
      await transfer.getByLabel("Wilayah").selectOption({ label: "Jawa Timur" });
      const offered = await transfer
        .getByLabel("Unit tujuan")
        .locator("option")
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
      expect(offered[0]).toBe("KANWIL-JI");
      expect(offered).not.toContain(OFFICE);
      await transfer.getByLabel("Unit tujuan").selectOption(neighbour.code);
      await transfer.getByLabel("Alasan").fill("Pelapor berdomisili di wilayah kantor tujuan.");
      await transfer.getByRole("button", { name: "Kirim" }).click();

      await notice()
        .filter({ hasText: `Dialihkan ke ${neighbour.name}.` })
        .waitFor(UI_WAIT);
      const entry = timelineEntry("TRANSFERRED");
      await entry.waitFor(UI_WAIT);
      expect(await entry.textContent()).toContain(`Dialihkan ke ${neighbour.name}.`);
      expect(await entry.textContent()).toContain("Alasan: Pelapor berdomisili di wilayah kantor tujuan.");
      expect(new URL(page.url()).pathname).toBe(`/tickets/${ticket.number}`);
      expect((await state(ticket.number)).unit.code).toBe(neighbour.code);
    });

    it("after a transfer out of the agent's scope says where the ticket went and goes back to the queue", async () => {
      const ticket = await newTicket();
      await openTicket("agen.malang@pantau.demo", ticket.number);
      await action("transfer").click(UI_WAIT);
      const transfer = form("Alihkan");
      await transfer.getByLabel("Wilayah").selectOption({ label: "Bali" });
      await transfer.getByLabel("Unit tujuan").selectOption(outside.code);
      await transfer.getByLabel("Alasan").fill("Kejadian di Bandara Ngurah Rai.");
      await transfer.getByRole("button", { name: "Kirim" }).click();

      await page.waitForURL(`${server.url}/units/${OFFICE}`, UI_WAIT);
      const flash = page.getByTestId("flash");
      await flash.waitFor(UI_WAIT);
      expect(await flash.textContent()).toBe(
        `Tiket ${ticket.number} dialihkan ke ${outside.name}, di luar wewenang Anda. Anda kembali ke antrean.`,
      );
      await page.getByTestId("queue-board").waitFor(UI_WAIT);
      const moved = await state(ticket.number);
      expect(moved.unit.code).toBe(outside.code);
      const event = moved.events.edges.find((e: { node: { type: string } }) => e.node.type === "TRANSFERRED");
      expect(event.node.data.reason).toBe("Kejadian di Bandara Ngurah Rai.");
    });

    it("shows a refusal in the dashboard's words, in Indonesian and in English", async () => {
      const ticket = await newTicket();
      await openTicket("agen.malang@pantau.demo", ticket.number);
      await action("triage").click(UI_WAIT);
      const triage = form("Pilah");
      await triage.getByLabel("Jenis").waitFor();
      // Someone else triages it first: this form's triage no longer applies.
      const other = await server.gql(TRIAGE, { input: { ticketId: ticket.id } }, supervisor);
      expect(other.data?.triageTicket.__typename).toBe("TriageTicketSuccess");
      await triage.getByRole("button", { name: "Kirim" }).click();
      const failure = page.getByTestId("action-failure");
      await failure.waitFor(UI_WAIT);
      expect(await failure.textContent()).toBe(
        "Tindakan gagal: Tindakan ini tidak berlaku lagi untuk status tiket sekarang; halaman sudah diperbarui.",
      );
      await page.getByTestId("language-switch").click();
      await page.getByRole("form", { name: "Triage" }).getByRole("button", { name: "Submit" }).click();
      await failure.filter({ hasText: "Action failed: This action no longer applies" }).waitFor(UI_WAIT);
      expect(await failure.textContent()).not.toMatch(/Cannot|cannot triage/);
    });

    it("names the system in the reader's language", async () => {
      // Seeded history: some ticket of the office has an event the system recorded (an SLA clock's).
      const seeded = await server.gql(
        `query($filter: TicketFilter!) {
          tickets(filter: $filter, first: 10) {
            edges { node { number events(last: 30) { edges { node { type actorLabel } } } } }
          }
        }`,
        { filter: { unitCode: OFFICE } },
        supervisor,
      );
      expect(seeded.errors).toBeUndefined();
      type Seeded = { number: string; events: { edges: { node: { type: string; actorLabel: string | null } }[] } };
      const bySystem = (ticket: Seeded) => ticket.events.edges.find((e) => e.node.actorLabel === "system");
      const edges = (seeded.data?.tickets.edges ?? []) as { node: Seeded }[];
      const node = edges.map((e) => e.node).find(bySystem) as Seeded;
      expect(node, "a ticket with an event the system recorded").toBeTruthy();
      const systemEvent = bySystem(node) as { node: { type: string } };
      await openTicket("kanim.malang@pantau.demo", node.number);
      const entry = timelineEntry(systemEvent.node.type);
      await entry.waitFor(UI_WAIT);
      expect(await entry.textContent()).toContain("sistem");
      expect(await page.getByTestId("timeline").textContent()).not.toMatch(/\bsystem\b/);
      await page.getByTestId("language-switch").click();
      await page.getByRole("heading", { name: "Timeline" }).waitFor(UI_WAIT);
      expect(await entry.textContent()).toContain("system");
    });
  });
});
