// Starting a scenario from a coach's page in the real app: with no open session it opens a new one at once;
// with one it asks, in the same dialog New session uses, whether to continue it or start the scenario fresh
// (which ends the open one). The coach's own Start a session asks the same, and Cancel changes nothing.
import { launchChromium, saveScreenshot } from "@lockstep/e2e";
import type { Browser, Page } from "playwright-core";
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
  templates: { id: string; title: string; isActive: boolean }[];
}

interface Session {
  id: string;
  status: string;
  endedAt: number | null;
  episodeTemplateId: string | null;
}

const openSessionId = (page: Page) => new URL(page.url()).pathname.split("/").pop() ?? "";

describe("starting a scenario", () => {
  it("asks to continue the open session or start the scenario fresh", async () => {
    const { page, errors } = await openDevicePage(browser, { viewport: { width: 1280, height: 900 } });
    await signUpThroughForm(page, baseUrl, newPerson("Ren"));
    const characters = await api<Character[]>(page, "query", "character.list");
    const coach = characters.find((c) => c.isActive && c.templates.filter((t) => t.isActive).length >= 2);
    if (!coach) throw new Error("the seed has no active character with two templates");
    const [firstScenario, secondScenario] = coach.templates.filter((t) => t.isActive) as [
      Character["templates"][number],
      Character["templates"][number],
    ];
    const coachPage = async () => {
      await page.goto(`${baseUrl}/characters/${coach.slug}`);
      await page.getByRole("heading", { name: "Scenarios" }).waitFor();
    };

    // No open session: the scenario starts at once.
    await coachPage();
    await page.getByRole("button", { name: `Start this scenario: ${firstScenario.title}` }).click();
    await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    const first = openSessionId(page);
    expect((await api<Session>(page, "query", "session.get", { id: first })).episodeTemplateId).toBe(firstScenario.id);

    // Now one is open: another scenario asks first, naming the open session.
    await coachPage();
    await page.getByRole("button", { name: `Start this scenario: ${secondScenario.title}` }).click();
    const dialog = page.getByRole("dialog", { name: `Start “${secondScenario.title}”` });
    const choice = dialog.getByTestId("open-session-choice");
    await choice.waitFor();
    expect(await choice.textContent()).toContain("One session per coach stays open");
    expect(await choice.textContent()).toContain(`Starting “${secondScenario.title}” fresh ends`);
    await saveScreenshot(page, "web-scenario-start-choice");

    // Cancel: nothing changes, the page stays.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(new URL(page.url()).pathname).toBe(`/characters/${coach.slug}`);
    expect((await api<Session>(page, "query", "session.get", { id: first })).endedAt).toBeNull();

    // Continue: the open session opens, still open.
    await page.getByRole("button", { name: `Start this scenario: ${secondScenario.title}` }).click();
    await choice.getByRole("button", { name: /^Continue “/ }).click();
    await page.waitForURL(`${baseUrl}/sessions/${first}`);
    expect((await api<Session>(page, "query", "session.get", { id: first })).endedAt).toBeNull();

    // Start fresh: a new session of the scenario, and the open one ends (kept, complete).
    await coachPage();
    await page.getByRole("button", { name: `Start this scenario: ${secondScenario.title}` }).click();
    await choice.getByRole("button", { name: "Start fresh" }).click();
    await page.waitForURL((url) => /\/sessions\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(first));
    const fresh = await api<Session>(page, "query", "session.get", { id: openSessionId(page) });
    expect(fresh.episodeTemplateId).toBe(secondScenario.id);
    const ended = await api<Session>(page, "query", "session.get", { id: first });
    expect(ended.status).toBe("complete");
    expect(ended.endedAt).not.toBeNull();

    // The coach's own Start a session asks the same.
    await coachPage();
    await page.getByRole("button", { name: "Start a session", exact: true }).click();
    const plain = page.getByRole("dialog", { name: "New session" });
    await plain.getByTestId("open-session-choice").waitFor();
    expect(await plain.textContent()).toContain(secondScenario.title);
    await plain.getByRole("button", { name: "Cancel" }).click();
    await plain.waitFor({ state: "hidden" });
    expect(errors).toEqual([]);
  });
});
