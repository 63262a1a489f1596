// axe-core on every page of the chat app and the admin tool, in light and dark: no serious or
// critical violation (contrast, names, labels, landmarks). Each page is filled with real data first
// (a session with messages and suggestions, a collection, a trashed session, the admin's records).
import { type AxeFinding, launchChromium, seriousAxeViolations } from "@lockstep/e2e";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openAs, signUp } from "./session-support.ts";
import { openDevicePage } from "./support/people.ts";

const baseUrl = inject("baseUrl");
const ADMIN = { email: "admin@lockstep.local", password: "lockstep-admin" };
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function audit(
  page: Page,
  url: string,
  ready: (page: Page) => Promise<unknown>,
  found: Record<string, AxeFinding[]>,
) {
  await page.goto(url);
  await ready(page);
  // Transitions and fonts settle before colours are measured.
  await page.waitForTimeout(300);
  const violations = await seriousAxeViolations(page);
  if (violations.length) {
    found[url.replace(baseUrl, "")] = violations;
    // Printed as found, so a slow run still shows every finding.
    console.log(url.replace(baseUrl, ""), JSON.stringify(violations, null, 1));
  }
}

const heading = (name: string | RegExp) => (page: Page) =>
  page.getByRole("heading", { name }).first().waitFor({ timeout: 30_000 });

for (const colorScheme of ["light", "dark"] as const) {
  describe(`axe, ${colorScheme}`, () => {
    it("finds nothing serious on the signed-out pages", async () => {
      const { page } = await openDevicePage(browser, { colorScheme });
      const found: Record<string, AxeFinding[]> = {};
      await audit(page, `${baseUrl}/sign-in`, heading("Sign in"), found);
      await audit(page, `${baseUrl}/sign-up`, heading("Create your account"), found);
      await audit(page, `${baseUrl}/forgot-password`, heading("Reset your password"), found);
      await audit(page, `${baseUrl}/reset-password?token=abc`, heading("Choose a new password"), found);
      await audit(page, `${baseUrl}/reset-password?error=INVALID_TOKEN`, heading("Choose a new password"), found);
      await audit(page, `${baseUrl}/status`, heading(/status/i), found);
      expect(found).toEqual({});
      await page.context().close();
    }, 300_000);

    it("finds nothing serious on the signed-in pages", async () => {
      const person = await signUp(baseUrl);
      const [character] = await person.api.character.list.query();
      const { session } = await person.api.session.start.mutate({ characterId: character!.id });
      await person.api.message.send.mutate({
        sessionId: session.id,
        text: "hey, how was the trip?",
        author: "contact",
      });
      const { suggestions } = await person.api.session.analyze.mutate({ id: session.id });
      const collection = await person.api.collection.create.mutate({ name: "Openers" });
      await person.api.collection.addMessage.mutate({ collectionId: collection.id, messageId: suggestions[0]!.id });
      const { page } = await openAs(browser, baseUrl, person, { colorScheme });
      const found: Record<string, AxeFinding[]> = {};
      await audit(page, `${baseUrl}/`, heading(/^Hello, /), found);
      await audit(
        page,
        `${baseUrl}/characters/${character!.slug}`,
        (p) => p.getByRole("heading").first().waitFor({ timeout: 30_000 }),
        found,
      );
      await audit(
        page,
        `${baseUrl}/sessions/${session.id}`,
        (p) => p.locator("[data-suggestion-id]").first().waitFor({ timeout: 30_000 }),
        found,
      );
      await audit(page, `${baseUrl}/collections`, heading("Collections"), found);
      await audit(page, `${baseUrl}/collections/${collection.id}`, heading("Openers"), found);
      await audit(page, `${baseUrl}/profile`, heading("Profile"), found);
      await audit(page, `${baseUrl}/trash`, heading("Trash"), found);
      await audit(page, `${baseUrl}/no-such-page`, heading(/not found|no such page/i), found);
      // The shortcuts dialog, open.
      await page.goto(`${baseUrl}/profile`);
      await heading("Profile")(page);
      await page.keyboard.press("?");
      await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
      const dialog = await seriousAxeViolations(page);
      if (dialog.length) found["shortcuts dialog"] = dialog;
      expect(found).toEqual({});
      await page.context().close();
    }, 300_000);

    it("finds nothing serious in the admin tool", async () => {
      const { page } = await openDevicePage(browser, { colorScheme });
      const found: Record<string, AxeFinding[]> = {};
      await audit(page, `${baseUrl}/admin/`, heading(/sign in/i), found);
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("navigation", { name: "Admin sections" }).waitFor({ timeout: 30_000 });
      const main = (p: Page) => p.locator("main h1").first().waitFor({ timeout: 30_000 });
      for (const path of ["", "interactions", "users", "sessions", "knowledge", "characters", "jobs", "data", "outbox"])
        await audit(page, `${baseUrl}/admin/${path}`, main, found);
      // A detail page of each kind, reached from its list.
      for (const [list, link] of [
        ["users", "/admin/users/"],
        ["sessions", "/admin/sessions/"],
        ["interactions", "/admin/interactions/"],
      ] as const) {
        await page.goto(`${baseUrl}/admin/${list}`);
        const first = page.locator(`main a[href^="${link}"]`).first();
        if (await first.count().catch(() => 0)) {
          const href = await first.getAttribute("href");
          if (href) await audit(page, `${baseUrl}${href}`, main, found);
        }
      }
      expect(found).toEqual({});
      await page.context().close();
    }, 300_000);
  });
}
