// A screenshot session end to end in a real browser: a generated chat image is chosen, previewed and
// uploaded, read by the real OCR, corrected in the verification editor (edit, author switch, removal,
// reorder), confirmed, and answered with suggestions; what the server stored is checked afterwards.
import { renderChatScreenshot } from "@lockstep/ai/testing";
import { launchChromium, saveScreenshot } from "@lockstep/e2e";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { allMessages, openAs, signUp } from "./session-support.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe("screenshot session", () => {
  it("goes from upload through OCR verification to suggestions", async () => {
    const person = await signUp(baseUrl);
    const [character] = await person.api.character.list.query();
    const session = await person.api.session.create.mutate({
      type: "screenshot",
      characterId: character!.id,
      name: "Harbour chat",
    });
    const image = await renderChatScreenshot([
      { side: "left", text: "Hey, are you free this weekend?" },
      { side: "right", text: "Maybe! What did you have in mind?" },
      { side: "left", text: "Coffee at the harbour on Saturday" },
      { side: "right", text: "Sounds lovely" },
    ]);

    const { page, errors } = await openAs(browser, baseUrl, person);
    // Slows the upload's answer a little so the progress bar can be seen on the way.
    await page.route("**/api/sessions/*/screenshot", async (route) => {
      if (route.request().method() === "POST") await new Promise((resolve) => setTimeout(resolve, 300));
      await route.continue();
    });
    await page.goto(`${baseUrl}/sessions/${session.id}`);
    await page.getByRole("heading", { name: "Upload a screenshot of the chat" }).waitFor();

    await page.getByLabel("Screenshot file").setInputFiles({ name: "chat.png", mimeType: "image/png", buffer: image });
    await page.getByRole("img", { name: "Preview of chat.png" }).waitFor();
    await expect
      .poll(async () => (await person.api.session.get.query({ id: session.id })).status)
      .toBe("previewing_screenshot");
    await page.getByRole("button", { name: "Upload" }).click();
    await page.getByRole("progressbar", { name: "Upload progress" }).waitFor();

    // OCR runs in the background; the stream (or the poll behind it) brings the editor.
    const editor = page.getByRole("heading", { name: "Check what was read" });
    await editor.waitFor({ timeout: 60_000 });
    await page.getByRole("img", { name: "The uploaded screenshot" }).waitFor();
    const rows = page.getByRole("listitem").filter({ has: page.locator("textarea") });
    const readCount = await rows.count();
    expect(readCount).toBeGreaterThanOrEqual(3);
    const read = await rows
      .locator("textarea")
      .evaluateAll((areas) => areas.map((area) => (area as HTMLTextAreaElement).value));
    expect(read.join(" ")).toMatch(/harbour/i);

    // Corrections: fix the first line's words, give line 2 to the contact, drop the last line,
    // and move (what is now) the last line up, all from the keyboard-reachable controls.
    await page.getByLabel("Text of line 1").fill("Hey, are you free this weekend?");
    await page.getByLabel("Who wrote line 2").selectOption("contact");
    await page.getByRole("button", { name: `Remove line ${readCount}` }).click();
    await page.getByRole("button", { name: `Move line ${readCount - 1} up` }).focus();
    await page.keyboard.press("Enter");
    const expected = await rows.evaluateAll((items) =>
      items.map((item) => ({
        text: (item.querySelector("textarea") as HTMLTextAreaElement).value.trim(),
        author: (item.querySelector("select") as HTMLSelectElement).value,
      })),
    );
    expect(expected).toHaveLength(readCount - 1);
    expect(expected[1]?.author).toBe("contact");
    await saveScreenshot(page, "web-screenshot-verify");

    await page.getByRole("button", { name: `Confirm ${readCount - 1} lines` }).click();
    await page.locator("[data-suggestion-id]").first().waitFor({ timeout: 60_000 });
    await page.locator('[data-status="pending_user_input"]').waitFor();

    const stored = await allMessages(person, session.id);
    const people = stored.filter((message) => message.author !== "ai");
    expect(people.map(({ text, author }) => ({ text, author }))).toEqual(expected);
    const suggestions = stored.filter((message) => message.author === "ai" && message.title);
    expect(suggestions.length).toBeGreaterThan(0);
    await expect(page.locator("[data-suggestion-id]").count()).resolves.toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await saveScreenshot(page, "web-screenshot-suggestions");
    await page.context().close();
  });

  it("says in words when the file is not an image, before sending anything", async () => {
    const person = await signUp(baseUrl);
    const session = await person.api.session.create.mutate({ type: "screenshot" });
    const { page } = await openAs(browser, baseUrl, person);
    await page.goto(`${baseUrl}/sessions/${session.id}`);
    await page
      .getByLabel("Screenshot file")
      .setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    await expect(page.getByRole("alert").textContent()).resolves.toContain("is not a PNG, JPEG or WebP image");
    expect(await page.getByRole("button", { name: "Upload" }).isDisabled()).toBe(true);
    await saveScreenshot(page, "web-screenshot-refused");
    await page.context().close();
  });
});
