// Collections in the real app: create, rename, open one holding a real suggestion (from the built-in
// coach's analysis) shown as a suggestion card, remove it, and delete the collection after a confirmation.
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

describe("collections", () => {
  it("creates, renames, shows a saved suggestion, removes it and deletes the collection", async () => {
    const { page } = await openDevicePage(browser);
    await signUpThroughForm(page, baseUrl, newPerson("Ari"));

    // A real suggestion: a text session analysed by the built-in coach.
    const session = await api<{ id: string }>(page, "mutation", "session.create", {
      type: "text",
      name: "Weekend plans",
    });
    await api(page, "mutation", "message.send", {
      sessionId: session.id,
      text: "Hey, are you free this weekend?",
      author: "contact",
    });
    const analysis = await api<{ suggestions: { id: string; title: string | null; text: string }[] }>(
      page,
      "mutation",
      "session.analyze",
      { id: session.id },
    );
    const suggestion = analysis.suggestions[0];
    if (!suggestion) throw new Error("the analysis returned no suggestion");

    await page.getByRole("link", { name: "Collections" }).click();
    await page.getByRole("heading", { name: "Collections", level: 1 }).waitFor();
    await page.getByText("No collections yet.", { exact: false }).waitFor();
    await page.getByLabel("New collection").fill("Openers");
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("link", { name: /Openers/ }).waitFor();

    // Rename from the row's menu.
    await page.getByRole("button", { name: "Actions for Openers" }).click();
    await page.getByRole("menuitem", { name: "Rename" }).click();
    const rename = page.getByRole("dialog", { name: "Rename collection" });
    await rename.getByLabel("Name").fill("Best openers");
    await rename.getByRole("button", { name: "Save" }).click();
    await page.getByRole("link", { name: /Best openers/ }).waitFor();
    const [collection] = await api<{ id: string; name: string }[]>(page, "query", "collection.list");
    expect(collection?.name).toBe("Best openers");

    await api(page, "mutation", "collection.addMessage", { collectionId: collection?.id, messageId: suggestion.id });
    await page.reload();
    await page
      .getByRole("link", { name: /Best openers/ })
      .getByText("1 suggestion")
      .waitFor();
    await page.getByRole("link", { name: /Best openers/ }).click();
    await page.getByRole("heading", { name: "Best openers", level: 1 }).waitFor();
    const saved = page.getByRole("list", { name: "Saved suggestions" });
    await saved.getByText(suggestion.text.slice(0, 30)).waitFor();
    await saveScreenshot(page, "web-collection");

    const label = suggestion.title ?? suggestion.text.slice(0, 40);
    await page.getByRole("button", { name: `Remove from collection: ${label}` }).click();
    await page.getByText("Nothing saved here yet.", { exact: false }).waitFor();

    // Delete the collection, after a confirmation; the suggestion stays in its session.
    await page.getByRole("link", { name: "← All collections" }).click();
    await page.getByRole("button", { name: "Actions for Best openers" }).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    await page
      .getByRole("dialog", { name: "Delete this collection?" })
      .getByRole("button", { name: "Delete collection" })
      .click();
    await page.getByText("No collections yet.", { exact: false }).waitFor();
    expect(await api(page, "query", "collection.list")).toEqual([]);
    const messages = await api<{ items: { id: string }[] }>(page, "query", "message.list", { sessionId: session.id });
    expect(messages.items.map((m) => m.id)).toContain(suggestion.id);

    await saveScreenshot(page, "web-collections");
    await page.context().close();
  });
});
