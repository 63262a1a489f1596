// What procedures return: entity shapes as clients see them (wire enums, epoch-ms timestamps).
import { z } from "zod";
import {
  ZEpochMsSchema,
  ZKnowledgeGoalSchema,
  ZKnowledgePhaseSchema,
  ZKnowledgeTypeSchema,
  ZRiskLevelSchema,
} from "./codecs.ts";
import {
  ZAiInteractionStatusSchema,
  ZAiOperationSchema,
  ZDataSourceSchema,
  ZMemoryKindSchema,
  ZMessageAuthorSchema,
  ZMessageSentimentSchema,
  ZReplyStatusSchema,
  ZRoleSchema,
  ZSessionStatusSchema,
  ZSessionTypeSchema,
} from "./enums.ts";

// Output schemas check shape, not formats (uuid, email): a format check here would turn one odd
// row into a 500 for the whole list, and inputs are where formats are enforced.
const ZIdSchema = z.string().min(1);
const ZCountSchema = z.number().int().nonnegative();
const ZEpochMsOrNullSchema = ZEpochMsSchema.nullable();

export const ZUserDtoSchema = z.object({
  id: ZIdSchema,
  email: z.string(),
  name: z.string(),
  image: z.string().nullable(),
  role: ZRoleSchema,
  /** Derived from users.disabled_at; clients only need to know whether, not when. */
  disabled: z.boolean(),
  createdAt: ZEpochMsSchema,
});
export type TUserDto = z.infer<typeof ZUserDtoSchema>;

export const ZEpisodeTemplateDtoSchema = z.object({
  id: ZIdSchema,
  characterId: ZIdSchema,
  slug: z.string(),
  title: z.string(),
  situation: z.string(),
  openingLine: z.string().nullable(),
  sortOrder: z.number().int(),
  isActive: z.boolean(),
});
export type TEpisodeTemplateDto = z.infer<typeof ZEpisodeTemplateDtoSchema>;

/** The system prompt is left out on purpose: people chatting never see how a persona is built. */
export const ZCharacterDtoSchema = z.object({
  id: ZIdSchema,
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  avatar: z.string().nullable(),
  isActive: z.boolean(),
  templates: z.array(ZEpisodeTemplateDtoSchema),
});
export type TCharacterDto = z.infer<typeof ZCharacterDtoSchema>;

/** The admin tool edits characters, so it gets what the chat client must not. */
export const ZCharacterAdminDtoSchema = ZCharacterDtoSchema.extend({
  systemPrompt: z.string(),
  /** Its own chat model on the default chat provider; null uses the default chat model. */
  chatModel: z.string().nullable(),
  createdAt: ZEpochMsSchema,
  updatedAt: ZEpochMsSchema,
});
export type TCharacterAdminDto = z.infer<typeof ZCharacterAdminDtoSchema>;

export const ZEngagementDtoSchema = z.object({
  id: ZIdSchema,
  userId: ZIdSchema,
  characterId: ZIdSchema,
  totalSessions: ZCountSchema,
  totalMessages: ZCountSchema,
  firstMetAt: ZEpochMsSchema,
  lastInteractionAt: ZEpochMsOrNullSchema,
  engagementNotes: z.string().nullable(),
});
export type TEngagementDto = z.infer<typeof ZEngagementDtoSchema>;

export const ZSessionDtoSchema = z.object({
  id: ZIdSchema,
  type: ZSessionTypeSchema,
  status: ZSessionStatusSchema,
  name: z.string().nullable(),
  characterId: ZIdSchema.nullable(),
  engagementId: ZIdSchema.nullable(),
  episodeTemplateId: ZIdSchema.nullable(),
  /** The storage key stays on the server; the client fetches the image through the upload route. */
  hasScreenshot: z.boolean(),
  errorReason: z.string().nullable(),
  createdAt: ZEpochMsSchema,
  updatedAt: ZEpochMsSchema,
  lastActivity: ZEpochMsSchema,
  endedAt: ZEpochMsOrNullSchema,
  deletedAt: ZEpochMsOrNullSchema,
  isActive: z.boolean(),
  isPinned: z.boolean(),
});
export type TSessionDto = z.infer<typeof ZSessionDtoSchema>;

