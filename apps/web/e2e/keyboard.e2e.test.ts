// Keyboard only, in the real app: sign in, open a session, send, get suggestions and like one,
// checking where focus is after each step; the shortcuts dialog and search shortcut; and the theme
// switch surviving a reload. Screenshots show the focus ring and the pressed Like in both themes.
import { launchChromium, saveScreenshot } from "@lockstep/e2e";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { signUp } from "./session-support.ts";
import { openDevicePage } from "./support/people.ts";

const baseUrl = inject("baseUrl");
const PASSWORD = "correct-horse-battery";
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** What has focus: tag, name attribute, accessible label or text, and a few data attributes. */
function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return {
      tag: element?.tagName.toLowerCase() ?? null,
      label: element?.getAttribute("aria-label") ?? element?.textContent?.trim().slice(0, 80) ?? null,
      type: element?.getAttribute("type") ?? null,
      pressed: element?.getAttribute("aria-pressed") ?? null,
      suggestion: element?.getAttribute("data-suggestion-id") ?? null,
      inSuggestion: element?.closest("[data-suggestion-id]")?.getAttribute("data-suggestion-id") ?? null,
      outline: element ? getComputedStyle(element).outlineStyle : null,
    };
  });
}

/** Presses Tab (only Tab) until focus is on what `matches` accepts; fails after `max` presses. */
async function tabTo(page: Page, matches: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 60) {
  for (let press = 0; press < max; press++) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    if (matches(now)) return now;
  }
  throw new Error(`Tab never reached the control; focus is on ${JSON.stringify(await focused(page))}`);
}

