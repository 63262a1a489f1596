// The rest of the console in a real browser: the overview's numbers beside its charts and the way
// into the log from a breakdown, restoring a person's deleted session, and creating then
// deactivating a character. Each test leaves a screenshot of its last screen.
import type { TAdminInteractionOverview } from "@lockstep/contracts";
import { launchChromium, saveScreenshot } from "@lockstep/e2e";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Account, adminBrowserPage, mutate, query, signUp } from "./http.ts";

type Browser = Awaited<ReturnType<typeof launchChromium>>;

const baseUrl = inject("baseUrl");
const chatModel = inject("chatModel");

let browser: Browser;
let admin: Account;

beforeAll(async () => {
  browser = await launchChromium();
  admin = { email: "admin@lockstep.local", password: "lockstep-admin", cookie: inject("adminCookie") };
});
afterAll(async () => {
  await browser?.close();
});

/** The operator's page from the shared cookie: sign-in attempts are limited to 10 a minute per IP. */
async function adminPage(options: { width?: number; colorScheme?: "light" | "dark" } = {}) {
  return adminBrowserPage(browser, baseUrl, admin.cookie, options);
}

/** The value of a totals tile ("Calls", "Failed", ...). */
async function tile(page: Awaited<ReturnType<typeof adminPage>>["page"], label: string): Promise<string | null> {
  return page
    .getByRole("group", { name: "Totals for the range" })
    .getByText(label, { exact: true })
    .locator("xpath=following-sibling::p")
    .textContent();
}

