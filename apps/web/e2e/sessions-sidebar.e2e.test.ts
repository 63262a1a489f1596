// The sessions sidebar in the real app: keyset pages on scroll, a new session from the dialog, rename,
// pin, a legal status move, search and filters, then trash, restore and purge; and the drawer on a phone.
import { launchChromium, saveScreenshot } from "@lockstep/e2e";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, newPerson, openDevicePage, sidebarRows, signUpThroughForm } from "./support/people.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function openMenu(page: Page, title: string) {
  await page.getByRole("button", { name: `Actions for ${title}` }).click();
  return page.getByRole("menu", { name: `Actions for ${title}` });
}

describe("sessions sidebar", () => {
  it("pages, creates, renames, pins, moves status, filters, trashes, restores and purges", async () => {
    const { page } = await openDevicePage(browser, { viewport: { width: 1280, height: 900 } });
    await signUpThroughForm(page, baseUrl, newPerson("Robin"));

    // 32 sessions: more than one page of 30, oldest first so "Chat 32" is the most recent.
    for (let i = 1; i <= 32; i++) {
      await api(page, "mutation", "session.create", { type: "text", name: `Chat ${String(i).padStart(2, "0")}` });
    }
    await page.reload();
    const rows = sidebarRows(page);
    await rows.first().waitFor({ timeout: 30_000 });
    expect(await rows.count()).toBe(30);
    expect(await rows.first().textContent()).toContain("Chat 32");
    // Each row shows the contract's label for its status.
    expect(await rows.first().textContent()).toContain("Waiting for you");

    // Scrolling to the end of the list loads the next keyset page.
    await rows.last().scrollIntoViewIfNeeded();
    await page.waitForFunction(
      () => document.querySelectorAll('[aria-label="Your sessions"] li[data-session-id]').length === 32,
      null,
      { timeout: 15_000 },
    );
    expect(await rows.last().textContent()).toContain("Chat 01");

    // New session: a coach and the screenshot kind, then the app opens it.
    await page.getByRole("button", { name: "New session" }).click();
    const dialog = page.getByRole("dialog", { name: "New session" });
    await dialog.getByLabel("Coach", { exact: true }).waitFor();
    await dialog.getByRole("radio", { name: /Screenshot/ }).check();
    await dialog.getByRole("button", { name: "Start session" }).click();
    await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    const newId = new URL(page.url()).pathname.split("/").pop() ?? "";
    const created = await api<{ type: string; characterId: string | null }>(page, "query", "session.get", {
      id: newId,
    });
    expect(created.type).toBe("screenshot");
    expect(created.characterId).not.toBeNull();
    await page.locator(`[aria-label="Your sessions"] li[data-session-id="${newId}"]`).waitFor();

    // Rename inline.
    const menu = await openMenu(page, "Chat 05");
    await menu.getByRole("menuitem", { name: "Rename" }).click();
    await page.getByLabel("New name").fill("Dinner plans");
    await page.getByLabel("New name").press("Enter");
    await page.getByRole("button", { name: "Actions for Dinner plans" }).waitFor();

    // Pin: pinned sessions come first.
    await (await openMenu(page, "Dinner plans")).getByRole("menuitem", { name: "Pin" }).click();
    await page.waitForFunction(() =>
      document.querySelector('[aria-label="Your sessions"] li[data-session-id]')?.textContent?.includes("Dinner plans"),
    );
    await expect(rows.first().getByRole("img", { name: "Pinned" }).isVisible()).resolves.toBe(true);

    // One verb makes a session complete: End, which says what it means; once ended it is not offered.
    await openMenu(page, "Dinner plans");
    const endItem = page.getByRole("menuitem", { name: "End session" });
    expect(await endItem.getAttribute("aria-describedby")).toBeTruthy();
    expect(await endItem.textContent()).toContain("counts it in your stats");
    await endItem.click();
    await rows.first().locator(`[data-session-status="complete"]`).waitFor();
    const items = await (await openMenu(page, "Dinner plans")).getByRole("menuitem").allTextContents();
    expect(items.some((item) => item.startsWith("End session"))).toBe(false);
    await page.keyboard.press("Escape");

    // Filter by status, by kind, and search by name.
    await page.getByLabel("Filter by status").selectOption("complete");
    await page.waitForFunction(
      () => document.querySelectorAll('[aria-label="Your sessions"] li[data-session-id]').length === 1,
    );
    await page.getByLabel("Filter by status").selectOption("all");
    await page.getByLabel("Filter by kind").selectOption("screenshot");
    await page.waitForFunction(
      () => document.querySelectorAll('[aria-label="Your sessions"] li[data-session-id]').length === 1,
    );
    await page.getByLabel("Filter by kind").selectOption("all");
    await page.getByLabel("Search sessions and messages").fill("dinner");
    await page.waitForFunction(
      () => document.querySelectorAll('[aria-label="Your sessions"] li[data-session-id]').length === 1,
    );
    await page.getByLabel("Search sessions and messages").fill("no such name");
    await page.getByText("No session names match these filters.").waitFor();
    await page.getByLabel("Search sessions and messages").fill("");
    await page.getByRole("button", { name: "Actions for Dinner plans" }).waitFor();
    await saveScreenshot(page, "web-sessions-sidebar");

    // Trash, then restore from the trash page.
    await (await openMenu(page, "Dinner plans")).getByRole("menuitem", { name: "Move to trash" }).click();
    await page.getByRole("button", { name: "Actions for Dinner plans" }).waitFor({ state: "detached" });
    await page.getByRole("link", { name: "Trash" }).click();
    await page.getByRole("heading", { name: "Trash" }).waitFor();
    await page.getByRole("button", { name: "Restore Dinner plans" }).click();
    await page.getByText("The trash is empty.").waitFor();
    await page.getByRole("button", { name: "Actions for Dinner plans" }).waitFor();

    // Trash again and delete forever, after a confirmation.
    await (await openMenu(page, "Dinner plans")).getByRole("menuitem", { name: "Move to trash" }).click();
    await page.getByRole("button", { name: "Delete Dinner plans forever" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete this session forever?" });
    await expect(confirm.textContent()).resolves.toContain("Dinner plans");
    await confirm.getByRole("button", { name: "Delete forever" }).click();
    await page.getByText("The trash is empty.").waitFor();
    const left = await api<{ items: { name: string | null }[] }>(page, "query", "session.list", { trash: true });
    expect(left.items).toEqual([]);
    const live = await api<{ items: { name: string | null }[] }>(page, "query", "session.list", { query: "Dinner" });
    expect(live.items).toEqual([]);

    // Trashing the session that is open leaves it for the start page.
    await page.locator(`[aria-label="Your sessions"] li[data-session-id="${newId}"] a`).click();
    await page.waitForURL(`${baseUrl}/sessions/${newId}`);
    await page
      .locator(`[aria-label="Your sessions"] li[data-session-id="${newId}"]`)
      .getByRole("button", { name: /^Actions for / })
      .click();
    await page.getByRole("menuitem", { name: "Move to trash" }).click();
    await page.waitForURL(`${baseUrl}/`);
    await page.getByRole("link", { name: "Trash" }).click();
    await page.getByRole("button", { name: "Restore Untitled session" }).waitFor();

    await saveScreenshot(page, "web-sessions-trash");
    await page.context().close();
  });

  it("is a drawer on a 360 px phone, opened from the header and closed with Escape", async () => {
    const { page, errors } = await openDevicePage(browser, {
      viewport: { width: 360, height: 740 },
      colorScheme: "dark",
    });
    await signUpThroughForm(page, baseUrl, newPerson("Kim"));
    await api(page, "mutation", "session.create", { type: "text", name: "On the bus" });
    await page.reload();
    await page.getByRole("heading", { name: /Hello/ }).waitFor();
    const sidebar = page.locator("#sessions-sidebar");
    expect(await sidebar.isVisible()).toBe(false);
    await page
      .getByRole("button", { name: /^Start a session with / })
      .first()
      .waitFor();
    // Only the content scrolls, never the page behind it (hidden labels once stretched it).
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBe(740);
    await saveScreenshot(page, "web-home-360-dark");
    const toggle = page.getByRole("button", { name: "Open sessions" });
    await toggle.click();
    await sidebar.getByText("On the bus").waitFor();
    expect(await page.getByRole("button", { name: "Close sessions" }).getAttribute("aria-expanded")).toBe("true");
    // Focus moves into the drawer, and back to its button when Escape closes it.
    expect(await page.evaluate(() => document.activeElement?.closest("#sessions-sidebar") !== null)).toBe(true);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "web-sidebar-drawer-360-dark");
    await page.keyboard.press("Escape");
    await sidebar.waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-controls"))).toBe("sessions-sidebar");
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
