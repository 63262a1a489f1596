// Messages (docs/architecture.md) with the reactions of the person reading them computed in the same query
// (isLiked, isDisliked, isPinned, usedCount: one SQL statement per page, not one per message),
// idempotent sends with a client-made id, edits of typed messages, reactions, and the state of the reply
// a person's message is owed (pending, failed, or none).
import { type $Enums, Prisma } from "../generated/prisma/client.ts";
import type { Database } from "../connection.ts";
import { JOB_QUEUE_SCHEMA } from "../queue-schema.ts";
import type { SqlReader, SqlTx } from "../scoped.ts";
import { versionsColumn } from "./message-tree.ts";

export interface MessageRow {
  id: string;
  session_id: string;
  text: string;
  author: $Enums.MessageAuthor;
  timestamp: Date;
  sentiment: $Enums.MessageSentiment | null;
  collection_ids: string[];
  title: string | null;
  tag: string | null;
  analysis: string | null;
  is_liked: boolean;
  is_disliked: boolean;
  is_pinned: boolean;
  used_count: number;
  built_in: boolean;
  reply_status: $Enums.ReplyStatus | null;
  reply_error: string | null;
  parent_id: string | null;
  stopped: boolean;
  versions: string[];
}

/**
 * A page of messages with their reactions; `where`/`order` come from the caller. Messages of
 * soft-deleted sessions are left out unless `includeDeletedSessions` (operators read those too).
 */
function selectMessages(
  where: Prisma.Sql,
  order: Prisma.Sql,
  limit: number | null,
  includeDeletedSessions = false,
): Prisma.Sql {
  return Prisma.sql`
    SELECT m.id, m.session_id, m.text, m.author, m."timestamp", m.sentiment, m.collection_ids,
           m.title, m.tag, m.analysis,
           COALESCE(r.liked, false) AS is_liked, COALESCE(r.disliked, false) AS is_disliked,
           COALESCE(r.pinned, false) AS is_pinned, COALESCE(r.used, 0)::int AS used_count,
           COALESCE(p.kind = 'BUILTIN', false) AS built_in, m.reply_status, m.reply_error,
           m.parent_id, m.stopped, ${versionsColumn} AS versions
      FROM messages m
      JOIN sessions s ON s.id = m.session_id ${includeDeletedSessions ? Prisma.empty : Prisma.sql`AND s.deleted_at IS NULL`}
      LEFT JOIN LATERAL (
        SELECT bool_or(i.type = 'LIKED') AS liked, bool_or(i.type = 'DISLIKED') AS disliked,
               bool_or(i.type = 'PINNED') AS pinned,
               count(*) FILTER (WHERE i.type = 'COPIED_TO_CLIPBOARD') AS used
          FROM user_message_interactions i WHERE i.message_id = m.id
      ) r ON true
      LEFT JOIN ai_interactions ai ON ai.id = m.ai_interaction_id
      LEFT JOIN providers p ON p.id = ai.provider_id
     WHERE ${where}
     ORDER BY ${order}
     ${limit === null ? Prisma.empty : Prisma.sql`LIMIT ${limit}`}`;
}

export async function findMessage(tx: SqlReader, id: string): Promise<MessageRow | null> {
  const rows = await tx.$queryRaw<MessageRow[]>(selectMessages(Prisma.sql`m.id = ${id}::uuid`, Prisma.sql`m.id`, 1));
  return rows[0] ?? null;
}

export interface MessageListQuery {
  sessionId: string;
  direction: "older" | "newer";
  after?: { time: Date; id: string } | undefined;
  limit: number;
}

/** One keyset page in chronological order; "older" walks back from the newest message. */
export async function listMessages(tx: SqlReader, q: MessageListQuery): Promise<MessageRow[]> {
  const older = q.direction === "older";
  // Only the branch on screen: versions not chosen, and what followed them, are kept but not listed.
  const conditions = [Prisma.sql`m.session_id = ${q.sessionId}::uuid`, Prisma.sql`NOT m.hidden`];
  if (q.after) {
    conditions.push(
      older
        ? Prisma.sql`(m."timestamp", m.id) < (${q.after.time}, ${q.after.id}::uuid)`
        : Prisma.sql`(m."timestamp", m.id) > (${q.after.time}, ${q.after.id}::uuid)`,
    );
  }
  const order = older ? Prisma.sql`m."timestamp" DESC, m.id DESC` : Prisma.sql`m."timestamp" ASC, m.id ASC`;
  const rows = await tx.$queryRaw<MessageRow[]>(selectMessages(Prisma.join(conditions, " AND "), order, q.limit));
  return rows;
}

export interface NewMessage {
  id: string;
  sessionId: string;
  userId: string;
  text: string;
  author: Exclude<$Enums.MessageAuthor, "AI">;
  /** The send asks for the coach's reply: the message starts out owed one (PENDING). */
  awaitsReply?: boolean;
  /** The message it follows (the last one on screen), or the one it is a new version of. */
  parentId?: string | null;
  versionOf?: string | null;
}

/**
 * Inserts the message unless its id exists. When it exists, returns what this user can see of it
 * (null when it is someone else's) so the caller can tell a retry from a clash.
 */
