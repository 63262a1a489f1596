// The verification editor on a phone with a screenshot as people take them (an iMessage-style page
// from the OCR corpus, with an emoji sent on its own): what the reader is unsure of stands out, a
// tapped line shows its bubble on the image, a line is split and merged back, "Remove all flagged"
// drops exactly the flagged lines, and what is confirmed is what the server stores.
import { readFile } from "node:fs/promises";
import { launchChromium, saveScreenshot } from "@lockstep/e2e";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { allMessages, openAs, signUp } from "./session-support.ts";

const baseUrl = inject("baseUrl");
const CORPUS_IMAGE = new URL("../../../bench/ocr-corpus/images/dev/27-imessage-light.png", import.meta.url);
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The editor's lines as they stand: text, author and whether the line is flagged. */
function editorLines(page: Page) {
  return page
    .getByRole("list", { name: "Lines read from the screenshot" })
    .locator(":scope > li")
    .evaluateAll((items) =>
      items.map((item) => ({
        text: (item.querySelector("textarea") as HTMLTextAreaElement).value.trim(),
        author: (item.querySelector("select") as HTMLSelectElement).value,
        flagged: item.hasAttribute("data-flagged"),
      })),
    );
}

describe("screenshot verification editor", () => {
  it("flags what it is unsure of, shows a tapped line's bubble, splits, merges and removes the flagged on a phone", async () => {
    const person = await signUp(baseUrl);
    const session = await person.api.session.create.mutate({ type: "screenshot", name: "Concert chat" });
    const { page, errors } = await openAs(browser, baseUrl, person, { viewport: { width: 390, height: 844 } });
    await page.goto(`${baseUrl}/sessions/${session.id}`);
    await page.getByLabel("Screenshot file").setInputFiles({
      name: "concert.png",
      mimeType: "image/png",
      buffer: await readFile(CORPUS_IMAGE),
    });
    await page.getByRole("button", { name: "Upload" }).click();
    await page.getByRole("heading", { name: "Check what was read" }).waitFor({ timeout: 90_000 });

    const read = await editorLines(page);
    expect(read.length).toBeGreaterThanOrEqual(8);
    // The heart sent on its own has no letters to read: it is proposed, flagged, never guessed at.
    const flagged = read.filter((line) => line.flagged);
    expect(flagged.length).toBeGreaterThanOrEqual(1);
    await page.getByText(/lines? needs? a second look/).waitFor();
    const concert = read.findIndex((line) => /concert on Saturday/i.test(line.text));
    expect(concert).toBeGreaterThanOrEqual(0);

    // Tapping a line shows where its bubble is, with the image still in view above the lines.
    await page.getByLabel(`Text of line ${concert + 1}`).click();
    const box = page.getByTestId("picked-box");
    await box.waitFor();
    const picked = await box.boundingBox();
    const viewport = page.viewportSize()!;
    expect(picked!.width).toBeGreaterThan(20);
    expect(picked!.y + picked!.height).toBeLessThanOrEqual(viewport.height);
    await saveScreenshot(page, "web-screenshot-editor-phone");

    // Split the two-sentence line where the reader suggests (the caret at the start leaves it the
    // choice: the sentence end), then merge it back.
    await page.getByLabel(`Text of line ${concert + 1}`).press("Control+Home");
    await page.getByRole("button", { name: `Split line ${concert + 1}` }).click();
    const split = await editorLines(page);
    expect(split).toHaveLength(read.length + 1);
    expect(split[concert]!.text).toMatch(/Saturday\?$/);
    expect(split[concert + 1]!.text).toMatch(/^I have an extra ticket/i);
    await page.getByRole("button", { name: `Merge line ${concert + 1} with the next` }).click();
    expect(await editorLines(page)).toEqual(read);

    await page.getByRole("button", { name: "Remove all flagged" }).click();
    const kept = await editorLines(page);
    expect(kept).toEqual(read.filter((line) => !line.flagged));
    expect(await page.locator("[data-flagged]").count()).toBe(0);
    await saveScreenshot(page, "web-screenshot-editor-flagged-removed");

    await page.getByRole("button", { name: `Confirm ${kept.length} lines` }).click();
    await page.locator("[data-suggestion-id]").first().waitFor({ timeout: 60_000 });
    const stored = (await allMessages(person, session.id)).filter((message) => message.author !== "ai");
    expect(stored.map(({ text, author }) => ({ text, author }))).toEqual(
      kept.map(({ text, author }) => ({ text, author })),
    );
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
