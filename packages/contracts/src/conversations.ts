// Inputs of the conversations API (session.*, message.*, collection.*), shared so clients build
// exactly what the server accepts, with the same limits and the same messages.
import { z } from "zod";
import { ZInteractionTypeSchema, ZMessageAuthorSchema, ZSessionStatusSchema, ZSessionTypeSchema } from "./enums.ts";
import { COLLECTION_NAME_MAX, MESSAGE_TEXT_MAX, SESSION_NAME_MAX } from "./limits.ts";
import { ZPageInputSchema } from "./pagination.ts";

/** Ids the client may make itself (sessions, messages) are UUIDs, so they cannot collide by accident. */
export const ZUuidSchema = z.uuid({ error: "must be a UUID" });

/** The same check as ZUuidSchema, for code that holds a plain value rather than an input to parse. */
export function isUuid(value: unknown): value is string {
  return ZUuidSchema.safeParse(value).success;
}

const ZSessionNameSchema = z
  .string()
  .trim()
  .min(1, { error: "name must not be empty" })
  .max(SESSION_NAME_MAX, { error: `name must be at most ${SESSION_NAME_MAX} characters` });

export const ZMessageTextSchema = z
  .string({ error: "text must be a string" })
  .trim()
  .min(1, { error: "text must not be empty" })
  .max(MESSAGE_TEXT_MAX, { error: `text must be at most ${MESSAGE_TEXT_MAX} characters` });

const ZCollectionNameSchema = z
  .string()
  .trim()
  .min(1, { error: "name must not be empty" })
  .max(COLLECTION_NAME_MAX, { error: `name must be at most ${COLLECTION_NAME_MAX} characters` });

export const ZSessionIdInputSchema = z.object({ id: ZUuidSchema });

export const ZSessionCreateInputSchema = z.object({
  /** Client-made id: sending the same create twice (a retry) returns the same session. */
  id: ZUuidSchema.optional(),
  type: ZSessionTypeSchema,
  name: ZSessionNameSchema.nullish(),
  characterId: ZUuidSchema.nullish(),
  episodeTemplateId: ZUuidSchema.nullish(),
});
export type TSessionCreateInput = z.infer<typeof ZSessionCreateInputSchema>;

export const ZSessionOrderSchema = z.enum(["last_activity", "created_at"]);

export const ZSessionListInputSchema = ZPageInputSchema.extend({
  orderBy: ZSessionOrderSchema.default("last_activity"),
  status: ZSessionStatusSchema.optional(),
  type: ZSessionTypeSchema.optional(),
  /** Only pinned (true) or only unpinned (false) sessions. */
  pinned: z.boolean().optional(),
  /** Pinned sessions before the others, each group in `orderBy` order. */
  pinnedFirst: z.boolean().default(false),
  /** The soft-deleted sessions instead of the live ones. */
  trash: z.boolean().default(false),
  /** Case-insensitive match on the session name. */
  query: z.string().trim().max(SESSION_NAME_MAX).optional(),
});
export type TSessionListInput = z.infer<typeof ZSessionListInputSchema>;

export const ZSessionRenameInputSchema = z.object({ id: ZUuidSchema, name: ZSessionNameSchema.nullable() });
export const ZSessionSetPinnedInputSchema = z.object({ id: ZUuidSchema, pinned: z.boolean() });
export const ZSessionTransitionInputSchema = z.object({ id: ZUuidSchema, to: ZSessionStatusSchema });

export const ZMessageDirectionSchema = z.enum(["older", "newer"]);

export const ZMessageListInputSchema = ZPageInputSchema.extend({
  sessionId: ZUuidSchema,
  /**
   * "older" (the default) starts from the newest messages and pages back in time; "newer" starts
   * from the first message and pages forward. Items are always in chronological order.
   */
  direction: ZMessageDirectionSchema.default("older"),
});
export type TMessageListInput = z.infer<typeof ZMessageListInputSchema>;

/** People write as themselves or paste what the contact said; only the server writes `ai`. */
export const ZWritableAuthorSchema = ZMessageAuthorSchema.extract(["user", "contact"]);

export const ZMessageSendInputSchema = z.object({
  sessionId: ZUuidSchema,
  /** Client-made id: a retry after a lost response never makes a second message. */
  id: ZUuidSchema.optional(),
  text: ZMessageTextSchema,
  author: ZWritableAuthorSchema.default("user"),
  /** Ask the session's character to answer; the reply streams through session.stream. */
  reply: z.boolean().default(false),
});
export type TMessageSendInput = z.infer<typeof ZMessageSendInputSchema>;

export const ZMessageUpdateInputSchema = z
  .object({ id: ZUuidSchema, text: ZMessageTextSchema.optional(), author: ZWritableAuthorSchema.optional() })
  .refine((input) => input.text !== undefined || input.author !== undefined, {
    error: "give text or author to change",
  });

export const ZMessageIdInputSchema = z.object({ id: ZUuidSchema });

/** Asks again for the coach's reply to a person's message whose reply failed. */
export const ZMessageRetryReplyInputSchema = z.object({ messageId: ZUuidSchema });
export type TMessageRetryReplyInput = z.infer<typeof ZMessageRetryReplyInputSchema>;

export const ZMessageReactInputSchema = z.object({
  messageId: ZUuidSchema,
  type: ZInteractionTypeSchema,
  /** true records the reaction, false takes it back (a copy cannot be taken back). */
  on: z.boolean().default(true),
});
export type TMessageReactInput = z.infer<typeof ZMessageReactInputSchema>;

export const ZCollectionCreateInputSchema = z.object({ name: ZCollectionNameSchema });
export const ZCollectionRenameInputSchema = z.object({ id: ZUuidSchema, name: ZCollectionNameSchema });
export const ZCollectionIdInputSchema = z.object({ id: ZUuidSchema });
export const ZCollectionMessageInputSchema = z.object({ collectionId: ZUuidSchema, messageId: ZUuidSchema });
export const ZCollectionMessagesInputSchema = ZPageInputSchema.extend({ collectionId: ZUuidSchema });
