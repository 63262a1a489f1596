// Accounts in the real app: changing the password on the profile signs the other device out; a
// forgotten password is reset through the link an operator reads in the admin's mail outbox (it works
// once, and an expired one is refused); a locked sign-in says how long to wait and then lets the
// owner in. The expiry and lockout run on a second server with short windows (the same settings an
// operator has), so the test waits seconds rather than an hour.
import { launchChromium, type ProductServer, saveScreenshot, startProductServer } from "@lockstep/e2e";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { newPerson, openDevicePage, type Person, signUpThroughForm } from "./support/people.ts";

const baseUrl = inject("baseUrl");
const ADMIN = { email: "admin@lockstep.local", password: "lockstep-admin" };
let browser: Browser;
let short: ProductServer;

beforeAll(async () => {
  browser = await launchChromium();
  short = await startProductServer({
    env: { TRUST_PROXY: "127.0.0.1", SIGN_IN_LOCKOUT_SECONDS: "8", PASSWORD_RESET_EXPIRES_SECONDS: "4" },
  });
});

afterAll(async () => {
  await browser?.close();
  await short?.stop();
});

async function signInThroughForm(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function askForReset(page: Page, base: string, person: Person): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByRole("heading", { name: "Reset your password" }).waitFor();
  await page.getByLabel("Email").fill(person.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await page.getByText(/a link to choose a new password is on its way/).waitFor();
}

/** The operator signs in to the admin tool and reads the newest reset link sent to `email`. */
async function linkFromOutbox(base: string, email: string, screenshot?: string): Promise<string> {
  const { page } = await openDevicePage(browser);
  await page.goto(`${base}/admin/`);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Mail outbox" }).click();
  const mail = page
    .getByRole("listitem")
    .filter({ hasText: `to ${email}` })
    .first();
  await mail.waitFor({ timeout: 30_000 });
  const link = await mail.getByRole("link").first().getAttribute("href");
  if (screenshot) await saveScreenshot(page, screenshot);
  await page.context().close();
  if (!link) throw new Error(`no link in the outbox for ${email}`);
  return link;
}

describe("change password", () => {
  it("needs the current password and signs the other device out", async () => {
    const person = newPerson("Changer");
    const here = await openDevicePage(browser);
    await signUpThroughForm(here.page, baseUrl, person);
    const elsewhere = await openDevicePage(browser);
    await signInThroughForm(elsewhere.page, baseUrl, person.email, person.password);
    await elsewhere.page.getByRole("heading", { name: `Hello, ${person.name}` }).waitFor({ timeout: 30_000 });

    const { page } = here;
    await page.goto(`${baseUrl}/profile`);
    const section = page.getByRole("region", { name: "Change password" });
    await section.getByLabel("Current password").fill("not-my-password");
    await section.getByLabel("New password").fill("a-new-password-1");
    await section.getByRole("button", { name: "Change password" }).click();
    await section.getByText("That is not your current password.").waitFor();
    // Focus is on the field to fix.
    await expect(page.evaluate(() => document.activeElement?.getAttribute("name"))).resolves.toBe("current-password");
    await saveScreenshot(page, "web-profile-password-wrong");

    await section.getByLabel("Current password").fill(person.password);
    await section.getByRole("button", { name: "Change password" }).click();
    await section.getByText("Password changed. Other devices were signed out.").waitFor({ timeout: 30_000 });
    await saveScreenshot(page, "web-profile-password-changed");

    // The other device is signed out on its next request; this one stays in.
    await elsewhere.page.goto(`${baseUrl}/profile`);
    await elsewhere.page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: 30_000 });
    await page.reload();
    await page.getByRole("heading", { name: "Profile" }).waitFor();

    await signInThroughForm(elsewhere.page, baseUrl, person.email, person.password);
    await expect(elsewhere.page.getByRole("alert").textContent()).resolves.toBe("Wrong email or password.");
    await signInThroughForm(elsewhere.page, baseUrl, person.email, "a-new-password-1");
    await elsewhere.page.getByRole("heading", { name: `Hello, ${person.name}` }).waitFor({ timeout: 30_000 });
    await here.page.context().close();
    await elsewhere.page.context().close();
  });
});

describe("forgot password", () => {
  it("resets through the link the admin reads in the outbox, once", async () => {
    const person = newPerson("Forgetful");
    const signedIn = await openDevicePage(browser);
    await signUpThroughForm(signedIn.page, baseUrl, person);

    const { page, errors } = await openDevicePage(browser, { colorScheme: "dark" });
    await askForReset(page, baseUrl, person);
    await saveScreenshot(page, "web-forgot-password-sent-dark");
    const link = await linkFromOutbox(baseUrl, person.email, "admin-outbox");

    await page.goto(link);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/reset-password");
    await saveScreenshot(page, "web-reset-password-dark");
    await page.getByLabel("New password").fill("reset-password-99");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByText(/Your password was changed/).waitFor({ timeout: 30_000 });
    await saveScreenshot(page, "web-reset-password-done-dark");

    // A reset signs out every session, the one that was open included.
    await signedIn.page.goto(`${baseUrl}/profile`);
    await signedIn.page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: 30_000 });

    // The link works once.
    await page.goto(link);
    await page.getByText("This reset link has expired or was already used. Ask for a new one.").waitFor();
    await expect(page.getByLabel("New password").count()).resolves.toBe(0);
    await saveScreenshot(page, "web-reset-password-spent-dark");

    await signInThroughForm(page, baseUrl, person.email, "reset-password-99");
    await page.getByRole("heading", { name: `Hello, ${person.name}` }).waitFor({ timeout: 30_000 });
    expect(errors.filter((e) => !/status of 40[013]/.test(e))).toEqual([]);
    await page.context().close();
    await signedIn.page.context().close();
  });

  it("refuses a link that has expired", async () => {
    const person = newPerson("Late");
    const setup = await openDevicePage(browser);
    await signUpThroughForm(setup.page, short.baseUrl, person);
    await setup.page.context().close();
    const { page } = await openDevicePage(browser);
    await askForReset(page, short.baseUrl, person);
    const link = await linkFromOutbox(short.baseUrl, person.email);
    // The short server's links last 4 seconds.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    await page.goto(link);
    await page.getByText("This reset link has expired or was already used. Ask for a new one.").waitFor();
    await signInThroughForm(page, short.baseUrl, person.email, person.password);
    await page.getByRole("heading", { name: `Hello, ${person.name}` }).waitFor({ timeout: 30_000 });
    await page.context().close();
  });
});

describe("sign-in lockout", () => {
  it("says how long to wait, and takes the right password once the wait is over", async () => {
    const person = newPerson("Locked");
    const setup = await openDevicePage(browser);
    await signUpThroughForm(setup.page, short.baseUrl, person);
    await setup.page.context().close();

    const { page } = await openDevicePage(browser);
    for (let attempt = 1; attempt <= 5; attempt++) {
      await signInThroughForm(page, short.baseUrl, person.email, `wrong-${attempt}`);
      await expect(page.getByRole("alert").textContent()).resolves.toBe("Wrong email or password.");
    }
    await signInThroughForm(page, short.baseUrl, person.email, person.password);
    const alert = page.getByRole("alert");
    await expect(alert.textContent()).resolves.toMatch(
      /^Too many failed sign-ins for this account\. Try again in [1-8] seconds?\.$/,
    );
    await saveScreenshot(page, "web-sign-in-locked");

    await new Promise((resolve) => setTimeout(resolve, 8_500));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: `Hello, ${person.name}` }).waitFor({ timeout: 30_000 });
    await page.context().close();
  });
});