describe("overview", () => {
  it("shows the range's totals beside the charts, and a model in the breakdown opens its calls", async () => {
    const { page, errors } = await adminPage({ colorScheme: "dark" });
    await page.getByRole("group", { name: "Totals for the range" }).waitFor();
    const to = Math.ceil(Date.now() / 60_000) * 60_000;
    const overview = await query<TAdminInteractionOverview>(baseUrl, admin, "admin.interactions.overview", {
      from: to - 24 * 3_600_000,
      to,
    });
    expect(overview.totals.errors).toBeGreaterThanOrEqual(4);
    expect(await tile(page, "Calls")).toBe(overview.totals.count.toLocaleString("en"));
    expect(await tile(page, "Failed")).toBe(overview.totals.errors.toLocaleString("en"));
    expect(await page.locator("svg.recharts-surface").count()).toBeGreaterThanOrEqual(5);
    const chat = overview.byModel.find((entry) => entry.key === chatModel);
    expect(chat?.errors).toBe(3);
    await saveScreenshot(page, "admin-overview");

    await page.getByRole("table", { name: "By model" }).getByRole("link", { name: chatModel }).click();
    await page.getByText(`Showing ${chat!.count} interactions.`).waitFor();
    expect(new URL(page.url()).searchParams.get("model")).toBe(chatModel);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe("sessions", () => {
  it("finds a person's deleted session, reads its messages and restores it", async () => {
    const person = await signUp(baseUrl, "forgetful.person@example.com", "forgetful-person-pass-1", "Forgetful Person");
    const session = await mutate<{ id: string }>(baseUrl, person, "session.create", {
      type: "text",
      name: "Deleted by mistake",
    });
    await mutate(baseUrl, person, "message.send", {
      sessionId: session.id,
      text: "Please do not lose this",
      author: "contact",
    });
    await mutate(baseUrl, person, "session.delete", { id: session.id });

    const { page, errors } = await adminPage();
    await page.getByRole("link", { name: "Sessions" }).click();
    await page.getByLabel("Session name").fill("Deleted by mistake");
    await page.getByRole("button", { name: "Search" }).click();
    const row = page.getByRole("listitem").filter({ hasText: "Deleted by mistake" });
    await row.getByText("deleted", { exact: true }).waitFor();
    await row.getByRole("link", { name: "Deleted by mistake" }).click();
    await page.getByRole("list", { name: "Messages" }).getByText("Please do not lose this").waitFor();
    await page.getByRole("button", { name: "Restore session" }).click();
    await page.getByRole("button", { name: "Restore session" }).waitFor({ state: "detached" });
    await saveScreenshot(page, "admin-session-restored");
    expect(errors).toEqual([]);

    const mine = await query<{ id: string; deletedAt: number | null }>(baseUrl, person, "session.get", {
      id: session.id,
    });
    expect(mine.deletedAt).toBeNull();
    const audit = await query<{ items: unknown[] }>(baseUrl, admin, "admin.audit.list", {
      action: "admin.sessions.restore",
      entityId: session.id,
      limit: 10,
    });
    expect(audit.items).toHaveLength(1);
    await page.context().close();
  });
});

describe("characters", () => {
  it("creates a character, names the field of a refused slug, and deactivates it", async () => {
    const { page, errors } = await adminPage({ width: 390 });
    await page.getByRole("link", { name: "Characters" }).click();
    await page.getByRole("button", { name: "New character" }).click();
    const form = page.getByRole("form", { name: "New character" });
    await form.getByLabel("Slug").fill("Not A Slug");
    await form.getByLabel("Name").fill("Jonah");
    await form.getByLabel("Description").fill("A calm coach for hard conversations.");
    await form.getByLabel("System prompt").fill("You are Jonah, calm and direct.");
    await form.getByRole("button", { name: "Create character" }).click();
    await form.getByText("slug must be lowercase letters and digits").waitFor();

    await form.getByLabel("Slug").fill("jonah-e2e");
    await form.getByRole("button", { name: "Create character" }).click();
    await form.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Deactivate Jonah" }).click();
    await page.getByRole("button", { name: "Activate Jonah", exact: true }).waitFor();
    expect(await page.getByRole("button", { name: "Deactivate Jonah", exact: true }).count()).toBe(0);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "admin-characters");
    expect(errors.filter((error) => !error.includes("400"))).toEqual([]);

    for (const action of ["admin.characters.create", "admin.characters.setActive"]) {
      const audit = await query<{ items: unknown[] }>(baseUrl, admin, "admin.audit.list", { action, limit: 10 });
      expect(audit.items, action).toHaveLength(1);
    }
    await page.context().close();
  });
});

describe("more of the log and the knowledge base", () => {
  it("groups calls by prompt, and the playground shows scores and what each filter let through", async () => {
    const { page, errors } = await adminPage();
    await page.goto(`${baseUrl}/admin/interactions?model=${chatModel}`);
    await page.getByRole("tab", { name: "Grouped by prompt" }).click();
    expect(new URL(page.url()).searchParams.get("view")).toBe("groups");
    const groups = page.getByRole("table", { name: "Calls grouped by prompt hash" });
    await groups.waitFor();
    expect(await groups.locator("tbody tr").count()).toBeGreaterThan(0);

    await page.getByRole("link", { name: "Knowledge base" }).click();
    const form = page.getByRole("form", { name: "Knowledge search" });
    await form.getByLabel("Situation to search for").fill("how do I open a conversation with someone new?");
    await form.getByLabel("Goal").selectOption("attraction");
    await form.getByRole("button", { name: "Search" }).click();
    const results = page.getByRole("list", { name: "Search results" });
    await results.waitFor();
    expect(await results.getByText(/^score -?\d\.\d{3}$/).count()).toBeGreaterThan(0);
    expect(await page.getByText(/goal alone:\s*\d+/).count()).toBe(1);
    expect(await page.getByText(/phase alone:\s*not used/).count()).toBe(1);
    await saveScreenshot(page, "admin-knowledge-search");
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe("data", () => {
  it("saves the retention days, runs the database report, and deletes a person after typing their email", async () => {
    const leaving = await signUp(baseUrl, "leaving.person@example.com", "leaving-person-pass-1", "Leaving Person");
    const { page, errors } = await adminPage();
    await page.getByRole("link", { name: "Users" }).click();
    await page.getByLabel("Email or name").fill("leaving.person");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: leaving.email }).click();
    await page.getByRole("button", { name: "Delete account…" }).click();
    const confirm = page.getByRole("group", { name: "Delete account" });
    const remove = confirm.getByRole("button", { name: "Delete for good" });
    expect(await remove.isDisabled()).toBe(true);
    await confirm.getByLabel(`Type ${leaving.email} to confirm`).fill(leaving.email);
    await remove.click();
    await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
    // Back on the whole list: everyone else is there, the deleted person is not.
    await page.getByRole("link", { name: "admin@lockstep.local", exact: true }).waitFor();
    expect(await page.getByRole("link", { name: leaving.email }).count()).toBe(0);

    await page.getByRole("link", { name: "Data & audit" }).click();
    const settings = page.getByRole("form", { name: "Retention and masking" });
    await settings.getByLabel("Keep AI interactions for (days)").fill("45");
    await settings.getByRole("button", { name: "Save settings" }).click();
    await settings.getByText("Saved.").waitFor();
    await page.getByRole("button", { name: "Run the report" }).click();
    await page.getByRole("list", { name: "Checks" }).waitFor();
    expect(await page.getByRole("list", { name: "Checks" }).getByRole("listitem").count()).toBeGreaterThan(0);
    await page.getByLabel("Action", { exact: true }).fill("admin.users.delete");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.locator('[data-audit-action="admin.users.delete"]').waitFor();
    await saveScreenshot(page, "admin-data");
    expect(errors).toEqual([]);

    for (const action of ["admin.users.delete", "admin.data.updateSettings", "admin.data.verify"]) {
      const audit = await query<{ items: { after: unknown }[] }>(baseUrl, admin, "admin.audit.list", {
        action,
        limit: 10,
      });
      expect(audit.items, action).toHaveLength(1);
    }
    const settingsNow = await query<{ retentionDays: number }>(baseUrl, admin, "admin.data.settings");
    expect(settingsNow.retentionDays).toBe(45);
    await page.context().close();
  });
});
