// Usage limits in the chat, in a real browser against the shared server (the built-in coach, whose
// replies are counted as any model's): past a limit's soft threshold a notice near the composer says
// what is used and when it resets, and once dismissed stays away for the period; at the limit a
// regenerate, the suggestions and a screenshot upload are each refused in words where they started.
import { renderChatScreenshot } from "@lockstep/ai/testing";
import type { AppRouter } from "@lockstep/api";
import { launchChromium, saveScreenshot } from "@lockstep/e2e";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openAs, signUp, startTextSession } from "./session-support.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The seeded operator, signed in over HTTP, as a typed client. */
async function operator() {
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ email: "admin@lockstep.local", password: "lockstep-admin" }),
  });
  if (!response.ok) throw new Error(`operator sign-in failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${baseUrl}/trpc`, headers: { cookie, origin: baseUrl } })],
  });
}

/** The browser logs each refused request (429) as a console error; anything else is a real error. */
const unexpected = (errors: string[]) => errors.filter((error) => !/status of 429/.test(error));
const REFUSAL = /Your daily limit of 2 calls is used up \(2 used\); it resets at/;

describe("usage limits in the chat", () => {
  it("warns past the soft threshold, stays dismissed for the period, and refuses each call at the limit in words", async () => {
    const person = await signUp(baseUrl);
    const me = (await person.api.auth.me.query())!;
    const admin = await operator();
    await admin.admin.usage.saveLimit.mutate({
      userId: me.id,
      period: "daily",
      metric: "calls",
      amount: 2,
      softThreshold: 0.5,
    });
    const sessionId = await startTextSession(person);

    const { page, errors } = await openAs(browser, baseUrl, person, { viewport: { width: 1280, height: 900 } });
    await page.goto(`${baseUrl}/sessions/${sessionId}`);
    await page.getByLabel("Your message").waitFor();
    // Below the threshold there is nothing to say.
    expect(await page.locator("[data-usage-notice]").count()).toBe(0);

    await page.getByLabel("Your message").fill("She asked what I do on weekends.");
    await page.getByRole("button", { name: "Send" }).click();
    const reply = page.locator('[data-author="ai"]').first();
    await reply.waitFor({ timeout: 30_000 });

    // One of two calls used: half, which is this limit's threshold.
    const notice = page.locator('[data-usage-notice="daily-calls"]');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toMatch(
      /Nearing your usage limit\. You have used 1 of your 2 calls today \(50%\); the limit resets at/,
    );
    await saveScreenshot(page, "web-usage-notice");

    await notice.getByRole("button", { name: /Dismiss/ }).click();
    await expect.poll(() => notice.count()).toBe(0);
    await page.reload();
    await page.getByLabel("Your message").waitFor();
    await reply.waitFor();
    expect(await notice.count()).toBe(0);

    // The second call: a new version of the reply. Then the limit is used up.
    await reply.getByRole("button", { name: "Regenerate" }).click();
    await page.getByText("2 / 2").waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByRole("button", { name: "Regenerate" }).first().isDisabled()).toBe(false);
    await page.locator('[data-author="ai"]').first().getByRole("button", { name: "Regenerate" }).click();
    const refusedRegenerate = page.locator('[data-author="ai"]').first().getByRole("alert");
    await refusedRegenerate.waitFor({ timeout: 15_000 });
    expect(await refusedRegenerate.textContent()).toMatch(REFUSAL);
    // Nothing changed: still two versions, the second on screen.
    expect(await page.getByText("2 / 2").count()).toBe(1);
    await saveScreenshot(page, "web-usage-refused-regenerate");

    await page.getByRole("group", { name: "Session actions" }).getByRole("button", { name: "Get suggestions" }).click();
    // Said under the session's header (the regenerate's refusal is a line under the reply).
    const refusedSuggestions = page.locator('p[role="alert"]').filter({ hasText: REFUSAL });
    await refusedSuggestions.waitFor({ timeout: 15_000 });
    // Retrying at once cannot help until the limit resets, so none is offered.
    expect(await refusedSuggestions.getByRole("button", { name: "Retry" }).count()).toBe(0);
    expect((await person.api.session.get.query({ id: sessionId })).status).toBe("pending_user_input");
    await saveScreenshot(page, "web-usage-refused-suggestions");

    // Another browser (nothing dismissed there) sees the limit reached, near the composer.
    const other = await openAs(browser, baseUrl, person, { viewport: { width: 390, height: 844 } });
    await other.page.goto(`${baseUrl}/sessions/${sessionId}`);
    const reached = other.page.locator('[data-usage-notice="daily-calls"]');
    await reached.waitFor({ timeout: 15_000 });
    expect(await reached.textContent()).toMatch(/Usage limit reached\. You have used all 2 calls of your daily limit/);
    await saveScreenshot(other.page, "web-usage-notice-reached-narrow");

    // A screenshot reading is a call too: refused before the session moves, said under the upload.
    const shot = await person.api.session.create.mutate({ type: "screenshot", name: "Harbour chat" });
    await page.goto(`${baseUrl}/sessions/${shot.id}`);
    await page.getByRole("heading", { name: "Upload a screenshot of the chat" }).waitFor();
    const image = await renderChatScreenshot([
      { side: "left", text: "Are you free this weekend?" },
      { side: "right", text: "Maybe! What did you have in mind?" },
    ]);
    await page.getByLabel("Screenshot file").setInputFiles({ name: "chat.png", mimeType: "image/png", buffer: image });
    await page.getByRole("img", { name: "Preview of chat.png" }).waitFor();
    await page.getByRole("button", { name: "Upload" }).click();
    const refusedUpload = page.getByRole("alert").filter({ hasText: REFUSAL });
    await refusedUpload.waitFor({ timeout: 15_000 });
    expect(["pending_user_input", "previewing_screenshot"]).toContain(
      (await person.api.session.get.query({ id: shot.id })).status,
    );
    await saveScreenshot(page, "web-usage-refused-upload");

    expect(unexpected(errors)).toEqual([]);
    expect(unexpected(other.errors)).toEqual([]);
    await other.page.context().close();
    await page.context().close();
  });
});
