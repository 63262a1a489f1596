// A new embeddings default in Debian's Chromium against the built apps on a real server whose model is the fake
// OpenAI-compatible server (each model its own vectors): the models page says which model knowledge search uses,
// shows the re-embedding's progress while the job runs, and the new model once search has switched to it.
import { type FakeOpenAiServer, startFakeOpenAiServer } from "@lockstep/ai/testing";
import { launchChromium, type ProductServer, saveScreenshot, startProductServer } from "@lockstep/e2e";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInThroughForm } from "./http.ts";

type Browser = Awaited<ReturnType<typeof launchChromium>>;

let browser: Browser;
let model: FakeOpenAiServer;
let server: ProductServer;

beforeAll(async () => {
  model = await startFakeOpenAiServer({ embeddingDimensions: 1536, embeddingsPerModel: true });
  server = await startProductServer({
    env: {
      OPENAI_BASE_URL: model.baseURL,
      OPENAI_API_KEY: "sk-test-reembedding",
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

describe("re-embedding the knowledge base from the models page", () => {
  it("shows the model search uses, the progress of a re-embedding, and the switch", async () => {
    const { page, errors } = await signInThroughForm(browser, server.baseUrl);
    await page
      .getByRole("navigation", { name: "Admin sections" })
      .getByRole("link", { name: "Models & costs" })
      .click();
    const status = page.getByRole("status", { name: "Knowledge search model" });
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain("uses text-embedding-3-small");

    // The seeded provider offers a second embedding model (as a fetched or typed-in model list would).
    const saved = await page.evaluate(async () => {
      const providers = (await (await fetch("/trpc/admin.models.providers")).json()) as {
        result: { data: { id: string; models: string[] }[] };
      };
      const seeded = providers.result.data[0]!;
      const response = await fetch("/trpc/admin.models.updateProvider", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ id: seeded.id, models: [...seeded.models, "text-embedding-3-large"] }),
      });
      return response.ok;
    });
    expect(saved).toBe(true);
    await page.reload();

    // Slow embedding answers, so the page is seen while the job is under way.
    model.enqueue(
      { kind: "ok", endpoint: "embeddings", delayMs: 2500 },
      { kind: "ok", endpoint: "embeddings", delayMs: 2500 },
    );
    const form = page.getByRole("form", { name: "Default models" });
    const embeddings = form.getByLabel("Embeddings", { exact: true });
    await expect.poll(() => embeddings.locator("option").count(), { timeout: 20_000 }).toBeGreaterThan(2);
    await embeddings.selectOption({ label: "openai-compatible · text-embedding-3-large" });
    await form.getByRole("button", { name: "Save defaults" }).click();
    await expect
      .poll(() => status.textContent(), { timeout: 20_000 })
      .toMatch(/uses text-embedding-3-small\.\s*Re-embedding with text-embedding-3-large: \d+\/\d+ chunks/);
    await form.scrollIntoViewIfNeeded();
    await saveScreenshot(page, "admin-models-reembedding");

    // Search switches once every chunk has its new vector; the page follows without a reload.
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toContain("uses text-embedding-3-large");
    expect(await status.textContent()).not.toContain("Re-embedding");
    expect(model.requestsTo("embeddings").some((request) => request.body?.model === "text-embedding-3-large")).toBe(
      true,
    );
    expect(errors).toEqual([]);
  }, 150_000);
});
