// A character's own chat model in Debian's Chromium against the built apps on a real server whose model is the
// fake OpenAI-compatible server: the operator fetches the default provider's models, picks one for a character on
// the characters page, and that character's next reply is asked of that model while another character keeps the
// default. Screenshot of the characters page with the choice saved.
import { type FakeOpenAiServer, startFakeOpenAiServer } from "@lockstep/ai/testing";
import { launchChromium, openPage, type ProductServer, saveScreenshot, startProductServer } from "@lockstep/e2e";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInThroughForm } from "./http.ts";

type Browser = Awaited<ReturnType<typeof launchChromium>>;

let browser: Browser;
let model: FakeOpenAiServer;
let server: ProductServer;

beforeAll(async () => {
  model = await startFakeOpenAiServer({ reply: "Ask them what made the week long." });
  server = await startProductServer({
    env: {
      OPENAI_BASE_URL: model.baseURL,
      OPENAI_API_KEY: "sk-test-key-for-the-fake",
      OPENAI_CHAT_MODEL: "gpt-4o-mini",
      OPENAI_EMBEDDING_MODEL: "text-embedding-3-small",
    },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await model?.close();
});

describe("a character's own chat model", () => {
  it("is picked in the admin and answers that character's replies", async () => {
    const { page, errors } = await signInThroughForm(browser, server.baseUrl);
    const nav = page.getByRole("navigation", { name: "Admin sections" });

    // The default chat provider's models, as its /models lists them.
    await nav.getByRole("link", { name: "Models & costs" }).click();
    const seeded = page.locator('li[data-provider="openai-compatible"]');
    await seeded.getByRole("button", { name: "Fetch models" }).click();
    await expect.poll(() => seeded.textContent(), { timeout: 20_000 }).toContain("fake-model");

    // The person's catalogue: the first character gets its own model, the second keeps the default.
    const person = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    await person.page.goto(`${server.baseUrl}/sign-in`);
    await person.page.getByLabel("Email").fill("demo@lockstep.local");
    await person.page.getByLabel("Password").fill("lockstep-demo");
    await person.page.getByRole("button", { name: "Sign in" }).click();
    await person.page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    const characters = await person.page.evaluate(async () => {
      const answer = (await (await fetch("/trpc/character.list")).json()) as {
        result: { data: { id: string; name: string }[] };
      };
      return answer.result.data;
    });
    expect(characters.length).toBeGreaterThan(1);
    const [own, plain] = characters as [{ id: string; name: string }, { id: string; name: string }];

    await nav.getByRole("link", { name: "Characters" }).click();
    const picker = page.getByLabel(`Chat model for ${own.name}`);
    await expect.poll(() => picker.isEnabled(), { timeout: 20_000 }).toBe(true);
    expect(await picker.locator("option").first().textContent()).toBe("Use the default (gpt-4o-mini)");
    await picker.selectOption("fake-model");
    await page.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    await picker.scrollIntoViewIfNeeded();
    await saveScreenshot(page, "admin-character-model");
    // Saved on the server: a reload shows the choice.
    await page.reload();
    await expect
      .poll(() => page.getByLabel(`Chat model for ${own.name}`).inputValue(), { timeout: 20_000 })
      .toBe("fake-model");

    const replyFrom = async (characterId: string) => {
      model.reset();
      const sent = await person.page.evaluate(async (id) => {
        const call = async (path: string, body: unknown) =>
          (await (
            await fetch(`/trpc/${path}`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(body),
            })
          ).json()) as { result?: { data: { id: string } } };
        const session = await call("session.create", { type: "text", characterId: id });
        return call("message.send", { sessionId: session.result!.data.id, text: "Their week was long", reply: true });
      }, characterId);
      expect(sent.result).toBeTruthy();
      await expect.poll(() => model.requestsTo("chat").length, { timeout: 30_000 }).toBeGreaterThan(0);
      // The reply is the first call; the session's title, asked after it of the default model (a task of
      // the app's, not the character's voice), may or may not have arrived by now.
      return model.requestsTo("chat")[0]!.body.model as string;
    };
    expect(await replyFrom(own.id)).toBe("fake-model");
    expect(await replyFrom(plain.id)).toBe("gpt-4o-mini");

    expect(errors).toEqual([]);
    await person.page.context().close();
    await page.context().close();
  });
});
