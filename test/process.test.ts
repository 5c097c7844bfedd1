import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startServer } from "./support/server.js";

const SERVER_DIR = fileURLToPath(new URL("../server/", import.meta.url));

describe("the server process", () => {
  it("starts the demo, prints the accounts and key, and exits cleanly on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pantau-process-"));
    // What `pnpm start` runs: the compiled server (`pnpm build`, which the test command runs first).
    const child = spawn(process.execPath, ["--enable-source-maps", "dist/main.js"], {
      cwd: SERVER_DIR,
      env: {
        ...process.env,
        NODE_ENV: "development",
        PORT: "0",
        HOST: "127.0.0.1",
        PANTAU_DATA_DIR: dir,
        PANTAU_SEED_DAYS: "2",
        PANTAU_SEED_TICKETS_PER_DAY: "20",
        DEMO_PASSWORD: "kata-sandi-demo",
        LOG_LEVEL: "warn",
        DATABASE_URL: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let output = "";
      child.stderr.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      const banner = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner; output so far:\n${output}`)), 90_000);
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("Third-party API key")) {
            clearTimeout(timer);
            resolve(output);
          }
        });
        child.once("exit", (code) => reject(new Error(`exited early with ${code}:\n${output}`)));
      });
      for (const email of ["direktorat", "kanwil.jatim", "kanim.malang", "agen.malang"]) {
        expect(banner).toContain(`${email}@pantau.demo`);
      }
      expect(banner).toContain("password: kata-sandi-demo");
      expect(banner).toMatch(/ptk_[0-9a-f]{12}_\S+/);
      const url = /Pantau demo at (http:\/\/\S+)/.exec(banner)?.[1];
      expect((await fetch(`${url}/ready`)).status).toBe(200);

      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps the demo alive with the live simulator", async () => {
    const server = await startServer("pglite", {
      env: { PANTAU_SIMULATOR: "on", PANTAU_SIMULATOR_TICKETS_PER_MINUTE: "300" },
    });
    const since = new Date();
    try {
      const count = async () =>
        (
          await server.app.db.sql.query<{ created: number; worked: number }>(
            `SELECT count(*) FILTER (WHERE type = 'CREATED')::int AS created,
                    count(*) FILTER (WHERE type <> 'CREATED')::int AS worked
             FROM ticket_event WHERE at > $1`,
            [since],
          )
        )[0] ?? { created: 0, worked: 0 };
      const deadline = Date.now() + 30_000;
      let seen = await count();
      while ((seen.created < 5 || seen.worked < 5) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        seen = await count();
      }
      expect(seen.created).toBeGreaterThanOrEqual(5);
      expect(seen.worked).toBeGreaterThanOrEqual(5);
    } finally {
      await server.stop();
    }
  });
});
