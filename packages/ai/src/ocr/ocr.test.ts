// Real OCR on generated chat screenshots (sharp renders SVG bubbles; tesseract.js reads them with
// the bundled English data): text accuracy, one message per bubble, and the author of each.
import { afterAll, describe, expect, it } from "vitest";
import { type ChatBubble, type ChatScreenshotOptions, renderChatScreenshot } from "../../test/chat-screenshot.ts";
import { authorOf } from "./layout.ts";
import { createOcrPool } from "./pool.ts";
import { recognizeMessages } from "./read.ts";

const engine = createOcrPool({ workers: 2 });
afterAll(() => engine.terminate());

const CONVERSATION: ChatBubble[] = [
  { text: "Hey, are we still on for dinner tonight?", side: "left" },
  { text: "Yes! Seven o'clock at the Italian place near the station", side: "right" },
  { text: "Perfect. I will book a table for two", side: "left" },
  { text: "Great, see you there", side: "right" },
  { text: "Should I bring anything?", side: "left" },
  { text: "Just yourself and maybe that funny story about your cat", side: "right" },
];

const CASES: { name: string; options: ChatScreenshotOptions }[] = [
  { name: "iMessage, DejaVu Sans 24px", options: { theme: "imessage", fontFamily: "DejaVu Sans", fontSize: 24 } },
  {
    name: "WhatsApp, Liberation Sans 20px",
    options: { theme: "whatsapp", fontFamily: "Liberation Sans", fontSize: 20 },
  },
  { name: "dark mode, DejaVu Serif 22px", options: { theme: "dark", fontFamily: "DejaVu Serif", fontSize: 22 } },
  {
    name: "iMessage, Liberation Sans 16px, 480 wide",
    options: { theme: "imessage", fontFamily: "Liberation Sans", fontSize: 16, width: 480 },
  },
  {
    name: "no bubbles, text aligned left and right, DejaVu Sans 22px",
    options: { theme: "plain", fontFamily: "DejaVu Sans", fontSize: 22 },
  },
  {
    name: "WhatsApp, DejaVu Sans 30px, 1080 wide, JPEG",
    options: { theme: "whatsapp", fontFamily: "DejaVu Sans", fontSize: 30, width: 1080, format: "jpeg" },
  },
];

/** Levenshtein distance, for character accuracy = 1 - distance / expected length. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

const normalise = (text: string) => text.replace(/\s+/g, " ").trim();

async function read(image: Buffer) {
  return (await recognizeMessages(engine, image)).messages;
}

describe("reading generated chat screenshots", () => {
  const figures: string[] = [];
  afterAll(() => {
    console.log(`OCR accuracy on generated screenshots:\n${figures.join("\n")}`);
  });

  for (const { name, options } of CASES) {
    it(`${name}: at least 90% of the characters, one message per bubble, every author right`, async () => {
      const image = await renderChatScreenshot(CONVERSATION, options);
      const started = performance.now();
      const messages = await read(image);
      const elapsed = Math.round(performance.now() - started);
      const expected = normalise(CONVERSATION.map((bubble) => bubble.text).join("\n"));
      const actual = normalise(messages.map((message) => message.text).join("\n"));
      const accuracy = 1 - distance(actual, expected) / expected.length;
      const authorsRight = messages.filter(
        (message, index) => message.author === (CONVERSATION[index]?.side === "right" ? "user" : "contact"),
      ).length;
      figures.push(
        `  ${name}: ${(accuracy * 100).toFixed(1)}% characters, ${authorsRight}/${CONVERSATION.length} authors, ${messages.length} messages, ${elapsed} ms`,
      );
      expect(accuracy, actual).toBeGreaterThanOrEqual(0.9);
      expect(messages).toHaveLength(CONVERSATION.length);
      expect(messages.map((message) => message.author)).toEqual(
        CONVERSATION.map((bubble) => (bubble.side === "right" ? "user" : "contact")),
      );
      for (const message of messages) {
        // Without a bubble only the text's own extent tells the side, so the reader is less sure.
        expect(message.authorConfidence).toBeGreaterThan(options.theme === "plain" ? 0.2 : 0.5);
        expect(message.confidence).toBeGreaterThan(0.5);
      }
    });
  }

  it("finds nothing in a picture without text", async () => {
    const { default: sharp } = await import("sharp");
    const gradient = await sharp(
      Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"><defs><linearGradient id="g"><stop offset="0" stop-color="#3366cc"/><stop offset="1" stop-color="#ffcc66"/></linearGradient></defs><rect width="600" height="400" fill="url(#g)"/></svg>`,
      ),
    )
      .png()
      .toBuffer();
    expect(await read(gradient)).toEqual([]);
  });
});

describe("authorOf", () => {
  it("gives the right side to the person and the left to the contact, less sure towards the middle", () => {
    expect(authorOf({ x: 500, y: 0, width: 200, height: 40 }, 720)).toEqual({ author: "user", confidence: 1 });
    expect(authorOf({ x: 20, y: 0, width: 200, height: 40 }, 720)).toEqual({ author: "contact", confidence: 1 });
    const middle = authorOf({ x: 40, y: 0, width: 660, height: 40 }, 720);
    expect(middle.confidence).toBeLessThan(0.2);
  });
});
