// The session page in a real browser against the real server (offline coach, embedded database):
// a typed message gets a streamed reply, and suggestions can be liked, copied and collected, with
// the server's records checked through the API afterwards.
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

describe("text session", () => {
  it("sends a message and shows the coach's streamed reply, then the same on a phone in dark mode", async () => {
    const person = await signUp(baseUrl);
    const sessionId = await startTextSession(person);
    const { page, errors } = await openAs(browser, baseUrl, person);
    await page.goto(`${baseUrl}/sessions/${sessionId}`);
    await page.getByText(/Nothing here yet/).waitFor();

    const box = page.getByLabel("Your message");
    await box.fill("She said she loves hiking. How do I ask her out?");
    await box.press("Enter");
    await page.locator('[data-author="user"]', { hasText: "loves hiking" }).waitFor();
    const reply = page.locator('[data-author="ai"]').first();
    await reply.waitFor({ timeout: 30_000 });
    expect((await reply.textContent())?.length).toBeGreaterThan(20);
    await expect(page.locator("[data-streaming-id]").count()).resolves.toBe(0);
    await expect(page.locator("[data-outgoing-id]").count()).resolves.toBe(0);

    const stored = await allMessages(person, sessionId);
    expect(stored.map((message) => message.author)).toEqual(["user", "ai"]);
    expect(stored[1]?.builtIn).toBe(true);
    expect(await reply.textContent()).toContain(stored[1]!.text.slice(0, 40));

    // The author switch: a pasted line from the contact.
    await page.getByText("Them (paste their message)").click();
    await page.getByLabel("What they said").fill("haha maybe, what did you have in mind?");
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator('[data-author="contact"]', { hasText: "what did you have in mind" }).waitFor();
    await expect.poll(async () => (await allMessages(person, sessionId)).length, { timeout: 30_000 }).toBe(4);
    await page.locator('[data-author="ai"]').nth(1).waitFor();
    expect(errors).toEqual([]);
    await saveScreenshot(page, "web-session-text");

    const phone = await openAs(browser, baseUrl, person, {
      viewport: { width: 360, height: 740 },
      colorScheme: "dark",
    });
    await phone.page.goto(`${baseUrl}/sessions/${sessionId}`);
    await phone.page.locator('[data-author="ai"]').nth(1).waitFor();
    const overflow = await phone.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await saveScreenshot(phone.page, "web-session-text-360-dark");
    expect(phone.errors).toEqual([]);
    await page.context().close();
    await phone.page.context().close();
  });
});

describe("suggestions", () => {
  it("asks for suggestions, then likes, copies (counted) and collects one", async () => {
    const person = await signUp(baseUrl);
    const sessionId = await startTextSession(person);
    await person.api.message.send.mutate({
      sessionId,
      text: "hey! long time no see, how was the trip?",
      author: "contact",
    });
    const { page, errors } = await openAs(browser, baseUrl, person, {
      permissions: ["clipboard-read", "clipboard-write"],
    });
    await page.goto(`${baseUrl}/sessions/${sessionId}`);
    await page.locator('[data-author="contact"]').waitFor();

    await page.getByRole("button", { name: "Get suggestions" }).click();
    const card = page.locator("[data-suggestion-id]").first();
    await card.waitFor({ timeout: 30_000 });
    const suggestionId = await card.getAttribute("data-suggestion-id");
    // Suggestions do not end the session: it waits for the person, who may still End it.
    await expect(page.locator('[data-status="pending_user_input"]').count()).resolves.toBe(1);
    await page.getByRole("button", { name: "End session" }).waitFor();

    await card.getByRole("button", { name: "Why this works" }).click();
    await expect(card.getByRole("button", { name: "Hide why this works" }).getAttribute("aria-expanded")).resolves.toBe(
      "true",
    );

    await card.getByRole("button", { name: "Like", exact: true }).click();
    await card.getByRole("button", { name: "Liked", exact: true }).waitFor();

    await card.getByRole("button", { name: "Copy", exact: true }).click();
    await card.getByText("Copied to the clipboard.").waitFor();
    await expect(card.locator("[data-used-count]").textContent()).resolves.toBe("1");
    const copied = await page.evaluate(() => navigator.clipboard.readText());

    await card.getByRole("button", { name: "Add to collection" }).click();
    await card.getByLabel("New collection").fill("Openers");
    await card.getByRole("button", { name: "Create and add" }).click();
    await card.getByRole("button", { name: "In Openers" }).waitFor();
    await saveScreenshot(page, "web-session-suggestions");

    const stored = (await allMessages(person, sessionId)).find((message) => message.id === suggestionId);
    expect(stored).toMatchObject({ isLiked: true, usedCount: 1, author: "ai" });
    expect(copied).toBe(stored?.text);
    const [collection] = await person.api.collection.list.query();
    expect(collection?.name).toBe("Openers");
    expect(stored?.collectionIds).toEqual([collection?.id]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
