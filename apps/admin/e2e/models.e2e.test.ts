// Models and costs in Debian's Chromium against the built apps on a real server whose model is the fake
// OpenAI-compatible server: the environment's provider seeded into an empty database, an operator adding a second
// provider with its key, fetching its models and testing it with a logged call, the key absent from every page
// and answer; the overview's cost panel after a priced reply; a person's usage on their profile, and a refusal in
// words once their limit is reached; a price edited in place and a person's limit chosen by email. Screenshots at
// desktop and phone widths.
import { type FakeOpenAiServer, startFakeOpenAiServer } from "@lockstep/ai/testing";
import { launchChromium, openPage, type ProductServer, saveScreenshot, startProductServer } from "@lockstep/e2e";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Browser = Awaited<ReturnType<typeof launchChromium>>;

const ENV_KEY = "sk-env-ENVSECRET-1234567890abcdef";
const ADDED_KEY = "sk-added-ADDEDSECRET-abcdef1234567890";

let browser: Browser;
let model: FakeOpenAiServer;
let second: FakeOpenAiServer;
let server: ProductServer;

beforeAll(async () => {
  model = await startFakeOpenAiServer({ apiKey: ENV_KEY, reply: "Ask them what made the week long." });
  second = await startFakeOpenAiServer({ apiKey: ADDED_KEY, reply: "OK" });
  server = await startProductServer({
    env: {
      OPENAI_BASE_URL: model.baseURL,
      OPENAI_API_KEY: ENV_KEY,
      OPENAI_CHAT_MODEL: "gpt-4o-mini",
      OPENAI_EMBEDDING_MODEL: "text-embedding-3-small",
      // Every request's log line, so the search for the key below covers them.
      LOG_LEVEL: "info",
    },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await model?.close();
  await second?.close();
});

describe("models and costs", () => {
  it("seeds the environment's provider, adds and tests another, and shows costs", async () => {
    const { page, errors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    const bodies: string[] = [];
    page.on("response", (response) => {
      if (response.url().includes("/trpc/"))
        void response.text().then(
          (t) => bodies.push(t),
          () => undefined,
        );
    });
    await page.goto(`${server.baseUrl}/admin/`);
    await page.getByLabel("Email").fill("admin@lockstep.local");
    await page.getByLabel("Password").fill("lockstep-admin");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page
      .getByRole("navigation", { name: "Admin sections" })
      .getByRole("link", { name: "Models & costs" })
      .click();
    await page.getByRole("heading", { name: "Models and costs" }).waitFor();

    // The environment's endpoint became the first provider, with its key saved (never shown).
    const seeded = page.locator('li[data-provider="openai-compatible"]');
    await seeded.waitFor();
    expect(await seeded.textContent()).toContain("key saved");
    expect(await seeded.textContent()).toContain("gpt-4o-mini");

    await page.getByRole("button", { name: "Add a provider" }).click();
    const form = page.getByRole("form", { name: "New provider" });
    await form.getByLabel("Name").fill("Second endpoint");
    await form.getByLabel("Base URL").fill(second.baseURL);
    await form.getByLabel("API key").fill(ADDED_KEY);
    await form.getByRole("button", { name: "Add provider" }).click();
    const added = page.locator('li[data-provider="Second endpoint"]');
    await added.waitFor();
    await added.getByRole("button", { name: "Fetch models" }).click();
    await expect
      .poll(() => added.getByLabel("Model to test").locator("option").count(), { timeout: 20_000 })
      .toBeGreaterThan(1);
    await added.getByLabel("Model to test").selectOption({ index: 1 });
    await added.getByRole("button", { name: "Test connection" }).click();
    await added.getByText("connected").waitFor();
    await saveScreenshot(page, "admin-models");

    await page.setViewportSize({ width: 390, height: 844 });
    await saveScreenshot(page, "admin-models-narrow");
    await page.setViewportSize({ width: 1280, height: 900 });

    // A person's reply, priced from the seeded price of gpt-4o-mini.
    const person = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    await person.page.goto(`${server.baseUrl}/sign-in`);
    await person.page.getByLabel("Email").fill("demo@lockstep.local");
    await person.page.getByLabel("Password").fill("lockstep-demo");
    await person.page.getByRole("button", { name: "Sign in" }).click();
    await person.page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    const sent = await person.page.evaluate(async () => {
      const call = async (path: string, body: unknown) =>
        (await (
          await fetch(`/trpc/${path}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          })
        ).json()) as { result?: { data: { id: string } } };
      const session = await call("session.create", { type: "text" });
      return call("message.send", { sessionId: session.result!.data.id, text: "Their week was long", reply: true });
    });
    expect(sent.result).toBeTruthy();
    await expect.poll(() => model.requestsTo("chat").length, { timeout: 30_000 }).toBeGreaterThan(0);

    // The overview's cost panel counts today's priced calls from the log at once.
    await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Overview" }).click();
    await page.getByRole("list", { name: "Cost by model" }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByRole("list", { name: "Cost by model" }).textContent()).toContain("gpt-4o-mini");
    await page.getByRole("heading", { name: "Cost", exact: true }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, "admin-overview-cost");

    // A limit of one reply a day: the person sees their usage, then a refusal in words.
    const limits = page
      .getByRole("navigation", { name: "Admin sections" })
      .getByRole("link", { name: "Models & costs" });
    await limits.click();
    const limitForm = page.getByRole("form", { name: "New limit" });
    await limitForm.getByLabel("Limit").fill("1");
    await limitForm.getByRole("button", { name: "Save limit" }).click();
    await page.getByRole("list", { name: "Limits" }).getByText("1 call a day").waitFor();

    await person.page.goto(`${server.baseUrl}/profile`);
    await person.page.getByRole("heading", { name: "Your usage" }).waitFor();
    await person.page.getByRole("list", { name: "Your limits" }).waitFor();
    await person.page.getByRole("heading", { name: "Your usage" }).scrollIntoViewIfNeeded();
    await saveScreenshot(person.page, "web-profile-usage");
    const refused = await person.page.evaluate(async () => {
      const call = async (path: string, body: unknown) =>
        (await (
          await fetch(`/trpc/${path}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          })
        ).json()) as { result?: { data: { id: string } }; error?: { message: string; data: { appCode: string } } };
      // Two sessions: within one, a second send would wait for the first reply instead of reaching the limit.
      const first = await call("session.create", { type: "text" });
      const second = await call("session.create", { type: "text" });
      await call("message.send", { sessionId: first.result!.data.id, text: "one more", reply: true });
      return call("message.send", { sessionId: second.result!.data.id, text: "and another", reply: true });
    });
    expect(refused.error?.data.appCode).toBe("USAGE_LIMIT_REACHED");
    expect(refused.error?.message).toMatch(/daily limit of 1 calls is used up/);

    await page.reload();
    await page.getByRole("list", { name: "Usage alerts" }).getByText("limit reached").first().waitFor();
    await page.getByRole("heading", { name: "Usage limits and alerts" }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, "admin-models-limits");

    // A price edited in place: the row becomes a form, and saving shows the new price in the table.
    const priceRow = page.locator('tr[data-price="gpt-4o-mini*"]').first();
    await priceRow.getByRole("button", { name: /^Edit gpt-4o-mini\*/ }).click();
    const priceForm = page.getByRole("form", { name: "Edit price gpt-4o-mini*" });
    await priceForm.getByLabel("Output $").fill("0.75");
    await priceForm.getByRole("button", { name: "Save price" }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, "admin-models-price-edit");
    await priceForm.getByRole("button", { name: "Save price" }).click();
    await priceForm.waitFor({ state: "detached" });
    await expect.poll(() => page.locator('tr[data-price="gpt-4o-mini*"]').first().textContent()).toContain("$0.750");

    // A person's own limit, chosen by searching their email.
    await limitForm.getByLabel("Applies to").selectOption("person");
    await limitForm.getByLabel("Measure").selectOption("tokens");
    await limitForm.getByLabel("Limit").fill("50000");
    await limitForm.getByRole("button", { name: "Save limit" }).click();
    await limitForm.getByText("Choose the person this limit is for.").waitFor();
    await limitForm.getByLabel("Person (search by email or name)").fill("demo@lock");
    await limitForm
      .getByRole("list", { name: "People found" })
      .getByRole("button", { name: /demo@lockstep\.local/ })
      .click();
    await limitForm.locator('[data-chosen-person="demo@lockstep.local"]').waitFor();
    await limitForm.scrollIntoViewIfNeeded();
    await saveScreenshot(page, "admin-models-person-limit");
    await limitForm.getByRole("button", { name: "Save limit" }).click();
    await page.getByRole("list", { name: "Limits" }).getByText("person demo@lockstep.local").waitFor();
    expect(await page.getByRole("list", { name: "Limits" }).textContent()).toContain("50,000 tokens a day");

    // No key anywhere: not in any page, any API answer, or any line the server wrote.
    const pages = [await page.content(), await person.page.content()].join("\n");
    for (const secret of ["ENVSECRET", "ADDEDSECRET"]) {
      expect(pages).not.toContain(secret);
      expect(bodies.join("\n")).not.toContain(secret);
      expect(server.output()).not.toContain(secret);
    }
    expect(errors).toEqual([]);
    await person.page.context().close();
    await page.context().close();
  });
});
