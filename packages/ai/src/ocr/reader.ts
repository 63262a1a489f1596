// Reads the bubbles of a chat screenshot one by one: each bubble found by the layout is cut out,
// turned black on white at a text size Tesseract reads well, and stacked into one strip that is
// recognised in one pass; the lines come back to their bubbles, lose what the app adds to a
// message (the time and ticks, a group member's name, which are kept apart), and become messages
// with their author from the bubble's side. What cannot be read is flagged, not guessed.
import type { TOcrFlag, TOcrLine } from "@lockstep/contracts";
import sharp from "sharp";
import { type Bubble, findLayout, type Layout } from "./bubbles.ts";
import type { OcrEngine, OcrTextLine, OcrWord } from "./pool.ts";
import { whitenBubble } from "./regions.ts";

/** What a line says when its bubble holds no legible text (an emoji or a sticker on its own). */
export const UNREADABLE_TEXT = "(emoji or picture)";

/**
 * Line height (px) the strip is drawn at. Tesseract's LSTM reads each line at a fixed height of
 * 36 px whatever it is given, so drawing the text larger only makes page analysis slower; on the
 * corpus 26 px read as well as 40 px (fewer character errors, in fact) in about half the time.
 */
const TARGET_LINE = 26;
const GAP = 28;
const MARGIN = 16;
/** Below this mean word confidence a line is flagged for a second look. */
const LOW_CONFIDENCE = 60;

const TIME = /^\d{1,2}[:.,;]\d{2}$/;
const MERIDIEM = /^[AaPp]\.?[Mm]\.?$/;
/** What ticks and receipt marks are read as when they follow a time. */
const TICKS = /^[^\p{L}\p{N}]{1,4}$|^[vVwWJjy]{1,3}$|^[vV][/\\]+$/u;

interface Piece {
  bubble: Bubble;
  top: number;
  height: number;
  scale: number;
  lines: OcrTextLine[];
  /** Three round dots in a row: the typing indicator. */
  typing: boolean;
}

/** Whether a small bubble's ink is three dots of one size side by side (someone is typing). */
function isTypingIndicator(pixels: Buffer, width: number, height: number): boolean {
  const seen = new Uint8Array(pixels.length);
  const blobs: { minX: number; maxX: number; minY: number; maxY: number }[] = [];
  for (let start = 0; start < pixels.length; start++) {
    if (seen[start] || pixels[start]! >= 160) continue;
    const blob = { minX: width, maxX: 0, minY: height, maxY: 0 };
    const stack = [start];
    seen[start] = 1;
    while (stack.length) {
      const cell = stack.pop()!;
      const x = cell % width;
      const y = (cell - x) / width;
      blob.minX = Math.min(blob.minX, x);
      blob.maxX = Math.max(blob.maxX, x);
      blob.minY = Math.min(blob.minY, y);
      blob.maxY = Math.max(blob.maxY, y);
      for (const next of [x > 0 ? cell - 1 : -1, x < width - 1 ? cell + 1 : -1, cell - width, cell + width]) {
        if (next >= 0 && next < pixels.length && !seen[next] && pixels[next]! < 160) {
          seen[next] = 1;
          stack.push(next);
        }
      }
    }
    if ((blob.maxX - blob.minX + 1) * (blob.maxY - blob.minY + 1) >= 4) blobs.push(blob);
    if (blobs.length > 3) return false;
  }
  if (blobs.length !== 3) return false;
  const sizes = blobs.map((blob) => [blob.maxX - blob.minX + 1, blob.maxY - blob.minY + 1] as const);
  const [w0, h0] = sizes[0]!;
  return sizes.every(([w, h]) => Math.abs(w - h) <= 2 + 0.25 * w && Math.abs(w - w0) <= 2 && Math.abs(h - h0) <= 2);
}

const luminance = (rgb: readonly number[]) => 0.299 * rgb[0]! + 0.587 * rgb[1]! + 0.114 * rgb[2]!;

/** The strip of whitened bubbles OCR reads for an image (for looking at what the reader sees). */
export async function bubbleStrip(image: Buffer): Promise<Buffer | null> {
  return (await stripOf(image, await findLayout(image)))?.strip ?? null;
}

