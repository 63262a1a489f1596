// What the browser downloads for the console, measured on the wire by Chromium: the sign-in form's
// scripts arrive brotli-compressed and within 150 kB with no page or chart code among them, a repeat
// visit takes them all from the cache, and the pages and charts arrive only once an admin signs in.
import { existsSync } from "node:fs";
import path from "node:path";
import {
  launchChromium,
  measurePageScripts,
  openPage,
  type PageScripts,
  recordScriptTransfers,
  REPO_ROOT,
  saveScreenshot,
  type ScriptTransfer,
  type WatchedPage,
} from "@lockstep/e2e";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

/** The most compressed JS (bodies and headers, as received) the sign-in form may transfer. */
const SIGN_IN_JS_BUDGET_BYTES = 150_000;
const DIST = path.join(REPO_ROOT, "apps/admin/dist");
/** Chunks of the signed-in console: the router and frame, and the pages (the overview holds the charts). */
const CONSOLE_CHUNK = /\/admin\/assets\/(console|overview|interactions|users|sessions|knowledge|characters|jobs|data)-/;

type Browser = Awaited<ReturnType<typeof launchChromium>>;
type Page = WatchedPage["page"];

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

function describeScripts(label: string, measured: PageScripts): string {
  const lines = measured.scripts.map(
    (script) =>
      `  ${String(script.transferredBytes).padStart(7)} B  ${script.contentEncoding ?? "identity"}  ${new URL(script.url).pathname}`,
  );
  return `${label}: ${measured.totalBytes} B of JS in ${measured.scripts.length} responses\n${lines.join("\n")}`;
}

/** Sent as the build's brotli or gzip copy; only a file too small to gain from compression has none. */
function expectCompressedAsBuilt(script: ScriptTransfer): void {
  const inDist = new URL(script.url).pathname.replace(/^\/admin\//, "");
  if (existsSync(path.join(DIST, `${inDist}.br`))) expect(script.contentEncoding, script.url).toMatch(/^(br|gzip)$/);
  else expect(script.transferredBytes, `${script.url} has no compressed copy`).toBeLessThan(3_000);
}

const signInShown = (page: Page) =>
  page.getByRole("heading", { name: "Sign in to the admin console" }).waitFor({ timeout: 30_000 });

describe("what the browser downloads", () => {
  it("loads the sign-in form with at most 150 kB of compressed JS and no console code, none again on a repeat visit, and the charts after sign-in", async () => {
    const { page, errors } = await openPage(browser);
    const url = `${baseUrl}/admin/`;
    const first = await measurePageScripts(page, url, signInShown);
    console.log(describeScripts("admin sign-in", first));

    expect(first.scripts.length).toBeGreaterThan(0);
    expect(first.scripts.filter((script) => script.fromCache)).toEqual([]);
    for (const script of first.scripts) expectCompressedAsBuilt(script);
    expect(first.scripts.some((script) => script.contentEncoding === "br")).toBe(true);
    expect(first.totalBytes).toBeLessThanOrEqual(SIGN_IN_JS_BUDGET_BYTES);
    expect(first.scripts.filter((script) => CONSOLE_CHUNK.test(script.url))).toEqual([]);
    await saveScreenshot(page, "admin-sign-in");

    // A repeat visit in the same context: every script comes from the cache.
    const repeatPage = await page.context().newPage();
    const repeat = await measurePageScripts(repeatPage, url, signInShown);
    console.log(describeScripts("repeat visit of the admin sign-in", repeat));
    expect(repeat.scripts.map((script) => script.url).sort()).toEqual(first.scripts.map((script) => script.url).sort());
    expect(repeat.scripts.filter((script) => !script.fromCache)).toEqual([]);
    expect(repeat.totalBytes).toBe(0);

    // Signing in brings the console, then the overview with its charts.
    const afterSignIn = await recordScriptTransfers(repeatPage);
    await repeatPage.getByLabel("Email").fill("admin@lockstep.local");
    await repeatPage.getByLabel("Password").fill("lockstep-admin");
    await repeatPage.getByRole("button", { name: "Sign in" }).click();
    await repeatPage.getByRole("navigation", { name: "Admin sections" }).waitFor({ timeout: 30_000 });
    await repeatPage.getByRole("group", { name: "Totals for the range" }).waitFor({ timeout: 30_000 });
    await repeatPage.locator("svg.recharts-surface").first().waitFor();
    await repeatPage.waitForLoadState("networkidle");
    const lazyScripts = afterSignIn.scripts();
    await afterSignIn.stop();
    console.log(
      describeScripts("admin overview after sign-in", { scripts: lazyScripts, totalBytes: afterSignIn.totalBytes() }),
    );
    const lazyPaths = lazyScripts.map((script) => new URL(script.url).pathname);
    expect(lazyPaths.some((name) => /\/admin\/assets\/console-/.test(name))).toBe(true);
    expect(lazyPaths.some((name) => /\/admin\/assets\/overview-/.test(name))).toBe(true);
    for (const script of lazyScripts) expectCompressedAsBuilt(script);
    // The pointer rests where the Sign in button was, over a chart: move it off so no tooltip shows,
    // and let Recharts finish drawing in, so the screenshot shows the settled charts.
    await repeatPage.mouse.move(0, 0);
    await repeatPage.waitForTimeout(1_500);
    await saveScreenshot(repeatPage, "admin-overview-after-sign-in");

    // Signing out leaves the console for the form, and signing in again brings it back.
    await repeatPage.getByRole("button", { name: "Sign out" }).click();
    await signInShown(repeatPage);
    await repeatPage.getByLabel("Email").fill("admin@lockstep.local");
    await repeatPage.getByLabel("Password").fill("lockstep-admin");
    await repeatPage.getByRole("button", { name: "Sign in" }).click();
    await repeatPage.getByRole("group", { name: "Totals for the range" }).waitFor({ timeout: 30_000 });

    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe("a console whose code cannot be fetched", () => {
  it("offers a reload once an admin is in, and the reload opens the console once the file is back", async () => {
    const { page } = await openPage(browser);
    await page.context().addCookies(
      inject("adminCookie")
        .split("; ")
        .map((pair) => ({
          name: pair.slice(0, pair.indexOf("=")),
          value: pair.slice(pair.indexOf("=") + 1),
          url: baseUrl,
        })),
    );
    // As after a deploy that replaced the file: the console's chunk is gone.
    const gone = /\/admin\/assets\/console-[^/]+\.js$/;
    await page.route(gone, (route) => route.abort());
    await page.goto(`${baseUrl}/admin/`);
    const notice = page.getByRole("alert").filter({ hasText: "This part of the app could not be loaded" });
    await notice.waitFor({ timeout: 30_000 });
    await saveScreenshot(page, "admin-chunk-failed");

    await page.unroute(gone);
    await notice.getByRole("button", { name: "Reload" }).click();
    await page.getByRole("navigation", { name: "Admin sections" }).waitFor({ timeout: 30_000 });
    await page.context().close();
  });
});
