// Wire formats that need more than a plain schema: timestamps, OCR results, knowledge-chunk files.
import { z } from "zod";
import { MessageAuthor } from "./enums.ts";
import { OCR_LINE_ID_MAX, OCR_LINE_TEXT_MAX, OCR_LINES_MAX } from "./limits.ts";

// ------------------------------------------------------------------ timestamps

/** The largest instant a JS Date can hold; beyond it `new Date(ms)` is an Invalid Date. */
const MAX_EPOCH_MS = 8_640_000_000_000_000;

/** Wire timestamps are Unix epoch milliseconds (docs/decisions/0005); nothing on the wire predates 1970. */
export const ZEpochMsSchema = z
  .number({ error: "Timestamp must be a finite number of milliseconds since 1970-01-01T00:00:00Z" })
  .int({ error: "Timestamp must be a whole number of milliseconds" })
  .min(0, { error: "Timestamp must not be negative (before 1970-01-01T00:00:00Z)" })
  .max(MAX_EPOCH_MS, { error: "Timestamp is past the largest date JavaScript can represent" });
export type TEpochMs = z.infer<typeof ZEpochMsSchema>;

/**
 * Epoch milliseconds on the wire, Date in the program: `parse`/`decode` turns a number into a Date,
 * `z.encode` turns a Date back into the number.
 */
export const ZTimestampCodec = z.codec(ZEpochMsSchema, z.date({ error: "Timestamp must be a valid Date" }), {
  decode: (ms) => new Date(ms),
  encode: (date) => date.getTime(),
});

/** Throws a RangeError for an Invalid Date or one before 1970, which the wire cannot carry. */
export function toEpochMs(date: Date): number {
  const ms = date.getTime();
  const checked = ZEpochMsSchema.safeParse(ms);
  if (!checked.success) {
    throw new RangeError(`toEpochMs: ${Number.isNaN(ms) ? "Invalid Date" : checked.error.issues[0]?.message}`);
  }
  return checked.data;
}

/** Nullable columns (endedAt, deletedAt, ...) are common enough in DTO mapping to deserve a helper. */
export function toEpochMsOrNull(date: Date | null | undefined): number | null {
  return date == null ? null : toEpochMs(date);
}

export function fromEpochMs(ms: number): Date {
  const checked = ZEpochMsSchema.safeParse(ms);
  if (!checked.success) throw new RangeError(`fromEpochMs(${String(ms)}): ${checked.error.issues[0]?.message}`);
  return new Date(checked.data);
}

// ------------------------------------------------------------------ OCR result (docs/decisions/0007)

const OCR_AUTHORS = MessageAuthor.wire.options;

/**
 * Why a read line needs the person's eye: no legible text (emoji, a picture), a low OCR score, a
 * bubble too near the middle to tell its side, or a vision model that read its text or author
 * differently (or saw a bubble OCR did not).
 */
export const OCR_FLAGS = [
  "unreadable",
  "low_confidence",
  "author_unsure",
  "vision_text",
  "vision_author",
  "vision_only",
] as const;
export const ZOcrFlagSchema = z.enum(OCR_FLAGS, { error: `flag must be one of: ${OCR_FLAGS.join(", ")}` });
export type TOcrFlag = z.infer<typeof ZOcrFlagSchema>;

