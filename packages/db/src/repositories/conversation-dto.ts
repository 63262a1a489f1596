// Rows of the conversations tables as the wire DTOs of contracts: epoch-ms timestamps and
// lowercase enum values, through the contracts' own mappings.
import {
  MessageAuthor,
  MessageSentiment,
  ReplyStatus,
  SessionStatus,
  SessionType,
  type TCollectionDto,
  type TMessageDto,
  type TSessionDto,
} from "@lockstep/contracts";
import type { CollectionRow } from "./collections.ts";
import type { MessageRow } from "./messages.ts";
import type { SessionRow } from "./sessions.ts";

const ms = (date: Date) => date.getTime();
const msOrNull = (date: Date | null) => (date ? date.getTime() : null);

export function toSessionDto(row: SessionRow): TSessionDto {
  return {
    id: row.id,
    type: SessionType.toWire(row.type),
    status: SessionStatus.toWire(row.status),
    name: row.name,
    characterId: row.character_id,
    engagementId: row.engagement_id,
    episodeTemplateId: row.episode_template_id,
    hasScreenshot: row.has_screenshot,
    errorReason: row.error_reason,
    createdAt: ms(row.created_at),
    updatedAt: ms(row.updated_at),
    lastActivity: ms(row.last_activity),
    endedAt: msOrNull(row.ended_at),
    deletedAt: msOrNull(row.deleted_at),
    isActive: row.is_active,
    isPinned: row.is_pinned,
  };
}

export function toMessageDto(row: MessageRow): TMessageDto {
  return {
    id: row.id,
    sessionId: row.session_id,
    text: row.text,
    author: MessageAuthor.toWire(row.author),
    timestamp: ms(row.timestamp),
    sentiment: row.sentiment ? MessageSentiment.toWire(row.sentiment) : null,
    collectionIds: row.collection_ids,
    title: row.title,
    tag: row.tag,
    analysis: row.analysis,
    isLiked: row.is_liked,
    isDisliked: row.is_disliked,
    isPinned: row.is_pinned,
    usedCount: Number(row.used_count),
    builtIn: row.built_in,
    replyStatus: row.reply_status ? ReplyStatus.toWire(row.reply_status) : null,
    replyError: row.reply_error,
    parentId: row.parent_id,
    versions: row.versions,
    stopped: row.stopped,
  };
}

export function toCollectionDto(row: CollectionRow): TCollectionDto {
  return {
    id: row.id,
    name: row.name,
    createdAt: ms(row.created_at),
    updatedAt: ms(row.updated_at),
    messageCount: Number(row.message_count),
  };
}
