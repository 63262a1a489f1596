// The built-in coach in a real browser against the real server: a conversation about plans and one about an apology,
// pasted as the contact's messages, get a reply and suggestions that fit (the situation's tags and titles, the day and place named).
import { launchChromium, saveScreenshot } from "@lockstep/e2e";
import type { Browser, Page } from "playwright-core";
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

/** Pastes a line as the contact's, through the author switch, and waits for the coach's streamed reply to it. */
async function pasteFromContact(page: Page, text: string): Promise<string> {
  await page.getByText("Them (paste their message)").click();
  await page.getByLabel("What they said").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator('[data-author="contact"]', { hasText: text.slice(0, 20) }).waitFor();
  const reply = page.locator('[data-author="ai"]').first();
  await reply.waitFor({ timeout: 30_000 });
  await expect.poll(async () => page.locator("[data-streaming-id]").count(), { timeout: 30_000 }).toBe(0);
  return (await reply.textContent()) ?? "";
}

interface ShownSuggestion {
  title: string;
  tag: string;
  text: string;
}

/** Asks for suggestions and reads the cards the page shows. */
async function suggestionsShown(page: Page): Promise<ShownSuggestion[]> {
  await page.getByRole("button", { name: "Get suggestions" }).click();
  const cards = page.locator("[data-suggestion-id]");
  await cards.first().waitFor({ timeout: 30_000 });
  await expect
    .poll(async () => page.locator('[data-status="pending_user_input"]').count(), { timeout: 30_000 })
    .toBe(1);
  const shown: ShownSuggestion[] = [];
  for (const card of await cards.all()) {
    shown.push({
      title: ((await card.locator("h3").textContent()) ?? "").trim(),
      tag: ((await card.locator("header span").first().textContent()) ?? "").trim(),
      text: ((await card.locator("p").first().textContent()) ?? "").trim(),
    });
    await card.getByText("Written by the built-in offline coach.").waitFor();
  }
  return shown;
}

describe("the built-in coach reads the situation", () => {
  it("answers an invitation with plans that name the day and the place", async () => {
    const person = await signUp(baseUrl);
    const sessionId = await startTextSession(person);
    const { page, errors } = await openAs(browser, baseUrl, person);
    await page.goto(`${baseUrl}/sessions/${sessionId}`);
    await page.getByText(/Nothing here yet/).waitFor();

    const reply = await pasteFromContact(page, "want to grab tacos at Rosa's on Friday at 7pm? 🌮");
    expect(reply).toContain("They're inviting you to make plans (tacos Friday at 7pm at Rosa's)");
    expect(reply).not.toContain('"want to grab tacos');

    const shown = await suggestionsShown(page);
    expect(shown).toHaveLength(3);
    for (const suggestion of shown) expect(["Commitment", "Attraction"]).toContain(suggestion.tag);
    expect(shown[0]).toMatchObject({ title: "Say yes and lock it in", tag: "Commitment" });
    expect(shown[0]?.text).toMatch(/Friday/);
    expect(shown[0]?.text).toMatch(/Rosa's/);
    expect(shown.map((s) => s.title)).toContain("Can't make it? Offer another day");
    expect(shown.map((s) => s.title)).not.toContain("Handle rejection");

    // What the page shows is what the server stored for the suggestion flow.
    const stored = (await allMessages(person, sessionId)).filter((message) => message.title);
    expect(stored.map((message) => message.tag)).toEqual(shown.map((s) => s.tag));
    expect(stored.every((message) => message.builtIn)).toBe(true);
    expect(errors).toEqual([]);
    // The contact's line, the coach's reply and the first suggestion in view.
    await page.locator('[data-author="contact"]').scrollIntoViewIfNeeded();
    await page.locator('[data-author="contact"]').evaluate((element) => element.scrollIntoView({ block: "start" }));
    await saveScreenshot(page, "web-coach-plans");
    await page.context().close();
  });

  it("answers an apology for going quiet by accepting it and confirming Saturday's drinks", async () => {
    const person = await signUp(baseUrl);
    const sessionId = await startTextSession(person);
    const { page, errors } = await openAs(browser, baseUrl, person);
    await page.goto(`${baseUrl}/sessions/${sessionId}`);
    await page.getByText(/Nothing here yet/).waitFor();

    const reply = await pasteFromContact(
      page,
      "hey! sorry I went quiet this week, are we still on for drinks saturday?",
    );
    expect(reply).toContain("They're apologising (drinks Saturday)");
    expect(reply).not.toMatch(/sprint|audit/i);

    const shown = await suggestionsShown(page);
    expect(shown).toHaveLength(3);
    for (const suggestion of shown) {
      expect(suggestion.tag).toBe("Comfort");
      expect(suggestion.text).toMatch(/Saturday/);
    }
    expect(shown[0]).toMatchObject({ title: "Accept it warmly" });
    expect(shown[0]?.text).toContain("Yes, still on for drinks Saturday!");
    expect(shown.map((s) => s.title)).not.toContain("Repair misunderstanding");
    expect(errors).toEqual([]);
    // The contact's line, the coach's reply and the first suggestion in view.
    await page.locator('[data-author="contact"]').scrollIntoViewIfNeeded();
    await page.locator('[data-author="contact"]').evaluate((element) => element.scrollIntoView({ block: "start" }));
    await saveScreenshot(page, "web-coach-apology");
    await page.context().close();
  });
});