async function stripOf(image: Buffer, layout: Layout): Promise<{ strip: Buffer; pieces: Piece[] } | null> {
  if (!layout.bubbles.length) return null;
  const grey = await sharp(image).removeAlpha().greyscale().raw().toBuffer({ resolveWithObject: true });
  const scale = Math.min(4, Math.max(0.6, TARGET_LINE / Math.max(1, layout.lineHeight)));
  const pieces: Piece[] = [];
  const crops: { input: Buffer; top: number; width: number; height: number }[] = [];
  let top = MARGIN;
  let widest = 0;
  for (const bubble of layout.bubbles) {
    const pixels = Buffer.alloc(bubble.width * bubble.height);
    for (let y = 0; y < bubble.height; y++) {
      const row = (bubble.y + y) * grey.info.width + bubble.x;
      grey.data.copy(pixels, y * bubble.width, row, row + bubble.width);
    }
    // The shape on the grid, eroded by a cell so the anti-aliased outline counts as outside.
    const alpha = Buffer.alloc(bubble.width * bubble.height);
    const inside = (gx: number, gy: number) =>
      gx >= 0 &&
      gy >= 0 &&
      gx < bubble.maskWidth &&
      gy < bubble.maskHeight &&
      bubble.mask[gy * bubble.maskWidth + gx] === 1;
    for (let y = 0; y < bubble.height; y++) {
      const gy = Math.floor((y * bubble.maskHeight) / bubble.height);
      for (let x = 0; x < bubble.width; x++) {
        const gx = Math.floor((x * bubble.maskWidth) / bubble.width);
        if (inside(gx, gy) && inside(gx - 1, gy) && inside(gx + 1, gy) && inside(gx, gy - 1) && inside(gx, gy + 1))
          alpha[y * bubble.width + x] = 255;
      }
    }
    const whitened = whitenBubble(pixels, alpha, luminance(bubble.fill));
    const width = Math.max(1, Math.round(bubble.width * scale));
    const height = Math.max(1, Math.round(bubble.height * scale));
    const resized = await sharp(whitened, { raw: { width: bubble.width, height: bubble.height, channels: 1 } })
      .resize({ width, height, kernel: scale > 1 ? "cubic" : "lanczos3" })
      .extractChannel(0)
      .raw()
      .toBuffer();
    crops.push({ input: resized, top, width, height });
    const small = bubble.height < 3 * layout.lineHeight && bubble.width < 6 * layout.lineHeight;
    pieces.push({
      bubble,
      top,
      height,
      scale,
      lines: [],
      typing: small && isTypingIndicator(whitened, bubble.width, bubble.height),
    });
    top += height + GAP;
    widest = Math.max(widest, width);
  }
  const stripWidth = widest + 2 * MARGIN;
  const stripHeight = top + MARGIN;
  const canvas = Buffer.alloc(stripWidth * stripHeight, 255);
  for (const crop of crops) {
    for (let y = 0; y < crop.height; y++)
      crop.input.copy(canvas, (crop.top + y) * stripWidth + MARGIN, y * crop.width, (y + 1) * crop.width);
  }
  const strip = await sharp(canvas, { raw: { width: stripWidth, height: stripHeight, channels: 1 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return { strip, pieces };
}

const wordHeight = (word: OcrWord) => word.bbox.y1 - word.bbox.y0;

/**
 * Takes the app's additions off a bubble's lines: the time (and ticks, AM/PM) at the end of the
 * last line. The app writes them smaller than the message, so they are told apart by height
 * against the message's tall letters (capitals, digits, ascenders), and by shape when alone.
 */
function stripMetadata(lines: OcrTextLine[]): { words: OcrWord[][]; time: string | undefined } {
  const words = lines.map((line) =>
    (line.words ?? [])
      .filter((word) => word.text.trim())
      // A lone "|" is Tesseract's usual misreading of the pronoun "I" in sans-serif fonts.
      .map((word) => (word.text === "|" ? { ...word, text: "I" } : word)),
  );
  const tall = words
    .flat()
    .filter((word) => /[A-Zbdfhklt]/.test(word.text) && !/[\dgjpqy,;]/.test(word.text))
    .map(wordHeight)
    .sort((a, b) => a - b);
  const typical = tall[tall.length >> 1] ?? 0;
  const small = (word: OcrWord) => typical > 0 && wordHeight(word) < 0.85 * typical;
  // The app leaves a wide space before the time (a word space is about a third of a letter's height).
  const farFrom = (line: OcrWord[], at: number) =>
    at === 0 || (typical > 0 && line[at]!.bbox.x0 - line[at - 1]!.bbox.x1 > 0.8 * typical);
  let time: string | undefined;
  for (let index = words.length - 1; index >= 0; index--) {
    const line = words[index]!;
    if (!line.length) continue;
    let at = line.length;
    const removed: OcrWord[] = [];
    // Ticks and "PM" in small type are often misread as marks or short letters ("py", "pum",
    // "av +»"): marks, and up to two short small words without digits, may end the line after the time.
    let letters = 0;
    while (at > 0) {
      const word = line[at - 1]!;
      const text = word.text.replace(/[()[\]]/g, "");
      if (/\d/.test(text)) break;
      if (!TICKS.test(text)) {
        if (letters === 2 || text.length > 6 || !(small(word) || MERIDIEM.test(text))) break;
        letters += 1;
      }
      removed.unshift(word);
      at -= 1;
    }
    while (at > 0) {
      const word = line[at - 1]!;
      const text = word.text.replace(/[()[\]]/g, "");
      const mark = MERIDIEM.test(text) || TICKS.test(text);
      const clock = TIME.test(text) && (at === 1 || small(word) || farFrom(line, at - 1));
      if (!(mark || clock || (small(word) && /\d/.test(text)))) break;
      removed.unshift(word);
      at -= 1;
    }
    // Only a removal that took a time with it is metadata ("?" alone is the message's own), or
    // small marks set apart from the message by the app's wide space (a time read as letters).
    const withTime = removed.some((word) => /\d/.test(word.text));
    const setApart = removed.length > 0 && at > 0 && removed.every((word) => small(word)) && farFrom(line, at);
    if (withTime || setApart) {
      words[index] = line.slice(0, at);
      time = removed
        .filter((word) => /\d/.test(word.text) || MERIDIEM.test(word.text))
        .map((word) => word.text)
        .join(" ");
      if (!time) time = undefined;
    }
    break;
  }
  return { words, time };
}

/** Mean ink colour of a box of the original picture (pixels far from the bubble's fill). */
function inkColour(
  rgb: { data: Buffer; width: number },
  box: { x0: number; y0: number; x1: number; y1: number },
  fill: readonly number[],
): [number, number, number] | null {
  const sum = [0, 0, 0];
  let count = 0;
  for (let y = Math.max(0, Math.floor(box.y0)); y < Math.ceil(box.y1); y++) {
    for (let x = Math.max(0, Math.floor(box.x0)); x < Math.min(rgb.width, Math.ceil(box.x1)); x++) {
      const offset = (y * rgb.width + x) * 3;
      const pixel = [rgb.data[offset]!, rgb.data[offset + 1]!, rgb.data[offset + 2]!];
      const distance = Math.max(...pixel.map((value, channel) => Math.abs(value - fill[channel]!)));
      if (distance < 90) continue;
      for (let channel = 0; channel < 3; channel++) sum[channel]! += pixel[channel]!;
      count += 1;
    }
  }
  return count < 4 ? null : (sum.map((value) => value / count) as [number, number, number]);
}

const cleanText = (text: string) =>
  text
    .replace(/\s+/g, " ")
    .trim()
    // A lone "|" is Tesseract's usual misreading of the pronoun "I" in sans-serif fonts.
    .replace(/(^|\s)\|(?=\s|$)/g, "$1I");

/** Words that are only stray marks (an emoji drawn as a box or a picture read as "@", "©"). */
function isJunk(word: OcrWord): boolean {
  const text = word.text;
  if (!/[\p{L}\p{N}]/u.test(text)) return !/^[.,!?;:'"()&-]+$/u.test(text);
  // A box drawn for an emoji the font lacks reads as brackets around a stroke: "[]", "[1", "0]".
  if (/[[\]{}|©®@¢§¤]/u.test(text) && text.replace(/[^\p{L}\p{N}]/gu, "").length <= 2) return true;
  return text.length <= 2 && word.confidence < 30 && !/^(I|a|A|ok|OK|no|so|hi|me|my|we)$/.test(text);
}

export interface ReadBubbles {
  lines: TOcrLine[];
  layout: Layout;
  raw: OcrTextLine[];
}

/** The messages of a screenshot, or null when it has no bubbles to read (plain text layouts). */
export async function readBubbles(engine: OcrEngine, image: Buffer): Promise<ReadBubbles | null> {
  const layout = await findLayout(image);
  const built = await stripOf(image, layout);
  if (!built) return null;
  const raw = await engine.recognize(built.strip);
  for (const line of raw) {
    const middle = (line.bbox.y0 + line.bbox.y1) / 2;
    const piece = built.pieces.find(
      (candidate) => middle >= candidate.top && middle < candidate.top + candidate.height,
    );
    piece?.lines.push(line);
  }
  const rgb = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const found: TOcrLine[] = [];
  for (const piece of built.pieces) {
    if (piece.typing) continue;
    const bubble = piece.bubble;
    const lines = piece.lines.sort((a, b) => a.bbox.y0 - b.bbox.y0);
    const { words, time } = stripMetadata(lines);
    let sender: string | undefined;
    // A group member's name: a short first line in another colour than the message.
    if (words.length > 1 && words[0]!.length && words[0]!.length <= 3 && words.slice(1).some((line) => line.length)) {
      const toImage = (box: OcrWord["bbox"]) => ({
        x0: bubble.x + (box.x0 - MARGIN) / piece.scale,
        x1: bubble.x + (box.x1 - MARGIN) / piece.scale,
        y0: bubble.y + (box.y0 - piece.top) / piece.scale,
        y1: bubble.y + (box.y1 - piece.top) / piece.scale,
      });
      const first = inkColour({ data: rgb.data, width: rgb.info.width }, toImage(lines[0]!.bbox), bubble.fill);
      const rest = inkColour({ data: rgb.data, width: rgb.info.width }, toImage(lines.at(-1)!.bbox), bubble.fill);
      if (first && rest && Math.max(...first.map((value, channel) => Math.abs(value - rest[channel]!))) > 60) {
        sender = words[0]!.map((word) => word.text).join(" ");
        words[0] = [];
      }
    }
    const kept = words.map((line) => line.filter((word) => !isJunk(word)));
    const text = cleanText(kept.map((line) => line.map((word) => word.text).join(" ")).join(" "));
    const all = kept.flat();
    const confidence = all.length ? all.reduce((sum, word) => sum + word.confidence, 0) / all.length / 100 : 0;
    const flags: TOcrFlag[] = [];
    const legible = /[\p{L}\p{N}]/u.test(text);
    if (!legible) {
      flags.push("unreadable");
    } else if (confidence * 100 < LOW_CONFIDENCE) flags.push("low_confidence");
    if (bubble.sideConfidence < 0.5) flags.push("author_unsure");
    found.push({
      id: "",
      text: legible ? text : UNREADABLE_TEXT,
      author: bubble.side === "right" ? "user" : "contact",
      confidence: Math.round(Math.min(1, Math.max(0, confidence)) * 100) / 100,
      authorConfidence: Math.round(bubble.sideConfidence * 100) / 100,
      box: { x: bubble.x, y: bubble.y, width: bubble.width, height: bubble.height },
      ...(flags.length ? { flags } : {}),
      ...(sender ? { sender } : {}),
      ...(time ? { time } : {}),
    });
  }
  for (const glyph of layout.glyphs) {
    found.push({
      id: "",
      text: UNREADABLE_TEXT,
      author: glyph.side === "right" ? "user" : "contact",
      confidence: 0,
      authorConfidence: 0.8,
      box: { x: glyph.x, y: glyph.y, width: Math.max(1, glyph.width), height: Math.max(1, glyph.height) },
      flags: ["unreadable"],
    });
  }
  found.sort((a, b) => (a.box?.y ?? 0) - (b.box?.y ?? 0));
  return {
    lines: found.map((line, index) => ({ ...line, id: `line-${index + 1}` })),
    layout,
    raw,
  };
}
