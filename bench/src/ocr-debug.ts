// Draws what the screenshot reader finds on one image (bubbles green, lone glyphs red, the
// conversation's top and bottom blue) and prints the lines it proposes, to see why it errs.
//   pnpm --filter @lockstep/bench exec tsx src/ocr-debug.ts <image> [out.png]
import { writeFile } from "node:fs/promises";
import { readFile } from "node:fs/promises";
import { bubbleStrip, createOcrPool, findLayout, recognizeMessages } from "@lockstep/ai";
import sharp from "sharp";

const [file, out = "/tmp/ocr-debug.png"] = process.argv.slice(2);
if (!file) throw new Error("usage: ocr-debug.ts <image> [out.png]");
const image = await readFile(file);
const layout = await findLayout(image);
const rect = (box: { x: number; y: number; width: number; height: number }, colour: string) =>
  `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" fill="none" stroke="${colour}" stroke-width="4"/>`;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}">${[
  ...layout.bubbles.map((bubble) => rect(bubble, bubble.side === "right" ? "#00c000" : "#ff8800")),
  ...layout.glyphs.map((glyph) => rect(glyph, "#ff0000")),
  `<line x1="0" x2="${layout.width}" y1="${layout.chat.top}" y2="${layout.chat.top}" stroke="blue" stroke-width="4"/>`,
  `<line x1="0" x2="${layout.width}" y1="${layout.chat.bottom}" y2="${layout.chat.bottom}" stroke="blue" stroke-width="4"/>`,
].join("")}</svg>`;
const drawn = await sharp(image)
  .composite([{ input: Buffer.from(svg) }])
  .png()
  .toBuffer();
await writeFile(out, await sharp(drawn).resize({ width: 600 }).png().toBuffer());
console.log(
  `chat ${layout.chat.top}..${layout.chat.bottom} of ${layout.height}, line height ${layout.lineHeight.toFixed(1)}, ${layout.bubbles.length} bubbles, ${layout.glyphs.length} glyphs`,
);
const engine = createOcrPool({ workers: 1 });
const { messages } = await recognizeMessages(engine, image);
for (const line of messages)
  console.log(
    `${line.author.padEnd(8)} ${JSON.stringify(line.text)} ${line.flags?.join(",") ?? ""} ${line.sender ?? ""} ${line.time ?? ""}`,
  );
await engine.terminate();
const strip = await bubbleStrip(image);
if (strip) await writeFile(out.replace(/\.png$/, "-strip.png"), strip);
