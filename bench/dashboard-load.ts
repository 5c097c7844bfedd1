/**
 * The dashboard's first load as a browser on a slow link sees it: Chromium (playwright-core) with a cold
 * cache, the network throttled by the DevTools protocol to 1.6 Mbps down, 750 kbps up and 150 ms round
 * trips, signed in (the session in localStorage, as after a sign-in). For each view: time from navigation
 * to the view's content, bytes transferred (compressed, as they crossed the wire, WebSocket excluded),
 * cumulative layout shift and largest contentful paint. Targets (issue of the dashboard's weight): the
 * national view ≤ 3 s and ≤ 300 KB on that link; CLS ≤ 0.05.
 *
 *   BENCH_DASHBOARD_ROUNDS (3)  BENCH_DASHBOARD_VIEWS (all: national,office,wall)  CHROMIUM_PATH (/usr/bin/chromium)
 */
import { type Browser, chromium } from "playwright-core";
import { deferCleanup, isEntryPoint, runAsScript } from "./lib/cleanup.js";
import { DEMO_PASSWORD, login } from "./lib/graphql.js";
import { freePort, startPantau } from "./lib/processes.js";
import { banner, machineInfo, printTable, writeResult } from "./lib/report.js";
import { median, round } from "./lib/stats.js";

const ROUNDS = Number(process.env.BENCH_DASHBOARD_ROUNDS ?? 3);
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const LINK = { latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };
const GOALS = { loadMs: 3_000, bytes: 300 * 1024, cls: 0.05 };

const VIEWS = [
  { name: "national", path: "/national", email: "direktorat@pantau.demo", ready: "[data-testid=ranking] tbody tr" },
  {
    name: "office",
    path: "/units/KANIM-MALANG",
    email: "kanim.malang@pantau.demo",
    ready: "[data-testid=queue-board]",
  },
  { name: "wall", path: "/wall", email: "direktorat@pantau.demo", ready: ".wall-map [data-province]" },
] as const;

const CHOSEN = (process.env.BENCH_DASHBOARD_VIEWS ?? "").split(",").filter(Boolean);

interface Load {
  loadMs: number;
  bytes: number;
  requests: number;
  cls: number;
  lcpMs: number | null;
  /** Layout shift per moved element (tag.classes), summed. */
  shifts: Record<string, number>;
}

async function loadOnce(browser: Browser, url: string, token: string, view: (typeof VIEWS)[number]): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "id-ID" });
  try {
    await context.addInitScript(
      (session) => {
        localStorage.setItem("pantau.session", session);
        const w = window as unknown as { __cls: number; __lcp: number | null; __shifts: Record<string, number> };
        w.__cls = 0;
        w.__lcp = null;
        w.__shifts = {};
        type Shift = PerformanceEntry & { value: number; hadRecentInput: boolean; sources?: { node?: Node }[] };
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as Shift[]) {
            if (entry.hadRecentInput) continue;
            w.__cls += entry.value;
            // Which elements moved, to tell where space should have been reserved.
            for (const source of entry.sources ?? []) {
              const node = source.node as Element | undefined;
              const name = node?.tagName ? `${node.tagName.toLowerCase()}.${[...node.classList].join(".")}` : "?";
              w.__shifts[name] = (w.__shifts[name] ?? 0) + entry.value;
            }
          }
        }).observe({ type: "layout-shift", buffered: true });
        new PerformanceObserver((list) => {
          const last = list.getEntries().at(-1);
          if (last) w.__lcp = last.startTime;
        }).observe({ type: "largest-contentful-paint", buffered: true });
      },
      JSON.stringify({ token, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }),
    );
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", { offline: false, ...LINK });
    let bytes = 0;
    let requests = 0;
    const webSockets = new Set<string>();
    cdp.on("Network.webSocketCreated", (event: { requestId: string }) => webSockets.add(event.requestId));
    cdp.on("Network.loadingFinished", (event: { requestId: string; encodedDataLength: number }) => {
      if (webSockets.has(event.requestId)) return;
      bytes += event.encodedDataLength;
      requests += 1;
    });
    const started = performance.now();
    await page.goto(`${url}${view.path}`);
    await page.locator(view.ready).first().waitFor({ timeout: 60_000 });
    const loadMs = performance.now() - started;
    // Let late shifts (charts, lazily loaded code) happen before reading the score.
    await page.waitForTimeout(1_500);
    const { cls, lcp, shifts } = await page.evaluate(() => {
      const w = window as unknown as { __cls: number; __lcp: number | null; __shifts: Record<string, number> };
      return { cls: w.__cls, lcp: w.__lcp, shifts: w.__shifts };
    });
    return { loadMs, bytes, requests, cls, lcpMs: lcp, shifts };
  } finally {
    await context.close();
  }
}

export async function benchDashboardLoad() {
  banner("dashboard first load on a 1.6 Mbps / 150 ms link, cold cache (Chromium)");
  const server = await startPantau(
    { PANTAU_SEED_DAYS: "30", PANTAU_SEED_TICKETS_PER_DAY: "160", DEMO_PASSWORD },
    { port: await freePort() },
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
  });
  deferCleanup(() => browser.close());
  const rows = [];
  for (const view of VIEWS.filter((v) => !CHOSEN.length || CHOSEN.includes(v.name))) {
    const token = await login(server.url, view.email, DEMO_PASSWORD);
    // One unthrottled load first, so the server's own first-query costs do not land on round 1.
    await loadOnce(browser, server.url, token, view);
    const loads: Load[] = [];
    for (let round_ = 0; round_ < ROUNDS; round_++) loads.push(await loadOnce(browser, server.url, token, view));
    const row = {
      view: view.name,
      rounds: ROUNDS,
      loadMsMedian: Math.round(median(loads.map((l) => l.loadMs))),
      loadMsMax: Math.round(Math.max(...loads.map((l) => l.loadMs))),
      kbTransferred: round(median(loads.map((l) => l.bytes)) / 1024, 1),
      requests: median(loads.map((l) => l.requests)),
      clsMax: round(Math.max(...loads.map((l) => l.cls)), 3),
      lcpMsMedian: Math.round(median(loads.map((l) => l.lcpMs ?? Number.NaN))),
    };
    const worst = loads.reduce((a, b) => (b.cls > a.cls ? b : a));
    const movers = Object.entries(worst.shifts)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([name, value]) => `${name} ${round(value, 3)}`)
      .join(", ");
    console.log(
      `${view.name}: ${row.loadMsMedian} ms (max ${row.loadMsMax}), ${row.kbTransferred} KB in ${row.requests} requests, CLS ≤ ${row.clsMax}, LCP ${row.lcpMsMedian} ms; moved: ${movers || "nothing"}`,
    );
    rows.push(row);
  }
  await server.stop();
  printTable("dashboard first load (1.6 Mbps, 150 ms RTT, cold cache)", rows);
  const result = { machine: machineInfo(), link: LINK, goals: GOALS, rows };
  writeResult("dashboard-load", result);
  return result;
}

if (isEntryPoint(import.meta.url)) runAsScript(benchDashboardLoad);
