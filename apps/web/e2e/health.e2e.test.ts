// Smoke test with a real browser: the built web and admin apps, served by the real server on a
// fresh embedded database, reach the API and show a healthy card. Screenshots are kept for review.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const screenshotDir = path.join(repoRoot, "test-results/screenshots");
const CHROMIUM = "/usr/bin/chromium";
const SERVER_START_TIMEOUT_MS = 150_000;

let server: ChildProcess | undefined;
let serverOutput = "";
let dataDir: string | undefined;
let browser: Browser | undefined;
let baseUrl = "";

/** Asks the OS for a free port; the server's banner cannot report one it picked itself (PORT=0). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null) {
      throw new Error(`the server exited with code ${server?.exitCode} before answering:\n${serverOutput.slice(-4000)}`);
    }
    try {
      const response = await fetch(`${url}/trpc/health`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet: PGlite is still starting, migrating or seeding.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the server did not answer /trpc/health within ${SERVER_START_TIMEOUT_MS / 1000} s:\n${serverOutput.slice(-4000)}`);
}

beforeAll(async () => {
  const missing = ["apps/web/dist/index.html", "apps/admin/dist/index.html"].filter((file) => !existsSync(path.join(repoRoot, file)));
  if (missing.length) {
    throw new Error(
      `missing ${missing.join(" and ")}: build the apps first (pnpm --filter @lockstep/web --filter @lockstep/admin build)`,
    );
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`missing ${CHROMIUM}: run scripts/ensure-chromium.sh (it installs Debian's chromium)`);
  }

  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  dataDir = await mkdtemp(path.join(tmpdir(), "lockstep-e2e-"));
  // Started the way the server package starts itself: tsx lives in apps/server, not at the root.
  server = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: path.join(repoRoot, "apps/server"),
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", LOCKSTEP_DATA_DIR: dataDir, LOG_LEVEL: "warn", DATABASE_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const collect = (chunk: Buffer) => {
    serverOutput = (serverOutput + chunk.toString()).slice(-20_000);
  };
  server.stdout?.on("data", collect);
  server.stderr?.on("data", collect);

  // Launch the browser while the database starts; both take a while.
  const launching = chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const [launched] = await Promise.all([launching, waitForHealth(baseUrl)]);
  browser = launched;
  await mkdir(screenshotDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once("exit", resolve));
    server.kill("SIGTERM");
    const timedOut = await Promise.race([exited.then(() => false), new Promise((resolve) => setTimeout(() => resolve(true), 10_000))]);
    if (timedOut) server.kill("SIGKILL");
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Opens a page, fails on any script error, and waits until the health card reports ok on PGlite. */
async function openHealthyPage(
  url: string,
  viewport: { width: number; height: number },
  colorScheme: "light" | "dark" = "light",
): Promise<Page> {
  if (!browser) throw new Error("browser not launched");
  const page = await browser.newPage({ viewport, colorScheme });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.goto(url);
  const card = page.locator('[data-health-status="ok"]');
  await card.waitFor({ state: "visible", timeout: 30_000 });
  await page.getByText("pglite", { exact: true }).waitFor({ state: "visible" });
  expect(await card.textContent()).toContain("Status: ok");
  expect(errors).toEqual([]);
  return page;
}

async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

describe("built apps against the real server", () => {
  it("the web app shows a healthy service on the embedded database", async () => {
    const page = await openHealthyPage(`${baseUrl}/`, { width: 1280, height: 800 });
    expect(await page.title()).toBe("Lockstep");
    expect(await page.getByRole("main").count()).toBe(1);
    await page.screenshot({ path: path.join(screenshotDir, "web-health.png"), fullPage: true });
    await page.close();
  });

  it("the admin app shows a healthy API and database under /admin/", async () => {
    const page = await openHealthyPage(`${baseUrl}/admin/`, { width: 1280, height: 800 });
    expect(await page.title()).toBe("Lockstep Admin");
    await expect(page.getByText("Database reachable").isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(screenshotDir, "admin-health.png"), fullPage: true });
    await page.close();
  });

  it("both apps fit a 360 px wide phone without sideways scrolling", async () => {
    for (const [name, url] of [
      ["web", `${baseUrl}/`],
      ["admin", `${baseUrl}/admin/`],
    ] as const) {
      const page = await openHealthyPage(url, { width: 360, height: 740 });
      await expectNoHorizontalScroll(page);
      await page.screenshot({ path: path.join(screenshotDir, `${name}-health-360.png`), fullPage: true });
      await page.close();
    }
  });

  it("both apps read well in dark mode", async () => {
    for (const [name, url] of [
      ["web", `${baseUrl}/`],
      ["admin", `${baseUrl}/admin/`],
    ] as const) {
      const page = await openHealthyPage(url, { width: 1280, height: 800 }, "dark");
      await page.screenshot({ path: path.join(screenshotDir, `${name}-health-dark.png`), fullPage: true });
      await page.close();
    }
  });

  it("the web app shows an error with Retry while the API is down, and recovers on Retry", async () => {
    if (!browser) throw new Error("browser not launched");
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Cut the API off from this page only: the same as a server that went away.
    await page.route("**/trpc/**", (route) => route.abort("connectionrefused"));
    await page.goto(`${baseUrl}/`);
    await page.locator('[data-health-status="error"]').waitFor({ state: "visible", timeout: 30_000 });
    expect(await page.getByRole("status").textContent()).toMatch(/cannot be reached/);
    await page.screenshot({ path: path.join(screenshotDir, "web-health-error.png"), fullPage: true });

    await page.unroute("**/trpc/**");
    await page.getByRole("button", { name: "Retry" }).click();
    await page.locator('[data-health-status="ok"]').waitFor({ state: "visible", timeout: 30_000 });
    await page.close();
  });
});
