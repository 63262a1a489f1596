// A send while the server is briefly unreachable: the first attempt reaches the server but its
// answer is lost, the next one cannot get out at all, and the page keeps retrying with the same id;
// the message is stored and shown exactly once, gets exactly one reply, and the reply stream, cut
// meanwhile, reconnects and delivers it.
import { launchChromium, saveScreenshot } from "@lockstep/e2e";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { allMessages, openAs, signUp, startTextSession } from "./session-support.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe("offline send", () => {
  it("arrives exactly once when the network drops during the send", async () => {
    const person = await signUp(baseUrl);
    const sessionId = await startTextSession(person);
    const { page, errors } = await openAs(browser, baseUrl, person);
    await page.goto(`${baseUrl}/sessions/${sessionId}`);
    await page.getByText(/Nothing here yet/).waitFor();

    const sendIds: string[] = [];
    let sendAttempts = 0;
    await page.route("**/trpc/message.send**", async (route) => {
      sendAttempts += 1;
      const body = route.request().postDataJSON() as Record<string, { id?: string }>;
      sendIds.push(String(Object.values(body)[0]?.id));
      if (sendAttempts === 1) {
        // Reaches the server (and is stored), but the answer never comes back.
        await route.fetch();
        await route.abort("connectionreset");
      } else if (sendAttempts === 2) {
        await route.abort("internetdisconnected");
      } else {
        await route.continue();
      }
    });
    // The reply stream is cut too until the sends get through.
    let streamCut = true;
    await page.route("**/trpc/session.stream**", (route) =>
      streamCut ? route.abort("connectionreset") : route.continue(),
    );

    const text = "Sent through a flaky connection";
    await page.getByLabel("Your message").fill(text);
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator("[data-outgoing-id]").waitFor();
    await expect.poll(() => sendAttempts, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    streamCut = false;

    await page.locator('[data-author="user"]', { hasText: text }).waitFor({ timeout: 30_000 });
    await page.locator("[data-outgoing-id]").waitFor({ state: "detached" });
    await page.locator('[data-author="ai"]').first().waitFor({ timeout: 30_000 });
    expect(await page.getByText(text, { exact: true }).count()).toBe(1);

    expect(sendAttempts).toBe(3);
    expect(new Set(sendIds).size).toBe(1);
    const stored = await allMessages(person, sessionId);
    expect(stored.filter((message) => message.text === text)).toHaveLength(1);
    expect(stored.filter((message) => message.text === text)[0]?.id).toBe(sendIds[0]);
    // One stored message asks for one reply, however many times it was sent.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await allMessages(person, sessionId)).map((message) => message.author)).toEqual(["user", "ai"]);
    // Shown in the order stored, although the reply streamed in before the send was confirmed.
    await expect(
      page.locator("[data-author]").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-author"))),
    ).resolves.toEqual(["user", "ai"]);
    // Network failures of the cut requests are logged by the browser; nothing else may be.
    expect(
      errors.filter((error) => !/ERR_(CONNECTION_RESET|INTERNET_DISCONNECTED)|Failed to load resource/.test(error)),
    ).toEqual([]);
    await saveScreenshot(page, "web-offline-send");
    await page.context().close();
  });
});