export async function insertMessageIfAbsent(
  tx: SqlTx,
  message: NewMessage,
): Promise<{ created: boolean; existing: { session_id: string; text: string; author: $Enums.MessageAuthor } | null }> {
  const inserted = await tx.$executeRaw`
    INSERT INTO messages (id, session_id, user_id, text, author, reply_status, parent_id, version_of, updated_at)
    VALUES (${message.id}::uuid, ${message.sessionId}::uuid, ${message.userId}, ${message.text},
            ${message.author}::"MessageAuthor", ${message.awaitsReply ? "PENDING" : null}::"ReplyStatus",
            ${message.parentId ?? null}::uuid, ${message.versionOf ?? null}::uuid, now())
    ON CONFLICT (id) DO NOTHING`;
  if (inserted > 0) return { created: true, existing: null };
  const rows = await tx.$queryRaw<{ session_id: string; text: string; author: $Enums.MessageAuthor }[]>`
    SELECT session_id, text, author::text AS author FROM messages WHERE id = ${message.id}::uuid`;
  return { created: false, existing: rows[0] ?? null };
}

/** Edits a typed message (never an AI one); null when there is no such message of the person's. */
export async function updateWrittenMessage(
  tx: SqlTx,
  id: string,
  changes: { text?: string | undefined; author?: Exclude<$Enums.MessageAuthor, "AI"> | undefined },
): Promise<"updated" | "not_found" | "ai_message"> {
  const current = await findMessage(tx, id);
  if (!current) return "not_found";
  if (current.author === "AI") return "ai_message";
  const sets: Prisma.Sql[] = [Prisma.sql`updated_at = now()`];
  if (changes.text !== undefined) sets.push(Prisma.sql`text = ${changes.text}`);
  if (changes.author !== undefined) sets.push(Prisma.sql`author = ${changes.author}::"MessageAuthor"`);
  await tx.$executeRaw`UPDATE messages SET ${Prisma.join(sets, ", ")} WHERE id = ${id}::uuid`;
  return "updated";
}

export async function deleteWrittenMessage(tx: SqlTx, id: string): Promise<"deleted" | "not_found" | "ai_message"> {
  const current = await findMessage(tx, id);
  if (!current) return "not_found";
  if (current.author === "AI") return "ai_message";
  await tx.$executeRaw`DELETE FROM messages WHERE id = ${id}::uuid`;
  return "deleted";
}

/** The reply to `messageId` was stored: nothing is owed any more. */
export async function clearReplyStatus(tx: SqlTx, messageId: string): Promise<void> {
  await tx.$executeRaw`UPDATE messages SET reply_status = NULL, reply_error = NULL, stop_requested_at = NULL
    WHERE id = ${messageId}::uuid AND reply_status IS NOT NULL`;
}

/**
 * The reply to `messageId` gave up. Only a message still owed one turns FAILED: a reply stored
 * meanwhile (status cleared) stays answered. Returns whether the row changed.
 */
export async function markReplyFailed(tx: SqlTx, messageId: string, reason: string): Promise<boolean> {
  const changed = await tx.$executeRaw`UPDATE messages SET reply_status = 'FAILED', reply_error = ${reason}
    WHERE id = ${messageId}::uuid AND reply_status = 'PENDING'`;
  return changed > 0;
}

/**
 * Marks FAILED the replies still PENDING with no job left that could produce them: the job's last
 * allowed attempt died with its process, so nothing else would ever tell the person. Only messages
 * older than `olderThan` (a send commits its message a moment before it enqueues the job), across
 * every person (the owner's connection; this is upkeep, not a request). Returns how many changed.
 */
export async function failAbandonedReplies(
  db: Database,
  options: { queueName: string; olderThan: Date; reason: string },
): Promise<number> {
  const jobs = Prisma.raw(`"${JOB_QUEUE_SCHEMA}".job`);
  return db.prisma.$executeRaw`
    UPDATE messages m SET reply_status = 'FAILED', reply_error = ${options.reason}
     WHERE m.reply_status = 'PENDING' AND m.created_at < ${options.olderThan}
       AND NOT EXISTS (
         SELECT 1 FROM ${jobs} j
          WHERE j.name = ${options.queueName} AND j.singleton_key = m.session_id::text
            AND j.data->>'messageId' = m.id::text AND j.state IN ('created', 'retry', 'active'))`;
}

/**
 * Claims a failed reply for another attempt: FAILED -> PENDING in one statement, so of two
 * concurrent retries exactly one wins. Returns false when the message was not FAILED (or not visible).
 */
export async function claimFailedReply(tx: SqlTx, messageId: string): Promise<boolean> {
  const changed =
    await tx.$executeRaw`UPDATE messages SET reply_status = 'PENDING', reply_error = NULL, stop_requested_at = NULL
    WHERE id = ${messageId}::uuid AND reply_status = 'FAILED'`;
  return changed > 0;
}

type Reaction = $Enums.InteractionType;

/** The reaction that cancels another: liking removes a dislike and the reverse. */
const OPPOSITE: Partial<Record<Reaction, Reaction>> = { LIKED: "DISLIKED", DISLIKED: "LIKED" };

/** Records or takes back a reaction; repeating a call changes nothing (unique user, message, type). */
export async function setReaction(
  tx: SqlTx,
  userId: string,
  messageId: string,
  type: Reaction,
  on: boolean,
): Promise<void> {
  if (on) {
    const opposite = OPPOSITE[type];
    if (opposite) {
      await tx.$executeRaw`DELETE FROM user_message_interactions
        WHERE user_id = ${userId} AND message_id = ${messageId}::uuid AND type = ${opposite}::"InteractionType"`;
    }
    await tx.$executeRaw`INSERT INTO user_message_interactions (user_id, message_id, type)
      VALUES (${userId}, ${messageId}::uuid, ${type}::"InteractionType") ON CONFLICT DO NOTHING`;
  } else if (type !== "COPIED_TO_CLIPBOARD") {
    // A copy happened; it counts toward usedCount and is not taken back.
    await tx.$executeRaw`DELETE FROM user_message_interactions
      WHERE user_id = ${userId} AND message_id = ${messageId}::uuid AND type = ${type}::"InteractionType"`;
  }
}

export { selectMessages };
