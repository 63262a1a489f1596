// Reads one screenshot: prepares it, runs it through the OCR pool, groups the lines into authored
// messages, and records the run as an AI interaction (operation `ocr`) with its latency and the
// file's metadata, PENDING before and completed or failed after, like every model call.
import type { TOcrResult } from "@lockstep/contracts";
import { OCR_LINE_TEXT_MAX, OCR_LINES_MAX } from "@lockstep/contracts";
import type { CallContext, InteractionLog } from "../log/types.ts";
import { groupIntoMessages } from "./layout.ts";
import { OCR_MODEL, type OcrEngine, type OcrTextLine } from "./pool.ts";
import { readBubbles } from "./reader.ts";
import { type PreparedImage, prepareForOcr } from "./regions.ts";

export const OCR_PROVIDER = { name: "tesseract.js", kind: "builtin", baseUrl: null } as const;

export interface ScreenshotFile {
  data: Buffer;
  key: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  sha256: string;
}

export interface ScreenshotReading {
  lines: TOcrResult;
  interactionId: string;
  latencyMs: number;
}

/**
 * Reads one image into authored messages in reading order (no logging): bubble by bubble when the
 * layout has bubbles, else (text aligned left and right, no bubbles) the whole page at once.
 */
export async function recognizeMessages(
  engine: OcrEngine,
  image: Buffer,
): Promise<{ messages: TOcrResult; raw: OcrTextLine[]; bubbles: number }> {
  const read = await readBubbles(engine, image);
  if (read) {
    const messages = read.lines
      .slice(0, OCR_LINES_MAX)
      .map((line) => ({ ...line, text: line.text.slice(0, OCR_LINE_TEXT_MAX) }));
    return { messages, raw: read.raw, bubbles: read.layout.bubbles.length };
  }
  return wholePage(engine, image);
}

async function wholePage(
  engine: OcrEngine,
  image: Buffer,
): Promise<{ messages: TOcrResult; raw: OcrTextLine[]; bubbles: number }> {
  const prepared: PreparedImage = await prepareForOcr(image);
  const raw = await engine.recognize(prepared.image);
  // Tesseract read the (possibly upscaled) prepared picture; boxes go back to the stored image's pixels.
  const lines = raw.map((line) => ({
    ...line,
    bbox: {
      x0: line.bbox.x0 / prepared.scale,
      y0: line.bbox.y0 / prepared.scale,
      x1: line.bbox.x1 / prepared.scale,
      y1: line.bbox.y1 / prepared.scale,
    },
  }));
  const messages = groupIntoMessages(lines, prepared.bubbles, prepared.width)
    .slice(0, OCR_LINES_MAX)
    .map((line) => ({ ...line, text: line.text.slice(0, OCR_LINE_TEXT_MAX) }));
  return { messages, raw, bubbles: prepared.bubbles.length };
}

export async function readScreenshot(options: {
  engine: OcrEngine;
  log: InteractionLog;
  context: CallContext;
  file: ScreenshotFile;
}): Promise<ScreenshotReading> {
  const { engine, log, context, file } = options;
  const fileMetadata = {
    key: file.key,
    mime: file.mime,
    bytes: file.bytes,
    width: file.width,
    height: file.height,
    sha256: file.sha256,
  };
  const handle = await log.begin({
    operation: "ocr",
    provider: OCR_PROVIDER,
    model: OCR_MODEL,
    promptText: null,
    request: { image: fileMetadata, language: "eng", workers: engine.size },
    fileMetadata,
    context,
  });
  const started = performance.now();
  try {
    const { messages, raw, bubbles } = await recognizeMessages(engine, file.data);
    const latencyMs = Math.round(performance.now() - started);
    await handle.succeed({
      response: {
        lines: messages.length,
        rawLines: raw.length,
        bubbles,
      },
      responses: messages.map((message) => ({
        content: message.text,
        metadata: { author: message.author, confidence: message.confidence },
      })),
      usage: { inputTokens: null, outputTokens: null },
      metadata: { latencyMs },
    });
    return { lines: messages, interactionId: handle.id, latencyMs };
  } catch (error) {
    await handle.fail(error);
    throw error;
  }
}
