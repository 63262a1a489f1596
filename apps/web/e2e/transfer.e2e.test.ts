// What the browser downloads, measured on the wire by Chromium: the sign-in page's scripts arrive
// brotli-compressed and within 150 kB, a repeat visit takes every script from the cache (zero bytes),
// and the same holds for a session page, whose figure is printed for comparison.
import { existsSync } from "node:fs";
import path from "node:path";
import {
  launchChromium,
  measurePageScripts,
  type PageScripts,
  REPO_ROOT,
  saveScreenshot,
  type ScriptTransfer,
} from "@lockstep/e2e";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openAs, signUp, startTextSession } from "./session-support.ts";
import { openDevicePage } from "./support/people.ts";

/** The most compressed JS (bodies and headers, as received) the sign-in page may transfer. */
const SIGN_IN_JS_BUDGET_BYTES = 150_000;
const DIST = path.join(REPO_ROOT, "apps/web/dist");

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
  const hasCopy = existsSync(path.join(DIST, `${new URL(script.url).pathname}.br`));
  if (hasCopy) expect(script.contentEncoding, script.url).toMatch(/^(br|gzip)$/);
  else expect(script.transferredBytes, `${script.url} has no compressed copy`).toBeLessThan(3_000);
}

/** A repeat visit in the same context: every script the first visit fetched comes from the cache. */
async function expectRepeatVisitFromCache(
  page: Page,
  url: string,
  first: PageScripts,
  ready: (page: Page) => Promise<unknown>,
): Promise<void> {
  const repeat = await measurePageScripts(await page.context().newPage(), url, ready);
  console.log(describeScripts(`repeat visit of ${new URL(url).pathname}`, repeat));
  expect(repeat.scripts.map((script) => script.url).sort()).toEqual(first.scripts.map((script) => script.url).sort());
  expect(repeat.scripts.filter((script) => !script.fromCache)).toEqual([]);
  expect(repeat.totalBytes).toBe(0);
}

const signInShown = (page: Page) => page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: 30_000 });

describe("what the browser downloads", () => {
  it("loads the sign-in page with at most 150 kB of compressed JS, and none again on a repeat visit", async () => {
    const { page, errors } = await openDevicePage(browser);
    const url = `${baseUrl}/sign-in`;
    const first = await measurePageScripts(page, url, signInShown);
    console.log(describeScripts("chat sign-in", first));

    expect(first.scripts.length).toBeGreaterThan(0);
    expect(first.scripts.filter((script) => script.fromCache)).toEqual([]);
    for (const script of first.scripts) expectCompressedAsBuilt(script);
    expect(first.scripts.some((script) => script.contentEncoding === "br")).toBe(true);
    expect(first.totalBytes).toBeLessThanOrEqual(SIGN_IN_JS_BUDGET_BYTES);
    // Only what signing in needs: not the signed-in frame, its sidebar or the session page.
    const signedInParts = first.scripts.filter((script) =>
      /\/(app-shell|sessions-sidebar|session-page|home-page)-/.test(script.url),
    );
    expect(signedInParts).toEqual([]);
    await saveScreenshot(page, "web-sign-in");

    await expectRepeatVisitFromCache(page, url, first, signInShown);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("loads a session page compressed, and from the cache on a repeat visit", async () => {
    const person = await signUp(baseUrl);
    const sessionId = await startTextSession(person);
    const { page, errors } = await openAs(browser, baseUrl, person);
    const url = `${baseUrl}/sessions/${sessionId}`;
    const composerShown = (shown: Page) => shown.getByLabel("Your message").waitFor({ timeout: 30_000 });
    const first = await measurePageScripts(page, url, composerShown);
    console.log(describeScripts("chat with a session open", first));

    expect(first.scripts.some((script) => /\/session-page-/.test(script.url))).toBe(true);
    for (const script of first.scripts) expectCompressedAsBuilt(script);

    await expectRepeatVisitFromCache(page, url, first, composerShown);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe("a page whose code cannot be fetched", () => {
  it("offers a reload (after the router's own one try), and the reload brings the page once the file is back", async () => {
    const { page } = await openDevicePage(browser);
    // As after a deploy that replaced the file: the sign-in page's chunk is gone.
    const gone = /\/assets\/sign-in-page-[^/]+\.js$/;
    await page.route(gone, (route) => route.abort());
    await page.goto(`${baseUrl}/sign-in`);
    const notice = page.getByRole("alert").filter({ hasText: "This part of the app could not be loaded" });
    await notice.waitFor({ timeout: 30_000 });
    await saveScreenshot(page, "web-chunk-failed");

    await page.unroute(gone);
    await notice.getByRole("button", { name: "Reload" }).click();
    await signInShown(page);
    await page.context().close();
  });
});
