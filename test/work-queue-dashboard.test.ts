import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { browserUnavailableReason, launchChromium, screenshot, signIn } from "./support/browser.js";
import { targets } from "./support/databases.js";
import { ASSIGN, CREATE, newTicketInput, TRIAGE } from "./support/documents.js";
import { DEMO_PASSWORD, startServer, type TestServer } from "./support/server.js";

const unavailable = browserUnavailableReason();
const UI_WAIT = { timeout: 20_000 };
if (unavailable) {
  const banner = `\n${"!".repeat(78)}\n!! Work-queue browser tests SKIPPED: ${unavailable}.\n${"!".repeat(78)}\n`;
  process.stdout.write(banner);
  if (process.env.REQUIRE_BROWSER === "1") throw new Error(`REQUIRE_BROWSER=1 but ${unavailable}`);
}

const OFFICE = "KANIM-MALANG";
const OPEN = ["NEW", "TRIAGED", "ASSIGNED", "IN_PROGRESS", "WAITING_ON_CITIZEN"];
const BY_DEADLINE = { field: "NEXT_DUE", direction: "ASC" };
const PRIORITY_WORD: Record<string, string> = { LOW: "Rendah", NORMAL: "Normal", HIGH: "Tinggi", URGENT: "Mendesak" };

const LIST = `
  query($filter: TicketFilter!, $orderBy: TicketOrder!, $first: Int!) {
    tickets(filter: $filter, orderBy: $orderBy, first: $first) {
      totalCount
      edges { node { id number priority nextDueAt assignee { id } } }
    }
  }
`;

interface Listed {
  totalCount: number;
  edges: { node: { id: string; number: string; priority: string; nextDueAt: string | null } }[];
}

const targetList = unavailable ? [] : await targets();

