// A coach's page in the real app: catalogue to character, a session started and ended there, the
// engagement stats the database trigger keeps, and a memory extracted at the end, then deleted.
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

interface Character {
  id: string;
  slug: string;
  name: string;
  isActive: boolean;
  templates: { title: string; isActive: boolean }[];
}

describe("character page", () => {
  it("shows the coach, the stats after a session ends, and deletes a memory", async () => {
    const { page } = await openDevicePage(browser, { viewport: { width: 1280, height: 1000 } });
    await signUpThroughForm(page, baseUrl, newPerson("Jo"));
    const characters = await api<Character[]>(page, "query", "character.list");
    const coach = characters.find((c) => c.isActive && c.templates.some((t) => t.isActive));
    if (!coach) throw new Error("the seed has no active character with a template");

    // From the catalogue on the start page to the coach's page.
    await page.getByRole("link", { name: `About ${coach.name}` }).click();
    await page.getByRole("heading", { name: coach.name, level: 1 }).waitFor();
    await page.getByRole("heading", { name: "Scenarios" }).waitFor();
    const firstTemplate = coach.templates.find((t) => t.isActive);
    await page.getByRole("heading", { name: firstTemplate?.title ?? "" }).waitFor();
    await page.getByText("You have not had a session with this coach yet.").waitFor();

    // Start a session here; the app opens it.
    await page.getByRole("button", { name: "Start a session" }).click();
    await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    const sessionId = new URL(page.url()).pathname.split("/").pop() ?? "";
    await api(page, "mutation", "message.send", {
      sessionId,
      text: "I love hiking in the mountains. I work as a nurse.",
      author: "user",
    });
    await api(page, "mutation", "message.send", { sessionId, text: "My sister is called Maria.", author: "user" });

    // End it from the sidebar: the engagement counts it and the coach notes memories.
    const row = page.locator(`[aria-label="Your sessions"] li[data-session-id="${sessionId}"]`);
    await row.getByRole("button", { name: /^Actions for / }).click();
    await page.getByRole("menuitem", { name: "End session" }).click();
    await row.getByText("· Ended").waitFor({ timeout: 30_000 });

    await page.goto(`${baseUrl}/characters/${coach.slug}`);
    const stats = page.getByTestId("engagement-stats");
    await stats.waitFor({ timeout: 30_000 });
    const statValue = async (term: string) =>
      (await stats.getByText(term, { exact: true }).locator("xpath=following-sibling::dd").textContent()) ?? "";
    expect(await statValue("Sessions ended")).toBe("1");
    expect(Number(await statValue("Messages"))).toBeGreaterThanOrEqual(2);

    // The memories the coach kept, from what was said; delete one after confirming.
    const memories = page.getByRole("list", { name: "Memories" });
    await memories.waitFor({ timeout: 30_000 });
    const before = await memories.getByRole("listitem").count();
    expect(before).toBeGreaterThan(0);
    expect((await memories.textContent())?.toLowerCase()).toMatch(/hiking|nurse|maria/);
    const firstMemory = (await memories.getByRole("listitem").first().locator("p").textContent()) ?? "";
    await memories.getByRole("button", { name: `Delete memory: ${firstMemory}` }).click();
    const confirm = page.getByRole("dialog", { name: "Delete this memory?" });
    await expect(confirm.textContent()).resolves.toContain(firstMemory);
    await confirm.getByRole("button", { name: "Delete memory" }).click();
    await confirm.waitFor({ state: "hidden" });
    await page.waitForFunction(
      (count) =>
        document.querySelectorAll('[aria-label="Memories"] li').length === count ||
        (count === 0 && !document.querySelector('[aria-label="Memories"]')),
      before - 1,
    );
    const kept = await api<{ items: { content: string }[] }>(page, "query", "memory.list", { characterId: coach.id });
    expect(kept.items.map((m) => m.content)).not.toContain(firstMemory);
    expect(kept.items).toHaveLength(before - 1);

    await saveScreenshot(page, "web-character");
    await page.context().close();
  });
});