export const ZMessageDtoSchema = z.object({
  id: ZIdSchema,
  sessionId: ZIdSchema,
  text: z.string(),
  author: ZMessageAuthorSchema,
  timestamp: ZEpochMsSchema,
  sentiment: ZMessageSentimentSchema.nullable(),
  collectionIds: z.array(ZIdSchema),
  title: z.string().nullable(),
  tag: z.string().nullable(),
  analysis: z.string().nullable(),
  // The four below are computed from user_message_interactions for the requesting person (docs/architecture.md).
  isLiked: z.boolean(),
  isDisliked: z.boolean(),
  isPinned: z.boolean(),
  usedCount: ZCountSchema,
  /** Written by the built-in offline provider, which the UI must label as such (docs/architecture.md). */
  builtIn: z.boolean(),
  /** On a person's message: the coach's reply is being made (pending) or gave up (failed); null otherwise. */
  replyStatus: ZReplyStatusSchema.nullable(),
  /** Why the reply failed, fit to show; null unless replyStatus is "failed". */
  replyError: z.string().nullable(),
  /** The message this one follows in the conversation tree; null for a first message. */
  parentId: ZIdSchema.nullable(),
  /** The versions of this turn (regenerated replies, edited messages), oldest first; just [id] when there is one. */
  versions: z.array(ZIdSchema).min(1),
  /** A coach reply the person stopped: the text is what had arrived by then. */
  stopped: z.boolean(),
});
export type TMessageDto = z.infer<typeof ZMessageDtoSchema>;

export const ZCollectionDtoSchema = z.object({
  id: ZIdSchema,
  name: z.string(),
  /** Messages bookmarked into it that are still visible (not in a deleted session). */
  messageCount: ZCountSchema,
  createdAt: ZEpochMsSchema,
  updatedAt: ZEpochMsSchema,
});
export type TCollectionDto = z.infer<typeof ZCollectionDtoSchema>;

export const ZMemoryDtoSchema = z.object({
  id: ZIdSchema,
  characterId: ZIdSchema,
  sessionId: ZIdSchema.nullable(),
  messageId: ZIdSchema.nullable(),
  kind: ZMemoryKindSchema,
  content: z.string(),
  importance: z.number().int(),
  createdAt: ZEpochMsSchema,
});
export type TMemoryDto = z.infer<typeof ZMemoryDtoSchema>;

export const ZKnowledgeChunkDtoSchema = z.object({
  id: ZIdSchema,
  chunkId: z.string(),
  version: z.string(),
  source: z.string(),
  isActive: z.boolean(),
  textContent: z.string(),
  embeddingText: z.string(),
  /** The 1536 floats stay in the database; the admin tool only needs to know whether they exist. */
  hasEmbedding: z.boolean(),
  // Nullable because the columns are; rows only ever come from parseKnowledgeFile, which fills them.
  phase: ZKnowledgePhaseSchema.nullable(),
  goal: ZKnowledgeGoalSchema.nullable(),
  type: ZKnowledgeTypeSchema.nullable(),
  techniques: z.array(z.string()),
  context: z.array(z.string()),
  situation: z.string().nullable(),
  primaryIntent: z.string().nullable(),
  riskLevel: ZRiskLevelSchema.nullable(),
  createdAt: ZEpochMsSchema,
  updatedAt: ZEpochMsSchema,
});
export type TKnowledgeChunkDto = z.infer<typeof ZKnowledgeChunkDtoSchema>;

/** One logged model call, as the admin interaction log shows it. */
export const ZAiInteractionDtoSchema = z.object({
  id: ZIdSchema,
  providerId: ZIdSchema,
  modelName: z.string(),
  operation: ZAiOperationSchema,
  promptText: z.string().nullable(),
  promptHash: z.string().nullable(),
  request: z.json(),
  response: z.json().nullable(),
  status: ZAiInteractionStatusSchema,
  latencyMs: ZCountSchema.nullable(),
  timeToFirstTokenMs: ZCountSchema.nullable(),
  inputTokens: ZCountSchema.nullable(),
  outputTokens: ZCountSchema.nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  userId: ZIdSchema.nullable(),
  sessionId: ZIdSchema.nullable(),
  ipAddress: z.string().nullable(),
  fileMetadata: z.json().nullable(),
  dataSource: ZDataSourceSchema,
  metadata: z.json().nullable(),
  createdAt: ZEpochMsSchema,
  updatedAt: ZEpochMsSchema,
  deletedAt: ZEpochMsOrNullSchema,
});
export type TAiInteractionDto = z.infer<typeof ZAiInteractionDtoSchema>;

export const ZAuditLogDtoSchema = z.object({
  id: ZIdSchema,
  actorId: ZIdSchema.nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.json().nullable(),
  after: z.json().nullable(),
  ipAddress: z.string().nullable(),
  requestId: z.string().nullable(),
  createdAt: ZEpochMsSchema,
});
export type TAuditLogDto = z.infer<typeof ZAuditLogDtoSchema>;

export const ZHealthDtoSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  version: z.string(),
  database: z.object({
    reachable: z.boolean(),
    runtime: z.enum(["postgres", "pglite"]),
    migrations: z.object({
      applied: ZCountSchema,
      /** Names of migrations on disk that the database has not applied. */
      pending: z.array(z.string()),
      /** True when nothing is pending and no applied migration was edited or failed. */
      current: z.boolean(),
    }),
  }),
  time: ZEpochMsSchema,
});
export type THealthDto = z.infer<typeof ZHealthDtoSchema>;
