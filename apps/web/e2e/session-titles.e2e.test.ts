// A new session named after its first exchange, in a real browser against the real server (offline coach):
// the sidebar shows the topic the coach read in the contact's words instead of the coach's name.
import { launchChromium, saveScreenshot } from "@lockstep/e2e";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openAs, signUp, startTextSession } from "./session-support.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe("session titles", () => {
  it("titles a session after the topic of the contact's first words", async () => {
    const person = await signUp(baseUrl);
    const sessionId = await startTextSession(person);
    const { page, errors } = await openAs(browser, baseUrl, person);
    await page.goto(`${baseUrl}/sessions/${sessionId}`);
    await page.getByText(/Nothing here yet/).waitFor();

    await page.getByText("Them (paste their message)").click();
    await page.getByLabel("What they said").fill("hey! want to grab drinks Saturday?");
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator('[data-author="ai"]').first().waitFor({ timeout: 30_000 });

    await expect
      .poll(async () => (await person.api.session.get.query({ id: sessionId })).name, { timeout: 30_000 })
      .toBe("Drinks on Saturday");
    await page.reload();
    await page
      .locator(`[aria-label="Your sessions"] li[data-session-id="${sessionId}"]`, {
        hasText: "Drinks on Saturday",
      })
      .waitFor();
    await page.locator('[data-author="ai"]').first().waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
    await saveScreenshot(page, "web-session-titled");
  });
});
