// Starting and finishing sessions in the real app: New session asks whether to continue the coach's
// open session or start fresh (which ends it), End makes a session complete, and moving a session to
// the trash can be undone for ten seconds.
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

const openSessionId = (page: Page) => new URL(page.url()).pathname.split("/").pop() ?? "";

async function startFromDialog(page: Page) {
  await page.locator("#new-session").click();
  const dialog = page.getByRole("dialog", { name: "New session" });
  await dialog.getByLabel("Coach", { exact: true }).waitFor();
  await dialog.getByRole("button", { name: "Start session" }).click();
  return dialog;
}

describe("session lifecycle", () => {
  it("continues or starts fresh, ends, and undoes a move to the trash", async () => {
    const { page, errors } = await openDevicePage(browser, { viewport: { width: 1280, height: 800 } });
    await signUpThroughForm(page, baseUrl, newPerson("Lee"));

    // No open session with the coach: Start session opens a new one at once.
    await startFromDialog(page);
    await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    const first = openSessionId(page);

    // Now there is one: the dialog asks.
    let dialog = await startFromDialog(page);
    const choice = dialog.getByTestId("open-session-choice");
    await choice.waitFor();
    expect(await choice.textContent()).toContain("One session per coach stays open");
    await saveScreenshot(page, "web-new-session-choice");
    await choice.getByRole("button", { name: /^Continue “/ }).click();
    await page.waitForURL(`${baseUrl}/sessions/${first}`);

    // Start fresh: a new session, and the open one ends (kept, complete).
    dialog = await startFromDialog(page);
    await dialog.getByRole("button", { name: "Start fresh" }).click();
    await page.waitForURL((url) => /\/sessions\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(first));
    const fresh = openSessionId(page);
    const ended = await api<{ status: string; endedAt: number | null }>(page, "query", "session.get", { id: first });
    expect(ended.status).toBe("complete");
    expect(ended.endedAt).not.toBeNull();
    await page.locator(`li[data-session-id="${first}"] [data-session-status="complete"]`).waitFor();

    // End from the session page: the only way to complete, and the button says what it means.
    const end = page.getByRole("button", { name: "End session" });
    expect(await end.getAttribute("title")).toContain("counts it in your stats");
    await end.click();
    await page.locator('[data-status="complete"]').waitFor();
    await page.getByRole("button", { name: "End session" }).waitFor({ state: "detached" });
    await saveScreenshot(page, "web-session-ended");

    // Move to trash, then Undo within ten seconds.
    const row = page.locator(`li[data-session-id="${fresh}"]`);
    await row.getByRole("button", { name: /^Actions for / }).click();
    await page.getByRole("menuitem", { name: "Move to trash" }).click();
    await row.waitFor({ state: "detached" });
    const toast = page.getByRole("status").filter({ hasText: "moved to the trash" });
    await toast.waitFor();
    await saveScreenshot(page, "web-trash-undo-toast");
    await toast.getByRole("button", { name: "Undo" }).click();
    await row.waitFor();
    await toast.waitFor({ state: "detached" });
    const restored = await api<{ deletedAt: number | null }>(page, "query", "session.get", { id: fresh });
    expect(restored.deletedAt).toBeNull();

    // Without Undo the toast goes after ten seconds and the session stays in the trash.
    await row.getByRole("button", { name: /^Actions for / }).click();
    await page.getByRole("menuitem", { name: "Move to trash" }).click();
    await toast.waitFor();
    await toast.waitFor({ state: "detached", timeout: 15_000 });
    const trash = await api<{ items: { id: string }[] }>(page, "query", "session.list", { trash: true });
    expect(trash.items.map((item) => item.id)).toContain(fresh);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
