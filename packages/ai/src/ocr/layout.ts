// From OCR lines to chat messages: lines inside one bubble become one message, lines on the bare
// background are grouped by closeness, and each message's author follows its horizontal position
// (right: the person, `user`; left: `contact`), with a confidence that falls towards the middle.
import type { TOcrLine } from "@lockstep/contracts";
import type { OcrTextLine } from "./pool.ts";
import type { Box, Region } from "./regions.ts";

/** Lines Tesseract is less sure of than this, with no letter or digit in them, are noise. */
const MIN_LINE_CONFIDENCE = 35;
/** How far from the centre (as a share of the width) a bubble must sit to be attributed fully. */
const FULL_CONFIDENCE_OFFSET = 0.3;

interface PlacedLine {
  text: string;
  confidence: number;
  box: Box;
}

interface Group {
  lines: PlacedLine[];
  /** The bubble around the lines, when there is one; its edges say more than the text's. */
  frame: Box | null;
}

const union = (boxes: Box[]): Box => {
  const x = Math.min(...boxes.map((box) => box.x));
  const y = Math.min(...boxes.map((box) => box.y));
  const right = Math.max(...boxes.map((box) => box.x + box.width));
  const bottom = Math.max(...boxes.map((box) => box.y + box.height));
  return { x, y, width: right - x, height: bottom - y };
};

const contains = (outer: Box, x: number, y: number) =>
  x >= outer.x && x <= outer.x + outer.width && y >= outer.y && y <= outer.y + outer.height;

/** Whether a line is text rather than a speck or a bubble edge read as "|". */
function isText(line: PlacedLine): boolean {
  if (!/[\p{L}\p{N}]/u.test(line.text)) return false;
  return line.confidence >= MIN_LINE_CONFIDENCE || line.text.replace(/[^\p{L}\p{N}]/gu, "").length >= 3;
}

/** Side and confidence from where the box sits between the left and right edges. */
export function authorOf(box: Box, imageWidth: number): { author: "user" | "contact"; confidence: number } {
  const leftGap = box.x / imageWidth;
  const rightGap = (imageWidth - box.x - box.width) / imageWidth;
  const offset = Math.abs(leftGap - rightGap);
  return {
    author: rightGap < leftGap ? "user" : "contact",
    confidence: Math.round(Math.min(1, offset / FULL_CONFIDENCE_OFFSET) * 100) / 100,
  };
}

/**
 * Messages in reading order. `lines` and `bubbles` are in the original image's pixels; a line
 * belongs to the bubble holding its centre, other lines join the group just above them when they
 * are close under it and overlap it horizontally.
 */
export function groupIntoMessages(lines: OcrTextLine[], bubbles: Region[], imageWidth: number): TOcrLine[] {
  const placed: PlacedLine[] = lines
    .map((line) => ({
      // A lone "|" is Tesseract's usual misreading of the pronoun "I" in sans-serif fonts.
      text: line.text
        .replace(/\s+/g, " ")
        .trim()
        .replace(/(^|\s)\|(?=\s|$)/g, "$1I"),
      confidence: line.confidence,
      box: {
        x: line.bbox.x0,
        y: line.bbox.y0,
        width: Math.max(1, line.bbox.x1 - line.bbox.x0),
        height: Math.max(1, line.bbox.y1 - line.bbox.y0),
      },
    }))
    .filter(isText)
    .sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x);

  const byBubble = new Map<Region, Group>();
  const loose: Group[] = [];
  for (const line of placed) {
    const cx = line.box.x + line.box.width / 2;
    const cy = line.box.y + line.box.height / 2;
    const bubble = bubbles
      .filter((candidate) => contains(candidate, cx, cy))
      .sort((a, b) => a.width * a.height - b.width * b.height)[0];
    if (bubble) {
      const group = byBubble.get(bubble) ?? { lines: [], frame: bubble };
      group.lines.push(line);
      byBubble.set(bubble, group);
      continue;
    }
    const previous = loose.at(-1);
    const last = previous?.lines.at(-1);
    const close =
      last !== undefined &&
      // Wrapped lines of one message sit about half a line apart; messages, more than a line.
      line.box.y - (last.box.y + last.box.height) < 1.2 * Math.max(line.box.height, last.box.height) &&
      line.box.x < last.box.x + last.box.width &&
      last.box.x < line.box.x + line.box.width;
    if (previous && close) previous.lines.push(line);
    else loose.push({ lines: [line], frame: null });
  }

  const groups = [...byBubble.values(), ...loose].map((group) => ({
    ...group,
    box: union(group.lines.map((line) => line.box)),
  }));
  groups.sort((a, b) => (a.frame ?? a.box).y - (b.frame ?? b.box).y);
  return groups.map((group, index) => {
    const side = authorOf(group.frame ?? group.box, imageWidth);
    const confidence = group.lines.reduce((sum, line) => sum + line.confidence, 0) / group.lines.length / 100;
    const box = group.frame ?? group.box;
    return {
      id: `line-${index + 1}`,
      text: group.lines.map((line) => line.text).join(" "),
      author: side.author,
      confidence: Math.round(Math.min(1, Math.max(0, confidence)) * 100) / 100,
      authorConfidence: side.confidence,
      box: {
        x: Math.max(0, Math.round(box.x)),
        y: Math.max(0, Math.round(box.y)),
        width: Math.max(1, Math.round(box.width)),
        height: Math.max(1, Math.round(box.height)),
      },
    };
  });
}
