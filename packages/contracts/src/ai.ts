// Shapes of what the model is asked to return (validated before anything is stored), and the
// events a client receives while a session's reply or analysis is streaming.
import { z } from "zod";
import { ZMessageDtoSchema } from "./dto.ts";
import { ZSessionStatusSchema } from "./enums.ts";

export const SUGGESTIONS_MAX = 3;

export const ZSuggestionSchema = z.object({
  title: z.string().trim().min(1).max(120),
  tag: z.string().trim().min(1).max(40),
  text: z.string().trim().min(1).max(2000),
  analysis: z.string().trim().min(1).max(4000),
});
export type TSuggestion = z.infer<typeof ZSuggestionSchema>;

export const ZSuggestionsSchema = z.object({ suggestions: z.array(ZSuggestionSchema).min(1).max(SUGGESTIONS_MAX) });
export type TSuggestions = z.infer<typeof ZSuggestionsSchema>;

/** One event of `session.stream`; its tracked id is what a reconnecting client sends back. */
export const ZSessionStreamEventSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("token"), messageId: z.string(), text: z.string() }),
  z.object({ kind: z.literal("message"), message: ZMessageDtoSchema }),
  z.object({ kind: z.literal("status"), status: ZSessionStatusSchema, errorReason: z.string().nullable() }),
  z.object({ kind: z.literal("error"), messageId: z.string().nullable(), message: z.string(), retryable: z.boolean() }),
]);
export type TSessionStreamEvent = z.infer<typeof ZSessionStreamEventSchema>;

export const ZSessionStreamInputSchema = z.object({
  id: z.uuid({ error: "must be a UUID" }),
  /** tRPC's SSE link sends the last event id it saw when it reconnects. */
  lastEventId: z.string().max(64).nullish(),
});
