// Accounts in the real app: a visitor is sent to sign-in, signs up, signs out, is refused with a wrong
// password or a taken email in words, and signs in again to the page they asked for.
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

describe("sign up, sign out, sign in", () => {
  it("takes a new person from sign-up to signed in, out, and back in where they were going", async () => {
    const { page, errors } = await openDevicePage(browser);
    const person = newPerson("Sam");

    // Signed out, a signed-in page sends the visitor to sign-in, remembering where they were going.
    await page.goto(`${baseUrl}/collections`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get("redirect")).toBe("/collections");

    await signUpThroughForm(page, baseUrl, person);
    expect(new URL(page.url()).pathname).toBe("/");
    await page.getByText("No sessions yet. Start one with a coach.").waitFor();
    await expect(page.getByRole("link", { name: `Profile of ${person.name}` }).isVisible()).resolves.toBe(true);
    await page
      .getByRole("button", { name: /^Start a session with / })
      .first()
      .waitFor();
    await saveScreenshot(page, "web-home");

    // Sign out from the profile page.
    await page.getByRole("link", { name: `Profile of ${person.name}` }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    // The cookie is gone: the app asks the server, which no longer knows the person.
    await page.goto(`${baseUrl}/profile`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();

    // A wrong password is refused in words, and changes nothing.
    await page.getByLabel("Email").fill(person.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toBe("Wrong email or password.");
    expect(new URL(page.url()).pathname).toBe("/sign-in");

    // The right one signs in and goes to the page asked for.
    await page.getByLabel("Password").fill(person.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Profile" }).waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe("/profile");

    await saveScreenshot(page, "web-auth");
    expect(errors.filter((e) => !/status of 40[13]/.test(e))).toEqual([]);
    await page.context().close();
  });

  it("refuses a second account with a taken email, on the email field", async () => {
    const person = newPerson("Alex");
    const first = await openDevicePage(browser);
    await signUpThroughForm(first.page, baseUrl, person);
    await first.page.context().close();

    const { page } = await openDevicePage(browser, { viewport: { width: 360, height: 740 }, colorScheme: "dark" });
    await page.goto(`${baseUrl}/sign-up`);
    await page.getByLabel("Name").fill("Someone else");
    await page.getByLabel("Email").fill(person.email);
    await page.getByLabel("Password").fill("another-password");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("An account with this email already exists. Sign in instead.").waitFor({ timeout: 30_000 });
    const email = page.getByLabel("Email");
    expect(await email.getAttribute("aria-invalid")).toBe("true");
    expect(new URL(page.url()).pathname).toBe("/sign-up");
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "web-sign-up-taken-360-dark");
    await page.context().close();
  });

  it("edits the profile, then deletes the account after a confirmation that says what goes", async () => {
    const { page } = await openDevicePage(browser);
    const person = newPerson("Lee");
    await signUpThroughForm(page, baseUrl, person);
    await api(page, "mutation", "session.create", { type: "text", name: "Before I go" });
    await api(page, "mutation", "collection.create", { name: "Keepers" });

    await page.getByRole("link", { name: `Profile of ${person.name}` }).click();
    await page.getByRole("heading", { name: "Profile" }).waitFor();

    // A picture link that is not https is refused on its field, and nothing changes.
    await page.getByLabel("Picture URL").fill("http://example.com/me.png");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText(/https URL/).waitFor();
    expect(await page.getByLabel("Picture URL").getAttribute("aria-invalid")).toBe("true");
    expect((await api<{ image: string | null }>(page, "query", "auth.me")).image).toBeNull();

    // A new name is saved and shows in the header at once.
    await page.getByLabel("Picture URL").fill("");
    await page.getByLabel("Name", { exact: true }).fill("Lee Renamed");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved.").waitFor();
    await page.getByRole("link", { name: "Profile of Lee Renamed" }).waitFor();
    expect((await api<{ name: string }>(page, "query", "auth.me")).name).toBe("Lee Renamed");

    // Deleting: the dialog lists what goes, and waits for the email.
    await page.getByRole("button", { name: "Delete account…" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete your account?" });
    const gone = await dialog.getByRole("list", { name: "What is deleted" }).textContent();
    expect(gone).toContain("All your sessions");
    expect(gone).toContain("Your collections");
    expect(gone).toContain("Everything the coaches remember about you");
    const confirm = dialog.getByRole("button", { name: "Delete my account" });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/Type your email address/).fill("someone@else.test");
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/Type your email address/).fill(person.email.toUpperCase());
    await saveScreenshot(page, "web-delete-account-dialog");
    await confirm.click();

    // Signed out, told what went, and the old password no longer opens anything.
    await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: 30_000 });
    const farewell = page.getByRole("status").filter({ hasText: "Your account was deleted." });
    await expect(farewell.textContent()).resolves.toMatch(/1 session.*1 collection/);
    await page.getByLabel("Email").fill(person.email);
    await page.getByLabel("Password").fill(person.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toBe("Wrong email or password.");

    await saveScreenshot(page, "web-account-deleted");
    await page.context().close();
  });
});
