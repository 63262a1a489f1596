// Real OCR on two screenshots of the benchmark corpus (bench/ocr-corpus): emoji sent on their own
// are proposed as flagged lines in their place, and in-bubble times and ticks stay out of the text.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createOcrPool } from "./pool.ts";
import { recognizeMessages } from "./read.ts";
import { UNREADABLE_TEXT } from "./reader.ts";

const CORPUS = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../../../bench/ocr-corpus/images/dev");

interface Truth {
  image: string;
  messages: { author: "me" | "them"; text: string; emojiOnly?: boolean }[];
}

const engine = createOcrPool({ workers: 1 });
afterAll(() => engine.terminate());

async function readCorpus(name: string) {
  const truth = JSON.parse(await readFile(path.join(CORPUS, `${name}.json`), "utf8")) as Truth;
  const { messages } = await recognizeMessages(engine, await readFile(path.join(CORPUS, truth.image)));
  return { truth, messages };
}

const author = (side: "me" | "them") => (side === "me" ? "user" : "contact");

describe("the corpus screenshots", () => {
  it("proposes each emoji sent on its own as one flagged line, in its place, with its author", async () => {
    // Google Messages, dark: "😍😍" twice and "👍" from my side, between text bubbles.
    const { truth, messages } = await readCorpus("16-google-messages-dark");
    expect(messages.map((line) => (line.flags?.includes("unreadable") ? "emoji" : "text"))).toEqual(
      truth.messages.map((message) => (message.emojiOnly ? "emoji" : "text")),
    );
    for (const [index, message] of truth.messages.entries()) {
      expect(messages[index]!.author).toBe(author(message.author));
      if (message.emojiOnly) expect(messages[index]!.text).toBe(UNREADABLE_TEXT);
    }
  }, 60_000);

  it("keeps times and ticks out of the text, whether beside the last words or under them", async () => {
    // WhatsApp on iOS, light: "4:02 PM ✓✓" sits beside short messages, "7:01 AM" under long ones.
    const { truth, messages } = await readCorpus("20-whatsapp-ios-light");
    expect(messages).toHaveLength(truth.messages.length);
    for (const [index, message] of truth.messages.entries()) {
      const line = messages[index]!;
      expect(line.author).toBe(author(message.author));
      expect(line.text).not.toMatch(/\d{1,2}[:.]\d{2}|✓/u);
      // The words themselves are read (Tesseract may still join "Oh no" into "Ohno").
      expect(line.text.replace(/\s/g, "")).toBe(message.text.replace(/\s/g, ""));
    }
  }, 60_000);
});
