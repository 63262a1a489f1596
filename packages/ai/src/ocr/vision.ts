// A second reading of a screenshot by a vision-capable model on an OpenAI-compatible endpoint:
// the image goes with a structured-output request for the conversation's turns (side, text, time),
// logged as its own AI interaction; then the turns are lined up with what OCR read, and each line
// where the two disagree on text or author (or a bubble only the model saw) is flagged for the
// person, with the model's reading beside it. OCR's text stays what the person edits.
import type { TOcrFlag, TOcrLine } from "@lockstep/contracts";
import OpenAI from "openai";
import { z } from "zod";
import type { CallContext, InteractionLog } from "../log/types.ts";
import type { ScreenshotFile } from "./read.ts";

export interface VisionReader {
  readonly model: string;
  readonly baseURL: string;
  read(options: { file: ScreenshotFile; log: InteractionLog; context: CallContext }): Promise<VisionTurn[]>;
}

export interface VisionTurn {
  side: "me" | "them";
  text: string;
  time: string | null;
}

const ZTurnsSchema = z.object({
  turns: z
    .array(
      z.object({
        side: z.enum(["me", "them"]),
        text: z.string(),
        time: z.string().nullable(),
      }),
    )
    .max(500),
});

/** The JSON schema sent as the response format (strict: every field required, none extra). */
const TURNS_JSON_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["turns"],
  properties: {
    turns: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["side", "text", "time"],
        properties: {
          side: { type: "string", enum: ["me", "them"] },
          text: { type: "string" },
          time: { type: ["string", "null"] },
        },
      },
    },
  },
} as const;

export const VISION_PROMPT =
  "This is a screenshot of a chat conversation. List the messages in the bubbles from top to bottom. " +
  'side is "me" for bubbles on the right (sent by the person who took the screenshot) and "them" for bubbles on the left. ' +
  "text is the message exactly as written, emoji included, without the time, read receipts, reactions or a group member's name. " +
  "time is the time shown in or beside the bubble, or null. Leave out the status bar, header, day separators, notices, " +
  "typing indicators and the message box.";

export function createVisionReader(config: { baseURL: string; apiKey: string | null; model: string }): VisionReader {
  const client = new OpenAI({
    baseURL: config.baseURL,
    apiKey: config.apiKey ?? "none",
    maxRetries: 1,
    timeout: 60_000,
  });
  return {
    model: config.model,
    baseURL: config.baseURL,
    async read({ file, log, context }) {
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
        provider: { name: "openai-compatible", kind: "openai_compatible", baseUrl: config.baseURL },
        model: config.model,
        promptText: VISION_PROMPT,
        // The image itself is not logged, only what identifies it.
        request: { model: config.model, image: fileMetadata, responseFormat: "chat_turns" },
        fileMetadata,
        metadata: { reader: "vision" },
        context,
      });
      const started = performance.now();
      try {
        const completion = await client.chat.completions.create({
          model: config.model,
          messages: [
            {
              role: "user",
              content: [
                { type: "text", text: VISION_PROMPT },
                { type: "image_url", image_url: { url: `data:${file.mime};base64,${file.data.toString("base64")}` } },
              ],
            },
          ],
          response_format: {
            type: "json_schema",
            json_schema: { name: "chat_turns", strict: true, schema: TURNS_JSON_SCHEMA },
          },
        });
        const content = completion.choices[0]?.message.content ?? "";
        const turns = ZTurnsSchema.parse(JSON.parse(content)).turns;
        const latencyMs = Math.round(performance.now() - started);
        await handle.succeed({
          response: { turns: turns.length },
          responses: turns.map((turn) => ({ content: turn.text, metadata: { side: turn.side, time: turn.time } })),
          usage: {
            inputTokens: completion.usage?.prompt_tokens ?? null,
            outputTokens: completion.usage?.completion_tokens ?? null,
          },
          metadata: { latencyMs },
        });
        return turns;
      } catch (error) {
        await handle.fail(error);
        throw error;
      }
    },
  };
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** Emoji and spacing aside (OCR cannot see emoji), how alike two readings are, 0..1. */
function likeness(a: string, b: string): number {
  const clean = (text: string) =>
    text
      .replace(/\p{Extended_Pictographic}|\u{FE0F}|\u{200D}/gu, "")
      .replace(/\s+/g, " ")
      .trim()
      .toLowerCase();
  const x = clean(a);
  const y = clean(b);
  const longest = Math.max(x.length, y.length);
  return longest === 0 ? 1 : 1 - levenshtein(x, y) / longest;
}

/** Alike enough to be the same bubble; below SAME_TEXT the texts are flagged as differing. */
const SAME_BUBBLE = 0.5;
const SAME_TEXT = 0.9;

/**
 * OCR's lines with the vision model's turns lined up (both top to bottom, by the best total
 * likeness): disagreements flagged with the model's reading, turns only the model saw added as
 * flagged lines in their place.
 */
export function crossCheck(lines: readonly TOcrLine[], turns: readonly VisionTurn[]): TOcrLine[] {
  const n = lines.length;
  const m = turns.length;
  const score = Array.from({ length: n + 1 }, () => new Float64Array(m + 1));
  const like = (i: number, j: number) =>
    lines[i]!.flags?.includes("unreadable") ? 0.6 : likeness(lines[i]!.text, turns[j]!.text);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const pair = like(i, j);
      score[i]![j] = Math.max(
        score[i + 1]![j]!,
        score[i]![j + 1]!,
        pair >= SAME_BUBBLE ? pair + score[i + 1]![j + 1]! : 0,
      );
    }
  }
  const result: TOcrLine[] = [];
  const flag = (line: TOcrLine, flags: TOcrFlag[], alternative: TOcrLine["alternative"]): TOcrLine => ({
    ...line,
    flags: [...new Set([...(line.flags ?? []), ...flags])],
    alternative: { ...line.alternative, ...alternative },
  });
  let i = 0;
  let j = 0;
  let added = 0;
  while (i < n || j < m) {
    if (i < n && j < m) {
      const pair = like(i, j);
      if (pair >= SAME_BUBBLE && score[i]![j] === pair + score[i + 1]![j + 1]!) {
        const line = lines[i]!;
        const turn = turns[j]!;
        const author = turn.side === "me" ? "user" : "contact";
        const flags: TOcrFlag[] = [];
        const alternative: NonNullable<TOcrLine["alternative"]> = {};
        if (!line.flags?.includes("unreadable") && likeness(line.text, turn.text) < SAME_TEXT) {
          flags.push("vision_text");
          alternative.text = turn.text;
        }
        if (author !== line.author) {
          flags.push("vision_author");
          alternative.author = author;
        }
        result.push(flags.length ? flag(line, flags, alternative) : line);
        i += 1;
        j += 1;
        continue;
      }
    }
    if (i < n && (j >= m || score[i + 1]![j]! >= score[i]![j + 1]!)) {
      result.push(lines[i]!);
      i += 1;
    } else {
      const turn = turns[j]!;
      added += 1;
      result.push({
        id: `vision-${added}`,
        text: turn.text.trim() || "(empty)",
        author: turn.side === "me" ? "user" : "contact",
        flags: ["vision_only"],
        ...(turn.time ? { time: turn.time } : {}),
      });
      j += 1;
    }
  }
  return result;
}
