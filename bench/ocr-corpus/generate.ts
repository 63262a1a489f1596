/// <reference lib="dom" />
// Writes the screenshot corpus the OCR accuracy benchmark reads: seeded conversations drawn as
// HTML in the looks of common messaging apps, rendered by Chromium at phone sizes and device
// scales, saved as PNG or JPEG beside a ground-truth JSON (the messages a person would transcribe).
//   pnpm --filter @lockstep/bench run ocr-corpus            (needs /usr/bin/chromium)
// Two sets: `dev` (the reader was tuned on it) and `holdout` (another seed, only ever measured).
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import sharp from "sharp";
import { prng } from "../src/timing.ts";
import { conversation, pick } from "./conversations.ts";
import { chatHtml } from "./html.ts";
import { type AppStyle, STYLES } from "./styles.ts";

export const CORPUS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "images");

export interface TruthMessage {
  author: "me" | "them";
  text: string;
  /** The group member's name shown in the bubble; a hint, not part of the text. */
  sender?: string;
  /** Only emoji: no letters to read (without a colour emoji font they render as plain glyphs or boxes). */
  emojiOnly?: boolean;
}

export interface Truth {
  image: string;
  style: AppStyle;
  theme: "light" | "dark";
  width: number;
  height: number;
  deviceScale: number;
  format: "png" | "jpeg";
  messages: TruthMessage[];
}

const WIDTHS = [360, 375, 390, 393, 412, 414, 428, 430];
const SCALES = [2, 2.625, 3];
/** Screenshots people pass on are often shrunk on the way; these target widths in pixels. */
const SHRUNK = [390, 480, 540, 640, 720];

const SETS = [
  { name: "dev", seed: 1, count: 45 },
  { name: "holdout", seed: 2, count: 18 },
] as const;

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const styles = Object.keys(STYLES) as AppStyle[];
  let bytes = 0;
  try {
    for (const set of SETS) {
      const dir = path.join(CORPUS_DIR, set.name);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      const random = prng(set.seed);
      for (let index = 0; index < set.count; index++) {
        const style = styles[(index + set.seed) % styles.length]!;
        // Each pass over the styles flips light and dark, so every style comes in both.
        const theme = (Math.floor(index / styles.length) + set.seed) % 2 === 1 ? "light" : "dark";
        const cssWidth = pick(random, WIDTHS);
        const cssHeight = Math.round(cssWidth * (1.55 + random() * 0.5));
        const scale = index === 0 ? 3 : pick(random, SCALES);
        const format = random() < 0.5 ? "jpeg" : "png";
        const chat = conversation(random, style, 14);
        const clock = `${1 + Math.floor(random() * 12)}:${String(Math.floor(random() * 60)).padStart(2, "0")}`;
        const context = await browser.newContext({
          viewport: { width: cssWidth, height: cssHeight },
          deviceScaleFactor: scale,
        });
        const page = await context.newPage();
        await page.setContent(chatHtml(style, theme, chat, { width: cssWidth, height: cssHeight }, clock));
        // Drop whatever the top edge of the conversation cuts, so the truth is what can be seen.
        const kept: number[] = await page.evaluate(() => {
          const area = document.getElementById("chat")!;
          const top = area.getBoundingClientRect().top;
          while (area.firstElementChild && area.firstElementChild.getBoundingClientRect().top < top + 2)
            area.firstElementChild.remove();
          return [...area.querySelectorAll<HTMLElement>("[data-index]")].map((row) => Number(row.dataset.index));
        });
        let image = await page.screenshot({ type: "png" });
        await context.close();
        let pipeline = sharp(image);
        const shrink = random() < 0.3 ? pick(random, SHRUNK) : null;
        if (shrink && shrink < cssWidth * scale) pipeline = pipeline.resize({ width: shrink, kernel: "lanczos3" });
        image =
          format === "jpeg"
            ? await pipeline.jpeg({ quality: 72 + Math.floor(random() * 20), mozjpeg: true }).toBuffer()
            : await pipeline.png({ palette: true, quality: 95, effort: 8 }).toBuffer();
        const metadata = await sharp(image).metadata();
        const name = `${String(index + 1).padStart(2, "0")}-${style}-${theme}.${format === "jpeg" ? "jpg" : "png"}`;
        const messages = chat.items.flatMap((item) =>
          item.kind === "message" && kept.includes(item.index)
            ? [
                {
                  author: item.author,
                  text: item.text,
                  ...(item.sender ? { sender: item.sender } : {}),
                  ...(item.emojiOnly ? { emojiOnly: true } : {}),
                },
              ]
            : [],
        );
        const truth: Truth = {
          image: name,
          style,
          theme,
          width: metadata.width,
          height: metadata.height,
          deviceScale: scale,
          format,
          messages,
        };
        await writeFile(path.join(dir, name), image);
        await writeFile(path.join(dir, name.replace(/\.\w+$/, ".json")), `${JSON.stringify(truth, null, 2)}\n`);
        bytes += image.length;
        console.log(
          `${set.name}/${name}: ${metadata.width}x${metadata.height}, ${messages.length} messages, ${Math.round(image.length / 1024)} KB`,
        );
      }
      console.log(`${set.name}: ${(await readdir(dir)).length / 2} images`);
    }
  } finally {
    await browser.close();
  }
  console.log(`total ${(bytes / 1024 / 1024).toFixed(1)} MB`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
