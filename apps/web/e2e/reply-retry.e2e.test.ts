// A reply the model fails stays failed in the chat: under the person's message "The coach could not
// answer." with Retry, still there after a reload (it is stored), and Retry, pressed from the
// keyboard, brings the reply. Its own server, wired to a fake model that fails on request.
import { type FakeOpenAiServer, startFakeOpenAiServer } from "@lockstep/ai/testing";
import { launchChromium, type ProductServer, saveScreenshot, startProductServer } from "@lockstep/e2e";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allMessages, openAs, signUp, startTextSession } from "./session-support.ts";

const REPLY = "Ask what she liked about the concert.";
let model: FakeOpenAiServer;
let server: ProductServer;
let browser: Browser;

beforeAll(async () => {
  model = await startFakeOpenAiServer({ reply: REPLY });
  server = await startProductServer({
    env: {
      OPENAI_BASE_URL: model.baseURL,
      OPENAI_API_KEY: "e2e-key",
      OPENAI_CHAT_MODEL: "stub-chat",
      OPENAI_EMBEDDING_MODEL: "stub-embedding",
      // One model call per reply, so one fault fails it; a breaker that never opens.
      AI_RETRY_ATTEMPTS: "1",
      AI_BREAKER_THRESHOLD: "1000",
    },
  });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await model?.close();
});

describe("a reply that fails", () => {
  it("shows under the message with Retry, survives a reload, and Retry brings the reply", async () => {
    const person = await signUp(server.baseUrl);
    const sessionId = await startTextSession(person);
    const { page, errors } = await openAs(browser, server.baseUrl, person);
    await page.goto(`${server.baseUrl}/sessions/${sessionId}`);
    await page.getByText(/Nothing here yet/).waitFor();

    model.enqueue({ kind: "status", status: 500, endpoint: "chat", message: "the model is down" });
    const text = "She said the concert was amazing. What do I say?";
    await page.getByLabel("Your message").fill(text);
    await page.getByRole("button", { name: "Send" }).click();

    const mine = page.locator('[data-author="user"]', { hasText: text });
    await mine.getByText("The coach could not answer.").waitFor({ timeout: 30_000 });
    // The failure is said once, under the message, not also as a passing notice.
    await expect.poll(() => page.getByText(/could not answer/).count()).toBe(1);
    await saveScreenshot(page, "web-reply-failed");

    await page.reload();
    const retry = page.locator('[data-author="user"]', { hasText: text }).getByRole("button", {
      name: "Retry the coach's reply",
    });
    await retry.waitFor();
    const [stored] = await allMessages(person, sessionId);
    expect(stored).toMatchObject({ text, replyStatus: "failed" });

    await retry.focus();
    await page.keyboard.press("Enter");
    await page.locator('[data-author="ai"]', { hasText: REPLY }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByText("The coach could not answer.").count()).toBe(0);
    expect((await allMessages(person, sessionId)).map((message) => [message.author, message.replyStatus])).toEqual([
      ["user", null],
      ["ai", null],
    ]);
    await saveScreenshot(page, "web-reply-retried");
    // The failed model call is the server's business; the page itself logs nothing.
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
