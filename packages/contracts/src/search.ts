// Search over what was said: the input, and hits as sessions (by name) and messages (by text) with
// a highlighted snippet as plain parts, so no client ever renders markup from the server.
import { z } from "zod";
import { ZEpochMsSchema } from "./codecs.ts";
import { ZMessageAuthorSchema, ZSessionStatusSchema, ZSessionTypeSchema } from "./enums.ts";
import { SESSION_NAME_MAX } from "./limits.ts";
import { ZCursorSchema } from "./pagination.ts";

export const SEARCH_QUERY_MAX = SESSION_NAME_MAX;
export const SEARCH_PAGE_MAX = 50;

export const ZSessionSearchInputSchema = z.object({
  /** Words as people type them: "quoted phrases", `or`, and -excluded words work; the last word may be partial. */
  query: z
    .string({ error: "query must be a string" })
    .trim()
    .min(1, { error: "query must not be empty" })
    .max(SEARCH_QUERY_MAX, { error: `query must be at most ${SEARCH_QUERY_MAX} characters` }),
  /** Pages of message hits; session-name hits come with the first page only. */
  cursor: ZCursorSchema.nullish(),
  limit: z
    .number({ error: "limit must be a number" })
    .int({ error: "limit must be a whole number" })
    .min(1, { error: "limit must be at least 1" })
    .max(SEARCH_PAGE_MAX, { error: `limit must be at most ${SEARCH_PAGE_MAX}` })
    .default(20),
});
export type TSessionSearchInput = z.infer<typeof ZSessionSearchInputSchema>;

/** A snippet in order: the parts with `match` true are the words that matched, to be highlighted. */
export const ZSnippetSchema = z.array(z.object({ text: z.string(), match: z.boolean() }));
export type TSnippet = z.infer<typeof ZSnippetSchema>;

const ZSessionRefSchema = z.object({
  sessionId: z.string().min(1),
  sessionName: z.string().nullable(),
  sessionType: ZSessionTypeSchema,
  sessionStatus: ZSessionStatusSchema,
});

export const ZSessionNameHitSchema = ZSessionRefSchema.extend({
  name: ZSnippetSchema,
  lastActivity: ZEpochMsSchema,
});
export type TSessionNameHit = z.infer<typeof ZSessionNameHitSchema>;

export const ZMessageHitSchema = ZSessionRefSchema.extend({
  messageId: z.string().min(1),
  author: ZMessageAuthorSchema,
  timestamp: ZEpochMsSchema,
  snippet: ZSnippetSchema,
  /** ts_rank of the message against the query: the newest few hundred hits come best first, older ones by time. */
  rank: z.number(),
});
export type TMessageHit = z.infer<typeof ZMessageHitSchema>;

export const ZSessionSearchResultSchema = z.object({
  sessions: z.array(ZSessionNameHitSchema),
  messages: z.array(ZMessageHitSchema),
  nextCursor: ZCursorSchema.nullable(),
});
export type TSessionSearchResult = z.infer<typeof ZSessionSearchResultSchema>;

/** Marks ts_headline puts around matched words: control characters no message text can contain unnoticed. */
export const SNIPPET_START = "\u0002";
export const SNIPPET_STOP = "\u0003";

/** Splits a ts_headline result at its marks into snippet parts. */
export function snippetParts(marked: string): TSnippet {
  const parts: TSnippet = [];
  let rest = marked;
  while (rest.length) {
    const start = rest.indexOf(SNIPPET_START);
    if (start === -1) {
      parts.push({ text: rest, match: false });
      break;
    }
    if (start > 0) parts.push({ text: rest.slice(0, start), match: false });
    const stop = rest.indexOf(SNIPPET_STOP, start + 1);
    const end = stop === -1 ? rest.length : stop;
    const word = rest.slice(start + 1, end);
    if (word) parts.push({ text: word, match: true });
    rest = stop === -1 ? "" : rest.slice(stop + 1);
  }
  return parts;
}