describe.skipIf(unavailable !== null)("the work queue in Chromium", () => {
  describe.each(targetList)("on %s", (target) => {
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    let supervisor: string;
    let agent: string;
    let agentId: string;
    let agentName: string;
    let staff: { id: string; name: string; role: string }[];

    const listed = async (filter: Record<string, unknown>, token = supervisor, first = 25) => {
      const response = await server.gql<{ tickets: Listed }>(
        LIST,
        { filter: { unitCode: OFFICE, status: OPEN, ...filter }, orderBy: BY_DEADLINE, first },
        token,
      );
      expect(response.errors).toBeUndefined();
      return response.data?.tickets as Listed;
    };
    const numbers = (list: Listed) => list.edges.map(({ node }) => node.number);

    beforeAll(async () => {
      server = await startServer(target);
      browser = await launchChromium();
      [supervisor, agent] = await Promise.all([
        server.login("kanim.malang@pantau.demo"),
        server.login("agen.malang@pantau.demo"),
      ]);
      const me = await server.gql(`{ viewer { user { id name } } }`, {}, agent);
      agentId = me.data?.viewer.user.id;
      agentName = me.data?.viewer.user.name;
      staff = (await server.gql(`{ unit(code: "${OFFICE}") { staff { id name role } } }`, {}, supervisor)).data?.unit
        .staff;
      // Enough open tickets for a second page, of every priority, some of them the agent's.
      const priorities = ["LOW", "NORMAL", "HIGH", "URGENT"];
      for (let i = 0; i < 34; i++) {
        const created = await server.gql(
          CREATE,
          { input: newTicketInput({ subject: `Antrean kerja ${i}`, priority: priorities[i % 4] }) },
          supervisor,
        );
        const ticket = created.data?.createTicket.ticket;
        expect(ticket?.number).toBeTruthy();
        // Most are triaged, so they can be assigned; every fourth stays new.
        if (i % 4 === 3) continue;
        const triaged = await server.gql(TRIAGE, { input: { ticketId: ticket.id } }, supervisor);
        expect(triaged.data?.triageTicket.__typename).toBe("TriageTicketSuccess");
        if (i % 3 === 0) {
          const assigned = await server.gql(
            ASSIGN,
            { input: { ticketId: ticket.id, assigneeId: agentId } },
            supervisor,
          );
          expect(assigned.data?.assignTicket.__typename).toBe("AssignTicketSuccess");
        }
      }
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

    const open = async (email: string, search = "") => {
      await signIn(page, server.url, email, DEMO_PASSWORD);
      await page.goto(`${server.url}/units/${OFFICE}${search}`);
    };
    /**
     * Waits until the list shows the answer for a filter whose key holds `fragments` (every page read, none
     * loading), then reads its rows in order: what a person sees once the list has settled, not a row earlier.
     */
    const settledRows = async (...fragments: string[]) => {
      await page.waitForFunction(
        (parts) => {
          const bodies = [...document.querySelectorAll("[data-testid=tickets] tbody")];
          return (
            bodies.length > 0 &&
            bodies.every((body) => body.getAttribute("aria-busy") === "false") &&
            parts.every((part) =>
              part.startsWith("!")
                ? !bodies[0]?.getAttribute("data-key")?.includes(part.slice(1))
                : bodies[0]?.getAttribute("data-key")?.includes(part),
            )
          );
        },
        fragments,
        UI_WAIT,
      );
      return page
        .locator("[data-testid=tickets] tr[data-ticket]")
        .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-ticket") ?? ""));
    };
    /** From now on, records each list the page shows (its filter key and rows), loading or not, as a person sees it. */
    const watchShownLists = () =>
      page.evaluate(() => {
        const w = window as unknown as { __shown: { key: string; rows: string[] }[] };
        w.__shown = [];
        const table = document.querySelector("[data-testid=tickets]") as Element;
        new MutationObserver(() => {
          w.__shown.push({
            key: table.querySelector("tbody")?.getAttribute("data-key") ?? "",
            rows: [...table.querySelectorAll("tr[data-ticket]")].map((row) => row.getAttribute("data-ticket") ?? ""),
          });
        }).observe(table, { subtree: true, childList: true, attributes: true });
      });
    /** The rows every list shown under the current filter held, since watchShownLists. */
    const rowsEverShownHere = async () => {
      const key = await page.locator("[data-testid=tickets] tbody").first().getAttribute("data-key");
      const shown = await page.evaluate(
        () => (window as unknown as { __shown: { key: string; rows: string[] }[] }).__shown,
      );
      return shown.filter((list) => list.key === key).flatMap((list) => list.rows);
    };
    /** A row's assignment select, once the office's staff (whom it offers) has loaded. */
    const assignSelect = async (number: string) => {
      const select = page.locator(`tr[data-ticket='${number}']`).getByLabel(`Tugaskan ke… ${number}`);
      await select.waitFor(UI_WAIT).catch(async (error) => {
        const token = await page.evaluate(() => JSON.parse(localStorage.getItem("pantau.session") ?? "{}").token);
        const staffNow = await server.gql(`{ unit(code: "${OFFICE}") { staff { id name role } } }`, {}, token);
        const row = await page.locator(`tr[data-ticket='${number}']`).evaluate((tr) => tr.outerHTML);
        const workload = await page.getByTestId("workload").evaluate((ul) => ul.parentElement?.outerHTML);
        throw new Error(
          `${error}\nstaff: ${JSON.stringify(staffNow).slice(0, 500)}\nrow: ${row}\nworkload: ${workload}`,
        );
      });
      await page.waitForFunction(
        (n) =>
          (document.querySelector(`select[aria-label="Tugaskan ke… ${n}"]`) as HTMLSelectElement)?.options.length > 1,
        number,
        UI_WAIT,
      );
      return select;
    };
    const param = (name: string) => new URL(page.url()).searchParams.get(name);
    /** Picks an option of one of the list's filters, by the filter's key (the label includes the chosen option). */
    const choose = (filter: string, option: { label: string }) =>
      page.locator(`form[aria-label="Saring tiket"] select[data-filter=${filter}]`).selectOption(option);

    it("opens on the open tickets by next deadline, priority in words, and says how many are left", async () => {
      await open("kanim.malang@pantau.demo");
      const rows = await settledRows('"NEXT_DUE"');
      const expected = await listed({});
      expect(rows).toEqual(numbers(expected));
      expect(rows).toHaveLength(25);
      const dues = await page
        .locator("[data-testid=tickets] tr[data-ticket] td[data-due]")
        .evaluateAll((cells) => cells.map((cell) => cell.getAttribute("data-due") || null));
      const times = dues.map((due) => (due ? Date.parse(due) : Number.POSITIVE_INFINITY));
      expect(times).toEqual([...times].sort((a, b) => a - b));

      for (const { node } of expected.edges.slice(0, 8)) {
        const badge = page.locator(`tr[data-ticket='${node.number}'] .priority-badge`);
        expect(await badge.textContent()).toBe(PRIORITY_WORD[node.priority]);
      }

      const more = page.getByRole("button", { name: /^Muat lebih banyak/ });
      expect(await more.textContent()).toBe(`Muat lebih banyak (${expected.totalCount - 25} lagi)`);
      await more.click();
      await expect
        .poll(() => page.locator("[data-testid=tickets] tr[data-ticket]").count(), UI_WAIT)
        .toBe(Math.min(50, expected.totalCount));
      const all = await listed({}, supervisor, 50);
      expect(await settledRows('"NEXT_DUE"')).toEqual(numbers(all));
      const left = expected.totalCount - 50;
      if (left > 0) expect(await more.textContent()).toBe(`Muat lebih banyak (${left} lagi)`);
      else expect(await more.count()).toBe(0);
      if (target === "pglite") await screenshot(page, "unit-queue");

      // The same in English.
      await page.getByTestId("language-switch").click();
      await page.getByRole("button", { name: "My tickets" }).waitFor();
      const first = expected.edges[0]?.node;
      expect(await page.locator(`tr[data-ticket='${first?.number}'] .priority-badge`).textContent()).toBe(
        { LOW: "Low", NORMAL: "Normal", HIGH: "High", URGENT: "Urgent" }[first?.priority ?? ""],
      );
      if (left > 0) {
        expect(await page.getByRole("button", { name: /^Load more/ }).textContent()).toBe(`Load more (${left} left)`);
      }
      expect(await page.getByTestId("queue-board").locator("[data-tile=agents] .kpi-hint").textContent()).toMatch(
        /^active \/ all agents · \d+ holding open tickets$/,
      );
    });

    it("filters by priority, SLA state and assignee, kept in the URL across a reload", async () => {
      await open("kanim.malang@pantau.demo");
      await settledRows();

      await choose("priority", { label: "Tinggi" });
      expect(param("priority")).toBe("HIGH");
      let rows = await settledRows('"priority":["HIGH"]');
      expect(rows).toEqual(numbers(await listed({ priority: ["HIGH"] })));
      expect(rows.length).toBeGreaterThan(0);
      expect(await page.locator("[data-testid=tickets] tr[data-ticket]:not([data-priority=HIGH])").count()).toBe(0);

      await choose("slaState", { label: "Tepat waktu" });
      expect(param("sla")).toBe("RUNNING");
      rows = await settledRows('"priority":["HIGH"]', '"slaState":["RUNNING"]');
      expect(rows).toEqual(numbers(await listed({ priority: ["HIGH"], slaState: ["RUNNING"] })));

      await page.getByRole("button", { name: "Hapus filter" }).click();
      expect(param("priority")).toBeNull();
      await choose("slaState", { label: "Terlambat" });
      rows = await settledRows('"slaState":["BREACHED"]');
      expect(rows).toEqual(numbers(await listed({ slaState: ["BREACHED"] })));

      await page.getByRole("button", { name: "Hapus filter" }).click();
      await choose("assignee", { label: agentName });
      expect(param("assignee")).toBe(agentId);
      rows = await settledRows(`"assignee":["${agentId}"]`);
      const agentsTickets = numbers(await listed({ assignee: [agentId] }));
      expect(rows).toEqual(agentsTickets);
      expect(rows.length).toBeGreaterThan(5);

      await page.reload();
      expect(await settledRows(`"assignee":["${agentId}"]`)).toEqual(agentsTickets);
      expect(await page.locator("select[data-filter=assignee]").inputValue()).toBe(agentId);

      await choose("assignee", { label: "Belum ditugaskan" });
      rows = await settledRows('"unassigned":true');
      expect(rows).toEqual(numbers(await listed({ unassigned: true })));
      expect(rows.some((number) => agentsTickets.includes(number))).toBe(false);

      // Two filters picked before the page renders again: both are kept, not only the second.
      await page.evaluate(() => {
        for (const [name, value] of [
          ["priority", "URGENT"],
          ["slaState", "RUNNING"],
        ]) {
          const select = document.querySelector(`select[data-filter=${name}]`) as HTMLSelectElement;
          select.value = value as string;
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
      await expect.poll(() => param("sla")).toBe("RUNNING");
      expect(param("priority")).toBe("URGENT");
      expect(param("assignee")).toBe("none");
      rows = await settledRows('"priority":["URGENT"]', '"slaState":["RUNNING"]', '"unassigned":true');
      expect(rows).toEqual(numbers(await listed({ priority: ["URGENT"], slaState: ["RUNNING"], unassigned: true })));
    });

    it("shows an agent their own tickets with one click, and a link to it opens the same list", async () => {
      await open("agen.malang@pantau.demo");
      await settledRows();
      const mine = page.getByRole("button", { name: "Tiket saya" });
      expect(await mine.getAttribute("aria-pressed")).toBe("false");
      await mine.click();
      await expect.poll(() => mine.getAttribute("aria-pressed")).toBe("true");
      expect(param("mine")).toBe("1");
      const rows = await settledRows('"assignedToMe":true');
      const expected = numbers(await listed({ assignedToMe: true }, agent));
      expect(rows).toEqual(expected);
      expect(expected).toEqual(numbers(await listed({ assignee: [agentId] })));

      await page.goto(`${server.url}/units/${OFFICE}?mine=1`);
      expect(await settledRows('"assignedToMe":true')).toEqual(expected);
      expect(await page.getByRole("button", { name: "Tiket saya" }).getAttribute("aria-pressed")).toBe("true");
    });

    it("filters the list from the board's tiles and chips, each showing as many as the tile counts", async () => {
      await open("kanim.malang@pantau.demo", "?priority=LOW&sort=newest");
      const board = page.getByTestId("queue-board");
      await board.waitFor(UI_WAIT);
      const tileValue = async (tile: string) =>
        Number(((await board.locator(`[data-tile=${tile}] .kpi-value`).textContent()) ?? "").replace(/\D/g, ""));

      await board.locator("[data-tile=unassigned]").click();
      expect(param("assignee")).toBe("none");
      // The tile replaces the list's filters and order: it shows what it counts.
      expect(param("priority")).toBeNull();
      expect(param("sort")).toBeNull();
      let rows = await settledRows('"unassigned":true', '"NEXT_DUE"');
      const unassigned = await listed({ unassigned: true });
      expect(rows).toEqual(numbers(unassigned));
      expect(await board.locator("[data-tile=unassigned]").getAttribute("aria-pressed")).toBe("true");
      expect(await page.locator("[data-testid=tickets] tbody").first().getAttribute("data-total")).toBe(
        String(await tileValue("unassigned")),
      );

      await board.locator("[data-tile=breached]").click();
      expect(param("sla")).toBe("BREACHED");
      expect(param("assignee")).toBeNull();
      rows = await settledRows('"slaState":["BREACHED"]');
      expect(rows).toEqual(numbers(await listed({ slaState: ["BREACHED"] })));
      expect(await board.locator("[data-tile=unassigned]").getAttribute("aria-pressed")).toBe("false");

      await board.locator("[data-chip=NEW]").click();
      expect(param("status")).toBe("NEW");
      rows = await settledRows('"status":["NEW"]');
      expect(rows).toEqual(numbers(await listed({ status: ["NEW"] })));

      await board.locator("[data-chip=WHATSAPP]").click();
      expect(param("channel")).toBe("WHATSAPP");
      rows = await settledRows('"channel":["WHATSAPP"]');
      expect(rows).toEqual(numbers(await listed({ channel: ["WHATSAPP"] })));

      await board.locator("[data-tile=open]").click();
      expect(new URL(page.url()).search).toBe("");
      rows = await settledRows('!"channel"');
      expect(rows).toEqual(numbers(await listed({})));
      expect(await page.locator("[data-testid=tickets] tbody").first().getAttribute("data-total")).toBe(
        String(await tileValue("open")),
      );
    });

    it("defines both numbers of the active agents, the first never above the second", async () => {
      // The agent takes a ticket, and so is seen at work; presence is written in batches, so the board is
      // opened once the sighting is in the database.
      const free = (await listed({ status: ["TRIAGED"], unassigned: true })).edges[0]?.node.id;
      const taken = await server.gql(ASSIGN, { input: { ticketId: free, assigneeId: agentId } }, agent);
      expect(taken.data?.assignTicket.__typename).toBe("AssignTicketSuccess");
      const agentRow = Buffer.from(agentId, "base64").toString("utf8").split(":")[1];
      const seen = async () =>
        (
          await server.app.db.sql.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM user_presence WHERE user_id = $1::uuid AND last_seen_at > now() - interval '15 minutes'",
            [agentRow],
          )
        )[0]?.n;
      await expect.poll(seen, { timeout: 30_000 }).toBe(1);
      await open("kanim.malang@pantau.demo");
      const tile = page.getByTestId("queue-board").locator("[data-tile=agents]");
      await tile.waitFor(UI_WAIT);
      const read = async () => ((await tile.locator(".kpi-value").textContent()) ?? "").split(" / ").map(Number);
      const agents = staff.filter((member) => member.role === "AGENT").length;
      const [active, all] = await read();
      expect(all).toBe(agents);
      expect(active).toBeGreaterThanOrEqual(1);
      expect(active).toBeLessThanOrEqual(all as number);
      expect(await tile.locator(".kpi-hint").textContent()).toMatch(
        /^aktif \/ semua petugas · \d+ memegang tiket terbuka$/,
      );
      expect(await tile.getAttribute("title")).toMatch(/15 menit terakhir.*semua petugas unit ini/);
    });

    it("asks before assigning from a row, and assigns only once confirmed", async () => {
      // Triaged tickets nobody has yet: each can be assigned.
      await open("kanim.malang@pantau.demo", "?status=TRIAGED&assignee=none");
      const rows = await settledRows('"status":["TRIAGED"]', '"unassigned":true');
      const expected = await listed({ status: ["TRIAGED"], unassigned: true });
      expect(rows).toEqual(numbers(expected));
      const number = rows[0] as string;
      const row = page.locator(`tr[data-ticket='${number}']`);
      const ticketId = expected.edges[0]?.node.id as string;
      const assigneeOf = async () =>
        (
          await server.gql(
            `query($id: ID!) { node(id: $id) { ... on Ticket { assignee { id } } } }`,
            { id: ticketId },
            supervisor,
          )
        ).data?.node.assignee?.id ?? null;

      await (await assignSelect(number)).selectOption({ label: agentName });
      const confirm = row.getByRole("group", { name: `Konfirmasi penugasan ${number}` });
      await confirm.waitFor();
      expect(await confirm.textContent()).toContain(`Tugaskan ke ${agentName}?`);
      expect(await assigneeOf()).toBeNull();
      await confirm.getByRole("button", { name: "Batal" }).click();
      expect(await confirm.count()).toBe(0);
      expect(await row.getByLabel(`Tugaskan ke… ${number}`).inputValue()).toBe("");
      expect(await assigneeOf()).toBeNull();

      await (await assignSelect(number)).selectOption({ label: agentName });
      await confirm.getByRole("button", { name: "Ya, tugaskan" }).click();
      await page
        .getByTestId("list-notice")
        .filter({ hasText: `${number}: ditugaskan ke ${agentName}.` })
        .waitFor(UI_WAIT);
      expect(await assigneeOf()).toBe(agentId);
      // Assigned, it is no longer in the unassigned list.
      await expect.poll(() => settledRows('"unassigned":true'), UI_WAIT).not.toContain(number);

      // A reassignment names whom the ticket leaves.
      const other = staff.find((member) => member.id !== agentId && member.role === "UNIT_SUPERVISOR");
      if (other) {
        await page.goto(`${server.url}/units/${OFFICE}?q=${number}`);
        await settledRows(`"search":"${number}"`);
        await (await assignSelect(number)).selectOption({ label: other.name });
        expect(await confirm.textContent()).toContain(`Pindahkan dari ${agentName} ke ${other.name}?`);
        await confirm.getByRole("button", { name: "Batal" }).click();
        expect(await assigneeOf()).toBe(agentId);
      }
    });

    it("shows each filter's own tickets when filters are revisited, also after a change made meanwhile", async () => {
      // A: triaged tickets nobody has yet.
      const A = { status: ["TRIAGED"], unassigned: true };
      await open("kanim.malang@pantau.demo", "?status=TRIAGED&assignee=none");
      const a = await settledRows('"status":["TRIAGED"]', '"unassigned":true');
      expect(a).toEqual(numbers(await listed(A)));
      const [moved, movedByOther] = a as [string, string];

      // B: the first ticket alone, by its number; assigned there, it leaves A.
      const search = page.getByRole("searchbox", { name: "Cari nomor atau kata" });
      await page.getByRole("button", { name: "Hapus filter" }).click();
      await settledRows('!"unassigned"');
      await search.fill(moved);
      await search.press("Enter");
      expect(await settledRows(`"search":"${moved}"`)).toEqual([moved]);
      const row = page.locator(`tr[data-ticket='${moved}']`);
      await (await assignSelect(moved)).selectOption({ label: agentName });
      await row.getByRole("button", { name: "Ya, tugaskan" }).click();
      await page.getByTestId("list-notice").filter({ hasText: moved }).waitFor(UI_WAIT);

      // Back to A: its own tickets as they are now, never the list it showed before.
      const toA = async () => {
        await choose("status", { label: "Dipilah" });
        await choose("assignee", { label: "Belum ditugaskan" });
        return settledRows('"status":["TRIAGED"]', '"unassigned":true', '!"priority"', '!"search"', '!"assignee"');
      };
      await watchShownLists();
      await page.getByRole("button", { name: "Hapus filter" }).click();
      let again = await toA();
      expect(again).not.toContain(moved);
      // Not even for a moment: no list shown under A's filter held it.
      expect(await rowsEverShownHere()).not.toContain(moved);
      expect(again).toEqual(numbers(await listed(A)));

      // A → B → A with nothing changed in between.
      await choose("priority", { label: "Mendesak" });
      expect(await settledRows('"priority":["URGENT"]', '"unassigned":true')).toEqual(
        numbers(await listed({ ...A, priority: ["URGENT"] })),
      );
      await choose("priority", { label: "Semua" });
      expect(await settledRows('"unassigned":true', '!"priority"')).toEqual(again);

      // Changed by someone else while this page shows B (the agent's tickets): A shows it when revisited.
      const toB = async () => {
        await page.getByRole("button", { name: "Hapus filter" }).click();
        await choose("assignee", { label: agentName });
        return settledRows(`"assignee":["${agentId}"]`, '!"status":["TRIAGED"]');
      };
      expect(await toB()).toEqual(numbers(await listed({ assignee: [agentId] })));
      const otherSession = await server.login("kanim.malang@pantau.demo");
      const otherId = (await listed(A)).edges.find(({ node }) => node.number === movedByOther)?.node.id;
      const assigned = await server.gql(ASSIGN, { input: { ticketId: otherId, assigneeId: agentId } }, otherSession);
      expect(assigned.data?.assignTicket.__typename).toBe("AssignTicketSuccess");
      await watchShownLists();
      again = await toA();
      expect(again).not.toContain(movedByOther);
      expect(await rowsEverShownHere()).not.toContain(movedByOther);
      expect(again).toEqual(numbers(await listed(A)));
      // And B, revisited, as it is now.
      expect(await toB()).toEqual(numbers(await listed({ assignee: [agentId] })));
    });
  });
});