/** One line read from a screenshot; the person corrects these before the analysis runs. */
export const ZOcrLineSchema = z.object({
  id: z
    .string({ error: "id must be a string" })
    .min(1, { error: "id must not be empty" })
    .max(OCR_LINE_ID_MAX, { error: `id must be at most ${OCR_LINE_ID_MAX} characters` }),
  text: z
    .string({ error: "text must be a string" })
    .trim()
    .min(1, { error: "text must not be empty" })
    .max(OCR_LINE_TEXT_MAX, { error: `text must be at most ${OCR_LINE_TEXT_MAX} characters` }),
  // Same values as MessageAuthor.wire; re-declared only to give the field a message naming it.
  author: z.enum(OCR_AUTHORS, { error: `author must be one of: ${OCR_AUTHORS.join(", ")}` }),
  confidence: z
    .number({ error: "confidence must be a number" })
    .min(0, { error: "confidence must be between 0 and 1" })
    .max(1, { error: "confidence must be between 0 and 1" })
    .optional(),
  /** How sure the reader is of the author (from the bubble's horizontal position), 0 to 1. */
  authorConfidence: z
    .number({ error: "authorConfidence must be a number" })
    .min(0, { error: "authorConfidence must be between 0 and 1" })
    .max(1, { error: "authorConfidence must be between 0 and 1" })
    .optional(),
  /** Where the bubble is in the stored image, in its pixels, so a client can highlight it. */
  box: z
    .object({
      x: z.number().int().min(0),
      y: z.number().int().min(0),
      width: z.number().int().min(1),
      height: z.number().int().min(1),
    })
    .optional(),
  /** Why the person should look at this line (the verification editor marks these). */
  flags: z.array(ZOcrFlagSchema, { error: "flags must be an array" }).max(OCR_FLAGS.length).optional(),
  /** The group member's name shown in the bubble: a hint, kept out of the text. */
  sender: z.string().max(OCR_LINE_ID_MAX).optional(),
  /** The time shown in the bubble, kept out of the text. */
  time: z.string().max(32).optional(),
  /** What a vision model read for this bubble, where it disagrees with OCR. */
  alternative: z
    .object({ text: z.string().max(OCR_LINE_TEXT_MAX), author: z.enum(OCR_AUTHORS) })
    .partial()
    .optional(),
});
export type TOcrLine = z.infer<typeof ZOcrLineSchema>;

/** Line ids key the correction UI's edits, so two lines with one id would silently merge. */
export const ZOcrResultSchema = z
  .array(ZOcrLineSchema, { error: "OCR result must be an array of lines" })
  .max(OCR_LINES_MAX, { error: `OCR result must have at most ${OCR_LINES_MAX} lines` })
  .superRefine((lines, ctx) => {
    const firstIndex = new Map<string, number>();
    lines.forEach((line, index) => {
      const first = firstIndex.get(line.id);
      if (first === undefined) {
        firstIndex.set(line.id, index);
        return;
      }
      ctx.addIssue({
        code: "custom",
        path: [index, "id"],
        message: `duplicate OCR line id "${line.id}" (lines ${first} and ${index})`,
      });
    });
  });
export type TOcrResult = z.infer<typeof ZOcrResultSchema>;

// ------------------------------------------------------------------ knowledge chunks (RAG; docs/architecture.md)

export const ZKnowledgeGoalSchema = z.enum(["attraction", "comfort", "commitment", "closing"]);
export type TKnowledgeGoal = z.infer<typeof ZKnowledgeGoalSchema>;

export const ZKnowledgeTypeSchema = z.enum(["opener", "response", "closing", "follow_up"]);
export type TKnowledgeType = z.infer<typeof ZKnowledgeTypeSchema>;

export const ZRiskLevelSchema = z.enum(["low", "medium", "high"]);
export type TRiskLevel = z.infer<typeof ZRiskLevelSchema>;

export const ZKnowledgePhaseSchema = z.literal([1, 2, 3, 4]);
export type TKnowledgePhase = z.infer<typeof ZKnowledgePhaseSchema>;

/** Source files were written by hand and say phase as "1" as often as 1; both mean the same. */
const ZPhaseSourceValueSchema = z.union([ZKnowledgePhaseSchema, z.enum(["1", "2", "3", "4"])], {
  error: "phase must be 1, 2, 3 or 4 (as a number or a string)",
});

const nonEmptyText = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, { error: `${field} must not be empty` });

/** Values of one tag; the row keeps only the first, but the seed allows a list. */
const tagList = <T extends z.ZodType>(field: string, value: T) =>
  z.array(value, { error: `${field} must be an array` }).min(1, { error: `${field} must have at least one value` });

const ZLanguageVariantSchema = z.object({ text: nonEmptyText("text") });

