// The conversation controls in the built app, against a fake OpenAI-compatible model: the coach's
// markdown rendered safely (a script in a reply never runs), one reply at a time (a second send waits,
// the server refuses one anyway), Stop by Esc keeping the partial reply, Regenerate into versions,
// Edit into a branch that stays reachable, and Retry after a failed reply showing why it failed.
import { type FakeOpenAiServer, startFakeOpenAiServer } from "@lockstep/ai/testing";
import { launchChromium, type ProductServer, saveScreenshot, startProductServer } from "@lockstep/e2e";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allMessages, openAs, type Person, signUp, startTextSession } from "./session-support.ts";

const MARKDOWN_REPLY = [
  "**Bold move.** Try this:",
  "> Loved the show, want to get tacos after the next one?",
  "```",
  "const plan = 'tacos';",
  "```",
  "[a safe link](https://example.com) and [a trap](javascript:window.__xss=1)",
  '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>',
].join("\n\n");
const LONG_REPLY = Array.from({ length: 60 }, (_, i) => `step${i}`).join(" ");

let model: FakeOpenAiServer;
let server: ProductServer;
let browser: Browser;
let answers = 0;

function lastUserText(body: { messages?: { role: string; content: unknown }[] }): string {
  const last = body.messages?.findLast((message) => message.role === "user")?.content;
  return typeof last === "string" ? last : "";
}

