// Screenshot sessions (docs/decisions/0007): what the upload route accepts and answers, reading
// the OCR result back, and confirming the corrected lines, shared so the web app builds exactly these.
import { z } from "zod";
import { ZMessageDtoSchema, ZSessionDtoSchema } from "./dto.ts";
import { ZOcrResultSchema } from "./codecs.ts";
import { ZWritableAuthorSchema } from "./conversations.ts";
import { ZSessionStatusSchema } from "./enums.ts";
import { OCR_LINE_ID_MAX, OCR_LINE_TEXT_MAX, OCR_LINES_MAX, UPLOAD_MAX_BYTES } from "./limits.ts";

/** The image types an upload may be, recognised by content; the stored copy keeps its type. */
export const SCREENSHOT_MIME_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export const ZScreenshotMimeSchema = z.enum(SCREENSHOT_MIME_TYPES);
export type TScreenshotMime = z.infer<typeof ZScreenshotMimeSchema>;

/** The multipart field the upload route reads the file from. */
export const SCREENSHOT_FIELD = "file";
/** Smaller than this on either side cannot hold a readable line of chat. */
export const SCREENSHOT_MIN_SIDE = 32;
/** Larger than this on either side is not a screenshot (and would make OCR crawl). */
export const SCREENSHOT_MAX_SIDE = 12_000;
/** Statuses from which a (re)upload is legal: before one, while previewing, or to retry after an error. */
export const SCREENSHOT_UPLOAD_STATUSES = [
  "pending_user_input",
  "previewing_screenshot",
  "error",
] as const satisfies readonly z.infer<typeof ZSessionStatusSchema>[];

export const screenshotPath = (sessionId: string) => `/api/sessions/${sessionId}/screenshot`;

/** 202 answer of `POST /api/sessions/:id/screenshot`: the session, now analysis_in_progress. */
export const ZScreenshotUploadResultSchema = z.object({ session: ZSessionDtoSchema });
export type TScreenshotUploadResult = z.infer<typeof ZScreenshotUploadResultSchema>;

export const ZSessionOcrInputSchema = z.object({ id: z.uuid({ error: "must be a UUID" }) });

export const ZSessionOcrResultSchema = z.object({
  sessionId: z.string(),
  status: ZSessionStatusSchema,
  /** One entry per chat bubble read, top to bottom, with its author and confidences. */
  lines: ZOcrResultSchema,
  imageWidth: z.number().int().positive().optional(),
  imageHeight: z.number().int().positive().optional(),
});
export type TSessionOcrResult = z.infer<typeof ZSessionOcrResultSchema>;

/** A corrected line: the person may edit the text, switch the author, drop or reorder lines. */
export const ZConfirmedOcrLineSchema = z.object({
  id: z
    .string()
    .max(OCR_LINE_ID_MAX, { error: `id must be at most ${OCR_LINE_ID_MAX} characters` })
    .optional(),
  text: z
    .string({ error: "text must be a string" })
    .trim()
    .min(1, { error: "text must not be empty" })
    .max(OCR_LINE_TEXT_MAX, { error: `text must be at most ${OCR_LINE_TEXT_MAX} characters` }),
  author: ZWritableAuthorSchema,
});
export type TConfirmedOcrLine = z.infer<typeof ZConfirmedOcrLineSchema>;

export const ZSessionConfirmOcrInputSchema = z.object({
  id: z.uuid({ error: "must be a UUID" }),
  lines: z
    .array(ZConfirmedOcrLineSchema, { error: "lines must be an array" })
    .min(1, { error: "keep at least one line" })
    .max(OCR_LINES_MAX, { error: `at most ${OCR_LINES_MAX} lines` }),
});
export type TSessionConfirmOcrInput = z.infer<typeof ZSessionConfirmOcrInputSchema>;

/** What session.analyze and session.confirmOcr answer: the session (complete) and its new suggestions. */
export const ZSessionAnalysisResultSchema = z.object({
  session: ZSessionDtoSchema,
  suggestions: z.array(ZMessageDtoSchema),
});
export type TSessionAnalysisResult = z.infer<typeof ZSessionAnalysisResultSchema>;

/** Kept here so the route and the clients agree on it without reading limits.ts. */
export const SCREENSHOT_MAX_BYTES = UPLOAD_MAX_BYTES;
