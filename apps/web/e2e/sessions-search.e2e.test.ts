// Search in the real app: a word said deep inside a long conversation is found from the sidebar,
// highlighted in the result, and opens the session scrolled to that message, marked; another
// person's words are never among the results.
import { launchChromium, saveScreenshot } from "@lockstep/e2e";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, newPerson, openDevicePage, signUpThroughForm } from "./support/people.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe("search over what was said", () => {
  it("finds a word inside a message and opens the session at it", async () => {
    // Someone else says the word first: it must never show up for Ada.
    const other = await openDevicePage(browser);
    await signUpThroughForm(other.page, baseUrl, newPerson("Eve"));
    const theirs = await api<{ id: string }>(other.page, "mutation", "session.create", { type: "text", name: "Eve" });
    await api(other.page, "mutation", "message.send", { sessionId: theirs.id, text: "I also love marmalade" });
    await other.page.context().close();

    const { page, errors } = await openDevicePage(browser, { viewport: { width: 1280, height: 800 } });
    await signUpThroughForm(page, baseUrl, newPerson("Ada"));
    const session = await api<{ id: string }>(page, "mutation", "session.create", { type: "text", name: "Breakfast" });
    // 120 messages: the one searched for is on an older page than the session first loads.
    let target = "";
    for (let i = 1; i <= 120; i++) {
      const text =
        i === 10 ? "She told me her grandmother made the best marmalade every winter" : `Small talk number ${i}`;
      const sent = await api<{ id: string }>(page, "mutation", "message.send", {
        sessionId: session.id,
        text,
        author: i % 2 ? "contact" : "user",
      });
      if (i === 10) target = sent.id;
    }
    await page.reload();

    await page.locator("#session-search").fill("marmal");
    const results = page.getByRole("list", { name: "Messages found" });
    const hit = results.locator(`li[data-message-hit="${target}"]`);
    await hit.waitFor({ timeout: 15_000 });
    expect(await results.locator("li").count()).toBe(1);
    expect(await hit.locator("mark").allTextContents()).toEqual(["marmalade"]);
    expect(await hit.textContent()).toContain("Breakfast");
    await saveScreenshot(page, "web-search-message-hit");

    await hit.getByRole("link").click();
    await page.waitForURL(`${baseUrl}/sessions/${session.id}?message=${target}`);
    const focused = page.locator("[data-focused]");
    await focused.waitFor({ timeout: 20_000 });
    expect(await focused.textContent()).toContain("best marmalade");
    // In view: the conversation scrolled to it rather than staying at the newest message.
    await page.waitForFunction(() => {
      const row = document.querySelector("[data-focused]");
      const scroller = document.querySelector('[data-testid="message-scroller"]');
      if (!row || !scroller) return false;
      const a = row.getBoundingClientRect();
      const b = scroller.getBoundingClientRect();
      return a.top >= b.top && a.bottom <= b.bottom;
    });
    await saveScreenshot(page, "web-search-opened-at-message");
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