describe("keyboard only", () => {
  it("signs in, opens a session, sends, gets suggestions and likes one, with focus where it should be", async () => {
    const person = await signUp(baseUrl);
    const { page, errors } = await openDevicePage(browser);
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();

    await tabTo(page, (f) => f.tag === "input" && f.type === "email");
    await page.keyboard.type(person.email);
    await page.keyboard.press("Tab");
    expect(await focused(page)).toMatchObject({ tag: "input", type: "password" });
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: /^Hello, / }).waitFor({ timeout: 30_000 });

    // Open a session with a coach: focus goes to the composer.
    await tabTo(page, (f) => f.label?.startsWith("Start a session with ") ?? false);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/sessions\//, { timeout: 30_000 });
    await expect.poll(async () => (await focused(page)).tag, { timeout: 10_000 }).toBe("textarea");

    // Send with Enter; focus stays in the composer for the next message.
    await page.keyboard.type("She said she loves hiking. How do I ask her out?");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("Second line.");
    await expect(page.locator("textarea").inputValue()).resolves.toContain("\nSecond line.");
    await page.keyboard.press("Enter");
    await page.locator('[data-author="user"]', { hasText: "loves hiking" }).waitFor();
    expect((await focused(page)).tag).toBe("textarea");
    await page.locator('[data-author="ai"]').first().waitFor({ timeout: 30_000 });
    // The built-in coach answered, and the page says so.
    await page.getByText("No AI model is connected.").waitFor();
    await expect(page.getByRole("link", { name: "/admin/models" }).getAttribute("href")).resolves.toBe("/admin/models");

    // Get suggestions: focus moves to the first new suggestion.
    await tabTo(page, (f) => f.label === "Get suggestions");
    await saveScreenshot(page, "web-focus-get-suggestions");
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await focused(page)).suggestion, { timeout: 30_000 }).toMatch(/^[0-9a-f-]{36}$/);
    const card = (await focused(page)).suggestion!;

    // Like: focus stays on the button, which shows it is pressed.
    const like = await tabTo(page, (f) => f.inSuggestion === card && (f.label === "Like" || f.label === "Liked"));
    expect(like.pressed).toBe("false");
    expect(like.outline).toBe("solid");
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await focused(page)).pressed, { timeout: 30_000 }).toBe("true");
    expect(await focused(page)).toMatchObject({ tag: "button", inSuggestion: card });
    await saveScreenshot(page, "web-focus-liked-light");

    // "?" lists the shortcuts; Escape closes the list and gives focus back.
    await page.keyboard.press("?");
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await dialog.waitFor();
    for (const action of [
      "Start a new session",
      "Search sessions (also /)",
      "Send the message",
      "Stop the reply being written",
    ])
      await dialog.getByText(action).waitFor();
    await saveScreenshot(page, "web-shortcuts-dialog");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await focused(page)).toMatchObject({ pressed: "true", inSuggestion: card });

    // Ctrl+K goes to the search box; typing "?" there is just a question mark.
    await page.keyboard.press("Control+k");
    expect(await focused(page)).toMatchObject({ tag: "input", type: "search" });
    await page.keyboard.type("?");
    await expect(dialog.isVisible()).resolves.toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe("theme switch", () => {
  it("keeps the chosen theme across a reload, and back to the system's", async () => {
    const person = await signUp(baseUrl);
    const { page } = await openDevicePage(browser, { colorScheme: "light" });
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel("Email").fill(person.email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: /^Hello, / }).waitFor({ timeout: 30_000 });
    const isDark = () => page.evaluate(() => document.documentElement.classList.contains("dark"));
    expect(await isDark()).toBe(false);

    await page.goto(`${baseUrl}/profile`);
    const appearance = page.getByRole("region", { name: "Appearance" });
    await appearance.getByLabel("Theme").selectOption("dark");
    expect(await isDark()).toBe(true);
    // The header's switch shows the same choice.
    await expect(page.locator("header select").inputValue()).resolves.toBe("dark");
    await page.reload();
    await page.getByRole("heading", { name: "Profile" }).waitFor();
    expect(await isDark()).toBe(true);
    await appearance.getByLabel("Theme").focus();
    await saveScreenshot(page, "web-profile-theme-dark");

    // Dark from the first paint: the class is there before the app's own script runs.
    const early = await page.evaluate(async () => {
      const boot = document.head.querySelector<HTMLScriptElement>('script:not([type="module"])');
      if (boot === null) return false;
      const response = await fetch(boot.src);
      return response.ok && (await response.text()).includes("lockstep-theme");
    });
    expect(early).toBe(true);

    await appearance.getByLabel("Theme").selectOption("system");
    await page.reload();
    await page.getByRole("heading", { name: "Profile" }).waitFor();
    expect(await isDark()).toBe(false);
    await page.emulateMedia({ colorScheme: "dark" });
    await expect.poll(isDark).toBe(true);
    await page.context().close();
  });

  it("shows the focus ring and a pressed Like in dark", async () => {
    const person = await signUp(baseUrl);
    const { page } = await openDevicePage(browser, { colorScheme: "dark" });
    await page.context().addCookies(
      person.cookie.split("; ").map((pair) => {
        const at = pair.indexOf("=");
        return { name: pair.slice(0, at), value: pair.slice(at + 1), url: baseUrl };
      }),
    );
    const [character] = await person.api.character.list.query();
    const { session } = await person.api.session.start.mutate({ characterId: character!.id });
    await person.api.message.send.mutate({ sessionId: session.id, text: "hey, how was the trip?", author: "contact" });
    await page.goto(`${baseUrl}/sessions/${session.id}`);
    await page.locator('[data-author="contact"]').waitFor();
    await tabTo(page, (f) => f.label === "Get suggestions");
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await focused(page)).suggestion, { timeout: 30_000 }).toMatch(/^[0-9a-f-]{36}$/);
    const id = (await focused(page)).suggestion!;
    // Pin by keyboard: focus stays on it, pressed; then back to Like (Like, Dislike, Pin) and press it.
    await tabTo(page, (f) => f.inSuggestion === id && f.label === "Pin");
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await focused(page)).pressed, { timeout: 30_000 }).toBe("true");
    expect(await focused(page)).toMatchObject({ label: "Pinned", inSuggestion: id });
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    expect(await focused(page)).toMatchObject({ label: "Like", inSuggestion: id });
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await focused(page)).label, { timeout: 30_000 }).toBe("Liked");
    await saveScreenshot(page, "web-focus-liked-dark");
    await page.context().close();
  });
});