/** One chunk as written in the knowledge source files (prisma/seed/data/knowledge). */
export const ZKnowledgeChunkSourceSchema = z.object({
  metadata: z.object({
    chunk_id: z
      .string({ error: "chunk_id must be a string" })
      .min(3, { error: "chunk_id must be at least 3 characters" })
      .max(100, { error: "chunk_id must be at most 100 characters" })
      .regex(/^[a-z0-9_]+$/, { error: "chunk_id may only contain lowercase letters, digits and underscores" }),
    version: z
      .string({ error: "version must be a string" })
      .regex(/^\d+\.\d+\.\d+$/, { error: 'version must look like "major.minor.patch", e.g. "2.0.0"' }),
    source: nonEmptyText("source").max(100, { error: "source must be at most 100 characters" }),
  }),
  // Only English is stored today; other languages may be present and must at least be well formed.
  languageVariants: z.object({ en: ZLanguageVariantSchema }).catchall(ZLanguageVariantSchema),
  embeddingStrings: z
    .array(nonEmptyText("embedding string"), { error: "embeddingStrings must be an array of strings" })
    .min(1, { error: "embeddingStrings must have at least one string" }),
  // phase, goal and type are required because retrieval filters on them: a chunk without them
  // would never be found.
  tags: z.object({
    phase: tagList("phase", ZPhaseSourceValueSchema),
    goal: tagList(
      "goal",
      z.enum(ZKnowledgeGoalSchema.options, {
        error: `goal must be one of: ${ZKnowledgeGoalSchema.options.join(", ")}`,
      }),
    ),
    type: tagList(
      "type",
      z.enum(ZKnowledgeTypeSchema.options, {
        error: `type must be one of: ${ZKnowledgeTypeSchema.options.join(", ")}`,
      }),
    ),
    technique: z.array(nonEmptyText("technique")).optional(),
    context: z.array(nonEmptyText("context")).optional(),
  }),
  situation: nonEmptyText("situation").optional(),
  guidance: z
    .object({
      primary_intent: nonEmptyText("primary_intent").optional(),
      risk_level: z
        .enum(ZRiskLevelSchema.options, { error: `risk_level must be one of: ${ZRiskLevelSchema.options.join(", ")}` })
        .optional(),
    })
    .optional(),
});
export type TKnowledgeChunkSource = z.infer<typeof ZKnowledgeChunkSourceSchema>;

/** Two chunks with one chunk_id would overwrite each other on import, so a file must not have them. */
function reportDuplicateChunkIds(
  ids: readonly (string | null)[],
  report: (index: number, message: string) => void,
): void {
  const firstIndex = new Map<string, number>();
  ids.forEach((id, index) => {
    if (id === null) return;
    const first = firstIndex.get(id);
    if (first === undefined) firstIndex.set(id, index);
    else report(index, `duplicate chunk_id "${id}" (first used by chunk ${first})`);
  });
}

const ZKnowledgeChunkListSchema = z.array(ZKnowledgeChunkSourceSchema).superRefine((chunks, ctx) => {
  reportDuplicateChunkIds(
    chunks.map((c) => c.metadata.chunk_id),
    (index, message) => ctx.addIssue({ code: "custom", path: [index, "metadata", "chunk_id"], message }),
  );
});

/** A knowledge source file: a bare array of chunks, or `{ chunks: [...] }`. */
export const ZKnowledgeFileSchema = z.union([
  ZKnowledgeChunkListSchema,
  z.object({ chunks: ZKnowledgeChunkListSchema }),
]);
export type TKnowledgeFile = z.infer<typeof ZKnowledgeFileSchema>;

/** A chunk as stored in `knowledge_chunks`, minus what the database fills in (ids, embedding, timestamps). */
export interface TKnowledgeChunkRow {
  chunkId: string;
  version: string;
  source: string;
  textContent: string;
  embeddingText: string;
  phase: TKnowledgePhase;
  goal: TKnowledgeGoal;
  type: TKnowledgeType;
  techniques: string[];
  context: string[];
  situation: string | null;
  primaryIntent: string | null;
  riskLevel: TRiskLevel | null;
}

