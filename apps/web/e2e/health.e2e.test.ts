// Smoke test with a real browser: the built web app, served by the real server on a fresh embedded
// database, reaches the API and shows a healthy card on its public /status page (linked from the
// sign-in page). The admin app's own browser tests cover its health. Screenshots are kept for review.
import { launchChromium, SCREENSHOT_DIR } from "@lockstep/e2e";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const screenshotDir = SCREENSHOT_DIR;
let browser: Browser | undefined;
const baseUrl = inject("baseUrl");

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
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
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

describe("the built web app against the real server", () => {
  it("the web app shows a healthy service on the embedded database", async () => {
    const page = await openHealthyPage(`${baseUrl}/status`, { width: 1280, height: 800 });
    expect(await page.title()).toBe("Lockstep");
    expect(await page.getByRole("heading", { name: "Service status" }).isVisible()).toBe(true);
    expect(await page.getByRole("main").count()).toBe(1);
    await page.screenshot({ path: path.join(screenshotDir, "web-health.png"), fullPage: true });
    await page.close();
  });

  it("the web app sends a signed-out visitor to sign-in, whose footer links to the service status", async () => {
    if (!browser) throw new Error("browser not launched");
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${baseUrl}/`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await page.getByRole("link", { name: "Service status" }).click();
    await page.locator('[data-health-status="ok"]').waitFor({ state: "visible", timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe("/status");
    await page.close();
  });

  it("the status page fits a 360 px wide phone without sideways scrolling", async () => {
    const page = await openHealthyPage(`${baseUrl}/status`, { width: 360, height: 740 });
    await expectNoHorizontalScroll(page);
    await page.screenshot({ path: path.join(screenshotDir, "web-health-360.png"), fullPage: true });
    await page.close();
  });

  it("the status page reads well in dark mode", async () => {
    const page = await openHealthyPage(`${baseUrl}/status`, { width: 1280, height: 800 }, "dark");
    await page.screenshot({ path: path.join(screenshotDir, "web-health-dark.png"), fullPage: true });
    await page.close();
  });

  it("the web app shows an error with Retry while the API is down, and recovers on Retry", async () => {
    if (!browser) throw new Error("browser not launched");
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Cut the API off from this page only: the same as a server that went away.
    await page.route("**/trpc/**", (route) => route.abort("connectionrefused"));
    await page.goto(`${baseUrl}/status`);
    await page.locator('[data-health-status="error"]').waitFor({ state: "visible", timeout: 30_000 });
    expect(await page.getByRole("status").textContent()).toMatch(/cannot be reached/);
    await page.screenshot({ path: path.join(screenshotDir, "web-health-error.png"), fullPage: true });

    await page.unroute("**/trpc/**");
    await page.getByRole("button", { name: "Retry" }).click();
    await page.locator('[data-health-status="ok"]').waitFor({ state: "visible", timeout: 30_000 });
    await page.close();
  });
});