beforeAll(async () => {
  model = await startFakeOpenAiServer({
    reply: (body) => {
      const asked = lastUserText(body);
      if (asked.includes("markdown")) return MARKDOWN_REPLY;
      if (asked.includes("long")) return LONG_REPLY;
      answers += 1;
      return `Answer number ${answers}.`;
    },
  });
  server = await startProductServer({
    env: {
      OPENAI_BASE_URL: model.baseURL,
      OPENAI_API_KEY: "e2e-key",
      OPENAI_CHAT_MODEL: "stub-chat",
      OPENAI_EMBEDDING_MODEL: "stub-embedding",
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

async function openSession(): Promise<{ person: Person; sessionId: string; page: Page; errors: string[] }> {
  const person = await signUp(server.baseUrl);
  const sessionId = await startTextSession(person);
  const { page, errors } = await openAs(browser, server.baseUrl, person);
  await page.goto(`${server.baseUrl}/sessions/${sessionId}`);
  await page.getByText(/Nothing here yet/).waitFor();
  return { person, sessionId, page, errors };
}

async function send(page: Page, text: string) {
  await page.getByLabel("Your message").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

const coachRows = (page: Page) => page.locator('[data-message-id][data-author="ai"]');
const composerIdle = (page: Page) => page.locator("[data-replying]").waitFor({ state: "detached", timeout: 30_000 });

describe("the coach's markdown", () => {
  it("renders formatting, a code block with Copy and safe links, and never runs a script in the reply", async () => {
    const { page, errors } = await openSession();
    await send(page, "show me markdown please");
    const reply = coachRows(page).first();
    await reply.locator("strong", { hasText: "Bold move." }).waitFor({ timeout: 30_000 });
    await expect.poll(() => reply.locator("blockquote").count()).toBe(1);
    expect(await reply.locator("pre code").textContent()).toContain("const plan = 'tacos';");
    await reply.getByRole("button", { name: "Copy code" }).waitFor();
    const safe = reply.getByRole("link", { name: "a safe link" });
    expect(await safe.getAttribute("target")).toBe("_blank");
    expect(await safe.getAttribute("rel")).toContain("noopener");
    // The javascript: link lost its href, raw HTML was not rendered, and nothing ran.
    expect(await reply.getByRole("link", { name: "a trap" }).count()).toBe(0);
    expect(await reply.locator("script, img").count()).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    // What the person wrote stays as typed.
    expect(await page.locator('[data-author="user"] [data-markdown]').count()).toBe(0);
    await composerIdle(page);
    await saveScreenshot(page, "web-markdown-reply");
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe("one reply at a time, and Stop", () => {
  it("holds a second send and Get suggestions while the reply streams, and Esc stops it keeping the partial text", async () => {
    const { person, sessionId, page, errors } = await openSession();
    model.enqueue({ kind: "ok", endpoint: "chat", chunkDelayMs: 120 });
    await send(page, "tell me something long");
    const streaming = page.locator("[data-streaming-id]");
    await streaming.getByText(/step3/).waitFor({ timeout: 30_000 });
    await page.getByText("The coach is replying. You can send once the reply is done.").waitFor();
    await page.getByLabel("Your message").fill("and another thing");
    expect(await page.getByRole("button", { name: "Send" }).isDisabled()).toBe(true);
    const suggestions = page.getByRole("button", { name: /suggestions/i });
    if ((await suggestions.count()) > 0) expect(await suggestions.first().isDisabled()).toBe(true);
    // The rule is the server's, not only the page's.
    await expect(person.api.message.send.mutate({ sessionId, text: "sneaking in", reply: true })).rejects.toThrow(
      /still replying/,
    );
    await saveScreenshot(page, "web-reply-streaming-composer-waits");

    await page.keyboard.press("Escape");
    const stopped = page.locator('[data-author="ai"][data-stopped]');
    await stopped.waitFor({ timeout: 30_000 });
    await composerIdle(page);
    const stored = (await allMessages(person, sessionId)).find((message) => message.author === "ai")!;
    expect(stored.stopped).toBe(true);
    expect(stored.text.length).toBeLessThan(LONG_REPLY.length);
    expect(LONG_REPLY.startsWith(stored.text)).toBe(true);
    expect(await stopped.getByText("Stopped").count()).toBe(1);
    // The text the person had typed is still there, and now it can be sent.
    expect(await page.getByRole("button", { name: "Send" }).isDisabled()).toBe(false);
    await saveScreenshot(page, "web-reply-stopped");
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe("versions", () => {
  it("regenerates a reply into versions with arrows between them", async () => {
    const { page, errors } = await openSession();
    await send(page, "what should I say?");
    const reply = coachRows(page).first();
    await reply.getByText(/Answer number/).waitFor({ timeout: 30_000 });
    const firstText = (await reply.locator("[data-markdown]").textContent())!;
    await composerIdle(page);
    await reply.getByRole("button", { name: "Regenerate" }).click();
    await page.getByText("2 / 2").waitFor({ timeout: 30_000 });
    const secondText = (await coachRows(page).first().locator("[data-markdown]").textContent())!;
    expect(secondText).not.toBe(firstText);
    await composerIdle(page);
    await saveScreenshot(page, "web-reply-regenerated-2-of-2");
    await page.getByRole("button", { name: "Previous version" }).click();
    await page.getByText("1 / 2").waitFor();
    expect(await coachRows(page).first().locator("[data-markdown]").textContent()).toBe(firstText);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("edits a message into a new branch, and the old branch stays reachable", async () => {
    const { page, errors } = await openSession();
    await send(page, "hey, how was the gig?");
    await coachRows(page)
      .first()
      .getByText(/Answer number/)
      .waitFor({ timeout: 30_000 });
    await composerIdle(page);
    const mine = page.locator('[data-message-id][data-author="user"]').first();
    await mine.getByRole("button", { name: "Edit" }).click();
    await saveScreenshot(page, "web-message-editing");
    await page.getByLabel("Edited message").fill("hey, how was the concert?");
    await page.getByRole("button", { name: "Save and resend" }).click();
    await page.locator('[data-author="user"]', { hasText: "how was the concert?" }).getByText("2 / 2").waitFor({
      timeout: 30_000,
    });
    await composerIdle(page);
    await expect.poll(() => coachRows(page).count()).toBe(1);
    await saveScreenshot(page, "web-message-edited-branch");
    await page.getByRole("button", { name: "Previous version" }).click();
    await page.locator('[data-author="user"]', { hasText: "how was the gig?" }).getByText("1 / 2").waitFor();
    await expect.poll(() => coachRows(page).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe("a failed reply", () => {
  it("says why under the message, and Retry brings the reply", async () => {
    const { page } = await openSession();
    model.enqueue({ kind: "status", status: 500, endpoint: "chat", message: "the model is down" });
    await send(page, "are you there?");
    const mine = page.locator('[data-author="user"]', { hasText: "are you there?" });
    await mine.getByText("The coach could not answer.").waitFor({ timeout: 30_000 });
    expect((await mine.locator("[data-reply-error]").textContent())?.trim()).toMatch(/\S/);
    await saveScreenshot(page, "web-reply-failed-with-reason");
    await mine.getByRole("button", { name: "Retry the coach's reply" }).click();
    await coachRows(page)
      .first()
      .getByText(/Answer number/)
      .waitFor({ timeout: 30_000 });
    await page.context().close();
  });
});