function firstOf<T>(values: readonly T[], field: string): T {
  const [first] = values;
  if (first === undefined) throw new RangeError(`knowledgeChunkFromSource: ${field} has no value`);
  return first;
}

/** Maps a validated source chunk to its knowledge_chunks row (docs/architecture.md, Knowledge base). */
export function knowledgeChunkFromSource(src: TKnowledgeChunkSource): TKnowledgeChunkRow {
  return {
    chunkId: src.metadata.chunk_id,
    version: src.metadata.version,
    source: src.metadata.source,
    textContent: src.languageVariants.en.text,
    embeddingText: src.embeddingStrings.join("\n"),
    phase: ZKnowledgePhaseSchema.parse(Number(firstOf(src.tags.phase, "tags.phase"))),
    goal: firstOf(src.tags.goal, "tags.goal"),
    type: firstOf(src.tags.type, "tags.type"),
    techniques: [...(src.tags.technique ?? [])],
    context: [...(src.tags.context ?? [])],
    situation: src.situation ?? null,
    primaryIntent: src.guidance?.primary_intent ?? null,
    riskLevel: src.guidance?.risk_level ?? null,
  };
}

export interface TKnowledgeFileError {
  /** Position of the chunk in the file; -1 when the file as a whole is malformed. */
  index: number;
  /** The chunk's metadata.chunk_id when it is a string, so authors can find the chunk by name. */
  chunkId: string | null;
  /** Dotted path inside the chunk, e.g. `tags.goal.0`; empty when the chunk itself is wrong. */
  path: string;
  message: string;
}

export type TKnowledgeFileParseResult =
  { ok: true; chunks: TKnowledgeChunkRow[] } | { ok: false; errors: TKnowledgeFileError[] };

function readChunkId(chunk: unknown): string | null {
  if (typeof chunk !== "object" || chunk === null) return null;
  const metadata: unknown = (chunk as { metadata?: unknown }).metadata;
  if (typeof metadata !== "object" || metadata === null) return null;
  const id: unknown = (metadata as { chunk_id?: unknown }).chunk_id;
  return typeof id === "string" ? id : null;
}

/**
 * Validates a whole knowledge source file. All or nothing: a half-imported knowledge base would
 * answer from a different corpus than the file describes, so one bad chunk rejects the file and
 * every problem is reported at once, so the author can fix them in one pass.
 */
export function parseKnowledgeFile(json: unknown): TKnowledgeFileParseResult {
  let chunks: unknown[];
  if (Array.isArray(json)) {
    chunks = json;
  } else if (typeof json === "object" && json !== null && Array.isArray((json as { chunks?: unknown }).chunks)) {
    chunks = (json as { chunks: unknown[] }).chunks;
  } else {
    return {
      ok: false,
      errors: [
        {
          index: -1,
          chunkId: null,
          path: "",
          message: 'a knowledge file must be an array of chunks or { "chunks": [...] }',
        },
      ],
    };
  }

  const errors: TKnowledgeFileError[] = [];
  const rows: TKnowledgeChunkRow[] = [];
  const chunkIds = chunks.map(readChunkId);
  chunks.forEach((chunk, index) => {
    const chunkId = chunkIds[index] ?? null;
    const parsed = ZKnowledgeChunkSourceSchema.safeParse(chunk);
    if (parsed.success) {
      rows.push(knowledgeChunkFromSource(parsed.data));
      return;
    }
    for (const issue of parsed.error.issues) {
      errors.push({ index, chunkId, path: issue.path.map(String).join("."), message: issue.message });
    }
  });
  reportDuplicateChunkIds(chunkIds, (index, message) =>
    errors.push({ index, chunkId: chunkIds[index] ?? null, path: "metadata.chunk_id", message }),
  );

  if (errors.length > 0) {
    errors.sort((a, b) => a.index - b.index);
    return { ok: false, errors };
  }
  return { ok: true, chunks: rows };
}
